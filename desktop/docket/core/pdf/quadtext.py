"""Which characters of a page's stored text lie under a highlight's quads.

For each quad, QtPdf's hit test (`getSelection` between the middle of the
quad's left and right edges, along the text as the quad reads) gives a
first guess; its ends are then checked one character at a time against the
quad, so that quads drawn a little too wide (Acrobat pads them), too narrow,
or over the space after a word give the words a person sees highlighted.
Asking every character for its box instead would be exact, but QtPdf loads
the page for each ask (0.4 ms): a full page of 3,000 characters took 1.1 s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtPdf import QPdfDocument

from docket.core.pdf.space import Point

Quad = tuple[Point, Point, Point, Point]
MARGIN = 1.0  # points of slack around a quad: PDFium's boxes and quads both round
_MAX_STEPS = 40  # characters an end may move by checking: a quad is one line


@dataclass(frozen=True, slots=True)
class _Frame:
    """A quad as a centre, the direction its text runs, and half its length and height."""

    centre: Point
    along: Point
    across: Point
    half_length: float
    half_height: float

    @classmethod
    def of(cls, quad: Quad, across_first: bool = False) -> _Frame:
        """The frame reading from the quad's first point to its second (Acrobat's
        order, and ISO 32000's), or to its third: the other axis of the quad."""
        (x1, y1), (x2, y2) = quad[0], quad[2 if across_first else 1]
        length = math.hypot(x2 - x1, y2 - y1)
        along = ((x2 - x1) / length, (y2 - y1) / length) if length > 1e-6 else (1.0, 0.0)
        across = (-along[1], along[0])
        cx, cy = sum(p[0] for p in quad) / 4, sum(p[1] for p in quad) / 4
        ts = [(p[0] - cx) * along[0] + (p[1] - cy) * along[1] for p in quad]
        ns = [(p[0] - cx) * across[0] + (p[1] - cy) * across[1] for p in quad]
        return cls((cx, cy), along, across, max(map(abs, ts)), max(map(abs, ns)))

    def point(self, t: float) -> QPointF:
        return QPointF(self.centre[0] + t * self.along[0], self.centre[1] + t * self.along[1])

    def holds(self, x: float, y: float) -> bool:
        dx, dy = x - self.centre[0], y - self.centre[1]
        t = dx * self.along[0] + dy * self.along[1]
        n = dx * self.across[0] + dy * self.across[1]
        return abs(t) <= self.half_length + MARGIN and abs(n) <= self.half_height + MARGIN


def span_under(
    document: QPdfDocument, page: int, text: str, quads: Sequence[Quad]
) -> tuple[int, int] | None:
    """[start, end) of `text` (1-based `page`'s stored text) under `quads`, or None."""
    spans = [span for quad in quads if (span := _quad_span(document, page - 1, text, quad))]
    if not spans:
        return None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    return (start, end) if end > start else None


def _quad_span(document: QPdfDocument, index: int, text: str, quad: Quad) -> tuple[int, int] | None:
    frame = _Frame.of(quad)
    if frame.half_length <= 0:
        return None
    guess = _guess(document, index, frame)
    if guess is None:
        # Text that runs along the quad's other side: a writer that orders the
        # points for the displayed page when the text is turned on it, or back.
        guess = _guess(document, index, _Frame.of(quad, across_first=True))
    if guess is None:
        return None
    inside = _Inside(document, index, text, frame)
    start, end = guess
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    end = _trim(inside, end - 1, -1, start) + 1  # what the hit test took beyond the quad
    start = _trim(inside, start, +1, end - 1)
    end = _grow(inside, end, +1, len(text))
    start = _grow(inside, start - 1, -1, len(text)) + 1
    return (start, end) if end > start else None


def _guess(document: QPdfDocument, index: int, frame: _Frame) -> tuple[int, int] | None:
    """QtPdf's hit test between the middles of the frame's two ends."""
    if frame.half_length <= 0:
        return None
    # Just inside the ends first; a one-character quad gives PDFium the same
    # character twice, which it answers with nothing, so then just outside.
    for reach in (
        frame.half_length - min(1.0, frame.half_length / 3),
        frame.half_length + frame.half_height,
    ):
        selection = document.getSelection(index, frame.point(-reach), frame.point(reach))
        if selection.isValid() and selection.text():
            return selection.startIndex(), selection.startIndex() + len(selection.text())
    return None


def _trim(inside: _Inside, at: int, step: int, limit: int) -> int:
    """From `at` towards `limit`, skip characters outside the quad; returns the new end."""
    edge = at
    probe = at
    for _ in range(_MAX_STEPS):
        if (probe - limit) * step > 0:
            break
        verdict = inside(probe)
        if verdict:
            break
        probe += step
        if verdict is False:
            edge = probe  # outside: the span ends before it
    return edge


def _grow(inside: _Inside, at: int, step: int, length: int) -> int:
    """Past `at`, in `step` direction, the characters the quad still covers."""
    edge = at
    probe = at
    for _ in range(_MAX_STEPS):
        if not 0 <= probe < length:
            break
        verdict = inside(probe)
        if verdict is False:
            break
        probe += step
        if verdict:
            edge = probe  # an inked character: the span reaches here
    return edge


class _Inside:
    """Whether a character's box lies in the quad: True, False, or None for no ink."""

    def __init__(self, document: QPdfDocument, index: int, text: str, frame: _Frame) -> None:
        self._document, self._index, self._text, self._frame = document, index, text, frame

    def __call__(self, offset: int) -> bool | None:
        if _blank(self._text[offset]):
            return None
        box = self._document.getSelectionAtIndex(self._index, offset, 1).boundingRectangle()
        box = box.normalized()
        if box.width() <= 0 and box.height() <= 0:
            return None  # PDFium's generated characters have no box
        centre = box.center()
        return self._frame.holds(centre.x(), centre.y())


def _blank(character: str) -> bool:
    return character.isspace() or character in "\ufffe\u00ad"
