"""A report of marks as data: what the Markdown, HTML and PDF reports all say.

Grouped by document (documents in title order, marks in reading order) or by
tag (one section per tag path, in name order; a mark with two tags stands in
both; untagged marks last). Every item cites its document and page as a
person would: "Complaint, p. iv (PDF page 4)" when the PDF's own page label
is not the page's number. Documents that share a title are told apart
everywhere a report names them: "Complaint (complaint-2012.pdf)" by the file
name, or "Complaint (doc 12)" when the file names are the same too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from docket.core.counts import count
from docket.core.model.colours import COLOUR_KEYS
from docket.core.model.colours import colour as colour_of
from docket.core.model.marks import Mark, MarkFilter, MarkKind
from docket.core.model.records import Document, DocumentKind
from docket.core.model.tags import is_within, normalize_tag
from docket.core.progress import CancelToken

if TYPE_CHECKING:
    from docket.core.case import Case

UNTAGGED = "Untagged"
UNKNOWN_RGB = "#9e9e9e"  # a colour key from a newer Docket: shown grey, named by its key


class Grouping(StrEnum):
    DOCUMENT = "document"
    TAG = "tag"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Which marks to report and how; empty filters take everything."""

    group: Grouping = Grouping.DOCUMENT
    docs: tuple[int, ...] = ()
    tag: str | None = None  # a tag takes its children too
    colour: str | None = None  # a colour key


@dataclass(frozen=True, slots=True)
class ReportItem:
    mark: Mark
    document: str  # the document's title, told apart from others of that title
    citation: str  # "Complaint, p. iv (PDF page 4)"
    colour_name: str  # the user's name for the colour ("Key fact")
    colour_rgb: str  # "#rrggbb"


@dataclass(frozen=True, slots=True)
class ReportSection:
    heading: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    made: datetime
    grouping: Grouping
    filters: tuple[str, ...]  # "Tag: Issue", said to the reader of the report
    sections: tuple[ReportSection, ...]
    mark_count: int  # each mark once, even when it stands under two tags
    legend: tuple[tuple[str, str], ...]  # (name, rgb) of each colour used, in colour order


def page_citation(
    title: str, kind: DocumentKind, pages: tuple[int, str], end: tuple[int, str] | None = None
) -> str:
    """ "Complaint, p. 4", "Complaint, p. iv (PDF page 4)", "Complaint, pp. 3–4"."""
    (first, first_label), (last, last_label) = pages, end or pages
    shown = (first_label or str(first), last_label or str(last))
    own_labels = shown != (str(first), str(last))
    unit = "PDF page" if kind is DocumentKind.PDF else "page"
    if last == first:
        where = f"p. {shown[0]}" + (f" ({unit} {first})" if own_labels else "")
    else:
        where = f"pp. {shown[0]}–{shown[1]}" + (f" ({unit}s {first}–{last})" if own_labels else "")
    return f"{title}, {where}"


def selected_marks(case: Case, options: ReportOptions) -> list[Mark]:
    """The marks the options choose, in reading order (document, page, position)."""
    only_doc = options.docs[0] if len(options.docs) == 1 else None
    found = case.marking.marks(MarkFilter(doc=only_doc, tag=options.tag, colour=options.colour))
    if options.docs:
        wanted = set(options.docs)
        found = [mark for mark in found if mark.doc in wanted]
    return found


def document_names(documents: Iterable[Document]) -> dict[int, str]:
    """Each document's name in a report: its title, and for a title that two or
    more share, the file name, or the document number when that is shared too."""
    by_title: dict[str, list[Document]] = {}
    for document in documents:
        by_title.setdefault(_title(document).casefold(), []).append(document)
    names: dict[int, str] = {}
    for same in by_title.values():
        files = [document.source_name.casefold() for document in same]
        for document in same:
            title = _title(document)
            if len(same) == 1:
                names[document.id] = title
            elif document.source_name and files.count(document.source_name.casefold()) == 1:
                names[document.id] = f"{title} ({document.source_name})"
            else:
                names[document.id] = f"{title} (doc {document.id})"
    return names


def _title(document: Document) -> str:
    return document.title or document.source_name or f"Document {document.id}"


class Citations:
    """Titles and page labels, each read once however many marks share them."""

    def __init__(self, case: Case) -> None:
        self._case = case
        self._documents: dict[int, Document] = {}
        self._labels: dict[tuple[int, int], str] = {}
        self._names: dict[int, str] | None = None

    def name(self, doc: int) -> str:
        """The document's title, told apart from the case's other documents of that title."""
        if self._names is None:
            # The whole case, not only the documents reported: the same document
            # is named alike in every report, and a reader of a report that holds
            # one of two "Complaint"s still learns which one it is.
            self._names = document_names(self._case.documents())
        return self._names.get(doc) or _title(self.document(doc))

    def document(self, doc: int) -> Document:
        if doc not in self._documents:
            self._documents[doc] = self._case.document(doc)
        return self._documents[doc]

    def label(self, doc: int, page: int) -> str:
        if (doc, page) not in self._labels:
            self._labels[doc, page] = self._case.page(doc, page).label or str(page)
        return self._labels[doc, page]

    def cite(self, mark: Mark) -> str:
        document = self.document(mark.doc)
        if mark.page is None:
            return self.name(mark.doc)
        end = mark.end_page or mark.page
        return page_citation(
            self.name(mark.doc),
            document.kind,
            (mark.page, self.label(mark.doc, mark.page)),
            (end, self.label(mark.doc, end)),
        )


def build_report(
    case: Case,
    options: ReportOptions,
    colour_names: dict[str, str],
    *,
    title: str = "",
    cancel: CancelToken | None = None,
) -> Report:
    marks = selected_marks(case, options)
    citations = Citations(case)
    items: list[ReportItem] = []
    for mark in marks:
        if cancel is not None:
            cancel.raise_if_cancelled()
        rgb = _rgb(mark.colour)
        items.append(
            ReportItem(
                mark,
                citations.name(mark.doc),
                citations.cite(mark),
                colour_names.get(mark.colour, mark.colour),
                rgb,
            )
        )
    grouped = _by_tag(items, options.tag) if options.group is Grouping.TAG else _by_document(items)
    return Report(
        title=title or f"Marks — {case.path.name}",
        made=datetime.now(UTC),
        grouping=options.group,
        filters=_filters(options, citations, colour_names),
        sections=tuple(grouped),
        mark_count=len(items),
        legend=_legend(items),
    )


def _rgb(key: str) -> str:
    try:
        return colour_of(key).rgb
    except KeyError:
        return UNKNOWN_RGB


def _reading_order(item: ReportItem) -> tuple[str, int, int, int, int]:
    mark = item.mark
    start = mark.anchor.start if mark.anchor else -1
    return (item.document.casefold(), mark.doc, mark.page or 0, start, mark.id)


def _by_document(items: list[ReportItem]) -> list[ReportSection]:
    sections: dict[int, list[ReportItem]] = {}
    for item in sorted(items, key=_reading_order):
        sections.setdefault(item.mark.doc, []).append(item)
    return [ReportSection(group[0].document, tuple(group)) for group in sections.values()]


def _by_tag(items: list[ReportItem], within: str | None) -> list[ReportSection]:
    parent = normalize_tag(within) if within else None
    sections: dict[str, list[ReportItem]] = {}
    untagged: list[ReportItem] = []
    for item in sorted(items, key=_reading_order):
        # Under a tag filter, a mark's other tags are not what the reader asked for.
        tags = [t for t in item.mark.tags if parent is None or is_within(t, parent)]
        for tag in tags:
            sections.setdefault(tag, []).append(item)
        if not tags:
            untagged.append(item)
    found = [ReportSection(tag, tuple(sections[tag])) for tag in sorted(sections, key=str.casefold)]
    return found + ([ReportSection(UNTAGGED, tuple(untagged))] if untagged else [])


def _filters(
    options: ReportOptions, citations: Citations, colour_names: dict[str, str]
) -> tuple[str, ...]:
    said: list[str] = []
    if options.docs:
        titles = (citations.name(doc) for doc in options.docs)
        said.append("Documents: " + ", ".join(titles))
    if options.tag:
        said.append(f"Tag: {normalize_tag(options.tag)} (and the tags below it)")
    if options.colour:
        said.append(f"Colour: {colour_names.get(options.colour, options.colour)}")
    return tuple(said)


def _legend(items: Iterable[ReportItem]) -> tuple[tuple[str, str], ...]:
    used = {item.mark.colour: (item.colour_name, item.colour_rgb) for item in items}
    rank = {key: number for number, key in enumerate(COLOUR_KEYS)}
    return tuple(used[key] for key in sorted(used, key=lambda key: rank.get(key, len(rank))))


def summary_line(report: Report) -> str:
    """ "8 marks, grouped by tag. Made 2024-05-01 14:03 with Docket." in local time."""
    made = report.made.astimezone().strftime("%Y-%m-%d %H:%M")
    marks = count(report.mark_count, "mark")
    return f"{marks}, grouped by {report.grouping}. Made {made} with Docket."


def kind_label(kind: MarkKind) -> str:
    return {
        MarkKind.HIGHLIGHT: "Highlight",
        MarkKind.PAGE_NOTE: "Page note",
        MarkKind.DOCUMENT_NOTE: "Document note",
        MarkKind.REDACTION: "Redaction",
    }[kind]
