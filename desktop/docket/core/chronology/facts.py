"""`Chronology` (`case.chronology`): the case's facts — marks with a date — in date order.

    case.chronology.set_date(mark_id, "circa March 2012", status="disputed")
    case.chronology.facts(FactFilter(first=date(2011, 12, 1), tag="People/Smith"))

A date is set through `Marking.change` like a note or a colour, so it is in
the audit log and undoable. Facts sort by the first day their date may mean
(a partial date at the start of its period), ties in document order; each
carries its source's pin cite from `case.citing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from docket.core.chronology.dates import FactDate, from_stored, parse_fact_date
from docket.core.chronology.suggest import Suggestion, suggest_date
from docket.core.cite.citation import Citation
from docket.core.errors import DocketError
from docket.core.model.marks import FACT_STATUSES, NO_FACT, Mark, MarkChange, MarkFact
from docket.core.model.tags import is_within, normalize_tag

if TYPE_CHECKING:
    from docket.core.case import Case

PEOPLE_TAG = "People"  # tags under People/ name the persons a fact is about


@dataclass(frozen=True, slots=True)
class Fact:
    mark: Mark
    date: FactDate
    citation: Citation

    @property
    def status(self) -> str:
        return self.mark.fact.status

    @property
    def date_text(self) -> str:
        return self.mark.fact.date_text or self.date.label

    @property
    def quote(self) -> str:
        """The words the fact rests on: the quote, or a note's own text."""
        return self.citation.quote or self.mark.quote or self.mark.note.strip()

    @property
    def people(self) -> tuple[str, ...]:
        return tuple(t for t in self.mark.tags if is_within(t, PEOPLE_TAG) and t != PEOPLE_TAG)

    def as_json(self) -> dict[str, object]:
        """The shape of `docket facts --json`."""
        return {
            "mark": self.mark.id,
            "date": self.date.stored,
            "date_text": self.date_text,
            "circa": self.date.circa,
            "status": self.status,
            "quote": self.quote,
            "cite": self.citation.cite,
            "tags": list(self.mark.tags),
            "note": self.mark.note,
            "doc": self.mark.doc,
            "page": self.mark.page,
        }


@dataclass(frozen=True, slots=True)
class FactFilter:
    """Which facts to list; every field left empty matches everything."""

    first: date | None = None  # facts whose date may fall on or after this day
    last: date | None = None  # … and on or before this one
    tag: str | None = None  # a tag matches its children too
    status: str | None = None  # '' matches facts without a status
    doc: int | None = None

    def matches(self, fact: Fact) -> bool:
        if not fact.date.overlaps(self.first, self.last):
            return False
        if self.tag and not any(is_within(t, self.tag) for t in fact.mark.tags):
            return False
        if self.status is not None and fact.status != self.status:
            return False
        return self.doc is None or fact.mark.doc == self.doc


def check_status(status: str) -> str:
    wanted = status.strip().lower()
    if wanted and wanted not in FACT_STATUSES:
        raise DocketError(f"unknown status {status!r}; choose one of {', '.join(FACT_STATUSES)}")
    return wanted


def fact_order(fact: Fact) -> tuple[date, int, int, int, int]:
    """Date order: the first day the date may mean, ties in document (reading) order."""
    mark = fact.mark
    start = mark.anchor.start if mark.anchor else -1
    return (fact.date.start, mark.doc, mark.page or 0, start, mark.id)


class Chronology:
    def __init__(self, case: Case) -> None:
        self._case = case

    def facts(self, where: FactFilter | None = None) -> list[Fact]:
        """The facts `where` lets through, in date order."""
        where = where or FactFilter()
        if where.tag:
            where = FactFilter(
                where.first, where.last, normalize_tag(where.tag), where.status, where.doc
            )
        found = [
            fact
            for mark in self._case.marking.marks()
            if mark.is_fact and (fact := self.fact_of(mark)) is not None and where.matches(fact)
        ]
        return sorted(found, key=fact_order)

    def fact_of(self, mark: Mark) -> Fact | None:
        """`mark` as a fact with its cite; None if it has no date (or a damaged one)."""
        try:
            when = from_stored(mark.fact.date, mark.fact.circa)
        except DocketError:
            return None
        if when is None:
            return None
        return Fact(mark, when, self._case.citing.cite(mark, style="short"))

    def set_date(
        self, mark_id: int, text: str | None, status: str | None = None
    ) -> tuple[Mark, Mark]:
        """Date mark `mark_id` as typed (`text` '' undates it; None keeps the date) and
        set its status (None keeps it). DocketError, the mark unchanged, if the date
        cannot be read; returns (before, after) as Marking.change does."""
        mark = self._case.marking.get(mark_id)
        fact = mark.fact
        if text is not None:
            typed = " ".join(text.split())
            if not typed:
                fact = NO_FACT
            else:
                when = parse_fact_date(typed)
                fact = MarkFact(when.stored, typed, when.circa, fact.status)
        if status is not None:
            if not fact.date and status:
                raise DocketError(f"mark {mark_id} has no date; give one with its status")
            fact = MarkFact(fact.date, fact.date_text, fact.circa, check_status(status))
        return self._case.marking.change(mark_id, MarkChange(fact=fact))

    def suggest(self, mark: Mark) -> Suggestion | None:
        """A date read from the mark's words (its note's, for a note), or None."""
        document = self._case.document(mark.doc)
        year = document.created.year if document.created else None
        page_text = self._case.page(mark.doc, mark.page).text if mark.page else ""
        return suggest_date(mark.quote or mark.note, document_year=year, page_text=page_text)

    def people(self) -> list[str]:
        """The tags under People/ that facts carry (the Chronology panel's person filter)."""
        names = {person for fact in self.facts() for person in fact.people}
        return sorted(names, key=str.casefold)
