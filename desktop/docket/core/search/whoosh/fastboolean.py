"""Exact top-N for AND / OR / NOT over terms, expanded wildcards and fuzzy terms,
and phrases, without Whoosh's matcher tree.

Whoosh scores every match of a query one posting at a time, in Python, through
a tree of Union and Intersection matchers: for `(order OR articl) AND feder`
on 20,000 pages (8,856 matches) that was 76 ms, over the 50 ms target
(PERFORMANCE.md). Here the same query reads each term's postings a block at a
time, or its term arrays (termarrays), scores them with the same BM25F formula
and the same global statistics, and combines the per-term scores: in dicts and
sets (`_Scorer`, for small queries: a process need not import numpy) or on
numpy arrays (`_ArrayScorer`, from ARRAY_FROM_POSTINGS postings). A phrase
scores as the sum of its words' BM25 on the pages where it stands
(phrasepages, positionkeys). The results — total, scores, order (score, then
document number) — are Whoosh's; tests compare the two on the same index.

Only Term, Expanded (a wildcard's or fuzzy term's words), FastPhrase, And, Or
and Not (inside an And) are taken, with no boosts; anything else (ranges,
boosted parts) goes through Whoosh's matchers.
"""

from __future__ import annotations

import heapq
import importlib.util
import sys
from collections.abc import Iterator
from operator import neg
from typing import Any

from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from docket.core.search.whoosh.matching import Expanded, FastPhrase, walk_terms
from docket.core.search.whoosh.phrasepages import (
    common_pages,
    decoded_keys,
    members,
    phrase_pages_pure,
)
from docket.core.search.whoosh.positionkeys import (
    PositionKeys,
    open_position_keys,
    phrase_documents,
)
from docket.core.search.whoosh.postingreads import all_postings, blocks, lengths_column, rare_ids
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
            pages = phrase_pages_pure(
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
        return [whole] if whole is not None else blocks(reader, fieldname, btext)

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
            column = reader._perdoc._cached_reader(f"_{fieldname}_len", lengths_column())
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
        candidates = common_pages([ids for ids, _ in postings])
        if not len(candidates):
            return candidates
        fmt = self._searcher.schema[q.fieldname].format
        for n, btext in enumerate(btexts):
            if keyed[n] is None:
                keyed[n] = decoded_keys(reader, q.fieldname, btext, fmt, candidates)
        pages = phrase_documents(keyed, q.slop)  # type: ignore[arg-type]  # None ruled out
        return pages[members(pages, candidates)]  # live, with every word: not deleted

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
            found_ids, found_weights = all_postings(reader, fieldname, btext)
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
        other words, from the term info (`rare_ids`), marked all at once."""
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
                    rare.extend(rare_ids(reader, dbfile.get(datapos, datalen), fmt))
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
