"""Argument types for numeric options: a bad number is a usage error with a clear message.

argparse calls these on the text given; an ArgumentTypeError becomes
`docket COMMAND: error: argument --workers: …` and exit status 2, before
anything in the case is touched.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """A type for an option taking a whole number from `low` (to `high`, if given)."""

    def parse(text: str) -> int:
        wanted = (
            f"a whole number from {low} to {high}"
            if high is not None
            else (f"a whole number, {low} or more")
        )
        try:
            number = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, not “{text}”") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"expected {wanted}, not {number}")
        return number

    parse.__name__ = "whole number"  # what argparse names in its own messages
    return parse


positive = whole_number(1)  # pages, occurrences: counted from 1
