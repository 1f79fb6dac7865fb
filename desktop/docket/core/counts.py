"""Saying how many: "1 page", "2 pages", never "1 pages".

Every message that counts things (the command line's, the window's, the
reports') says it through :func:`count`, so a single one is singular everywhere.
"""

from __future__ import annotations

# Nouns whose plural is not the singular plus "s".
_IRREGULAR = {"match": "matches", "copy": "copies", "entry": "entries", "index": "indexes"}


def plural(noun: str, number: int) -> str:
    """`noun` as it goes with `number` (English: singular only for exactly one)."""
    if number == 1:
        return noun
    last = noun.rsplit(" ", 1)[-1]
    if last in _IRREGULAR:
        return noun[: len(noun) - len(last)] + _IRREGULAR[last]
    return f"{noun}s"


def count(number: int, noun: str, *, grouped: bool = False) -> str:
    """`number` and its noun: "1 page", "3 pages"; `grouped` puts commas in ("1,024 pages")."""
    shown = f"{number:,}" if grouped else str(number)
    return f"{shown} {plural(noun, number)}"
