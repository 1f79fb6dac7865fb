"""A page text's postings for Whoosh, made from Docket's own terms in one pass.

Whoosh makes them through its generic machinery: the analyzer yields a Token
object per word, `Positions.word_values` gathers positions and weights in two
dicts, and each term's positions are encoded in a separate call. For page
text, with Docket's own tokenizer, the same result comes from one regex scan
and one dict (`analysis.page_term_positions`), in less than half the CPU. The
output is exactly Whoosh's, term for term and byte for byte
(tests/core/search/whoosh/test_postings.py).

The import's workers hand the engine each page's terms in the neutral
`PageTerms` (analysis.page_term_positions); `PagePostings` reads Whoosh's
postings out of it here, in the one writer, as the bulk writer pools them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pickle import dumps

from whoosh.system import pack_uint

from docket.core.search.engine import TERM_SEPARATOR, PageTerms

_SEPARATOR = TERM_SEPARATOR.encode("utf-8")


class PagePostings:
    """A page's postings from its `PageTerms`: iterating gives what Whoosh's own
    `TEXT.index` gives for the page's text, (term, count, weight, positions), in
    the same order."""

    __slots__ = ("boost", "terms")

    def __init__(self, terms: PageTerms, boost: float = 1.0) -> None:
        self.terms = terms
        self.boost = boost

    def __len__(self) -> int:
        return len(self.terms.counts)

    @property
    def length(self) -> int:
        """The field's length on this page: how many words it has."""
        return self.terms.length

    def entries(self) -> Iterator[tuple[bytes, int, bytes]]:
        """(term, count, encoded positions) for each term: the bulk writer's fast path."""
        # The one writer runs this for every page imported: locals, no calls it can spare.
        page = self.terms
        names = page.terms.encode("utf-8").split(_SEPARATOR) if page.counts else []
        gaps = page.gaps
        once = _ONCE.get
        packed_counts = _COUNTS
        start = 0
        for name, count in zip(names, page.counts, strict=True):
            if count == 1:  # most terms of a page: a shared object
                gap = gaps[start]
                yield name, 1, once(gap) or position_value(gap)
                start += 1
            else:
                end = start + count
                packed = packed_counts[count] if count < 256 else pack_uint(count)
                yield name, count, packed + dumps(gaps[start:end].tolist(), 2)
                start = end

    def __iter__(self) -> Iterator[tuple[bytes, int, float, bytes]]:
        boost = self.boost
        for term, count, value in self.entries():
            yield term, count, count * boost, value


def position_value(position: int) -> bytes:
    """The encoded positions of a term found once, at `position` (shared objects)."""
    if position >= _ONCE_LIMIT:
        return _encode([position])
    value = _ONCE.get(position)
    if value is None:
        value = _ONCE[position] = _encode([position])
    return value


_ONCE: dict[int, bytes] = {}  # position -> the encoding of a term found only there
_ONCE_LIMIT = 20_000  # positions kept: a page rarely has more words; bounds the cache
_COUNTS: list[bytes] = [pack_uint(count) for count in range(256)]  # the usual counts, packed once


def _encode(gaps: list[int]) -> bytes:
    """`whoosh.formats.Positions.encode`, given the gaps between positions."""
    count = len(gaps)
    packed: bytes = _COUNTS[count] if count < 256 else pack_uint(count)
    return packed + dumps(gaps, 2)
