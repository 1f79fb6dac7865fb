"""Bates numbers printed on the pages of a production received from someone else.

A page's number is looked for in its last few lines (a stamp sits at the foot
and extraction gives it last): a prefix of capital letters, maybe ending in
- or _, then 6 to 8 digits. Found only when the same prefix and width run
through every page, one more on each page; a one-page document only when the
number stands alone on its own last line. Anything less is a reference in the
text (a case number, an invoice), and nothing is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docket.core.storage.bates import BatesPage

PRINTED_RE = re.compile(r"(?<![A-Za-z0-9])(?P<prefix>[A-Z]{1,12}[-_]?)(?P<digits>\d{6,8})(?!\d)")
BOTTOM_LINES = 4
BOTTOM_CHARS = 600


@dataclass(frozen=True)
class PrintedNumber:
    page: int  # 1-based
    prefix: str
    number: int
    label: str  # as printed: 'ABC000042'


Key = tuple[str, int]  # a prefix and a width of digits


def _bottom(text: str) -> list[str]:
    tail = text[-BOTTOM_CHARS:]  # the foot only: every page of every import comes here
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    return lines[-BOTTOM_LINES:]


def _candidates(text: str) -> dict[tuple[Key, int], str]:
    found: dict[tuple[Key, int], str] = {}
    for line in _bottom(text):
        for match in PRINTED_RE.finditer(line):
            prefix, digits = match.group("prefix"), match.group("digits")
            found[((prefix, len(digits)), int(digits))] = match.group(0)
    return found


def printed_numbers(pages: Sequence[str]) -> list[PrintedNumber]:
    """Each page's printed Bates number, or none at all (see the module's rules)."""
    if not pages:
        return []
    every = [_candidates(text) for text in pages]
    for (key, first), label in sorted(every[0].items()):
        if len(pages) == 1:
            lines = _bottom(pages[0])
            if lines and lines[-1] == label:
                return [PrintedNumber(1, key[0], first, label)]
            continue
        found = [PrintedNumber(1, key[0], first, label)]
        for index, candidates in enumerate(every[1:], start=1):
            printed = candidates.get((key, first + index))
            if printed is None:
                break
            found.append(PrintedNumber(index + 1, key[0], first + index, printed))
        else:
            return found
    return []


def received_rows(doc_id: int, printed: Sequence[PrintedNumber]) -> list[BatesPage]:
    """bates_pages rows for numbers printed when received (no production of ours)."""
    return [BatesPage(doc_id, p.page, p.prefix, p.number, p.label, None) for p in printed]
