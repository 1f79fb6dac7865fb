"""Where a range of a PDF page's stored text is drawn: one rectangle per text line.

Highlights, search hits and exported annotations are drawn from these, so
they sit exactly on the text. QtPdf reports a selection as many small boxes
(often one per glyph or word, tight around its ink); a highlight wants one
box per line. The stored text's own line ends (PDFium's `\\r\\n`) split
the range into lines, so a range running down one column is never joined
with the column beside it and vertical writing gives one box per column;
within a line, boxes that follow each other at the same height are joined.

Computed on demand, not at import: one range costs a few milliseconds,
which at import would double the time spent on every page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtPdf import QPdfDocument

if TYPE_CHECKING:
    from PySide6.QtGui import QPolygonF

# (x, y, width, height) in points, page coordinates with the origin at the
# top-left corner of the page as displayed (rotation applied), like QRectF.
# A PDF annotation's QuadPoints need y flipped: pdf_y = page_height - y.
Rect = tuple[float, float, float, float]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Two boxes belong to one line when they share at least this much of the
# smaller one's height: enough for superscripts and quote marks, not enough
# for the line above or below (a word hyphenated across lines is one line of
# the stored text but two on the page).
_SAME_LINE_OVERLAP = 0.5


def selection_rects(document: QPdfDocument, page: int, start: int, end: int) -> list[Rect]:
    """Rectangles covering characters [start, end) of 1-based `page`'s stored text.

    Offsets are those of `getAllText(page - 1).text()`, i.e. of the page text
    in case.sqlite. Returns [] for an empty range, a page out of range, or
    characters that have no ink (spaces, line ends).
    """
    if not 1 <= page <= document.pageCount() or end <= start or start < 0:
        return []
    index = page - 1
    selection = document.getSelectionAtIndex(index, start, end - start)
    if not selection.isValid():
        return []
    segments = _line_segments(selection.text(), selection.startIndex())
    if len(segments) <= 1:
        return _merge(_boxes(selection.bounds()))
    # QtPdf's boxes do not say which character they cover, so only the line
    # ends in the text can split them into lines reliably: ask line by line.
    # (Splitting one call's boxes by position instead measured no faster on
    # real PDFs, and it joins lines whose boxes overlap.)
    rects: list[Rect] = []
    for first, stop in segments:
        line = document.getSelectionAtIndex(index, first, stop - first)
        rects.extend(_merge(_boxes(line.bounds())))
    return rects


def _line_segments(text: str, offset: int) -> list[tuple[int, int]]:
    """[start, end) page offsets of the pieces of `text` between line breaks that show ink."""
    segments: list[tuple[int, int]] = []
    position = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        stop = match.start() if match else len(text)
        if text[position:stop].strip():
            segments.append((offset + position, offset + stop))
        position = match.end() if match else stop
    return segments


def _boxes(polygons: Sequence[QPolygonF]) -> list[QRectF]:
    boxes = []
    for polygon in polygons:
        box = polygon.boundingRect()
        values = (box.x(), box.y(), box.width(), box.height())
        # PDFium gives the line ends and spaces it generates a 0 × 0 box at
        # the page's corner: nothing to draw there.
        if all(math.isfinite(value) for value in values) and (box.width() or box.height()):
            boxes.append(box)
    return boxes


def _merge(boxes: list[QRectF]) -> list[Rect]:
    """Joins boxes that follow each other on the same line into one."""
    merged: list[QRectF] = []
    for box in boxes:
        if merged and _same_line(merged[-1], box):
            merged[-1] = merged[-1].united(box)
        else:
            merged.append(QRectF(box))
    return [(box.x(), box.y(), box.width(), box.height()) for box in merged]


def _same_line(line: QRectF, box: QRectF) -> bool:
    # Only horizontal lines are joined. Vertical writing comes from PDFium as
    # one box per column already; joining stacked boxes as well would also
    # join the two halves of a hyphenated word that sit one above the other.
    return _overlaps(line.top(), line.bottom(), box.top(), box.bottom())


def _overlaps(a_start: float, a_end: float, b_start: float, b_end: float) -> bool:
    shared = min(a_end, b_end) - max(a_start, b_start)
    smaller = min(a_end - a_start, b_end - b_start)
    if smaller <= 0:  # a box with no height (PDFium gives some): touching is enough
        return shared >= 0
    return shared >= _SAME_LINE_OVERLAP * smaller
