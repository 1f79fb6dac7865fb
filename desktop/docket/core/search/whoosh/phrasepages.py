"""Which candidate pages hold a phrase: the checks behind the scorers' phrases.

The numpy scorer intersects the words' pages (`common_pages`, `members`) and
checks the phrase on position keys (positionkeys.phrase_documents), decoding
keys for a word that has none (`decoded_keys`). A process without numpy (a
`docket search` on a small case) checks each candidate page in pure Python
(`phrase_pages_pure`): from the rarest word's keys alone for a plain phrase,
else from each word's positions on the page (sliced from its keys, or decoded
from the blocks). Both give `matching.phrase_start`'s answer.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from docket.core.search.whoosh.matching import _positions
from docket.core.search.whoosh.positionkeys import NARROW_SHIFT, PositionKeys, make_keys
from docket.core.search.whoosh.postingreads import values_for


def common_pages(ids: list[Any]) -> Any:
    """The document numbers in every one of `ids` (ascending unique numpy arrays)."""
    ids = sorted(ids, key=len)
    common = ids[0]
    for other in ids[1:]:
        common = common[members(common, other)]
    return common


def members(wanted: Any, among: Any) -> Any:
    """Which of `wanted` are in `among` (both ascending numpy arrays): a binary search
    each, cheaper than np.isin's sort when `wanted` is the shorter."""
    import numpy as np

    if not len(among):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(among, wanted), len(among) - 1)
    return among[at] == wanted


def phrase_pages_pure(
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
            if rarest * (len(keyed) - 1) < KEYS_PER_PAGE * len(candidates):
                return _phrase_pages_by_keys(keyed, wanted)
    sources: list[Any] = []
    for btext, view in zip(btexts, views, strict=True):
        if view is None:
            values = values_for(reader, q.fieldname, btext, fmt, wanted)
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
KEYS_PER_PAGE = 8


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


def decoded_keys(
    reader: Any, fieldname: str, btext: bytes, fmt: Any, pages: Any
) -> tuple[Any, int]:
    """A term's position keys on `pages` of one segment, from its blocks' positions."""
    import numpy as np

    values = values_for(reader, fieldname, btext, fmt, set(pages.tolist()))
    docnums = sorted(values)
    made = make_keys(docnums, [values[docnum] for docnum in docnums])
    return made if made is not None else (np.zeros(0, dtype=np.uint32), NARROW_SHIFT)
