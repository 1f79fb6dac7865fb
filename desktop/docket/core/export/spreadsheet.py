"""Marks as CSV: one row per mark, for a spreadsheet.

UTF-8 with a byte-order mark (`utf-8-sig`), because Excel reads a CSV
without one in the machine's legacy code page and turns "Zhanaözen" or any
Cyrillic into mojibake; every other reader skips the BOM. The csv module
quotes cells, so a note's line breaks stay inside its one cell.

A cell that begins with = + - @ or a tab is prefixed with an apostrophe:
spreadsheets would otherwise run it as a formula, and a quote from an
opponent's document is not something to execute (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.export.reportmodel import Citations, ReportOptions, selected_marks
from docket.core.model.colours import colour_names as default_colour_names
from docket.core.model.marks import Mark
from docket.core.progress import CancelToken

if TYPE_CHECKING:
    from docket.core.case import Case

HEADER = (
    "Document",
    "Page",
    "PDF page",
    "Quote",
    "Note",
    "Tags",
    "Colour",
    "Kind",
    "Author",
    "Created",
    "Modified",
    "Document ID",
    "Mark ID",
    "Mark UUID",
)
TAG_JOIN = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text, never evaluates."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def mark_rows(
    marks: Iterable[Mark], citations: Citations, colour_names: dict[str, str]
) -> Iterable[list[str]]:
    for mark in marks:
        label = citations.label(mark.doc, mark.page) if mark.page is not None else ""
        yield [
            safe_cell(citations.name(mark.doc)),
            safe_cell(label),
            str(mark.page) if mark.page is not None else "",
            safe_cell(mark.quote),
            safe_cell(mark.note),
            safe_cell(TAG_JOIN.join(mark.tags)),
            safe_cell(colour_names.get(mark.colour, mark.colour)),
            str(mark.kind),
            safe_cell(mark.author),
            mark.created.isoformat(timespec="seconds"),
            mark.modified.isoformat(timespec="seconds"),
            str(mark.doc),
            str(mark.id),
            mark.uuid,
        ]


def write_csv(
    case: Case,
    path: Path,
    options: ReportOptions | None = None,
    colour_names: dict[str, str] | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Write the chosen marks to `path`; returns how many rows were written."""
    marks = selected_marks(case, options or ReportOptions())
    names = default_colour_names() if colour_names is None else colour_names
    citations = Citations(case)
    # newline="" lets the csv module write its own \r\n and keep \n inside cells.
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(HEADER)
        for row in mark_rows(marks, citations, names):
            if cancel is not None:
                cancel.raise_if_cancelled()
            writer.writerow(row)
    return len(marks)
