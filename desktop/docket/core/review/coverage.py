"""`Reviewing` (`case.review`): pages reviewers had in view, and coverage per document.

The reader records a page once it was mostly in view for a couple of seconds
(how='viewed'); `docket review` marks pages by hand (how='marked'). Each page
counts once per reviewer, the first time kept. A document's coverage counts
the pages anyone reviewed, and each reviewer's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from docket.core.errors import DocketError
from docket.core.storage import pageviews as store

if TYPE_CHECKING:
    from docket.core.case import Case

VIEWED = "viewed"
MARKED = "marked"
MAX_REVIEWER = 200
_PAGE_SPAN = re.compile(r"^\s*(\d+)\s*(?:[-\u2013]\s*(\d+)\s*)?$")


@dataclass(frozen=True, slots=True)
class DocumentCoverage:
    doc: int
    title: str
    pages: int
    reviewed_pages: int  # by anyone (or by the one reviewer asked about)
    by_reviewer: Mapping[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.reviewed_pages >= self.pages

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: 99% until the last page is read."""
        return 100 if self.pages == 0 else 100 * self.reviewed_pages // self.pages

    def as_json(self) -> dict[str, object]:
        """The shape of `docket coverage --json`, one per document."""
        return {
            "doc": self.doc,
            "title": self.title,
            "pages": self.pages,
            "reviewed_pages": self.reviewed_pages,
            "by_reviewer": dict(sorted(self.by_reviewer.items())),
        }


def check_reviewer(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise DocketError("a reviewer needs a name (set the author name in Preferences)")
    if len(clean) > MAX_REVIEWER:
        raise DocketError(f"a reviewer's name may have at most {MAX_REVIEWER} characters")
    return clean


def default_reviewer() -> str:
    """The author name in Preferences, else the OS user."""
    from docket.core.preferences import default_author, load_preferences

    try:
        name = load_preferences().author
    except Exception:  # unreadable or newer preferences: the OS user still reviews
        name = ""
    return " ".join(name.split()) or default_author() or "unknown"


def parse_pages(spec: str, page_count: int) -> list[int]:
    """ "1-5,7, 9–10" → the pages; every bad part named, nothing half-read."""
    pages: set[int] = set()
    for part in spec.split(","):
        found = _PAGE_SPAN.match(part)
        if found is None:
            raise DocketError(f"{part.strip()!r} is not a page or a range like 1-5")
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if last < first:
            raise DocketError(f"the range {part.strip()} ends before it starts")
        if first < 1 or last > page_count:
            raise DocketError(
                f"pages {part.strip()}: the document has pages 1–{page_count}"
                if page_count
                else "the document has no pages"
            )
        pages.update(range(first, last + 1))
    return sorted(pages)


class Reviewing:
    def __init__(self, case: Case) -> None:
        self._case = case

    def record(self, doc: int, pages: Iterable[int], reviewer: str, how: str = VIEWED) -> int:
        """Record the pages as reviewed; how many were new for this reviewer."""
        if how not in (VIEWED, MARKED):
            raise DocketError(f"unknown review kind {how!r}")
        name = check_reviewer(reviewer)
        count = self._case.document(doc).page_count
        numbers = sorted(set(pages))
        outside = [n for n in numbers if not 1 <= n <= count]
        if outside:
            raise DocketError(f"document {doc} has pages 1–{count}, not {outside[0]}")
        if not numbers:
            return 0
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._case.database.write() as connection:
            return store.record(connection, doc, numbers, name, at, how)

    def reviewed_pages(self, doc: int, reviewer: str | None = None) -> frozenset[int]:
        return store.reviewed_pages(self._case.database.read(), doc, reviewer)

    def reviewers(self) -> list[str]:
        return store.reviewers(self._case.database.read())

    def coverage(self, reviewer: str | None = None) -> list[DocumentCoverage]:
        """Every document's coverage, by anyone or by one reviewer (who must have reviewed)."""
        connection = self._case.database.read()
        by_reviewer = store.counts_by_reviewer(connection)
        if reviewer is not None:
            known = store.reviewers(connection)
            if reviewer not in known:
                said = ", ".join(known) if known else "nobody has reviewed a page yet"
                raise DocketError(f"no pages were reviewed by {reviewer!r} (reviewers: {said})")
        totals = store.counts(connection)
        found = []
        for document in self._case.documents():
            mine = by_reviewer.get(document.id, {})
            reviewed = mine.get(reviewer, 0) if reviewer is not None else totals.get(document.id, 0)
            found.append(
                DocumentCoverage(document.id, document.title, document.page_count, reviewed, mine)
            )
        return found
