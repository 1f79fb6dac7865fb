"""Bates numbers: a prefix and a zero-padded counter, 'ABC000042'.

A prefix is what a stamp prints and a load file names, so it is kept to
letters, digits and a few separators every font and every e-discovery tool
takes; numbers continue across the productions of one prefix and never repeat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docket.core.errors import DocketError

PREFIX_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,19}")
MIN_DIGITS, MAX_DIGITS = 4, 10
DEFAULT_DIGITS = 6


class NumberingError(DocketError):
    """A prefix, a start or a digit count that cannot number a production."""


def check_prefix(prefix: str) -> str:
    if not PREFIX_RE.fullmatch(prefix):
        raise NumberingError(
            f"the prefix {prefix!r} cannot be stamped: use 1 to 20 letters (A–Z) or digits, "
            "optionally with _ . or -, starting with a letter or digit (e.g. ABC or SMITH-)"
        )
    return prefix


def check_digits(digits: int) -> int:
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise NumberingError(f"--digits must be from {MIN_DIGITS} to {MAX_DIGITS}, not {digits}")
    return digits


def label(prefix: str, number: int, digits: int) -> str:
    return f"{prefix}{number:0{digits}d}"


@dataclass(frozen=True)
class NumberRange:
    """The numbers a production takes: first to last, both included."""

    prefix: str
    digits: int
    first: int
    last: int

    def label(self, number: int) -> str:
        return label(self.prefix, number, self.digits)

    def overlaps(self, first: int, last: int) -> bool:
        return self.first <= last and first <= self.last


def plan_range(
    prefix: str,
    digits: int,
    pages: int,
    *,
    start: int | None,
    used: list[tuple[int, int]],
) -> NumberRange:
    """The numbers for `pages` pages: from `start`, or after the highest `used`
    (continuing, or 1 for a new prefix). A range that would repeat an earlier
    production's numbers, or outgrow `digits`, is refused."""
    check_prefix(prefix)
    check_digits(digits)
    if pages < 1:
        raise NumberingError("nothing to produce: the chosen documents have no pages")
    if start is None:
        first = max((last for _, last in used), default=0) + 1
    else:
        if start < 1:
            raise NumberingError(f"--start must be 1 or more, not {start}")
        first = start
    numbers = NumberRange(prefix, digits, first, first + pages - 1)
    if numbers.last >= 10**digits:
        raise NumberingError(
            f"{pages} pages from {numbers.label(first)} need more than {digits} digits: "
            "give --digits more"
        )
    for used_first, used_last in used:
        if numbers.overlaps(used_first, used_last):
            raise NumberingError(
                f"{numbers.label(numbers.first)}–{numbers.label(numbers.last)} would repeat "
                f"numbers an earlier production used ({numbers.label(used_first)}–"
                f"{numbers.label(used_last)}); use --continue, or a --start after "
                f"{max(last for _, last in used)}"
            )
    return numbers
