"""From a page as QtPdf shows it to the PDF's own coordinates, and back.

Marks keep their rectangles as QtPdf reports them: points, origin at the
top-left corner of the page *as displayed*, i.e. of the crop box with the
page's /Rotate applied (measured with QtPdf 6.12 on pages rotated 0, 90,
180 and 270 degrees, with and without a crop box that does not start at 0).
Annotations live in the PDF's default user space: origin wherever the media
box puts it, y upwards, before rotation. Exporting highlights and reading
other readers' highlights both go through this one mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class PageSpace:
    """A page's visible box in user space and its clockwise display rotation."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0  # 0, 90, 180 or 270

    @classmethod
    def of(cls, page: Any) -> PageSpace:
        """The space of a pypdf page: its crop box (within the media box) and /Rotate."""
        media = _box(page.mediabox)
        crop = _box(page.cropbox)  # pypdf falls back to the media box
        # PDFium shows the crop box clipped to the media box; a crop box outside
        # it (broken files have them) falls back to the media box.
        left, bottom = max(crop[0], media[0]), max(crop[1], media[1])
        right, top = min(crop[2], media[2]), min(crop[3], media[3])
        if right <= left or top <= bottom:
            left, bottom, right, top = media
        try:
            rotation = int(page.rotation)
        except (TypeError, ValueError):
            rotation = 0
        # /Rotate must be a multiple of 90; anything else is rounded, as viewers do.
        return cls(left, bottom, right, top, (round(rotation / 90) * 90) % 360)

    @property
    def width(self) -> float:
        """Width of the page as displayed."""
        across = self.right - self.left
        return self.top - self.bottom if self.rotation in (90, 270) else across

    @property
    def height(self) -> float:
        down = self.top - self.bottom
        return self.right - self.left if self.rotation in (90, 270) else down

    def to_pdf(self, x: float, y: float) -> Point:
        """A displayed point (top-left origin) in user space."""
        if self.rotation == 90:
            return self.left + y, self.bottom + x
        if self.rotation == 180:
            return self.right - x, self.bottom + y
        if self.rotation == 270:
            return self.right - y, self.top - x
        return self.left + x, self.top - y

    def to_display(self, x: float, y: float) -> Point:
        """A user-space point on the displayed page (top-left origin)."""
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def quad(self, x: float, y: float, width: float, height: float) -> list[float]:
        """A displayed rectangle as QuadPoints (x1 y1 … x4 y4) in user space.

        The order is Acrobat's, which readers follow: top-left, top-right,
        bottom-left, bottom-right, as the text reads. A line is wider than tall
        where it is read; one standing on end on the displayed page is taken to
        be text of a page turned with /Rotate, which reads across user space.
        """
        x0, x1 = min(x, x + width), max(x, x + width)
        y0, y1 = min(y, y + height), max(y, y + height)
        points = [
            self.to_pdf(x0, y0),
            self.to_pdf(x1, y0),
            self.to_pdf(x0, y1),
            self.to_pdf(x1, y1),
        ]
        if x1 - x0 < y1 - y0 and self.rotation in (90, 270):
            left, bottom, right, top = bounds([v for point in points for v in point])
            points = [(left, top), (right, top), (left, bottom), (right, bottom)]
        return [value for point in points for value in point]


def bounds(values: Sequence[float]) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) around flat x, y pairs."""
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _box(rectangle: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(value) for value in rectangle)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
