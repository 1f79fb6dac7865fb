"""The privilege log (issue 18): what is withheld or redacted as privileged, one row each.

The convention (README, Productions): a privilege is a tag under `Privilege/`,
its type the rest of the tag — `Privilege/Attorney-Client`,
`Privilege/Work Product`. A document so tagged is logged whole (withheld or
produced redacted); a redaction is logged on its own when it is so tagged, or
when its reason is Attorney-Client (AC) or Work Product (WP), whose labels are
then its type. A document's type is its `Type/` tag when it has one
(`Type/Email`), else its kind (PDF, Scanned PDF, Image, Text).

Columns, as courts expect them: Bates range (the document's, or the redacted
page's, from its latest production; blank when not produced), date and author
(the PDF's own metadata), recipients (blank: a PDF does not say), document
type, privilege type, description (the document's notes, or the redaction's
note, else its reason), and the document's title and id to find it again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.export.reportmodel import ReportOptions
from docket.core.export.spreadsheet import safe_cell
from docket.core.model.marks import MarkFilter, MarkKind
from docket.core.model.records import Document, DocumentKind, OcrState
from docket.core.model.tags import is_within
from docket.core.storage import bates as batestore

if TYPE_CHECKING:
    from docket.core.case import Case

PRIVILEGE_TAG = "Privilege"
TYPE_TAG = "Type"
PRIVILEGED_REASONS = ("AC", "WP")  # redaction reasons that are privileges by themselves
HEADER = (
    "Entry",
    "Bates range",
    "Date",
    "Author",
    "Recipients",
    "Document type",
    "Privilege type",
    "Description",
    "Document",
    "Document ID",
)


@dataclass(frozen=True, slots=True)
class PrivilegeEntry:
    bates_range: str
    date: str
    author: str
    recipients: str
    document_type: str
    privilege_type: str
    description: str
    document: str
    doc_id: int


def privilege_entries(case: Case, options: ReportOptions | None = None) -> list[PrivilegeEntry]:
    """The log's rows in document order: a privileged document, then its privileged
    redactions not already covered by the document's own row."""
    options = options or ReportOptions()
    wanted = set(options.docs)
    document_tags = case.marking.all_document_tags()
    reasons = {reason.code: reason.label for reason in case.marking.redaction_reasons()}
    connection = case.database.read()
    entries: list[PrivilegeEntry] = []
    for document in case.documents():
        if wanted and document.id not in wanted:
            continue
        tags = document_tags.get(document.id, [])
        privileges = _privileges(tags)
        bates = batestore.page_labels(connection, document.id)
        marks = case.marking.marks(MarkFilter(doc=document.id))
        kind = _document_type(document, tags)
        if privileges:
            notes = [m.note.strip() for m in marks if m.kind is MarkKind.DOCUMENT_NOTE]
            entries.append(
                _entry(
                    document,
                    _range([bates.get(n, "") for n in range(1, document.page_count + 1)]),
                    kind,
                    privileges,
                    " ".join(note for note in notes if note),
                )
            )
        for mark in marks:
            if mark.kind is not MarkKind.REDACTION:
                continue
            own = _privileges(mark.tags) or (
                [reasons.get(mark.reason, mark.reason)] if mark.reason in PRIVILEGED_REASONS else []
            )
            if not own:
                continue
            pages = range(mark.page or 1, (mark.end_page or mark.page or 1) + 1)
            description = mark.note.strip() or f"Redacted: {reasons.get(mark.reason, mark.reason)}"
            entries.append(
                _entry(document, _range([bates.get(n, "") for n in pages]), kind, own, description)
            )
    return entries


def write_privilege_log(case: Case, path: Path, options: ReportOptions | None = None) -> int:
    """The log as CSV (UTF-8 with a BOM, cells safe from formulas, as every CSV export);
    the number of rows."""
    entries = privilege_entries(case, options)
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for number, entry in enumerate(entries, start=1):
            writer.writerow(
                [
                    str(number),
                    *(
                        safe_cell(value)
                        for value in (
                            entry.bates_range,
                            entry.date,
                            entry.author,
                            entry.recipients,
                            entry.document_type,
                            entry.privilege_type,
                            entry.description,
                            entry.document,
                        )
                    ),
                    str(entry.doc_id),
                ]
            )
    return len(entries)


def _privileges(tags: Iterable[str]) -> list[str]:
    """The privilege types `tags` name: 'Privilege/Attorney-Client' → 'Attorney-Client'
    ('Privilege' alone: 'Privileged')."""
    found: list[str] = []
    for tag in tags:
        if is_within(tag, PRIVILEGE_TAG):
            kind = tag.partition("/")[2] or "Privileged"
            if kind not in found:
                found.append(kind)
    return found


def _document_type(document: Document, tags: Sequence[str]) -> str:
    for tag in tags:
        if is_within(tag, TYPE_TAG) and "/" in tag:
            return tag.partition("/")[2]
    if document.kind is DocumentKind.TEXT:
        return "Text"
    if document.kind is DocumentKind.IMAGE:
        return "Image"
    return "Scanned PDF" if document.ocr is OcrState.DONE else "PDF"


def _range(labels: Sequence[str]) -> str:
    """'ABC000004–ABC000007', one number for one page; blank unless every page has one."""
    if not labels or not all(labels):
        return ""
    return labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"


def _entry(
    document: Document, bates: str, kind: str, privileges: Sequence[str], description: str
) -> PrivilegeEntry:
    return PrivilegeEntry(
        bates_range=bates,
        date=document.created.date().isoformat() if document.created else "",
        author=document.author,
        recipients="",
        document_type=kind,
        privilege_type="; ".join(privileges),
        description=" ".join(description.split()),
        document=document.title or document.source_name,
        doc_id=document.id,
    )


__all__ = ["HEADER", "PrivilegeEntry", "privilege_entries", "write_privilege_log"]
