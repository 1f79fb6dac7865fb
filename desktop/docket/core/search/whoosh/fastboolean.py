"""Exact top-N for AND / OR / NOT over plain terms, without Whoosh's matcher tree.

Whoosh scores every match of a query one posting at a time, in Python, through
a tree of Union and Intersection matchers: for `(order OR articl) AND feder`
on 20,000 pages (8,856 matches) that was 76 ms, over the 50 ms target
(PERFORMANCE.md). Here the same query reads each term's postings a block at a
time (ids and weights arrays), scores them with the same BM25F formula and the
same global statistics, and combines the per-term scores with dict and set
operations, which run in C. The results — total, scores, order (score, then
document number) — are Whoosh's; tests compare the two on the same index.

Only queries made of Term, And, Or and Not (inside an And) are taken, with no
boosts; anything else (phrases, wildcards, fuzzy, ranges) returns None and goes
through Whoosh as before.
"""

from __future__ import annotations

import heapq
import importlib.util
import sys
import zlib
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from io import BytesIO
from itertools import accumulate
from operator import neg
from pickle import load, loads
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.matching import ListMatcher
from whoosh.scoring import BM25F
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from docket.core.search.whoosh.matching import Expanded, FastPhrase, _positions, walk_terms
from docket.core.search.whoosh.positionkeys import (
    NARROW_SHIFT,
    PositionKeys,
    make_keys,
    open_position_keys,
    phrase_documents,
)
from docket.core.search.whoosh.termarrays import TermArrays, open_term_arrays

Scores = dict[int, float]  # global document number -> score
_BYTE_LENGTHS = [byte_to_length(b) for b in range(256)]  # Whoosh's one-byte field lengths


def supported(q: wq.Query) -> bool:
    if q.boost != 1.0:
        return False
    if type(q) is wq.Term or type(q) is Expanded:
        return True
    if type(q) is FastPhrase:  # _ArrayScorer._dense_phrase, or _Scorer._phrase
        return True
    if type(q) is wq.Or:
        return bool(q.subqueries) and all(supported(s) for s in q.subqueries)
    if type(q) is wq.And:
        positives = [s for s in q.subqueries if type(s) is not wq.Not]
        negatives = [s.query for s in q.subqueries if type(s) is wq.Not]
        return bool(positives) and all(supported(s) for s in positives + negatives)
    return False


# From this many postings a query is scored with numpy (see _ArrayScorer): a
# posting scored in a dict comprehension costs ~1 µs, so a word on 64,000 of
# 200,000 pages took 150 ms; with numpy it takes a few. Importing numpy costs
# 60-250 ms once per process, so a small case's queries (and `docket search` on
# one) never pay it; once imported (or installed by langid for imports) it is used.
ARRAY_FROM_POSTINGS = 40_000


def top_documents(
    q: wq.Query, searcher: Any, limit: int, arrays: bool | None = None
) -> tuple[int, list[tuple[float, int]]]:
    """(number of matches, [(score, global docnum)] best first) for a supported query.

    `arrays`: score with numpy (True), in dicts (False), or whichever is cheaper
    for this query (None). Both give the same numbers: the same operations on
    the same doubles, in the same order.
    """
    if arrays is None and _has_phrase(q) and not _has_numpy():
        arrays = False  # no numpy: the dicts check the phrase too
    if arrays is None:
        arrays = "numpy" in sys.modules or _postings_count(q, searcher) >= ARRAY_FROM_POSTINGS
    if arrays:
        try:
            return _ArrayScorer(searcher).top(q, limit)
        except ImportError:  # numpy missing: the dicts do it too, slower
            pass
    scores = _Scorer(searcher).scores(q)
    # (-score, document number) pairs made and compared in C: the order of a key
    # function called once a match (a common word's 14,500 at 100,000 pages: 0.5 ms).
    best = heapq.nsmallest(limit, zip(map(neg, scores.values()), scores, strict=True))
    return len(scores), [(-negative, docnum) for negative, docnum in best]


def _has_phrase(q: wq.Query) -> bool:
    return type(q) is FastPhrase or (not q.is_leaf() and any(map(_has_phrase, q.children())))


def _has_numpy() -> bool:
    return importlib.util.find_spec("numpy") is not None


def _tree_sum(parts: list[Any]) -> Any:
    """The parts added as Whoosh's matcher tree adds them (make_binary_tree: each half
    summed, then the two): a phrase's score is its words' scores so added."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def _postings_count(q: wq.Query, searcher: Any) -> int:
    """How many postings the query's terms have (deleted ones counted)."""
    reader = searcher.reader()
    count = 0
    for leaf in q.leaves() if not q.is_leaf() else [q]:
        if type(leaf) is Expanded:
            # A wide wildcard's words counted until the count is big enough: a term
            # info each, where taking more than 20 words as big imported numpy
            # (60-250 ms) for `typ*` on a small case.
            for btext in leaf.btexts:
                count += int(reader.doc_frequency(leaf.fieldname, btext))
                if count >= ARRAY_FROM_POSTINGS:
                    return count
    for fieldname, text in q.iter_all_terms():
        if fieldname not in searcher.schema:
            continue
        try:
            btext = searcher.schema[fieldname].to_bytes(text)
        except ValueError:
            continue
        if (fieldname, btext) in reader:
            count += reader.doc_frequency(fieldname, btext)
    return count


class _Scorer:
    def __init__(self, searcher: Any) -> None:
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise TypeError("only BM25F scoring is reproduced")
        self._searcher = searcher
        self._B, self._K1 = weighting.B, weighting.K1
        self._leaves = searcher.leaf_searchers()
        # Field length bytes read once per searcher (a new one comes with each commit).
        self._lengths: dict[tuple[int, str], bytes] = searcher.__dict__.setdefault(
            "_docket_lengths", {}
        )
        self._norm_tables: dict[tuple[str, float], list[float]] = searcher.__dict__.setdefault(
            "_docket_norm_tables", {}
        )
        self._arrays: dict[int, TermArrays | None] = searcher.__dict__.setdefault(
            "_docket_term_arrays", {}
        )

    def scores(self, q: wq.Query) -> Scores:
        kind = type(q)
        if kind is wq.Term:
            return self._term(q.fieldname, q.text)
        if kind is Expanded:
            if len(q.btexts) == 1:  # Whoosh searches a lone word as the word: BM25
                return self._term(q.fieldname, q.btexts[0])
            # Whoosh scores a page with any of the words 1.0 (constantscore), however
            # many it has: only which pages, not their postings' weights, matter.
            found: set[int] = set()
            for btext in q.btexts:
                found.update(self._pages(q.fieldname, btext))
            return dict.fromkeys(found, 1.0)
        if kind is FastPhrase:
            return self._phrase(q)
        if kind is wq.Or:
            total: Scores = {}
            for sub in q.subqueries:
                part = self.scores(sub)
                if not total:
                    total = part
                    continue
                get = total.get
                total.update({docnum: get(docnum, 0.0) + score for docnum, score in part.items()})
            return total
        positives = [self.scores(s) for s in q.subqueries if type(s) is not wq.Not]
        positives.sort(key=len)
        common = set(positives[0]).intersection(*positives[1:])
        negatives = [s.query for s in q.subqueries if type(s) is wq.Not]
        for negative in negatives:
            common.difference_update(self.scores(negative))
        # Whoosh intersects with an InverseMatcher per NOT, which scores 1.0 a match.
        bonus = float(len(negatives))
        first = positives[0]
        total = {docnum: first[docnum] for docnum in common}
        for scores in positives[1:]:
            total = {docnum: score + scores[docnum] for docnum, score in total.items()}
        if bonus:
            total = {docnum: score + bonus for docnum, score in total.items()}
        return total

    def _term(self, fieldname: str, text: str | bytes) -> Scores:
        searcher = self._searcher
        if fieldname not in searcher.schema:
            return {}
        try:
            btext = text if type(text) is bytes else searcher.schema[fieldname].to_bytes(text)
        except ValueError:
            return {}
        if (fieldname, btext) not in searcher.reader():
            return {}  # as Whoosh: no scorer (an empty index has no idf to take)
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        # bm25 = idf * tf * (K1 + 1) / (tf + K1 * ((1 - B) + B * fl / avgfl)); the
        # second term depends on the document only, so it is computed once per searcher.
        lead = idf * (self._K1 + 1)
        norms = self._norm_table(fieldname, avgfl)
        found: Scores = {}
        for leaf, offset in self._leaves:
            reader = leaf.reader()
            if (fieldname, btext) not in reader:
                continue
            lengths = self._length_bytes(reader, fieldname)
            deleted = reader.deleted_docs_set if reader.has_deletions() else ()
            for ids, weights in self._postings(reader, fieldname, btext):
                # A comprehension per block: the inner loop of every query, in C as
                # far as Python allows. Only the postings' pages look up their norm.
                found.update(
                    {
                        docnum + offset: lead * tf / (tf + norms[lengths[docnum]])
                        for docnum, tf in zip(ids, weights, strict=True)
                        if docnum not in deleted
                    }
                )
        return found

    def _phrase(self, q: Any) -> Scores:
        """`_ArrayScorer._dense_phrase` without numpy, for a small case in a process
        that has not imported it: per segment, the live pages holding every word,
        the phrase checked on each of them (the words' positions sliced from their
        position keys, or decoded from the blocks for a word without keys), the
        pages found scored as the sum of the words' BM25 (the same doubles, added
        in the same order)."""
        searcher, fieldname = self._searcher, q.fieldname
        field = searcher.schema[fieldname]
        btexts = [field.to_bytes(word) for word in q.words]
        if any((fieldname, btext) not in searcher.reader() for btext in btexts):
            return {}  # as Whoosh: a word found nowhere, no page matches
        avgfl = searcher.avg_field_length(fieldname) or 1
        leads = [searcher.idf(fieldname, btext) * (self._K1 + 1) for btext in btexts]
        norms = self._norm_table(fieldname, avgfl)
        fmt = field.format
        found: Scores = {}
        for leaf, offset in self._leaves:
            reader = leaf.reader()
            if any((fieldname, btext) not in reader for btext in btexts):
                continue
            deleted = reader.deleted_docs_set if reader.has_deletions() else set()
            weights = [self._live_weights(reader, fieldname, b, deleted) for b in btexts]
            candidates = set(min(weights, key=len)).intersection(*weights)  # type: ignore[arg-type]
            if not candidates:
                continue
            pages = _phrase_pages_pure(
                self._segment_keys(reader), reader, q, btexts, fmt, sorted(candidates)
            )
            lengths = self._length_bytes(reader, fieldname)
            for docnum in pages:
                norm = norms[lengths[docnum]]
                parts = []
                for tfs, lead in zip(weights, leads, strict=True):
                    tf = tfs[docnum]
                    parts.append(lead * tf / (tf + norm))
                found[docnum + offset] = _tree_sum(parts)
        return found

    def _live_weights(
        self, reader: Any, fieldname: str, btext: bytes, deleted: set[int]
    ) -> dict[int, float]:
        """A term's weight on each live page of one segment holding it."""
        weights: dict[int, float] = {}
        for ids, tfs in self._postings(reader, fieldname, btext):
            weights.update(zip(ids, tfs, strict=True))
        for docnum in deleted.intersection(weights):
            del weights[docnum]
        return weights

    def _segment_keys(self, reader: Any) -> PositionKeys | None:
        kept: dict[int, PositionKeys | None] = self._searcher.__dict__.setdefault(
            "_docket_position_keys", {}
        )
        key = id(reader)
        if key not in kept:
            kept[key] = open_position_keys(reader)
        return kept[key]

    def _pages(self, fieldname: str, btext: bytes) -> Iterator[int]:
        """The global document numbers of the live pages holding a term."""
        for leaf, offset in self._leaves:
            reader = leaf.reader()
            if (fieldname, btext) not in reader:
                continue
            deleted = reader.deleted_docs_set if reader.has_deletions() else ()
            for ids, _ in self._postings(reader, fieldname, btext):
                if deleted:
                    ids = [docnum for docnum in ids if docnum not in deleted]
                yield from map(offset.__add__, ids)

    def _postings(self, reader: Any, fieldname: str, btext: bytes) -> Any:
        """(ids, weights) of a term in one segment: whole, from the segment's term
        arrays, or block by block from Whoosh's postings."""
        key = id(reader)
        if key not in self._arrays:
            self._arrays[key] = open_term_arrays(reader)
        arrays = self._arrays[key]
        whole = arrays.get(fieldname, btext) if arrays is not None else None
        return [whole] if whole is not None else _blocks(reader, fieldname, btext)

    def _norm_table(self, fieldname: str, avgfl: float) -> list[float]:
        """The BM25 norm of each of the 256 length bytes: a page's norm is its byte's
        entry. Every page's norm was computed in Python before a query in a fresh
        process could score a single posting (100,000 pages: ~10 ms)."""
        key = (fieldname, avgfl)
        table = self._norm_tables.get(key)
        if table is None:
            k1, b = self._K1, self._B
            table = [k1 * ((1 - b) + b * length / avgfl) for length in _BYTE_LENGTHS]
            self._norm_tables[key] = table
        return table

    def _length_bytes(self, reader: Any, fieldname: str) -> bytes:
        """Each document's field length as Whoosh keeps it, one byte a document
        (`_BYTE_LENGTHS` decodes it); the documents past the column have length 0."""
        key = (id(reader), fieldname)
        lengths = self._lengths.get(key)
        if lengths is None:
            column = reader._perdoc._cached_reader(f"_{fieldname}_len", _lengths_column())
            count = reader.doc_count_all()
            if column is None:
                lengths = b"\x01" * count  # Whoosh's length 1 for every document
            else:
                # Read whole: 20,000 pages asked document by document took 30 ms.
                stored = column._count
                lengths = column._dbfile.get(column._basepos, stored) + bytes(
                    max(count - stored, 0)
                )
            self._lengths[key] = lengths
        return lengths


class _ArrayScorer(_Scorer):
    """`_Scorer` with numpy: each result is a dense score array over the searcher's
    documents and a mask of those that match. The formulas, the order of the
    additions and the tie order (score, then document number) are _Scorer's."""

    def __init__(self, searcher: Any) -> None:
        import numpy  # noqa: F401  # ImportError here: the caller falls back to dicts

        super().__init__(searcher)
        self._size = searcher.reader().doc_count_all()

    def top(self, q: wq.Query, limit: int) -> tuple[int, list[tuple[float, int]]]:
        import numpy as np

        if type(q) is Expanded and len(q.btexts) > 1:  # every page 1.0: the first ones
            mask = np.zeros(self._size, dtype=bool)
            self._mark_expanded(q.fieldname, q.btexts, mask)
            pages = np.flatnonzero(mask)
            return len(pages), [(1.0, int(docnum)) for docnum in pages[: max(limit, 0)]]
        scores, mask = self._dense(q)
        matches = np.flatnonzero(mask)
        total = len(matches)
        if not total or limit <= 0:
            return total, []
        found = scores[matches]
        if total > limit:  # the limit-th best score: fewer than `limit` are above it
            threshold = np.partition(found, total - limit)[total - limit]
            above = np.flatnonzero(found > threshold)
            # Of the ties at it, the lowest document numbers (`matches` ascends):
            # a wildcard scores every page 1.0, and sorting its 165,000 ties took
            # longer than finding them.
            ties = np.flatnonzero(found == threshold)[: limit - len(above)]
            keep = np.concatenate((above, ties))
            matches, found = matches[keep], found[keep]
        order = np.lexsort((matches, -found))[:limit]
        return total, [(float(found[k]), int(matches[k])) for k in order]

    def _dense(self, q: wq.Query) -> tuple[Any, Any]:
        import numpy as np

        kind = type(q)
        if kind is wq.Term:
            return self._dense_term(q.fieldname, q.text)
        if kind is FastPhrase:
            return self._dense_phrase(q)
        if kind is Expanded:  # as _Scorer.scores: a lone word is BM25, several 1.0 a page
            if len(q.btexts) == 1:
                return self._dense_term(q.fieldname, q.btexts[0])
            mask = np.zeros(self._size, dtype=bool)
            self._mark_expanded(q.fieldname, q.btexts, mask)
            return mask.astype(np.float64), mask
        if kind is wq.Or:
            total, mask = np.zeros(self._size), np.zeros(self._size, dtype=bool)
            for sub in q.subqueries:
                part, part_mask = self._dense(sub)
                total[part_mask] += part[part_mask]  # 0.0 + first: as _Scorer, exactly
                mask |= part_mask
            return total, mask
        positives = [self._dense(s) for s in q.subqueries if type(s) is not wq.Not]
        # _Scorer adds in order of how many pages each part matches (a stable sort)
        positives.sort(key=lambda part: int(np.count_nonzero(part[1])))
        mask = positives[0][1].copy()
        for _, part_mask in positives[1:]:
            mask &= part_mask
        negatives = [s.query for s in q.subqueries if type(s) is wq.Not]
        for negative in negatives:
            mask &= ~self._dense(negative)[1]
        total = positives[0][0].copy()
        for part, _ in positives[1:]:
            total += part
        if negatives:  # Whoosh intersects with an InverseMatcher per NOT, 1.0 a match
            total += float(len(negatives))
        return total, mask

    def _dense_term(self, fieldname: str, text: str | bytes) -> tuple[Any, Any]:
        import numpy as np

        total, mask = np.zeros(self._size), np.zeros(self._size, dtype=bool)
        searcher = self._searcher
        if fieldname not in searcher.schema:
            return total, mask
        try:
            btext = text if type(text) is bytes else searcher.schema[fieldname].to_bytes(text)
        except ValueError:
            return total, mask
        if (fieldname, btext) not in searcher.reader():
            return total, mask
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        lead = idf * (self._K1 + 1)
        for leaf, offset in self._leaves:
            reader = leaf.reader()
            if (fieldname, btext) not in reader:
                continue
            norms = self._array_norms(reader, fieldname, avgfl)
            # numpy arrays straight from the term arrays (a common word's 30,000
            # postings were a Python list first): the same numbers, elementwise
            ids, tf = self._live_postings(reader, fieldname, btext)
            total[ids + offset] = lead * tf / (tf + norms[ids])
            mask[ids + offset] = True
        return total, mask

    def _dense_phrase(self, q: Any) -> tuple[Any, Any]:
        """Whoosh's phrase (FastPhrase): the pages holding every word where the words
        stand in order, each 1..slop positions after the one before, scored as the
        sum of the words' BM25 scores (as _dense_term scores each, added as the
        matcher tree adds them). Per segment the order is checked on the words'
        position keys (positionkeys) when it has them, else on the positions
        decoded for the pages holding every word; scores are computed only for
        the pages found, not for every page holding a common word."""
        import numpy as np

        total, mask = np.zeros(self._size), np.zeros(self._size, dtype=bool)
        searcher, fieldname = self._searcher, q.fieldname
        field = searcher.schema[fieldname]
        btexts = [field.to_bytes(word) for word in q.words]
        if any((fieldname, btext) not in searcher.reader() for btext in btexts):
            return total, mask  # as Whoosh: a word found nowhere, no page matches
        avgfl = searcher.avg_field_length(fieldname) or 1
        leads = [searcher.idf(fieldname, btext) * (self._K1 + 1) for btext in btexts]
        for leaf, offset in self._leaves:
            reader = leaf.reader()
            if any((fieldname, btext) not in reader for btext in btexts):
                continue
            postings = [self._live_postings(reader, fieldname, btext) for btext in btexts]
            found = self._phrase_pages(reader, q, btexts, postings)
            if not len(found):
                continue
            norms = self._array_norms(reader, fieldname, avgfl)[found]
            parts = []
            for (ids, weights), lead in zip(postings, leads, strict=True):
                tf = weights[np.searchsorted(ids, found)]
                parts.append(lead * tf / (tf + norms))
            total[found + offset] = _tree_sum(parts)
            mask[found + offset] = True
        return total, mask

    def _phrase_pages(
        self, reader: Any, q: Any, btexts: list[bytes], postings: list[tuple[Any, Any]]
    ) -> Any:
        """The segment's live pages (ascending numpy int64) where the phrase stands.

        Each word's positions are its keys (positionkeys) where the segment has
        them; a word without (rare in the segment, or a segment written before
        keys) has its positions decoded on the pages holding every word only."""
        keys = self._segment_keys(reader)
        keyed = [keys.get(q.fieldname, b) if keys is not None else None for b in btexts]
        if not reader.has_deletions() and all(found is not None for found in keyed):
            # Every word keyed: where the phrase stands, every word is; nothing deleted.
            return phrase_documents(keyed, q.slop)  # type: ignore[arg-type]  # None ruled out
        candidates = _common_pages([ids for ids, _ in postings])
        if not len(candidates):
            return candidates
        fmt = self._searcher.schema[q.fieldname].format
        for n, btext in enumerate(btexts):
            if keyed[n] is None:
                keyed[n] = _decoded_keys(reader, q.fieldname, btext, fmt, candidates)
        pages = phrase_documents(keyed, q.slop)  # type: ignore[arg-type]  # None ruled out
        return pages[_members(pages, candidates)]  # live, with every word: not deleted

    def _live_postings(self, reader: Any, fieldname: str, btext: bytes) -> tuple[Any, Any]:
        """A term's live postings in one segment as numpy arrays: document numbers
        (int64, ascending) and weights (float64), from its term arrays or its blocks."""
        import numpy as np

        key = id(reader)
        if key not in self._arrays:
            self._arrays[key] = open_term_arrays(reader)
        arrays = self._arrays[key]
        whole = arrays.get_numpy(fieldname, btext) if arrays is not None else None
        if whole is not None:
            ids, weights = whole
        else:
            found_ids, found_weights = _all_postings(reader, fieldname, btext)
            ids = np.asarray(found_ids, dtype=np.int64)
            weights = np.asarray(found_weights, dtype=np.float64)
        if reader.has_deletions():
            live = ~np.isin(ids, np.fromiter(reader.deleted_docs_set, dtype=np.int64))
            ids, weights = ids[live], weights[live]
        return ids, weights

    def _mark_expanded(self, fieldname: str, btexts: list[bytes], mask: Any) -> None:
        """Marks the pages holding any of `btexts` (sorted): per segment, one walk over
        the stretch of its term list they span gives each term's info (no hash
        probe a term), its postings then come from its term arrays or, for the
        other words, from the term info (`_rare_ids`), marked all at once."""
        import numpy as np

        fmt = self._searcher.schema[fieldname].format
        for leaf, offset in self._leaves:
            reader = leaf.reader()
            walked = walk_terms(reader, fieldname, btexts)
            if walked is None:  # not a W3 segment
                for btext in btexts:
                    self._mark_pages(reader, offset, fieldname, btext, mask)
                continue
            key = id(reader)
            if key not in self._arrays:
                self._arrays[key] = open_term_arrays(reader)
            arrays = self._arrays[key]
            parts: list[Any] = []
            rare: list[int] = []
            for btext, dbfile, datapos, datalen in walked:
                whole = arrays.get_numpy(fieldname, btext) if arrays is not None else None
                if whole is not None:
                    parts.append(whole[0])
                else:
                    rare.extend(_rare_ids(reader, dbfile.get(datapos, datalen), fmt))
            parts.append(np.asarray(rare, dtype=np.int64))
            deleted = None
            if reader.has_deletions():
                deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
            for found in parts:
                if deleted is not None:
                    found = found[~np.isin(found, deleted)]
                mask[found + offset] = True

    def _mark_pages(
        self, reader: Any, offset: int, fieldname: str, btext: bytes, mask: Any
    ) -> None:
        import numpy as np

        if (fieldname, btext) not in reader:
            return
        for ids, _ in self._postings(reader, fieldname, btext):
            ids = np.asarray(ids, dtype=np.int64)
            if reader.has_deletions():
                ids = ids[~np.isin(ids, np.fromiter(reader.deleted_docs_set, dtype=np.int64))]
            mask[ids + offset] = True

    def _array_norms(self, reader: Any, fieldname: str, avgfl: float) -> Any:
        import numpy as np

        cache = self._searcher.__dict__.setdefault("_docket_array_norms", {})
        key = (id(reader), fieldname, avgfl)
        norms = cache.get(key)
        if norms is None:
            # The table's doubles picked by each page's length byte: _term's numbers.
            table = np.asarray(self._norm_table(fieldname, avgfl), dtype=np.float64)
            lengths = np.frombuffer(self._length_bytes(reader, fieldname), dtype=np.uint8)
            norms = cache[key] = table[lengths]
        return norms


def release(searcher: Any) -> None:
    """Closes what the scorer kept open for `searcher`; call when closing it."""
    for arrays in searcher.__dict__.pop("_docket_term_arrays", {}).values():
        if arrays is not None:
            arrays.close()
    for keys in searcher.__dict__.pop("_docket_position_keys", {}).values():
        if keys is not None:
            keys.close()


def _lengths_column() -> Any:
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN


def _values_for(
    reader: Any, fieldname: str, btext: bytes, fmt: Any, wanted: set[int]
) -> dict[int, bytes]:
    """A term's encoded positions on the `wanted` pages of one segment: blocks with none
    of them are skipped after their ids, the others' values decoded once."""
    matcher = reader._terms.matcher(fieldname, btext, fmt)
    found: dict[int, bytes] = {}
    if type(matcher) is ListMatcher:  # a rare word's postings, kept in its term info
        for docnum, value in zip(matcher._ids, matcher._values, strict=True):
            if docnum in wanted:
                found[docnum] = value
        return found
    while matcher.is_active():
        matcher._read_ids()
        ids = matcher._ids
        if not wanted.isdisjoint(ids):
            matcher._read_values()
            values = matcher._values
            for i, docnum in enumerate(ids):
                if docnum in wanted:
                    found[docnum] = values[i]
        matcher._next_block()
    return found


def _all_postings(reader: Any, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
    """Every posting's document number and weight of a term in one segment: from the
    term info for a word found once there (a ListMatcher), else block by block."""
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    ids: list[int] = []
    weights: list[float] = []
    if type(matcher) is ListMatcher:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    return ids, weights


def _common_pages(ids: list[Any]) -> Any:
    """The document numbers in every one of `ids` (ascending unique numpy arrays)."""
    ids = sorted(ids, key=len)
    common = ids[0]
    for other in ids[1:]:
        common = common[_members(common, other)]
    return common


def _members(wanted: Any, among: Any) -> Any:
    """Which of `wanted` are in `among` (both ascending numpy arrays): a binary search
    each, cheaper than np.isin's sort when `wanted` is the shorter."""
    import numpy as np

    if not len(among):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(among, wanted), len(among) - 1)
    return among[at] == wanted


def _phrase_pages_pure(
    keys: PositionKeys | None,
    reader: Any,
    q: Any,
    btexts: list[bytes],
    fmt: Any,
    candidates: list[int],
) -> list[int]:
    """Which of `candidates` (ascending live pages holding every word) hold the phrase,
    in pure Python: each word's positions on a page are sliced from its position
    keys (a binary search for the page's first and last key) where the segment
    has them, else decoded from the blocks on the candidates only."""
    wanted = set(candidates)
    views = [keys.get_view(q.fieldname, b) if keys is not None else None for b in btexts]
    if q.slop == 1 and all(view is not None for view in views):
        keyed: list[tuple[Sequence[int], int]] = views  # type: ignore[assignment]
        if len({shift for _, shift in keyed}) == 1:
            rarest = min(len(found) for found, _ in keyed)
            if rarest * (len(keyed) - 1) < _KEYS_PER_PAGE * len(candidates):
                return _phrase_pages_by_keys(keyed, wanted)
    sources: list[Any] = []
    for btext, view in zip(btexts, views, strict=True):
        if view is None:
            values = _values_for(reader, q.fieldname, btext, fmt, wanted)
            sources.append({docnum: _positions(value) for docnum, value in values.items()})
        else:
            sources.append(view)
    found = []
    for docnum in candidates:
        lists = [_page_positions(source, docnum) for source in sources]
        if _phrase_stands(lists, q.slop):
            found.append(docnum)
    return found


# A candidate page checked by slicing its words' positions costs about as much as
# this many keys looked up by a binary search (measured on "the package", REAL 20k).
_KEYS_PER_PAGE = 8


def _phrase_pages_by_keys(keyed: list[tuple[Sequence[int], int]], wanted: set[int]) -> list[int]:
    """The `wanted` pages where the words stand one after the other (slop 1), from
    their keys alone: each key of the rarest word fixes where the phrase would
    start, and every other word's key there is looked up (a binary search), so
    a common word's keys are never walked in Python."""
    shift = keyed[0][1]
    mask = (1 << shift) - 1
    last = len(keyed) - 1
    rarest = min(range(len(keyed)), key=lambda n: len(keyed[n][0]))
    others = [(n - rarest, found) for n, (found, _) in enumerate(keyed) if n != rarest]
    pages: set[int] = set()
    for key in keyed[rarest][0]:
        position = key & mask
        # The phrase starts `rarest` words before, in the same page: its last word's
        # position must not run past the position field into the next page's keys.
        if position < rarest or position - rarest + last > mask:
            continue
        docnum = key >> shift
        if docnum in pages or docnum not in wanted:
            continue
        for step, found in others:
            at = bisect_left(found, key + step)
            if at == len(found) or found[at] != key + step:
                break
        else:
            pages.add(docnum)
    return sorted(pages)


def _page_positions(source: Any, docnum: int) -> list[int]:
    """A word's positions on one page: from decoded positions (a dict) or keys."""
    if type(source) is dict:
        positions: list[int] = source.get(docnum, [])
        return positions
    keys, shift = source
    base = docnum << shift
    start = bisect_left(keys, base)
    end = bisect_left(keys, base + (1 << shift), start)
    return [key - base for key in keys[start:end]]


def _phrase_stands(positions: list[list[int]], slop: int) -> bool:
    """Whether each word stands 1..slop positions after the one before (each list
    ascending): `matching.phrase_start`'s rule."""
    reach = positions[0]
    for following in positions[1:]:
        if slop == 1:
            before = set(reach)
            reach = [p for p in following if p - 1 in before]
        else:
            reach = [p for p in following if bisect_left(reach, p) > bisect_left(reach, p - slop)]
        if not reach:
            return False
    return bool(reach)


def _decoded_keys(
    reader: Any, fieldname: str, btext: bytes, fmt: Any, pages: Any
) -> tuple[Any, int]:
    """A term's position keys on `pages` of one segment, from its blocks' positions."""
    import numpy as np

    values = _values_for(reader, fieldname, btext, fmt, set(pages.tolist()))
    docnums = sorted(values)
    made = make_keys(docnums, [values[docnum] for docnum in docnums])
    return made if made is not None else (np.zeros(0, dtype=np.uint32), NARROW_SHIFT)


_TERM_INFO = W3TermInfo._struct  # flags, weight, pages, lengths, max weight, first, last page
_NO_ID = 0xFFFFFFFF  # the first and last page of a term info that has none


def _rare_ids(reader: Any, info: bytes, fmt: Any) -> Sequence[int]:
    """The page numbers (deleted ones too) of a term without term arrays, given its
    W3 term info. A term on one or two pages of the segment - most of a wide
    wildcard's words - needs no postings: the info keeps its first and last
    page. Others' are inlined in the info or read from their blocks."""
    flags, _, count, _, _, _, first, last = _TERM_INFO.unpack_from(info)
    if count <= 2 and first != _NO_ID and last != _NO_ID:
        return (first,) if count == 1 else (first, last)
    terminfo = W3TermInfo.from_bytes(info)
    if flags:  # inlined
        ids: Sequence[int] = terminfo.inlined_postings()[0]
        return ids
    return _block_ids(reader._terms._postfile, terminfo.extent()[0])


def _block_ids(postfile: Any, offset: int) -> list[int]:
    """The page numbers of a term's W3 postings at `offset`, read as W3LeafMatcher
    reads them (_read_header, _goto, _read_data, _read_ids) without making one:
    its set-up was half the cost for a word on a few pages. After the header
    tag, each block is its length (negative for the last), its info pickled
    (its fourth item: whether the data is compressed), then the data: the
    pickled (id gaps, weights, values)."""
    ids: list[int] = []
    position = offset + len(WHOOSH3_HEADER_MAGIC)
    while True:
        length = postfile.get_int(position)
        block = postfile.get(position + _INT_SIZE, abs(length))
        stream = BytesIO(block)
        compressed = load(stream)[3]
        data = block[stream.tell() :]
        ids.extend(accumulate(loads(zlib.decompress(data) if compressed else data)[0]))
        if length < 0:
            return ids
        position += _INT_SIZE + length


def _blocks(reader: Any, fieldname: str, btext: bytes) -> Any:
    """(ids, weights) arrays of a term's postings, block by block."""
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()
