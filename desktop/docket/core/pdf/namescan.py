"""Whether a PDF may name something, from a look at its bytes, before pypdf parses it.

Names are never encrypted and appear as written outside compressed object
streams; those are inflated and looked at too. Parsing with pypdf can cost
seconds where a catalog or thousands of annotations sit in object streams;
this look costs a millisecond or two a file. The answer is "maybe" (True)
where the name is found, or an object stream cannot be inflated (another
filter, damage, a bomb), or the file cannot be read (pypdf will say why).
"""

from __future__ import annotations

import mmap
import re
import zlib
from pathlib import Path

_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm(?![A-Za-z0-9#])")
_STREAM_START = re.compile(rb"stream\r?\n")
_STREAM_DICT_REACH = 4096  # a stream dictionary's keys sit this close to its data
_INFLATED_LIMIT = 64 * 2**20  # an object stream bigger than this is not looked into
_CHUNK = 2**16
_OVERLAP = 64  # bytes kept between inflated chunks: a name split between two


def may_name(path: Path, names: re.Pattern[bytes]) -> bool:
    """False when no byte of the PDF at `path`, nor of its object streams, matches `names`."""
    try:
        with (
            open(path, "rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
        ):
            if names.search(data) is not None:
                return True
            return any(
                _object_stream_may_name(data, match.end(), names)
                for match in _OBJECT_STREAM.finditer(data)
            )
    except (OSError, ValueError):  # empty or unreadable: pypdf will say what it can
        return True


def _object_stream_may_name(data: mmap.mmap, after: int, names: re.Pattern[bytes]) -> bool:
    start = _STREAM_START.search(data, after, after + _STREAM_DICT_REACH)
    keys = data[max(0, after - _STREAM_DICT_REACH) : start.start()] if start else b""
    if start is None or b"/FlateDecode" not in keys:
        return True
    inflater = zlib.decompressobj()
    tail = b""
    position, inflated = start.end(), 0
    while not inflater.eof and position < len(data) and inflated < _INFLATED_LIMIT:
        try:
            chunk = inflater.decompress(data[position : position + _CHUNK], 2**20)
        except zlib.error:
            return True
        position += _CHUNK - len(inflater.unconsumed_tail) if inflater.unconsumed_tail else _CHUNK
        inflated += len(chunk)
        window = tail + chunk
        if names.search(window) is not None:
            return True
        tail = window[-_OVERLAP:]
    return not inflater.eof
