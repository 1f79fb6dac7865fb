"""Reading a segment's postings without Whoosh's matchers where they cost most.

What the scorers (fastboolean) and the phrase check (phrasepages) read from a
W3 segment: a term's encoded positions on some pages, all its pages and
weights, the page numbers of a rare word from its term info alone, and its
blocks' ids and weights one block at a time. Each reads Whoosh's private
structures as Whoosh itself does; tests/core/search/whoosh/test_private_names.py
keeps a list of them, checked against the installed Whoosh.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from io import BytesIO
from itertools import accumulate
from pickle import load, loads
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.matching import ListMatcher
from whoosh.system import _INT_SIZE


def lengths_column() -> Any:
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN


def values_for(
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


def all_postings(reader: Any, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
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


_TERM_INFO = W3TermInfo._struct  # flags, weight, pages, lengths, max weight, first, last page
_NO_ID = 0xFFFFFFFF  # the first and last page of a term info that has none


def rare_ids(reader: Any, info: bytes, fmt: Any) -> Sequence[int]:
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
    return block_ids(reader._terms._postfile, terminfo.extent()[0])


def block_ids(postfile: Any, offset: int) -> list[int]:
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


def blocks(reader: Any, fieldname: str, btext: bytes) -> Any:
    """(ids, weights) arrays of a term's postings, block by block."""
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()
