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

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import PostingPool, SegmentWriter

from docket.core.postingblocks import write_groups
from docket.core.termarrays import write_term_arrays

# Postings kept in the fast pool before the batch moves to Whoosh's spilling
# pool: about 12,000 pages of prose, ~1 GB of tuples at worst.
MAX_POOLED_POSTINGS = 2_500_000

Posting = tuple[str, bytes, int, float, bytes | None]  # field, term, docnum, weight, value
# Value types worth remembering from one document to the next (a page's title, date...).
_REPEATING = (str, int, datetime)


class TermPool:
    """Postings grouped by (field, term), each group in the order it was added.

    Stands in for Whoosh's PostingPool until something it cannot keep in order
    arrives (or too much); then `overflow` is a PostingPool holding everything so far.
    """

    def __init__(self, make_overflow: Any, limit: int = MAX_POOLED_POSTINGS) -> None:
        self._groups: defaultdict[tuple[str, bytes], list[Posting]] = defaultdict(list)
        self._make_overflow = make_overflow
        self._limit = limit
        self._count = 0
        self._last_docnum = 0
        self.overflow: PostingPool | None = None

    def add(self, item: Posting) -> None:
        if self.overflow is not None:
            self.overflow.add(item)
            return
        docnum = item[2]
        key = item[0], item[1]
        group = self._groups.get(key)
        # Each term's postings must ascend. A merge adds each old segment's
        # postings term by term, under document numbers above all before it,
        # so per term they still do; a spelling entry (docnum -1) never does.
        if docnum < 0 or (group and group[-1][2] >= docnum) or self._count >= self._limit:
            self._spill()
            self.overflow.add(item)  # type: ignore[union-attr]
            return
        if group is None:
            self._groups[key] = [item]
        else:
            group.append(item)
        self._last_docnum = max(self._last_docnum, docnum)
        self._count += 1

    def _spill(self) -> None:
        overflow = self._make_overflow()
        for group in self._groups.values():
            for item in group:
                overflow.add(item)
        self._groups.clear()
        self.overflow = overflow

    def add_document(self, docnum: int, fields: list[tuple[str, list[Any]]]) -> None:
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
        groups = self._groups
        for fieldname, items in fields:
            for tbytes, _, weight, vbytes in items:
                groups[fieldname, tbytes].append((fieldname, tbytes, docnum, weight * 1.0, vbytes))
            self._count += len(items)

    def groups(self) -> Iterator[tuple[str, bytes, list[Posting]]]:
        """Each (field, term) with its postings, in Whoosh's sorted order."""
        groups = self._groups
        for key in sorted(groups):
            yield key[0], key[1], groups[key]

    def iter_postings(self) -> Iterator[Posting]:
        if self.overflow is not None:
            return self.overflow.iter_postings()
        return (item for _, _, group in self.groups() for item in group)

    def cleanup(self) -> None:
        # A term at a time, not one dict.clear(): freeing a million postings in
        # one C call held the GIL for 210 ms, a visible stall in the window.
        groups = self._groups
        while groups:
            groups.popitem()
        if self.overflow is not None:
            self.overflow.cleanup()


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """`SegmentWriter` with a TermPool; construct it as `ix.writer(...)` would."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        whoosh_pool = self.pool
        self.pool = TermPool(lambda: whoosh_pool)
        # field -> (value, its postings): a document's pages repeat its title,
        # author, name, date and number, so each is analysed once, not per page.
        self._last: dict[str, tuple[object, list[Any]]] = {}
        self._plain = not any(field.vector or field.separate_spelling()
                              for _, field in self.schema.items())

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
        postings: list[tuple[str, list[Any]]] = []
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
                        length = sum(freq for _, freq, _, _ in items)
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

    def _postings(self, name: str, field: Any, value: object) -> list[Any]:
        if type(value) not in _REPEATING:
            return list(field.index(value))
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
        try:
            common = write_groups(fieldwriter, self.schema, lengths, self.docnum, pool.groups())
            write_term_arrays(self.newsegment, self.storage, common)
        finally:
            fieldwriter.close()
            if lengths is not None:
                lengths.close()
