"""Writes the transcripts the tests import: a deposition as text with form feeds, as
text with no form feeds (numbered lines only), as a PDF with the line numbers in the
left margin (QPdfWriter), and a brief with numbered paragraphs that is not one.

Every transcript line n of page p reads "Q. Page p line n words." (A. on even lines),
so a test can find the line it wants by its words."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from tests.core.pdf_factory import merge_text_runs, qt_app

LINES = 25


def line_words(page: int, line: int) -> str:
    return f"{'A' if line % 2 == 0 else 'Q'}. Page {page} line {line} words."


def transcript_page(page: int, count: int = LINES) -> str:
    """One page as a court reporter's text: the page number, then numbered lines."""
    numbered = [f"{line:>2}    {line_words(page, line)}" for line in range(1, count + 1)]
    return "\n".join([f"{'':>40}{page}", "", *numbered]) + "\n"


def write_text_transcript(path: Path, pages: int = 3, last_page_lines: int = LINES) -> Path:
    """A deposition in plain text: 25 numbered lines a page, pages split by form feeds."""
    texts = [
        transcript_page(n, LINES if n < pages else last_page_lines) for n in range(1, pages + 1)
    ]
    path.write_text("\f".join(texts), encoding="utf-8")
    return path


def write_unfed_transcript(path: Path, lines: int = 60) -> Path:
    """A hearing transcript of `lines` numbered lines and no form feeds: 1–25, 1–25, 1–10."""
    rows = ["HEARING TRANSCRIPT", ""]
    for index in range(lines):
        page, line = index // LINES + 1, index % LINES + 1
        rows.append(f"{line:>2}  {line_words(page, line)}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_pdf_transcript(path: Path, pages: int = 3, first_page: int = 1) -> Path:
    """A deposition PDF: each page's number top right, line numbers 1–25 in the left
    margin and the words beside them, as reporters' software prints them."""
    qt_app()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setResolution(72)
    painter = QPainter(writer)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(11)
    painter.setFont(font)
    for page in range(1, pages + 1):
        if page > 1:
            writer.newPage()
        painter.drawText(330, 50, f"Deposition of John Smith  Page {page + first_page - 1}")
        for line in range(1, LINES + 1):
            y = 80 + line * 26
            painter.drawText(40, y, f"{line:>2}")
            painter.drawText(90, y, line_words(page, line))
    painter.end()
    merge_text_runs(path)
    return path


def write_numbered_brief(path: Path) -> Path:
    """A brief with 30 numbered paragraphs, each wrapped over lines: not a transcript."""
    rows = ["PLAINTIFF'S BRIEF IN OPPOSITION", ""]
    for number in range(1, 31):
        rows += [
            f"{number}. The plaintiff states that on the day in question",
            "the defendant's officers entered the premises without",
            "a warrant and without the consent of the occupant.",
            "",
        ]
    path.write_text("\n".join(rows), encoding="utf-8")
    return path
