"""Common terms' posting lists as flat arrays, in a file beside each segment.

A word on most pages has thousands of postings in a segment. Whoosh stores
them in blocks of 128, each a zlib-compressed pickle of document numbers,
weights *and* positions; a boolean query needs only the first two, but must
decode all three, block by block - over half of a query on common words
(PERFORMANCE.md). When the bulk writer commits a segment it also writes, for
each term with at least MIN_POSTINGS postings, its document numbers (as
gaps) and weights (term frequencies) as raw arrays in `<segment>.dkt`, three
bytes a posting. `fastboolean` reads those in one call each; a segment
without the file (written before Docket made them, or by Whoosh's own pool
when a batch overflowed it) is read block by block as before. Segments never
change after their commit (deletions are kept apart), so the file is never
out of date, and Whoosh removes it with its segment (its name follows the
segment's).
"""

from __future__ import annotations

import pickle
import struct
import sys
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate
from operator import sub
from typing import Any

EXTENSION = ".dkt"
MIN_POSTINGS = 256  # fewer fit in two blocks, which Whoosh reads quickly enough
_VERSION = 2
_HEADER = struct.Struct("<4sII")  # magic, version, length of the pickled table

TermKey = tuple[str, bytes]  # field name, term
TermPostings = tuple[str, bytes, Sequence[int], Sequence[float]]  # field, term, docnums, weights
Entry = tuple[int, int, str, str]  # offset after the table, count, id and weight typecodes


def write_term_arrays(segment: Any, storage: Any, terms: Iterable[TermPostings]) -> None:
    """Writes the arrays of every term (field, term, docnums, weights) with at
    least MIN_POSTINGS postings; docnums ascend, weights are floats."""
    arrays = TermArraysWriter()
    for term in terms:
        arrays.add(term)
    arrays.write(segment, storage)


class TermArraysWriter:
    """Packs each common term's arrays as it comes (three bytes a posting), so a
    merge of big segments keeps no term's postings longer than it writes them."""

    def __init__(self) -> None:
        self._table: dict[TermKey, Entry] = {}
        self._chunks: list[bytes] = []
        self._offset = 0

    def add(self, term: TermPostings) -> None:
        fieldname, btext, docnums, weights = term
        if len(docnums) < MIN_POSTINGS:
            return
        packed_ids, packed_weights = _packed_ids(docnums), _packed_weights(weights)
        self._table[fieldname, btext] = (
            self._offset,
            len(docnums),
            packed_ids.typecode,
            packed_weights.typecode,
        )
        for chunk in (packed_ids.tobytes(), packed_weights.tobytes()):
            self._chunks.append(chunk)
            self._offset += len(chunk)

    def write(self, segment: Any, storage: Any) -> None:
        """The file beside `segment`, if any term was common enough."""
        if not self._table:
            return
        header = pickle.dumps({"byteorder": sys.byteorder, "terms": self._table}, protocol=4)
        out = segment.create_file(storage, EXTENSION)
        try:
            out.write(_HEADER.pack(b"DKTA", _VERSION, len(header)))
            out.write(header)
            for chunk in self._chunks:
                out.write(chunk)
        finally:
            out.close()


def _packed_ids(docnums: Sequence[int]) -> array[int]:
    """Gaps between document numbers in two bytes each when they fit, else the numbers."""
    gaps = [docnums[0], *map(sub, docnums[1:], docnums[:-1])]  # map: C speed, per posting
    return array("H", gaps) if max(gaps) < 65536 else array("I", docnums)


def _packed_weights(weights: Sequence[float]) -> array[Any]:
    """Term frequencies are whole numbers, nearly always below 256: one byte each."""
    if all(map(float.is_integer, weights)) and min(weights) >= 0 and max(weights) < 65536:
        return array("B" if max(weights) < 256 else "H", map(int, weights))
    return array("f", weights)


class TermArrays:
    """The arrays of one segment; `get` gives (docnums, weights) or None."""

    def __init__(self, source: Any) -> None:
        magic, version, length = _HEADER.unpack(source.read(_HEADER.size))
        if magic != b"DKTA" or version != _VERSION:
            raise ValueError("not a term array file of this version")
        header = pickle.loads(source.read(length))
        self._source = source
        self._start = _HEADER.size + length
        self._swap = header["byteorder"] != sys.byteorder
        self._terms: dict[TermKey, Entry] = header["terms"]

    def get(self, fieldname: str, btext: bytes) -> tuple[Sequence[int], array[Any]] | None:
        """The term's document numbers (ascending) and weights, or None."""
        entry = self._terms.get((fieldname, btext))
        if entry is None:
            return None
        offset, count, id_code, weight_code = entry
        ids, weights = array(id_code), array(weight_code)
        self._source.seek(self._start + offset)
        ids.frombytes(self._source.read(count * ids.itemsize))
        weights.frombytes(self._source.read(count * weights.itemsize))
        if self._swap:
            ids.byteswap()
            weights.byteswap()
        return (list(accumulate(ids)) if id_code == "H" else ids), weights

    def get_numpy(self, fieldname: str, btext: bytes) -> tuple[Any, Any] | None:
        """`get` as numpy arrays: document numbers (int64) and weights (float64)."""
        import numpy as np

        entry = self._terms.get((fieldname, btext))
        if entry is None:
            return None
        offset, count, id_code, weight_code = entry
        id_type, weight_type = np.dtype(id_code), np.dtype(weight_code)
        self._source.seek(self._start + offset)
        ids = np.frombuffer(self._source.read(count * id_type.itemsize), dtype=id_type)
        weights = np.frombuffer(self._source.read(count * weight_type.itemsize), dtype=weight_type)
        if self._swap:
            ids, weights = ids.byteswap(), weights.byteswap()
        docnums = np.cumsum(ids, dtype=np.int64) if id_code == "H" else ids.astype(np.int64)
        return docnums, weights.astype(np.float64)

    def close(self) -> None:
        self._source.close()


def open_term_arrays(segment_reader: Any) -> TermArrays | None:
    """The arrays beside a Whoosh SegmentReader's segment, or None if it has none."""
    try:
        source = segment_reader._segment.open_file(segment_reader._storage, EXTENSION)
    except Exception:  # no such file (a merged segment) or an unusual reader
        return None
    try:
        return TermArrays(source)
    except Exception:  # damaged: derived data, read the blocks instead
        source.close()
        return None
