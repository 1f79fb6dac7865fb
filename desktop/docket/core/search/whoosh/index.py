"""The case's full-text index: one Whoosh record per page, in ``<case>/index/``.

The index is derived data (case.sqlite has the truth), so anything wrong with
it - missing, damaged, written by an older analyzer - is answered by making it
empty again and letting the caller re-add the pages (see ``was_reset``).

One searcher stays open for the life of the index and is refreshed after each
commit (opening one costs 260 ms at 200k pages, PERFORMANCE.md). Searching may
run on another thread than writing, so the searcher sits behind a lock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import CharsetFilter, IDAnalyzer, LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from docket.core.errors import DocketError
from docket.core.model.records import IndexedPage, SearchHit, SearchResults
from docket.core.model.tags import ancestors
from docket.core.search.analysis import page_term_positions
from docket.core.search.engine import IndexRecord, PageTerms, PageTexts
from docket.core.search.nodes import ParsedQuery
from docket.core.search.snippets import find_hits, make_snippet
from docket.core.search.whoosh.fastboolean import release, supported, top_documents
from docket.core.search.whoosh.indexmemory import install as read_index_in_place
from docket.core.search.whoosh.matching import prepare
from docket.core.search.whoosh.postings import PagePostings
from docket.core.search.whoosh.tokenizer import DocketTokenizer
from docket.core.search.whoosh.translate import to_whoosh

if TYPE_CHECKING:
    import logging

    from whoosh.writing import SegmentWriter

# Whoosh's writing modules and its collectors (for queries fastboolean does not run)
# are imported where they are used: a `docket search` process needs neither.


def _log() -> logging.Logger:
    """This module's logger. `logging` (with traceback, string, textwrap: ~3 ms) is
    imported only when there is something to log: a search that goes well logs nothing."""
    import logging

    return logging.getLogger(__name__)


read_index_in_place()  # see indexmemory: otherwise each reader copies the whole index

# Bulk-load settings, measured on 20k generated 2 KB pages on a 2-core box.
# One process: extraction keeps the other cores busy (PERFORMANCE.md). Whoosh
# spills its posting pool to disk past `limitmb`, and each spill cost more than
# indexing the pages; 5,000 pages (~1M postings) fit a 256 MB pool. CPU-s per
# 20k pages: flush every 5,000 at 256 MB 46-51 (~570 MB resident); one commit
# at 256 MB 67; one commit at 1024 MB 44 but 1.2 GB resident.
WRITER_LIMIT_MB = 256
FLUSH_PAGES = 5000
LOCK_TIMEOUT_S = 10.0  # an incremental commit elsewhere takes well under a second


class PageText(TEXT):  # type: ignore[misc]
    """The page-text field: it also takes a page's terms analysed in another process.

    Analysis is a third of the writer's CPU; the import's workers do it for
    their own pages (`PageTerms`), so the one writer only encodes and pools
    postings and both cores stay busy (see PERFORMANCE.md). Text and terms give
    the same postings as Whoosh's own `TEXT.index` (test_postings).
    """

    def index(self, value: object, **kwargs: object) -> object:
        if not kwargs and self._takes_terms():
            if isinstance(value, str):
                value = page_term_positions(value)  # in one pass, not token by token
            if isinstance(value, PageTerms):
                return PagePostings(value, self.format.field_boost)
        return super().index(value, **kwargs)

    def _takes_terms(self) -> bool:
        """True when the field's words are Docket's index terms with positions: then
        `PagePostings` are exactly what Whoosh's own indexing would make."""
        plain = type(self.analyzer) is DocketTokenizer and type(self.format) is Positions
        return plain and bool(self.analyzer.stem)


def make_schema() -> Schema:
    words = DocketTokenizer(stem=True)

    def text(stored: bool = False) -> TEXT:
        # A query word that analyzes to several tokens (self-defence, 16.12.2011,
        # complaint.pdf) is searched as a phrase, not as unrelated words.
        return TEXT(analyzer=words, stored=stored, phrase=True, multitoken_query="phrase")

    return Schema(
        kind=ID(stored=True),  # "page", "mark" (highlights and notes) or "document" (its tags)
        key=ID(unique=True),  # "doc:page", so re-adding a page replaces it
        doc=NUMERIC(int, stored=True, sortable=True, shift_step=0),  # no ranges needed
        page=NUMERIC(int, stored=True, shift_step=0),
        label=STORED(),
        title=text(stored=True),
        author=text(),
        name=text(),
        type=ID(analyzer=IDAnalyzer(lowercase=True)),  # type:PDF finds "pdf"
        date=DATETIME(),
        # not stored: the page text lives in case.sqlite
        text=PageText(analyzer=words, phrase=True, multitoken_query="phrase"),
        # One term per tag and per parent above it, so tag:Issue finds Issue/Torture
        # and tag:Torture does not find Issue/Torture by accident.
        tag=TEXT(analyzer=_tag_analyzer(), phrase=False),
        note=text(),
        mark=NUMERIC(int, stored=True, shift_step=0),
        # A fact's period (a mark with a date): fact:[a TO b] finds those overlapping it.
        # New fields change the fingerprint, so an index from before is rebuilt.
        fact_first=DATETIME(),
        fact_last=DATETIME(),
        # A page's Bates number split as nodes.bates_parts does: bates:[ABC1 TO ABC9].
        bates_prefix=ID(),
        bates_number=NUMERIC(int, bits=64),
        # A page's document's language (ISO 639-1; none when unknown): its words were
        # stemmed by it, queries are analysed for each language the index holds, and
        # its hits are found with it.
        lang=ID(stored=True),
        summary=STORED(),  # a mark's or document's words and range, for its snippet
    )


def _tag_analyzer() -> object:
    return RegexTokenizer(r"[^\n]+") | LowercaseFilter() | CharsetFilter(accent_map)


def tag_terms(tags: Iterable[str]) -> str:
    return "\n".join(sorted({name for tag in tags for name in ancestors(tag)}))


def _fingerprint(schema: Schema) -> list[tuple[object, ...]]:
    """What must match for an index to be usable (Schema.__eq__ also compares
    sortable columns' struct objects, so it is never true after unpickling)."""
    return [
        (
            name,
            type(f).__name__,
            type(f.format).__name__,
            f.stored,
            f.unique,
            repr(f.analyzer),
            getattr(f, "shift_step", None),
        )
        for name, f in sorted(schema.items())
    ]


def _has_index(index_dir: Path) -> bool:
    """Whether the folder holds an index's table of contents: what `exists_in` says,
    without opening the index (which reads and unpickles the table once more)."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return False
    return any(name.startswith("_MAIN_") and name.endswith(".toc") for name in names)


LengthLookup = Callable[..., int]


def remembering(lookup: LengthLookup) -> LengthLookup:
    """`doc_field_length` that decodes each (document, field) length once.

    Whoosh asks for a page's field length once per posting when it commits and
    once per matching page when it scores (BM25), decoding it from a column
    every time: a third of a commit, and of a query on common words. The
    answers never change for one segment writer or one searcher.
    """
    lengths: dict[tuple[int, str, int], int] = {}

    def doc_field_length(docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname, default)
        length = lengths.get(key)
        if length is None:
            length = lengths[key] = lookup(docnum, fieldname, default)
        return length

    return doc_field_length


class _RememberedLengths:
    """A new segment's per-document reader whose field lengths are remembered."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self.doc_field_length = remembering(reader.doc_field_length)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _new_searcher(ix: windex.Index, schema: Schema | None = None, toc: Any = None) -> Searcher:
    """A searcher of the index's latest commit (or of `toc`, its table of contents
    already read). With `schema` (the index's, as read at open) the table of contents
    is read without unpickling its schema again: ~10 ms of every open and refresh."""
    for attempt in range(2):
        try:
            if toc is None:
                toc = windex.TOC.read(ix.storage, ix.indexname, schema=schema)
            reader = windex.FileIndex._reader(ix.storage, toc.schema, toc.segments, toc.generation)
            break
        except FileNotFoundError:
            # A commit or a merge (another thread or process) removed a segment between
            # the table of contents this read and the segment's file: read it again.
            if attempt:
                raise
            toc = None
    searcher = Searcher(reader, fromindex=ix)
    # Queries run per segment, on leaf searchers that copy the method for themselves.
    for leaf in {id(s): s for s in [searcher, *(s for s, _ in searcher.leaf_searchers())]}.values():
        leaf.doc_field_length = remembering(leaf.doc_field_length)
    return searcher


# A segment with fewer records than this is merged into the next commit's, once
# there are two of them: the one-record segments of mark edits and the like.
# Bigger ones are left alone. Whoosh's own policy (MERGE_SMALL) merged *every*
# segment once a case had some twenty of them - at 100,000 pages, a rewrite of
# the whole index in memory at the end of an import, for minutes.
SMALL_SEGMENT_RECORDS = 1000


def merge_small_segments(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: the segments kept as they are; the small ones merged."""
    from whoosh.reading import SegmentReader

    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_RECORDS]
    if len(small) < 2:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]


class PageWriter:
    """A bulk writer: ``with index.writer() as w: w.add_page(p)``; commits on exit.

    A long load (a rebuild) is committed every FLUSH_PAGES pages, at a document
    boundary: Whoosh keeps postings in memory up to `limitmb` and beyond that
    spills sorted runs to disk, which costs ~11 s per 10k pages here - more
    than indexing them. An exception cancels only the pages since the last
    flush; documents already flushed are whole (pages arrive grouped by doc),
    so ``indexed_doc_ids()`` stays truthful for re-adding the rest.
    """

    def __init__(
        self, index: SearchIndex, flush_pages: int | None = None, *, new_pages: bool = False
    ) -> None:
        self._index = index
        self._new_pages = new_pages
        self._writer = index._open_writer()
        self._flush_pages = flush_pages
        self._pending = 0
        self._last_doc: int | None = None
        self.added = 0
        self._records: dict[str, dict[str, object]] = {}  # key -> fields, written at commit

    def add_page(self, page: IndexedPage, terms: PageTerms | None = None) -> None:
        """Index a page; `terms`, if given, are its text's (made by an import's worker)."""
        if self._flush_pages and self._pending >= self._flush_pages and page.doc != self._last_doc:
            # merge=False: merging the big segments would cost as much as writing them
            self._writer.commit(merge=False)
            self._writer = self._index._open_writer()
            self._pending = 0
        fields: dict[str, object] = {
            "kind": "page",
            "key": f"{page.doc}:{page.page}",
            "doc": page.doc,
            "page": page.page,
            "label": page.label,
            "title": page.title,
            "author": page.author,
            "name": page.source_name,
            "type": str(page.kind),
            "text": page.text if terms is None else terms,
        }
        if page.language:
            fields["lang"] = page.language
            if terms is None:
                fields["text"] = page_term_positions(page.text, page.language)
        if page.date is not None:
            fields["date"] = page.date
        if self._new_pages:
            self._writer.add_document(**fields)
        else:
            # Never leaves a page twice when a page is re-added or a doc id reused;
            # but it looks the page's key up in every segment, which at 100,000
            # pages kept ~200 MB of the index's term tables in memory.
            self._writer.update_document(**fields)
        self._pending += 1
        self._last_doc = page.doc
        self.added += 1

    def delete_documents(self, doc_ids: Iterable[int]) -> None:
        for doc in doc_ids:
            self._writer.delete_by_query(wq.Term("doc", doc))

    def put(self, record: IndexRecord) -> None:
        """Add or replace one record that is not a page (a mark, a document's tags, a
        form field's value)."""
        fields: dict[str, object] = {
            "kind": record.kind,
            "key": record.key,
            "doc": record.doc,
            "page": record.page,
            "label": record.label,
            "title": record.title,
            "name": record.name,
            "type": record.type,
            "tag": tag_terms(record.tags),
            # what its result shows: Docket's own words and range, not the index's
            "summary": {"text": record.summary, "span": [list(s) for s in record.summary_spans]},
        }
        if record.rect is not None:  # a field's place on its page, for its result
            fields["summary"]["rect"] = list(record.rect)  # type: ignore[index]
        words = {"text": record.text, "note": record.note, "author": record.author}
        fields.update((name, value) for name, value in words.items() if value)
        if record.language:  # a mark's words are stemmed as its page's are
            fields["lang"] = record.language
            if record.text:
                fields["text"] = page_term_positions(record.text, record.language)
        if record.mark is not None:
            fields["mark"] = record.mark
        if record.fact is not None:
            fields["fact_first"], fields["fact_last"] = record.fact
        if record.bates is not None:
            fields["bates_prefix"], fields["bates_number"] = record.bates
        self._records[record.key] = fields

    def delete_key(self, key: str) -> None:
        self._records.pop(key, None)
        self._writer.delete_by_term("key", key)

    def _write_records(self) -> None:
        """The records put in this batch, each once: Whoosh's update_document replaces a
        record in the committed segments only, so a key put twice before the commit
        would otherwise be there twice."""
        for fields in self._records.values():
            self._writer.update_document(**fields)
        self._records.clear()

    def __enter__(self) -> PageWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._write_records()
            self._writer.commit(mergetype=merge_small_segments)
        else:
            self._writer.cancel()
        self._index.refresh()


class SearchIndex:
    """Open with :meth:`open`; close with :meth:`close` (or use as a context manager)."""

    def __init__(self, ix: windex.Index, was_reset: bool, toc: Any = None) -> None:
        self._ix = ix
        self._lock = threading.RLock()
        if toc is None:
            toc = ix._read_toc()
        # Read once: Whoosh's `ix.schema` reads (and unpickles) the TOC file each time.
        self._schema = toc.schema
        self._searcher: Searcher | None = _new_searcher(ix, toc=toc)
        self.was_reset = was_reset  # True: the index was (re)created empty; re-add all pages
        self._merge: Any = None  # the merging process started last (merging.start_merge)

    @classmethod
    def open(cls, index_dir: Path, create: bool = True) -> SearchIndex:
        index_dir = Path(index_dir)
        schema = make_schema()
        reason = ""
        try:
            if _has_index(index_dir):
                ix = windex.open_dir(str(index_dir))
                toc = ix._read_toc()  # the one full read of it: schema and segments
                # The stored schema holds the analyzer and its version: a difference
                # means terms were made by other rules, so the index must be rebuilt.
                if _fingerprint(toc.schema) == _fingerprint(schema):
                    return cls(ix, was_reset=False, toc=toc)
                reason = "it was written by another version of Docket"
        except (ImportError, AttributeError) as exc:  # its schema names code since moved
            _log().warning("search index in %s from another version: %s", index_dir, exc)
            reason = "it was written by another version of Docket"
        except Exception as exc:  # damaged or unreadable: derived data, start again
            _log().warning("search index in %s unreadable: %s", index_dir, exc)
            reason = "it is damaged"
        if not create:
            problem = f"cannot be used ({reason}); rebuild it" if reason else "is missing"
            raise DocketError(f"The search index in {index_dir} {problem}.")
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            ix = windex.create_in(str(index_dir), schema)
        except OSError as exc:
            raise DocketError(f"Cannot create the search index in {index_dir}: {exc}") from exc
        return cls(ix, was_reset=True)

    # -- writing -----------------------------------------------------------

    def _open_writer(self) -> SegmentWriter:
        from docket.core.search.whoosh.bulkwriter import BulkSegmentWriter

        try:
            # What `self._ix.writer()` makes, but pooling postings by term (bulkwriter).
            writer = BulkSegmentWriter(self._ix, limitmb=WRITER_LIMIT_MB, timeout=LOCK_TIMEOUT_S)
        except windex.LockError as exc:
            raise DocketError("The search index is busy with another update.") from exc
        new_reader = writer.per_document_reader
        writer.per_document_reader = lambda: _RememberedLengths(new_reader())
        return writer

    def writer(
        self, flush_pages: int | None = FLUSH_PAGES, *, new_pages: bool = False
    ) -> PageWriter:
        """A writer for many pages; ``flush_pages=None`` commits only once, on exit.

        `new_pages`: the caller knows none of the pages is in the index yet (a
        document just stored, or one whose pages were deleted first), so they are
        added without looking for an older copy of each."""
        return PageWriter(self, flush_pages, new_pages=new_pages)

    def add_pages(self, pages: Iterable[IndexedPage]) -> int:
        with self.writer() as w:
            for page in pages:
                w.add_page(page)
        return w.added

    def delete_documents(self, doc_ids: Iterable[int]) -> None:
        doc_ids = list(doc_ids)
        if doc_ids:  # no empty commit
            with self.writer() as w:
                w.delete_documents(doc_ids)

    def clear(self) -> None:
        """Make the index empty (before a rebuild), keeping the same directory."""
        from whoosh.writing import CLEAR

        w = self._open_writer()  # under the write lock, like any update
        try:
            w.commit(mergetype=CLEAR)  # drops every segment; clean-up deletes their files
        except BaseException:
            w.cancel()
            raise
        self.refresh()

    def merge_in_background(self) -> bool:
        """After a big import: merge its segments into a few in another process, if
        they are many (merging.plan); searches and writers go on meanwhile, and
        searches see the merged index once it is done. True if a merge started."""
        from docket.core.search.whoosh.merging import start_merge

        if self._merge is not None and self._merge.is_alive():
            return False  # it merges what is there when it plans its next run
        self._merge = start_merge(Path(self._ix.storage.folder), self.refresh)
        return self._merge is not None

    def wait_for_merge(self, timeout: float | None = None) -> None:
        """Until the merge started by `merge_in_background`, if any, has finished."""
        if self._merge is not None:
            self._merge.join(timeout)

    # -- reading -----------------------------------------------------------

    def refresh(self) -> None:
        """Let searches see the latest commit.

        Not Whoosh's ``Searcher.refresh()``: in whoosh-reloaded 2.7.5 it adds the
        old reader's segments to the new ones, so deleted pages, merged-away
        segments and a cleared index stay visible. A new searcher costs 25-75 ms
        at 20k pages, once per commit.
        """
        with self._lock:
            seen = self._searcher
            if seen is None or self._ix.latest_generation() == seen.reader().generation():
                return
        # Opened outside the lock: at 200k pages it takes tens of ms, which a
        # search on another thread (a merge finishing under the window) need not wait.
        new = _new_searcher(self._ix, self._schema)
        with self._lock:
            old = self._searcher
            if old is not seen:  # closed meanwhile, or another thread refreshed first
                new.close()
                if old is not None:
                    self.refresh()  # what that thread opened may be older than this one
                return
            self._searcher = new
            release(old)
            old.close()

    def _current(self) -> Searcher:
        if self._searcher is None:
            raise DocketError("The search index is closed.")
        return self._searcher

    def page_count(self) -> int:
        with self._lock:
            s = self._current()
            return sum(1 for _ in s.docs_for_query(wq.Term("kind", "page")))

    def indexed_doc_ids(self) -> set[int]:
        with self._lock:
            s = self._current()
            if s.doc_count() == 0:  # an empty index's reader has no columns at all
                return set()
            docs = s.reader().column_reader("doc")
            return {int(docs[n]) for n in s.docs_for_query(wq.Term("kind", "page"))}

    def search(self, query: ParsedQuery, page_texts: PageTexts, limit: int = 20) -> SearchResults:
        """The `limit` best pages for `query`, with every hit and a snippet each.

        `page_texts` reads the stored texts of the returned pages in one batch
        (the index does not store them); it is called outside the lock.
        A wildcard or fuzzy term standing for too many words keeps the most
        frequent, and the results' `notes` say so.
        """
        with self._lock:
            s = self._current()
            q = to_whoosh(query, self._schema, self._languages(s))
            notes: list[str] = []  # a wildcard or fuzzy term cut to its most frequent words
            q, terms = prepare(q, s.reader(), query.text, notes)
            try:
                # No block-quality skipping and no matcher replacement: both drop
                # documents, so the count would be wrong (an OR query counted
                # 4,267 of its 14,885 pages). Scoring every match costs less than
                # counting them in a second pass.
                if supported(q):  # plain AND / OR / NOT: the same results, faster
                    total, best = top_documents(q, s, max(limit, 0))
                    found = [(s.stored_fields(docnum), score) for score, docnum in best]
                else:
                    from whoosh.collectors import TopCollector

                    collector = TopCollector(limit=max(limit, 1), usequality=False, replace=0)
                    s.search_with_collector(q, collector)
                    total = collector.count()
                    found = [
                        (hit.fields(), hit.score) for hit in collector.results()[: max(limit, 0)]
                    ]
                rows = [
                    (
                        hit["doc"],
                        hit["page"],
                        hit.get("label", ""),
                        hit.get("title", ""),
                        score,
                        hit.get("kind", "page"),
                        hit.get("mark"),
                        hit.get("summary"),
                        hit.get("lang", ""),
                    )
                    for hit, score in found
                ]
            except Exception as exc:  # never a traceback for the user; the log keeps it
                _log().exception("search failed for %r", query.text)
                raise DocketError(f"The search failed: {exc}") from exc
        wanted = [(doc, page) for doc, page, *_, kind, _m, _s, _l in rows if kind == "page"]
        texts = page_texts(wanted) if wanted else {}
        hits = []
        for doc, page, label, title, score, kind, mark, summary, language in rows:
            rect = None
            if kind == "page":
                text = texts.get((doc, page), "")
                spans = find_hits(text, terms, language)
                snippet = make_snippet(text, spans)
            else:  # a mark or a document's tags: the summary stored with the record
                words, spans = summary["text"], tuple((s, e) for s, e in summary["span"])
                snippet = make_snippet(words, find_hits(words, terms, language))
                if summary.get("rect"):
                    x, y, w, h = summary["rect"]
                    rect = (float(x), float(y), float(w), float(h))
            hits.append(
                SearchHit(
                    doc=doc,
                    title=title,
                    page=page,
                    label=label,
                    score=float(score or 0.0),
                    snippet=snippet,
                    hits=spans,
                    source=kind,
                    mark=mark,
                    rect=rect,
                )
            )
        return SearchResults(query=query.text, total=total, results=tuple(hits), notes=tuple(notes))

    def _languages(self, searcher: Searcher) -> tuple[str, ...]:
        """The languages a query is analysed for: each one the pages have, and unknown
        (English's Porter), which stems titles, marks and pages of unknown language."""
        languages = getattr(searcher, "_docket_languages", None)
        if languages is None:  # once per searcher: a commit makes a new one
            reader = searcher.reader()
            found = sorted(reader.field_terms("lang")) if "lang" in reader.schema else []
            languages = searcher._docket_languages = ("", *found)
        return tuple(languages)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                release(self._searcher)
                self._searcher.close()
                self._searcher = None
            self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
