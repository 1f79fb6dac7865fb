"""Docket's own query representation: what a search means, whatever engine runs it.

`docket.core.search.parser` turns what the user typed into these nodes; an
engine (the Whoosh one, and a tiny in-memory one in the tests)
translates them into its own queries. Values are kept as the user typed them
(not lowercased, folded or stemmed): those are the analyzer's rules, applied
by the engine with `docket.core.search.analysis`, so every engine agrees.
Where a typed word is several words to the analyzer (``self-defence``,
``16.12.2011``), the parser has already made it a `Phrase` of those words.

Positions (`start`, `end`) are offsets into the typed query, for error messages
that point at the word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

DEFAULT_FIELD = "text"
# The fields a user may name: `tag:Torture`, `date:2012`, `note:witness`…
USER_FIELDS = ("author", "bates", "date", "fact", "name", "note", "tag", "text", "title", "type")
# Fields whose value is one term however many words it has: `tag:"Witness/Jane Doe"`,
# `type:pdf`. The value is matched lowercased and unaccented, never stemmed.
WHOLE_VALUE_FIELDS = ("tag", "type")
DATE_FIELD = "date"  # its values are read as dates and become `DateRange`s
# A fact's date (a mark's, core/chronology): `fact:[2011-12 TO 2012-04]` finds the facts
# whose period overlaps the range, and nothing else.
FACT_FIELD = "fact"
DATE_FIELDS = (DATE_FIELD, FACT_FIELD)
# A page's Bates number (issue 18): `bates:ABC000042`, `bates:[ABC000040 TO ABC000050]`.
BATES_FIELD = "bates"
BATES_RE = re.compile(r"(?P<prefix>.*?\D)?(?P<number>\d+)")


def bates_parts(label: str) -> tuple[str, int] | None:
    """A Bates number as its prefix (up to its last non-digit, uppercased) and number:
    the index and the query split it alike, so a prefix ending in digits still matches."""
    found = BATES_RE.fullmatch(label.strip())
    if found is None:
        return None
    return (found.group("prefix") or "").upper(), int(found.group("number"))


@dataclass(frozen=True)
class Term:
    """One word: every form with the same stem matches (``tortured`` finds ``torture``).

    In a `WHOLE_VALUE_FIELDS` field, the whole value (``Witness/Jane Doe``).
    """

    field: str
    text: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Phrase:
    """Words in order; `slop` 1 means adjacent, more lets that many positions apart."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Wildcard:
    """A word with ``*`` (any letters) or ``?`` (one letter): ``tortur*``, ``t?rture``."""

    field: str
    pattern: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Fuzzy:
    """A word up to `distance` edits away, sharing its first `prefix` letters: ``torture~1``."""

    field: str
    text: str
    distance: int = 1
    prefix: int = 1
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class DateRange:
    """Documents dated from `first` to `last`, both included; None is open-ended.

    In the `fact` field: facts whose period overlaps [first, last]."""

    first: datetime | None
    last: datetime | None
    field: str = "date"
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class BatesRange:
    """Pages whose Bates number has `prefix` and a number from `first` to `last`."""

    prefix: str
    first: int
    last: int
    start: int = 0
    end: int = 0
    field: str = BATES_FIELD


@dataclass(frozen=True)
class And:
    """Records every child finds (two or more children)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Records any child finds (two or more children)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """What `child` does not find.

    Inside an `And` (``police NOT army``) it takes `child`'s records away from
    the rest; anywhere else (``NOT police``) it finds every record but those.
    """

    child: Node


Node = Term | Phrase | Wildcard | Fuzzy | DateRange | BatesRange | And | Or | Not


@dataclass(frozen=True)
class ParsedQuery:
    """A checked query: the typed text and what it means."""

    text: str
    root: Node


def walk(node: Node) -> list[Node]:
    """`node` and every node under it, parents first."""
    found: list[Node] = [node]
    if isinstance(node, And | Or):
        for child in node.children:
            found.extend(walk(child))
    elif isinstance(node, Not):
        found.extend(walk(node.child))
    return found
