"""Whoosh reads index files in place instead of copying them whole into memory.

Whoosh maps each segment file and hands its parts out as `BufferFile`s, whose
constructor wraps the mapped bytes in a `BytesIO` - which copies them. Every
reader and searcher therefore held a private copy of every posting list and
term index in the case (measured: opening a reader on a 20k-page index took
63 MB of heap and touched 63 MB of the mapping; an import holds a reader for
its writer and one for its searcher). Memory grew with the case, without bound.

`ViewFile` reads the mapped bytes where they lie; the kernel pages them in
and out as needed, so resident memory follows what searches touch, not the
size of the case. `install()` makes `BufferFile` use it; Whoosh's reading code
is otherwise unchanged (tests/core/test_indexmemory.py).
"""

from __future__ import annotations

import os
from typing import Any

from whoosh.filedb import filetables, structfile

PEEK_BYTES = 256  # a posting block's info tuple is ~30 bytes pickled


class ViewFile:
    """The read side of a binary file over a buffer, without copying it."""

    __slots__ = ("_position", "_view")

    def __init__(self, buffer: Any) -> None:
        self._view = memoryview(buffer)
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._position = max(start, end)
        return self._view[start:end].tobytes()

    def peek(self, size: int = 0) -> bytes:
        """What `read` would give next, without moving: pickle.load reads ahead with it
        (one call for a block's info, which it otherwise read a few bytes at a time:
        ~20 calls a posting block). A little at most: the pickles read from a stream
        here are small, and anything beyond PEEK_BYTES is read as before."""
        start = self._position
        return self._view[start : start + min(max(size, 1), PEEK_BYTES)].tobytes()

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._position
        limit = len(view) if size is None or size < 0 else min(start + size, len(view))
        end = start
        while end < limit:  # lines are rare in Whoosh's files; this is never hot
            end += 1
            if view[end - 1] == 0x0A:
                break
        self._position = end
        return view[start:end].tobytes()

    def __iter__(self) -> Any:
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            offset += self._position
        elif whence == os.SEEK_END:
            offset += len(self._view)
        if offset < 0:
            raise ValueError("negative seek position")
        self._position = offset
        return offset

    def tell(self) -> int:
        return self._position

    def getvalue(self) -> bytes:
        return self._view.tobytes()

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._view.release()  # the mapping can be closed once no view holds it


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def _hash_reader_init(
    self: Any, dbfile: Any, length: int | None = None, magic: bytes = b"HSH3", startoffset: int = 0
) -> None:
    """`filetables.HashReader.__init__`, reading its directory of 256 hash tables in
    one read instead of 256: each segment's term table is opened this way, and at
    32 segments (100,000 pages) those reads were most of opening the index."""
    self.dbfile = dbfile
    self.startoffset = startoffset
    self.is_closed = False
    if length is None:
        dbfile.seek(0, os.SEEK_END)
        length = dbfile.tell() - startoffset
    dbfile.seek(startoffset)
    filemagic = dbfile.read(4)
    if filemagic != magic:
        raise filetables.FileFormatError(f"Unknown file header {filemagic!r}")
    self.hashtype = dbfile.read_byte()
    self.hashfn = filetables._hash_functions[self.hashtype]
    dbfile.read_int()  # two unused numbers
    dbfile.read_int()
    self.startofdata = dbfile.tell()
    exptr = startoffset + length - filetables._INT_SIZE
    exlen = dbfile.get_int(exptr)
    expos = exptr - exlen
    dbfile.seek(expos)
    self._read_extras()
    dbfile.seek(expos - filetables._directory_size)
    directory = dbfile.read(filetables._directory_size)
    self.tables = list(filetables._dir_entry.iter_unpack(directory))  # (position, slots)
    self.endofdata = self.tables[0][0]


WHOOSH_CLOSEST_KEY_POS = filetables.OrderedHashReader.closest_key_pos  # before install()
KEPT_KEYS = 32_768  # keys remembered per term table: ~2 MB, the upper levels of its search


def _closest_key_pos(self: Any, key: bytes) -> int | None:
    """`filetables.OrderedHashReader.closest_key_pos` (a binary search over the sorted
    keys, read from the file), remembering the keys it reads: every seek walks the
    same upper levels. A fuzzy term seeks thousands of times (`hyphenatoin~2`:
    ~2,500 seeks a segment, 17 key reads each, most of its time)."""
    if not isinstance(key, bytes):
        raise TypeError(f"Key {key!r} should be bytes")
    kept: dict[int, bytes] | None = self.__dict__.get("_docket_keys")
    if kept is None:
        kept = self.__dict__["_docket_keys"] = {}
    indexbase, indexsize, get_pos = self.indexbase, self.indexsize, self._get_pos
    lo, hi = 0, self.indexlen
    while lo < hi:
        mid = (lo + hi) // 2
        midkey = kept.get(mid)
        if midkey is None:
            midkey = self.key_at(get_pos(indexbase + mid * indexsize))
            if len(kept) < KEPT_KEYS:
                kept[mid] = midkey
        if midkey < key:
            lo = mid + 1
        else:
            hi = mid
    if lo == self.indexlen:
        return None
    found: int = get_pos(indexbase + lo * indexsize)
    return found


def install() -> None:
    """Makes Whoosh's `BufferFile` read in place, its hash tables open with one read,
    and its sorted term tables remember the keys their searches read (idempotent)."""
    structfile.BufferFile.__init__ = _buffer_file_init
    filetables.HashReader.__init__ = _hash_reader_init
    filetables.OrderedHashReader.closest_key_pos = _closest_key_pos
