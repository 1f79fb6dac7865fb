"""Common terms' positions as sorted keys, in a file beside each segment, for phrases.

A phrase is scored as the sum of its words' BM25 scores on the pages where
the words stand in order (fastboolean `_dense_phrase`). Whoosh keeps each
posting's positions as a pickle inside zlib-compressed blocks, so checking
the order meant decoding, in Python, two position lists on every page holding
both words: `"the package"` has ~64,000 such pages at 200,000 pages, ~900 ms.

Here, when a segment is written (bulkwriter at import, merging at merge), each
term with term arrays (MIN_POSTINGS postings or more) also gets its positions
as one ascending array of keys `document << shift | position` in
`<segment>.dkp`: 32-bit keys (shift 16) when the segment's document numbers
and the term's positions fit in 16 bits each, else 64-bit keys (shift 32). A
word followed by another is then a key of the second whose key minus one is a
key of the first: numpy's `searchsorted` over the arrays as they lie in the
mapped file, no page decoded (`phrase_ends`). A word rare in a segment has no
keys there; a phrase with such a word is checked there as before, on its few
pages. Like the term arrays the file is derived data: written once with its
segment (segments never change; deletions are kept apart), removed with it,
and a segment without one (written before Docket made them) is read as before.

Cost, measured on the real corpus: four bytes a position of a common word
(most of a page's words): 18.6 of 79.7 MB of the index at 20,149 pages, 202 of
667 MB at 201,490 (5 segments), ~5 % of the case folder; keying is ~0.8 µs a
posting (3 % of a rebuild's CPU, 9 % of a merge's). "the package" at 201,490
pages: 384 ms of CPU before, 16-18 ms with keys.
"""

from __future__ import annotations

import pickle
import struct
import sys
from array import array
from collections.abc import Sequence
from itertools import chain
from typing import Any

EXTENSION = ".dkp"
_VERSION = 1
_TRAILER = struct.Struct("<4sIQ")  # magic, version, where the pickled table starts
NARROW_SHIFT = 16  # 32-bit keys: document and position in 16 bits each
WIDE_SHIFT = 32  # 64-bit keys, for a big segment or a page of 65,535 words or more
_ALIGN = 8

TermKey = tuple[str, bytes]  # field name, term
Entry = tuple[int, int, int]  # offset of the keys, how many, shift


class PositionKeysWriter:
    """Writes each term's keys to `<segment>.dkp` as the term comes (nothing kept in
    memory but the table), then the table and a trailer pointing at it."""

    def __init__(self, segment: Any, storage: Any) -> None:
        self._segment = segment
        self._storage = storage
        self._out: Any = None
        self._offset = 0
        self._table: dict[TermKey, Entry] = {}

    def add(
        self,
        fieldname: str,
        btext: bytes,
        docnums: Sequence[int],
        values: Sequence[bytes | None],
    ) -> None:
        """A term's postings: ascending document numbers and their encoded positions
        (Whoosh's `Positions` format: a count, then the gaps pickled)."""
        made = make_keys(docnums, values)
        if made is None:  # no positions (a field without them): nothing to key
            return
        keys, shift = made
        out = self._file()
        padding = -self._offset % _ALIGN  # each array starts aligned for numpy
        if padding:
            out.write(b"\0" * padding)
            self._offset += padding
        self._table[fieldname, btext] = (self._offset, len(keys), shift)
        data = keys.tobytes()
        out.write(data)
        self._offset += len(data)

    def _file(self) -> Any:
        if self._out is None:
            self._out = self._segment.create_file(self._storage, EXTENSION)
        return self._out

    def close(self) -> None:
        """Writes the table (if any term was keyed) and closes the file."""
        if self._out is None:
            return
        try:
            table = pickle.dumps({"byteorder": sys.byteorder, "terms": self._table}, protocol=4)
            self._out.write(table)
            self._out.write(_TRAILER.pack(b"DKPK", _VERSION, self._offset))
        finally:
            self._out.close()
            self._out = None

    def cancel(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


def make_keys(docnums: Sequence[int], values: Sequence[bytes | None]) -> tuple[Any, int] | None:
    """The keys (ascending numpy array) and their shift of a term's postings: document
    numbers ascending and each one's encoded positions; None without positions.

    32-bit keys when the document numbers fit in 16 bits and every position is
    below 0xFFFF (so that no key has a position of all ones: the key before a
    position 0 is never a word's, see `phrase_ends`), else 64-bit keys."""
    import numpy as np

    found = _decode(values)
    if found is None:
        return None
    counts, positions = found
    narrow = (not len(docnums) or docnums[-1] < (1 << NARROW_SHIFT)) and (
        not len(positions) or int(positions.max()) < (1 << NARROW_SHIFT) - 1
    )
    shift = NARROW_SHIFT if narrow else WIDE_SHIFT
    docs = np.repeat(np.asarray(docnums, dtype=np.uint64), counts)
    keys = (docs << np.uint64(shift)) | positions.astype(np.uint64)
    return keys.astype(np.uint32 if narrow else np.uint64), shift


def _decode(values: Sequence[bytes | None]) -> tuple[Any, Any] | None:
    """(positions per posting, every position in order) of encoded position lists.

    Each value is `Positions.encode`'s: a count (4 bytes), then the gaps between
    positions pickled with protocol 2 (`\\x80\\x02` `]q\\x00` ... `.`). Their
    bodies joined inside one outer list unpickle in one C call, where a call
    per posting cost ~1 µs each; a value of any other shape is unpickled alone.
    """
    import numpy as np

    if not values or any(value is None for value in values):
        return None
    try:
        lists = _joined_lists(values)
    except Exception:  # an unexpected encoding: one at a time, as Whoosh does
        lists = [_gaps(value) for value in values if value is not None]
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    gaps = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    summed = np.cumsum(gaps)
    # Each list's gaps start from its first position: take away what came before.
    starts = np.cumsum(counts) - counts
    before = np.concatenate(([0], summed))[starts]
    return counts, summed - np.repeat(before, counts)


_HEAD = b"\x80\x02]q\x00"  # PROTO 2, EMPTY_LIST, BINPUT 0: how every value's pickle starts


def _joined_lists(values: Sequence[bytes | None]) -> list[list[int]]:
    # Each body without its count and PROTO, and without its STOP ('.', 46) when it
    # has one (Whoosh's older writers dropped it): a value's pickle otherwise ends
    # in APPEND(S) or the BINPUT of an empty list, never in 46.
    bodies = [value[6:-1] if value[-1] == 46 else value[6:] for value in values]  # type: ignore[index]
    lists: list[list[int]] = pickle.loads(b"\x80\x02](" + b"".join(bodies) + b"e.")
    # A value of another shape breaks the outer list's structure: a different count
    # of items, or items that are not lists.
    if len(lists) != len(values) or not all(type(item) is list for item in lists):
        raise ValueError("values did not unpickle one list each")
    if not all(body.startswith(_HEAD[2:]) for body in bodies[:1]):
        raise ValueError("not a protocol 2 list")
    return lists


def _gaps(value: bytes) -> list[int]:
    body = value[4:]
    gaps: list[int] = pickle.loads(body if body.endswith(b".") else body + b".")
    return gaps


class PositionKeys:
    """The keys of one segment: `get` gives a term's (keys, shift) or None."""

    def __init__(self, source: Any) -> None:
        self._source = source
        buffer = getattr(source, "_buf", None)  # the mapped file, read in place
        if buffer is None:
            source.seek(0)
            buffer = source.read()
        self._buffer: Any = buffer
        size = len(buffer)
        magic, version, table_at = _TRAILER.unpack(bytes(buffer[size - _TRAILER.size : size]))
        if magic != b"DKPK" or version != _VERSION:
            raise ValueError("not a position key file of this version")
        header = pickle.loads(bytes(buffer[table_at : size - _TRAILER.size]))
        self._swap = header["byteorder"] != sys.byteorder
        self._terms: dict[TermKey, Entry] = header["terms"]

    def __contains__(self, key: TermKey) -> bool:
        return key in self._terms

    def get(self, fieldname: str, btext: bytes) -> tuple[Any, int] | None:
        """The term's keys (ascending numpy array, uint32 or uint64) and their shift."""
        import numpy as np

        entry = self._terms.get((fieldname, btext))
        if entry is None:
            return None
        offset, count, shift = entry
        dtype = np.dtype(np.uint32 if shift == NARROW_SHIFT else np.uint64)
        keys = np.frombuffer(self._buffer, dtype=dtype, count=count, offset=offset)
        return (keys.byteswap() if self._swap else keys), shift

    def get_view(self, fieldname: str, btext: bytes) -> tuple[Sequence[int], int] | None:
        """`get` without numpy: the keys as a memoryview cast to 32- or 64-bit integers
        (read in place), or a swapped copy when the file's byte order is not ours.
        For a phrase in a process that has not imported numpy (60-250 ms)."""
        entry = self._terms.get((fieldname, btext))
        if entry is None:
            return None
        offset, count, shift = entry
        narrow = shift == NARROW_SHIFT
        raw = memoryview(self._buffer)[offset : offset + count * (4 if narrow else 8)]
        if self._swap:
            swapped = array("I" if narrow else "Q", raw.tobytes())
            swapped.byteswap()
            return swapped, shift
        return (raw.cast("I") if narrow else raw.cast("Q")), shift

    def close(self) -> None:
        self._buffer = None
        self._source.close()


def open_position_keys(segment_reader: Any) -> PositionKeys | None:
    """The keys beside a Whoosh SegmentReader's segment, or None if it has none."""
    try:
        source = segment_reader._segment.open_file(segment_reader._storage, EXTENSION)
    except Exception:  # no such file (a segment written before them) or an unusual reader
        return None
    try:
        return PositionKeys(source)
    except Exception:  # damaged: derived data, the blocks' positions are read instead
        source.close()
        return None


def phrase_documents(keyed: list[tuple[Any, int]], slop: int) -> Any:
    """The documents (ascending, unique) where the words whose keys are `keyed`, in
    order, form the phrase: each word 1..slop positions after the one before, in
    the same document (`matching.phrase_start`'s rule)."""
    import numpy as np

    shifts = {shift for _, shift in keyed}
    if len(shifts) > 1:  # mixed widths in one segment: compare them all as 64-bit keys
        keyed = [(_widen(keys, shift), WIDE_SHIFT) for keys, shift in keyed]
    shift = keyed[0][1]
    ends = phrase_ends([keys for keys, _ in keyed], slop, shift)
    docs = ends >> ends.dtype.type(shift)
    if len(docs) > 1:
        docs = docs[np.concatenate(([True], docs[1:] != docs[:-1]))]
    return docs.astype(np.int64)


def phrase_ends(keys: list[Any], slop: int, shift: int) -> Any:
    """The keys of the last word where the phrase ends (ascending)."""
    reach = keys[0]
    for following in keys[1:]:
        if not len(reach):
            break
        reach = _next_word(reach, following, slop, shift)
    return reach


def _next_word(reach: Any, following: Any, slop: int, shift: int) -> Any:
    """The keys of `following` 1..slop positions after one of `reach`, in the same
    document. The shorter array's keys are looked up in the longer one (a binary
    search each): "of the" looks for each "of" among the "the"s, not the reverse."""
    import numpy as np

    kind = following.dtype.type
    mask = kind((1 << shift) - 1)  # a key's position
    if slop < 1:
        return following[:0]
    if slop == 1 and _merging_is_cheaper(len(reach), len(following)):
        # The keys before `following`'s that are `reach`'s (or, the same, the keys
        # after `reach`'s that are `following`'s): both ascending and each
        # without repeats, so the stable sort (timsort) merges the two runs in one
        # pass, and a key found twice is in both. A key minus one is the position
        # before in the same document, or for a position 0 no word's (see below; the
        # key 0 wraps round to the largest, its run then one key out of order).
        # The shorter of the two is shifted (a copy), the other merged as it lies.
        one = kind(1)
        if len(reach) < len(following):
            merged = np.concatenate((reach + one, following))
        else:
            merged = np.concatenate((reach, following - one))
        merged.sort(kind="stable")
        found = merged[1:][merged[1:] == merged[:-1]]
        return found if len(reach) < len(following) else found + one
    if len(following) <= len(reach):
        if slop == 1:
            # A key minus one is the position before in the same document: a position
            # is never the all-ones value of its field (make_keys), so the key before
            # a position 0 is no word's.
            wanted = following - kind(1)
            at = np.searchsorted(reach, wanted)
            inside = at < len(reach)
            hit = np.zeros(len(following), dtype=bool)
            hit[inside] = reach[at[inside]] == wanted[inside]
        else:  # some key of `reach` in [key - slop, key - 1], not before its document
            back = np.minimum(following & mask, kind(slop))
            hit = np.searchsorted(reach, following) > np.searchsorted(reach, following - back)
        return following[hit]
    if slop == 1:  # the key after each of `reach` (never the next document's: see above)
        wanted = reach + kind(1)
        at = np.searchsorted(following, wanted)
        inside = at < len(following)
        found = np.zeros(len(reach), dtype=bool)
        found[inside] = following[at[inside]] == wanted[inside]
        return wanted[found]
    # The keys of `following` in (key, key + slop] of each of `reach`, within its document.
    ahead = np.minimum(mask - (reach & mask), kind(slop))
    lo = np.searchsorted(following, reach, side="right")
    spans = np.searchsorted(following, reach + ahead, side="right") - lo
    has = spans > 0
    lo, spans = lo[has], spans[has]
    if not len(lo):
        return following[:0]
    # Every index of each window, in order; windows of neighbouring keys overlap.
    firsts = np.repeat(lo - (np.cumsum(spans) - spans), spans)
    return following[np.unique(firsts + np.arange(int(spans.sum())))]


def _merging_is_cheaper(one: int, other: int) -> bool:
    """Whether merging two sorted arrays (a pass over both) costs less than a binary
    search of the shorter's keys in the longer (log2 of it each). Measured at 200k
    pages: "the" (550,000 keys a segment) and "packag" (49,000), 0.9 ms merged
    against 1.8 ms searched."""
    short, long = min(one, other), max(one, other)
    return one + other < short * max(long, 1).bit_length()


def _widen(keys: Any, shift: int) -> Any:
    import numpy as np

    wide = keys.astype(np.uint64)
    if shift == WIDE_SHIFT:
        return wide
    mask = np.uint64((1 << shift) - 1)
    return ((wide >> np.uint64(shift)) << np.uint64(WIDE_SHIFT)) | (wide & mask)
