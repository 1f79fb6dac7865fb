"""A page text's postings for the index, made in one pass.

Whoosh makes them through its generic machinery: the analyzer yields a Token
object per word, `Positions.word_values` gathers positions and weights in two
dicts, and each term's positions are encoded in a separate call. For page
text, with Docket's own tokenizer, the same result comes from one regex scan
and one dict, in less than half the CPU - and the extraction workers make the
postings for every page imported. The output is exactly Whoosh's, term for
term and byte for byte, in the same order (tests/core/test_postings.py).
"""

from __future__ import annotations

from itertools import pairwise
from pickle import dumps

from whoosh.system import pack_uint

from docket.core.analysis import TOKEN_RE, fold, index_term

Postings = list[tuple[bytes, int, float, bytes]]  # term, frequency, weight, positions


def positions_postings(text: str, stem: bool = True, field_boost: float = 1.0) -> Postings:
    """What `TEXT(analyzer=DocketTokenizer(stem), phrase=True).index(text)` yields."""
    normalize = index_term if stem else fold
    positions: dict[str, list[int]] = {}
    for position, term in enumerate(map(normalize, TOKEN_RE.findall(text))):
        found = positions.get(term)
        if found is None:
            positions[term] = [position]
        else:
            found.append(position)
    postings: Postings = []
    once = _ONCE
    for term, places in positions.items():
        count = len(places)
        if count == 1 and places[0] < _ONCE_LIMIT:  # most terms of a page: encodings kept
            value = once.get(places[0]) or once.setdefault(places[0], _encode(places))
        else:
            value = _encode([places[0], *(after - before for before, after in pairwise(places))])
        postings.append((term.encode("utf-8"), count, count * field_boost, value))
    return postings


_ONCE: dict[int, bytes] = {}  # position -> the encoding of a term found only there
_ONCE_LIMIT = 20_000  # positions kept: a page rarely has more words; bounds the cache


def _encode(deltas: list[int]) -> bytes:
    """`whoosh.formats.Positions.encode`, given the deltas between positions."""
    return pack_uint(len(deltas)) + dumps(deltas, 2)
