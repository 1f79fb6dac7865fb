"""A second `SearchEngine`, in memory and in plain Python: the proof that the seam is real.

Nothing here knows Whoosh. Records are dicts of field -> term -> positions,
made by the same analyzer rules as the index (`analysis.page_terms`,
`index_term`), and a query is Docket's own tree (`nodes`), evaluated node by
node. Hits and snippets come from `snippets`, as in the Whoosh engine, so the
two must agree on every (document, page, hits) a query finds; the tests in
test_search.py and test_engines.py run against both.

Scores are simple: how often the query's terms occur in the record. Ties are
broken by document, page and key, so the order is always the same.
"""

from __future__ import annotations

import fnmatch
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

from docket.core.model.records import IndexedPage, SearchHit, SearchResults
from docket.core.model.tags import ancestors
from docket.core.search.analysis import (
    fuzzy_forms,
    index_term,
    page_terms,
    query_terms,
    stemmed_pattern,
)
from docket.core.search.engine import IndexRecord, PageTerms, PageTexts
from docket.core.search.nodes import (
    DEFAULT_FIELD,
    FACT_FIELD,
    WHOLE_VALUE_FIELDS,
    And,
    BatesRange,
    DateRange,
    Fuzzy,
    Node,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Term,
    Wildcard,
)
from docket.core.search.snippets import HitTerms, find_hits, make_snippet
from docket.core.text.folding import fold_word

Positions = dict[str, list[int]]  # term -> ascending token positions
Scores = dict[str, float]  # record key -> score


@dataclass
class _Record:
    key: str
    kind: str  # "page", "mark", "document"
    doc: int
    page: int
    label: str
    title: str
    date: datetime | None
    fields: dict[str, Positions]
    mark: int | None = None
    summary: str = ""
    summary_spans: tuple[tuple[int, int], ...] = ()
    rect: tuple[float, float, float, float] | None = None  # a form field's place
    language: str = ""  # a page's document's: its words were stemmed by it
    fact: tuple[datetime, datetime] | None = None  # a fact's period (a mark with a date)
    bates: tuple[str, int] | None = None  # a page's Bates number, split (issue 18)


def whole_value(value: str) -> str:
    """A tag: or type: value as matched: lowercase, accents dropped, never split."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str, language: str = "") -> Positions:
    positions: Positions = {}
    for position, (term, _, _) in enumerate(page_terms(text, language)):
        positions.setdefault(term, []).append(position)
    return positions


def _page_record(page: IndexedPage, terms: PageTerms | None) -> _Record:
    # The terms a worker made from the text, else the same made here.
    text = dict(terms.positions()) if terms is not None else _words(page.text, page.language)
    return _Record(
        key=f"{page.doc}:{page.page}",
        kind="page",
        doc=page.doc,
        page=page.page,
        label=page.label,
        title=page.title,
        date=page.date,
        fields={
            "title": _words(page.title),
            "author": _words(page.author),
            "name": _words(page.source_name),
            "type": {whole_value(str(page.kind)): [0]},
            "text": text,
        },
        language=page.language,
    )


def _other_record(record: IndexRecord) -> _Record:
    tags = sorted({whole_value(name) for tag in record.tags for name in ancestors(tag)})
    return _Record(
        key=record.key,
        kind=record.kind,
        doc=record.doc,
        page=record.page,
        label=record.label,
        title=record.title,
        date=None,  # marks and tags carry no date: date: finds pages only
        fields={
            "title": _words(record.title),
            "author": _words(record.author),
            "name": _words(record.name),
            "type": {whole_value(record.type): [0]},
            "text": _words(record.text, record.language),
            "note": _words(record.note),
            "tag": {tag: [i] for i, tag in enumerate(tags)},
        },
        mark=record.mark,
        summary=record.summary,
        summary_spans=record.summary_spans,
        rect=record.rect,
        language=record.language,
        fact=record.fact,
        bates=record.bates,
    )


class MemoryWriter:
    """Changes kept aside and applied when the ``with`` block ends without error."""

    def __init__(self, engine: MemoryEngine, flush_pages: int | None) -> None:
        self._engine = engine
        self._flush_pages = flush_pages
        self._pending: list[tuple[str, object]] = []
        self._pending_pages = 0
        self._last_doc: int | None = None
        self.added = 0

    def add_page(self, page: IndexedPage, terms: PageTerms | None = None) -> None:
        full = bool(self._flush_pages) and self._pending_pages >= (self._flush_pages or 0)
        if full and page.doc != self._last_doc:  # flushed at a document boundary, as Whoosh's
            self._flush()
        self._pending.append(("page", _page_record(page, terms)))
        self._pending_pages += 1
        self._last_doc = page.doc
        self.added += 1

    def delete_documents(self, doc_ids: Iterable[int]) -> None:
        self._pending.append(("delete docs", set(doc_ids)))

    def put(self, record: IndexRecord) -> None:
        self._pending.append(("page", _other_record(record)))

    def delete_key(self, key: str) -> None:
        self._pending.append(("delete key", key))

    def _flush(self) -> None:
        self._engine._apply(self._pending)
        self._pending, self._pending_pages = [], 0

    def __enter__(self) -> MemoryWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._flush()


class MemoryEngine:
    def __init__(self) -> None:
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()
        self.was_reset = True  # born empty: the case adds every page

    # -- writing -------------------------------------------------------------

    def writer(self, flush_pages: int | None = None, *, new_pages: bool = False) -> MemoryWriter:
        return MemoryWriter(self, flush_pages)

    def add_pages(self, pages: Iterable[IndexedPage]) -> int:
        with self.writer() as w:
            for page in pages:
                w.add_page(page)
        return w.added

    def delete_documents(self, doc_ids: Iterable[int]) -> None:
        with self.writer() as w:
            w.delete_documents(doc_ids)

    def clear(self) -> None:
        with self._lock:
            self._records = {}

    def _apply(self, changes: list[tuple[str, object]]) -> None:
        with self._lock:
            records = dict(self._records)  # searches running now keep the old dict
            for change, value in changes:
                if change == "page" and isinstance(value, _Record):
                    records[value.key] = value
                elif change == "delete key":
                    records.pop(str(value), None)
                elif isinstance(value, set):
                    records = {k: r for k, r in records.items() if r.doc not in value}
            self._records = records

    # -- reading -------------------------------------------------------------

    def refresh(self) -> None:
        pass  # every change is visible once applied

    def merge_in_background(self) -> bool:
        return False  # one dict: nothing to merge

    def page_count(self) -> int:
        return sum(1 for r in self._records.values() if r.kind == "page")

    def indexed_doc_ids(self) -> set[int]:
        return {r.doc for r in self._records.values() if r.kind == "page"}

    def search(self, query: ParsedQuery, page_texts: PageTexts, limit: int = 20) -> SearchResults:
        with self._lock:
            records = self._records
        evaluator = _Evaluator(records)
        scores = evaluator.scores(query.root)
        order = sorted(scores, key=lambda k: (-scores[k], records[k].doc, records[k].page, k))
        best = [records[key] for key in order[: max(limit, 0)]]
        terms = hit_terms(query.root, records, evaluator.languages)
        wanted = [(r.doc, r.page) for r in best if r.kind == "page"]
        texts = page_texts(wanted) if wanted else {}
        hits = []
        for record in best:
            if record.kind == "page":
                text = texts.get((record.doc, record.page), "")
                spans = find_hits(text, terms, record.language)
                snippet = make_snippet(text, spans)
            else:  # a mark or a document's tags: the summary kept with the record
                spans = record.summary_spans
                summary_hits = find_hits(record.summary, terms, record.language)
                snippet = make_snippet(record.summary, summary_hits)
            hits.append(
                SearchHit(
                    doc=record.doc,
                    title=record.title,
                    page=record.page,
                    label=record.label,
                    score=scores[record.key],
                    snippet=snippet,
                    hits=spans,
                    source=record.kind,
                    mark=record.mark,
                    rect=record.rect,
                )
            )
        return SearchResults(query=query.text, total=len(scores), results=tuple(hits))

    def close(self) -> None:
        self.clear()


# -- the query tree, evaluated ------------------------------------------------


def _term(field: str, value: str, language: str = "") -> str:
    return whole_value(value) if field in WHOLE_VALUE_FIELDS else index_term(value, language)


def _terms(field: str, value: str, languages: Sequence[str]) -> list[str]:
    """A query word's terms in each language of the records (an OR of them)."""
    return [whole_value(value)] if field in WHOLE_VALUE_FIELDS else query_terms(value, languages)


def _languages(records: dict[str, _Record]) -> tuple[str, ...]:
    """Unknown (Porter, which also stems titles and marks) and each page's language."""
    return ("", *sorted({r.language for r in records.values() if r.language}))


def expand(
    node: Wildcard | Fuzzy, records: dict[str, _Record], languages: Sequence[str] = ("",)
) -> set[str]:
    """The field's terms a wildcard or fuzzy word stands for."""
    vocabulary = {term for r in records.values() for term in r.fields.get(node.field, {})}
    if isinstance(node, Fuzzy):  # near the word folded, or near its stem in each language
        forms = [
            form
            for wanted in _terms(node.field, node.text, languages)
            for form in (
                [wanted] if node.field in WHOLE_VALUE_FIELDS else fuzzy_forms(node.text, wanted)
            )
        ]
        return {
            t
            for t in vocabulary
            for form in forms
            if t.startswith(form[: node.prefix]) and levenshtein(t, form) <= node.distance
        }
    if node.field in WHOLE_VALUE_FIELDS:
        patterns = [whole_value(node.pattern)]
    else:  # the index holds stems: "police*" must find "polic" too
        folded = fold_word(node.pattern)
        stems = (stemmed_pattern(folded, language) for language in languages)
        patterns = [folded, *dict.fromkeys(filter(None, stems))]
    match = re.compile("|".join(fnmatch.translate(p) for p in patterns)).match
    return {t for t in vocabulary if match(t)}


def levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute) from `a` to `b`, as Whoosh's automaton counts them."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _phrase_count(positions: Positions, words: list[str], slop: int) -> int:
    """Where the phrase ends: each word 1..slop positions after the one before."""
    reach = positions.get(words[0], [])
    for word in words[1:]:
        before = reach
        reach = [p for p in positions.get(word, []) if any(p - slop <= q < p for q in before)]
    return len(reach)


class _Evaluator:
    def __init__(self, records: dict[str, _Record]) -> None:
        self.records = records
        self.languages = _languages(records)
        self._expansions: dict[Wildcard | Fuzzy, set[str]] = {}

    def scores(self, node: Node) -> Scores:
        if isinstance(node, And):
            parts = [self.scores(child) for child in node.children]
            common = set(parts[0]).intersection(*parts[1:])
            return {key: sum(part[key] for part in parts) for key in common}
        if isinstance(node, Or):
            total: Scores = {}
            for part in (self.scores(child) for child in node.children):
                for key, score in part.items():
                    total[key] = total.get(key, 0.0) + score
            return total
        if isinstance(node, Not):
            excluded = self.scores(node.child)
            return {key: 0.0 for key in self.records if key not in excluded}
        if isinstance(node, BatesRange):
            return {
                key: 1.0
                for key, r in self.records.items()
                if r.bates is not None
                and r.bates[0] == node.prefix
                and node.first <= r.bates[1] <= node.last
            }
        if isinstance(node, DateRange) and node.field == FACT_FIELD:
            return {key: 1.0 for key, r in self.records.items() if _overlaps(r.fact, node)}
        if isinstance(node, DateRange):
            return {key: 1.0 for key, r in self.records.items() if _within(r.date, node)}
        found: Scores = {}
        for key, record in self.records.items():
            positions = record.fields.get(node.field, {})
            count = self._count(node, positions)
            if count:
                found[key] = float(count)
        return found

    def _count(self, node: Term | Phrase | Wildcard | Fuzzy, positions: Positions) -> int:
        if isinstance(node, Term):
            terms = _terms(node.field, node.text, self.languages)
            return sum(len(positions.get(term, [])) for term in terms)
        if isinstance(node, Phrase):
            return sum(
                _phrase_count(positions, list(words), node.slop)
                for words in _phrase_variants(node, self.languages)
            )
        return sum(len(positions.get(t, [])) for t in self._expanded(node))

    def _expanded(self, node: Wildcard | Fuzzy) -> set[str]:
        if node not in self._expansions:
            self._expansions[node] = expand(node, self.records, self.languages)
        return self._expansions[node]


def _within(date: datetime | None, node: DateRange) -> bool:
    if date is None:
        return False
    return (node.first is None or node.first <= date) and (node.last is None or date <= node.last)


def _overlaps(period: tuple[datetime, datetime] | None, node: DateRange) -> bool:
    """A fact's period overlaps the range: it starts before the range ends and ends after
    it starts."""
    if period is None:
        return False
    first, last = period
    return (node.last is None or first <= node.last) and (node.first is None or last >= node.first)


def _phrase_variants(node: Phrase, languages: Sequence[str]) -> list[tuple[str, ...]]:
    """The phrase's words as each language stems them (one phrase per distinct one)."""
    if node.field in WHOLE_VALUE_FIELDS:
        languages = ("",)
    variants = (tuple(_term(node.field, w, language) for w in node.words) for language in languages)
    return list(dict.fromkeys(variants))


def hit_terms(
    root: Node, records: dict[str, _Record], languages: Sequence[str] = ("",)
) -> HitTerms:
    """The text terms to mark on a page: the query's words outside any NOT."""
    words: set[str] = set()
    phrases: list[tuple[tuple[str, ...], int]] = []

    def visit(node: Node, positive: bool) -> None:
        if isinstance(node, And | Or):
            for child in node.children:
                visit(child, positive)
        elif isinstance(node, Not):
            visit(node.child, not positive)
        elif (
            not positive or isinstance(node, DateRange | BatesRange) or node.field != DEFAULT_FIELD
        ):
            pass  # title:, tag:, date: ... find the page but mark nothing in its text
        elif isinstance(node, Term):
            words.update(query_terms(node.text, languages))
        elif isinstance(node, Phrase):
            phrases.extend((words, node.slop) for words in _phrase_variants(node, languages))
        else:
            words.update(expand(node, records, languages))

    visit(root, True)
    return HitTerms(frozenset(words), tuple(phrases))
