"""Marks: highlights, page notes and document notes, as the core hands them out.

A highlight points into the one coordinate system (PRODUCT.md): a start in
one page's stored text and an end in the same or a later page's, plus the
quoted words with a little context on each side (like the W3C
TextQuoteSelector) and, for PDFs, its rectangles on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from docket.core.model.records import TextRange


class MarkKind(StrEnum):
    HIGHLIGHT = "highlight"
    PAGE_NOTE = "page-note"
    DOCUMENT_NOTE = "document-note"
    REDACTION = "redaction"  # a box over words, burned in when produced (issue 18)


@dataclass(frozen=True, slots=True)
class MarkRect:
    """A rectangle in points, origin top-left of the page as displayed."""

    page: int  # 1-based
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a highlight is: [start of `page`, end of `end_page`) of the stored texts."""

    page: int
    start: int
    end_page: int
    end: int

    def ranges(self, page_lengths: dict[int, int]) -> list[TextRange]:
        """One TextRange per page the anchor touches (`page_lengths`: page → text length)."""
        if self.page == self.end_page:
            return [TextRange(self.page, self.start, self.end)]
        spans = [TextRange(self.page, self.start, page_lengths.get(self.page, self.start))]
        spans += [
            TextRange(p, 0, page_lengths.get(p, 0)) for p in range(self.page + 1, self.end_page)
        ]
        spans.append(TextRange(self.end_page, 0, self.end))
        return [span for span in spans if span.end > span.start]


FACT_STATUSES = ("undisputed", "disputed", "unknown")


@dataclass(frozen=True, slots=True)
class MarkFact:
    """A mark's place in the chronology, as stored; without a date it is no fact.

    `date` is the ISO form ('2011', '2011-12', '2011-12-16', 'FROM/TO'; see
    core/chronology/dates), `date_text` the words the user typed, `status` one
    of FACT_STATUSES or ''."""

    date: str = ""
    date_text: str = ""
    circa: bool = False
    status: str = ""

    @property
    def is_set(self) -> bool:
        return bool(self.date or self.status)


NO_FACT = MarkFact()


@dataclass(frozen=True, slots=True)
class Mark:
    id: int
    uuid: str
    doc: int
    kind: MarkKind
    anchor: Anchor | None  # None for notes
    page: int | None  # first page; None for a document note
    quote: str
    prefix: str
    suffix: str
    rects: tuple[MarkRect, ...]
    colour: str
    note: str
    tags: tuple[str, ...]
    author: str
    created: datetime
    modified: datetime
    fact: MarkFact = NO_FACT  # a date makes the mark a fact of the chronology
    reason: str = ""  # a redaction's reason code ('AC', 'PII'…); '' on every other mark

    @property
    def is_fact(self) -> bool:
        return bool(self.fact.date)

    @property
    def end_page(self) -> int | None:
        return self.anchor.end_page if self.anchor else self.page

    def as_json(self) -> dict[str, object]:
        """The shape of `docket marks --json`."""
        anchor = self.anchor
        fact: dict[str, object] = {}
        if self.fact.is_set:  # only on facts: every other mark keeps its old shape
            fact = {
                "date": self.fact.date,
                "date_text": self.fact.date_text,
                "circa": self.fact.circa,
                "status": self.fact.status,
            }
        redaction: dict[str, object] = {}
        if self.kind is MarkKind.REDACTION:
            redaction = {"reason": self.reason}
        return {
            "id": self.id,
            "doc": self.doc,
            "kind": str(self.kind),
            "page": self.page,
            "start": anchor.start if anchor else None,
            "end_page": anchor.end_page if anchor else self.page,
            "end": anchor.end if anchor else None,
            "quote": self.quote,
            "note": self.note,
            "tags": list(self.tags),
            "color": self.colour,
            "author": self.author,
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            **fact,
            **redaction,
        }


@dataclass(frozen=True, slots=True)
class MarkFilter:
    """Which marks to list; every field left empty matches everything."""

    doc: int | None = None
    tag: str | None = None  # a tag matches its children too
    colour: str | None = None
    text: str = ""  # words anywhere in the quote, the note or the tags
    kinds: tuple[MarkKind, ...] = ()


@dataclass(frozen=True, slots=True)
class MarkChange:
    """What an edit sets; None leaves a value as it was."""

    colour: str | None = None
    note: str | None = None
    tags: tuple[str, ...] | None = None
    fact: MarkFact | None = None  # NO_FACT takes a mark out of the chronology


@dataclass(frozen=True, slots=True)
class TagCount:
    name: str  # full path, "Issue/Torture"
    marks: int  # marks carrying exactly this tag
    documents: int  # documents carrying exactly this tag


@dataclass(slots=True)
class TagNode:
    """One node of the tag tree; a parent that nobody used directly counts 0 itself."""

    name: str  # the last segment, "Torture"
    path: str  # "Issue/Torture"
    marks: int = 0
    documents: int = 0
    children: list[TagNode] = field(default_factory=list)

    @property
    def total_marks(self) -> int:
        return self.marks + sum(child.total_marks for child in self.children)

    @property
    def total_documents(self) -> int:
        return self.documents + sum(child.total_documents for child in self.children)
