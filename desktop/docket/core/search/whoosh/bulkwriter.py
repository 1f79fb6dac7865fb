"""A Whoosh segment writer that pools postings by term instead of sorting them.

Whoosh's own writer keeps every posting of a batch as a tuple in one list,
sorts the list at commit, then walks it in Python posting by posting. At
5,000 pages (a million postings) that commit was over half of the importing
process's CPU. Here each posting goes straight into its term's list as it is
added (pages arrive in document-number order, so each list is already in
order); the commit sorts only the distinct terms and fills Whoosh's blocks of
128 postings at once (postingblocks.py), then writes the common terms' arrays
(termarrays.py). A document's title, author, name and date are analysed once,
not once per page. What Whoosh reads back - every term's postings and
statistics, stored fields, lengths, columns - is what its own writer would
have written (tests/core/test_bulkwriter.py).

It relies on the W3 codec's block layout, which is why whoosh-reloaded is
pinned in pyproject.toml. A merge of small segments fits this order too (see
TermPool.add). Anything unusual - a posting out of order, a spelling entry, a
batch too big to keep in memory - hands the batch to Whoosh's own pool, which
sorts (and spills to disk) as before.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import PostingPool, SegmentWriter

from docket.core.search.whoosh.positionkeys import PositionKeysWriter
from docket.core.search.whoosh.postingblocks import write_groups
from docket.core.search.whoosh.postings import PagePostings
from docket.core.search.whoosh.termarrays import write_term_arrays

# Postings kept in the fast pool before the batch moves to Whoosh's spilling
# pool: about 12,000 pages of prose, ~1 GB of tuples at worst.
MAX_POOLED_POSTINGS = 2_500_000

Posting = tuple[str, bytes, int, float, bytes | None]  # field, term, docnum, weight, value
# Value types worth remembering from one document to the next (a page's title, date...).
_REPEATING = (str, int, datetime)


class TermGroup:
    """One term's postings in a batch, column by column: a posting as a tuple took
    ~100 bytes of the importing process's memory, here it takes 20 (4 for its
    document, 8 for its weight, 8 for a reference to its positions)."""

    __slots__ = ("docnums", "values", "weights")

    def __init__(self) -> None:
        self.docnums = array("I")
        self.weights = array("d")  # doubles: the block headers keep Whoosh's exact maximum
        self.values: list[bytes | None] = []

    def __len__(self) -> int:
        return len(self.docnums)

    def append(self, docnum: int, weight: float, value: bytes | None) -> None:
        self.docnums.append(docnum)
        self.weights.append(weight)
        self.values.append(value)


class TermPool:
    """Postings grouped by (field, term), each group in the order it was added.

    Stands in for Whoosh's PostingPool until something it cannot keep in order
    arrives (or too much); then `overflow` is a PostingPool holding everything so far.
    """

    def __init__(self, make_overflow: Any, limit: int = MAX_POOLED_POSTINGS) -> None:
        # field -> term -> postings: one dict lookup a posting, no key tuple made
        self._fields: dict[str, dict[bytes, TermGroup]] = {}
        self._make_overflow = make_overflow
        self._limit = limit
        self._count = 0
        self._last_docnum = 0
        self.overflow: PostingPool | None = None

    def add(self, item: Posting) -> None:
        if self.overflow is not None:
            self.overflow.add(item)
            return
        fieldname, tbytes, docnum, weight, value = item
        terms = self._fields.setdefault(fieldname, {})
        group = terms.get(tbytes)
        # Each term's postings must ascend. A merge adds each old segment's
        # postings term by term, under document numbers above all before it,
        # so per term they still do; a spelling entry (docnum -1) never does.
        if (
            docnum < 0
            or (group is not None and group.docnums[-1] >= docnum)
            or self._count >= self._limit
        ):
            self._spill().add(item)
            return
        if group is None:
            group = terms[tbytes] = TermGroup()
        group.append(docnum, weight, value)
        self._last_docnum = max(self._last_docnum, docnum)
        self._count += 1

    def _spill(self) -> PostingPool:
        """Hand everything pooled so far to Whoosh's own pool, which takes the rest."""
        overflow: PostingPool = self._make_overflow()
        for fieldname, terms in self._fields.items():
            for tbytes, group in terms.items():
                for docnum, weight, value in zip(
                    group.docnums, group.weights, group.values, strict=True
                ):
                    overflow.add((fieldname, tbytes, docnum, weight, value))
        self._fields.clear()
        self.overflow = overflow
        return overflow

    def add_document(self, docnum: int, fields: list[tuple[str, Any]]) -> None:
        """`add` for each posting of one document: (field, [(term, freq, weight, value)]).

        Each weight is multiplied by 1.0 as Whoosh multiplies it by the field's
        boost: an int weight becomes a float, as in Whoosh's block headers.
        """
        if self.overflow is not None or docnum < self._last_docnum or self._count >= self._limit:
            for fieldname, items in fields:
                for tbytes, _, weight, vbytes in items:
                    self.add((fieldname, tbytes, docnum, weight * 1.0, vbytes))
            return
        self._last_docnum = docnum
        by_field = self._fields
        for fieldname, items in fields:
            terms = by_field.get(fieldname)
            if terms is None:
                terms = by_field[fieldname] = {}
            get = terms.get
            if type(items) is PagePostings:  # a page's text, from its PageTerms
                boost = items.boost
                for tbytes, count, vbytes in items.entries():
                    group = get(tbytes)
                    if group is None:
                        group = terms[tbytes] = TermGroup()
                    group.docnums.append(docnum)
                    group.weights.append(count * boost)
                    group.values.append(vbytes)
            else:
                for tbytes, _, weight, vbytes in items:
                    group = get(tbytes)
                    if group is None:
                        group = terms[tbytes] = TermGroup()
                    group.docnums.append(docnum)
                    group.weights.append(weight)
                    group.values.append(vbytes)
            self._count += len(items)

    def groups(self) -> Iterator[tuple[str, bytes, TermGroup]]:
        """Each (field, term) with its postings, in Whoosh's sorted order."""
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                yield fieldname, tbytes, terms[tbytes]

    def iter_postings(self) -> Iterator[Posting]:
        if self.overflow is not None:
            postings: Iterator[Posting] = self.overflow.iter_postings()
            return postings
        return (
            (fieldname, tbytes, docnum, weight, value)
            for fieldname, tbytes, group in self.groups()
            for docnum, weight, value in zip(
                group.docnums, group.weights, group.values, strict=True
            )
        )

    def cleanup(self) -> None:
        # A term at a time, not one dict.clear(): freeing a million postings in
        # one C call held the GIL for 210 ms, a visible stall in the window.
        for terms in self._fields.values():
            while terms:
                terms.popitem()
        self._fields.clear()
        if self.overflow is not None:
            self.overflow.cleanup()


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """`SegmentWriter` with a TermPool; construct it as `ix.writer(...)` would."""

    pool: TermPool  # put in front of the PostingPool SegmentWriter makes

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        whoosh_pool: PostingPool = vars(self)["pool"]
        self.pool = TermPool(lambda: whoosh_pool)
        # field -> (value, its postings): a document's pages repeat its title,
        # author, name, date and number, so each is analysed once, not per page.
        self._last: dict[str, tuple[object, list[Any]]] = {}
        self._plain = not any(
            field.vector or field.separate_spelling() for _, field in self.schema.items()
        )
        postfile = getattr(self.fieldwriter, "_postfile", None)
        if postfile is not None:
            postfile.file = AppendPosition(postfile.file)

    def add_document(self, **fields: Any) -> None:
        """Whoosh's `add_document` for a plain document (no boosts, custom stored
        values, vectors or spelling fields), with repeated values analysed once."""
        if not self._plain or any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema, perdoc, docnum = self.schema, self.perdocwriter, self.docnum
        names = sorted(fields)
        self._check_fields(schema, names)
        postings: list[tuple[str, Any]] = []
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    items = self._postings(name, field, value)
                    if field.scorable:
                        length = (
                            items.length
                            if type(items) is PagePostings
                            else sum(freq for _, freq, _, _ in items)
                        )
                    postings.append((name, items))
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        self.pool.add_document(docnum, postings)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _postings(self, name: str, field: Any, value: object) -> Any:
        if type(value) not in _REPEATING:
            items = field.index(value)
            return items if type(items) is PagePostings else list(items)
        last = self._last.get(name)
        if last is not None and type(last[0]) is type(value) and last[0] == value:
            return last[1]
        items = list(field.index(value))
        self._last[name] = (value, items)
        return items

    def _flush_segment(self) -> None:
        pool = self.pool
        fieldwriter = self.fieldwriter
        if pool.overflow is not None or type(fieldwriter) is not W3FieldWriter:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        keys = PositionKeysWriter(self.newsegment, self.storage)
        try:
            common = write_groups(
                fieldwriter, self.schema, lengths, self.docnum, pool.groups(), None, keys.add
            )
            write_term_arrays(self.newsegment, self.storage, common)
            keys.close()
        finally:
            keys.cancel()
            fieldwriter.close()
            if lengths is not None:
                lengths.close()


class AppendPosition:
    """A file being written in order, whose position is counted, not asked of the OS.

    Whoosh asks the postings file for its position twice per term; a buffered
    file answers with an lseek system call each time: 11 % of the importing
    process's CPU on a 20k-page import (py-spy).
    """

    def __init__(self, file: Any) -> None:
        self._file = file
        self._position: int = file.tell()

    def write(self, data: Any) -> int:
        self._position += memoryview(data).nbytes
        written: int = self._file.write(data)
        return written

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        position: int = self._file.seek(offset, whence)
        self._position = position
        return position

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)
