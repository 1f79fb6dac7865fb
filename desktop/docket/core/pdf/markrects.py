"""A highlight's rectangles on its PDF pages, from QtPdf's text geometry.

The window passes the rectangles it already drew; the command line and
imports ask here, which opens the original once per call.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument

from docket.core.model.marks import Anchor, MarkRect
from docket.core.pdf.geometry import selection_rects


def open_pdf(path: Path, password: str | None) -> QPdfDocument:
    document = QPdfDocument()
    if password:
        document.setPassword(password)
    document.load(str(path))
    return document


def anchor_rects(
    document: QPdfDocument, anchor: Anchor, page_lengths: dict[int, int]
) -> tuple[MarkRect, ...]:
    rects: list[MarkRect] = []
    for span in anchor.ranges(page_lengths):
        for x, y, width, height in selection_rects(document, span.page, span.start, span.end):
            rects.append(MarkRect(span.page, x, y, width, height))
    return tuple(rects)


def rects_for(
    path: Path, password: str | None, anchor: Anchor, page_lengths: dict[int, int]
) -> tuple[MarkRect, ...]:
    document = open_pdf(path, password)
    try:
        return anchor_rects(document, anchor, page_lengths)
    finally:
        document.close()
