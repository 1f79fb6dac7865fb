"""The open document's highlights as the reader draws them, and which one is where.

Built once per change of the marks (not per paint): each highlight becomes
one TextRange per page it touches, in its colour, and for a PDF its stored
rectangles are handed to the view as known geometry, so 2,000 highlights
cost no QtPdf call at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF

from docket.app.reader.overlays import Style, highlight_colour
from docket.app.reader.pagepainter import Badges, Redactions
from docket.core.model.marks import Mark, MarkKind
from docket.core.model.records import TextRange
from docket.core.pdf.geometry import Rect

HIT_SLOP = 2.0  # points around a highlight's rectangles that still count as on it


class HighlightLayer:
    def __init__(self) -> None:
        self.marks: list[Mark] = []
        self.styled: list[tuple[TextRange, Style]] = []
        self.known_rects: dict[TextRange, list[Rect]] = {}
        self.badges: Badges = {}
        self._by_page: dict[int, list[tuple[Mark, TextRange]]] = {}
        # Redactions: boxes drawn darkened with their reason (the words still readable).
        self.redaction_marks: list[Mark] = []
        self.redactions: Redactions = {}

    def set_marks(self, marks: Sequence[Mark], page_lengths: dict[int, int]) -> None:
        self.marks = [m for m in marks if m.kind is MarkKind.HIGHLIGHT and m.anchor]
        self.styled, self.known_rects, self._by_page, self.badges = [], {}, {}, {}
        self.redaction_marks = [m for m in marks if m.kind is MarkKind.REDACTION]
        self.redactions = {}
        for redaction in self.redaction_marks:
            for r in redaction.rects:
                self.redactions.setdefault(r.page, []).append(
                    (r.x, r.y, r.width, r.height, redaction.reason)
                )
        for mark in self.marks:
            assert mark.anchor is not None
            colour = highlight_colour(mark.colour)
            for span in mark.anchor.ranges(page_lengths):
                self.styled.append((span, colour))
                self._by_page.setdefault(span.page, []).append((mark, span))
                rects = [(r.x, r.y, r.width, r.height) for r in mark.rects if r.page == span.page]
                if rects:
                    # Two highlights over the same words keep their own rectangles.
                    self.known_rects.setdefault(span, rects)
            if mark.note and mark.rects:
                last = mark.rects[-1]
                self.badges.setdefault(last.page, []).append(
                    (last.x + last.width, last.y, colour)
                )  # top right: a superscript

    def mark(self, mark_id: int) -> Mark | None:
        return next((m for m in (*self.marks, *self.redaction_marks) if m.id == mark_id), None)

    def first_range(self, mark: Mark, page_lengths: dict[int, int]) -> TextRange | None:
        if mark.anchor is None:
            return None
        spans = mark.anchor.ranges(page_lengths)
        return spans[0] if spans else None

    def at_point(self, page: int, point: QPointF) -> Mark | None:
        """The topmost highlight drawn under a point of a PDF page."""
        for mark, _ in reversed(self._by_page.get(page, [])):
            for r in mark.rects:
                if (
                    r.page == page
                    and r.x - HIT_SLOP <= point.x() <= r.x + r.width + HIT_SLOP
                    and r.y - HIT_SLOP <= point.y() <= r.y + r.height + HIT_SLOP
                ):
                    return mark
        for redaction in reversed(self.redaction_marks):
            for r in redaction.rects:
                if r.page == page and QRectF(r.x, r.y, r.width, r.height).contains(point):
                    return redaction
        return None

    def at_offset(self, page: int, offset: int) -> Mark | None:
        """The topmost highlight covering a character of a page's text."""
        for mark, span in reversed(self._by_page.get(page, [])):
            if span.start <= offset < span.end:
                return mark
        return None
