"""A page text's postings for the index, made in one pass.

Whoosh makes them through its generic machinery: the analyzer yields a Token
object per word, `Positions.word_values` gathers positions and weights in two
dicts, and each term's positions are encoded in a separate call. For page
text, with Docket's own tokenizer, the same result comes from one regex scan
and one dict, in less than half the CPU - and the extraction workers make the
postings for every page imported. The output is exactly Whoosh's, term for
term and byte for byte, in the same order (tests/core/test_postings.py).

`CompactPostings` holds the same postings in five objects instead of four per
term: what the workers send, and what waits in the importing process for the
index. As tuples, a page's ~300 postings cost ~45 KB there and a thousand
objects to pickle and unpickle; compact, about 5 KB.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from itertools import pairwise
from pickle import dumps

from whoosh.system import pack_uint

from docket.core.search.analysis import TOKEN_RE, fold, index_term

Postings = list[tuple[bytes, int, float, bytes]]  # term, frequency, weight, positions


def positions_postings(text: str, stem: bool = True, field_boost: float = 1.0) -> Postings:
    """What `TEXT(analyzer=DocketTokenizer(stem), phrase=True).index(text)` yields."""
    return [
        (term.encode("utf-8"), len(places), len(places) * field_boost, _places_value(places))
        for term, places in _term_positions(text, stem).items()
    ]


class CompactPostings:
    """A page's postings, in the order and with the values of `positions_postings`:
    the terms in one NUL-separated string (a term is letters and digits), each
    term's count and first position in arrays, and the encoded positions only of
    the terms found more than once. Iterating gives Whoosh's tuples."""

    __slots__ = ("boost", "counts", "firsts", "repeated", "terms")

    def __init__(
        self,
        terms: bytes,
        counts: array[int],
        firsts: array[int],
        repeated: tuple[bytes, ...],
        boost: float = 1.0,
    ) -> None:
        self.terms = terms
        self.counts = counts
        self.firsts = firsts
        self.repeated = repeated
        self.boost = boost

    def __reduce__(self) -> tuple[object, ...]:
        return CompactPostings, (self.terms, self.counts, self.firsts, self.repeated, self.boost)

    def __len__(self) -> int:
        return len(self.counts)

    @property
    def length(self) -> int:
        """The field's length on this page: how many words it has."""
        return sum(self.counts)

    def entries(self) -> Iterator[tuple[bytes, int, bytes]]:
        """(term, count, encoded positions) for each term."""
        repeated = iter(self.repeated)
        names = self.terms.split(b"\0") if self.counts else []  # b"" splits into [b""]
        for term, count, first in zip(names, self.counts, self.firsts, strict=True):
            yield term, count, position_value(first) if count == 1 else next(repeated)

    def __iter__(self) -> Iterator[tuple[bytes, int, float, bytes]]:
        boost = self.boost
        for term, count, value in self.entries():
            yield term, count, count * boost, value


def compact_postings(text: str, stem: bool = True, field_boost: float = 1.0) -> CompactPostings:
    """`positions_postings(text, stem, field_boost)`, as CompactPostings."""
    positions = _term_positions(text, stem)
    counts = array("I", map(len, positions.values()))
    firsts = array("I", (places[0] for places in positions.values()))
    repeated = tuple(_places_value(places) for places in positions.values() if len(places) > 1)
    terms = "\0".join(positions).encode("utf-8")
    return CompactPostings(terms, counts, firsts, repeated, field_boost)


def _term_positions(text: str, stem: bool) -> dict[str, list[int]]:
    """Each term of `text` with the positions of its words, in order of first use."""
    normalize = index_term if stem else fold
    positions: dict[str, list[int]] = {}
    for position, term in enumerate(map(normalize, TOKEN_RE.findall(text))):
        found = positions.get(term)
        if found is None:
            positions[term] = [position]
        else:
            found.append(position)
    return positions


def _places_value(places: list[int]) -> bytes:
    """A term's encoded positions: the first, then the gaps between them."""
    if len(places) == 1:  # most terms of a page
        return position_value(places[0])
    return _encode([places[0], *(after - before for before, after in pairwise(places))])


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


def _encode(deltas: list[int]) -> bytes:
    """`whoosh.formats.Positions.encode`, given the deltas between positions."""
    return pack_uint(len(deltas)) + dumps(deltas, 2)
