"""Where pages and points on them are in the viewport, for one scroll position.

Three coordinate systems meet in the page view: *points* on a page (what
QtPdf, `TextRange` rectangles and later mouse selection use), *content*
pixels in the whole scrolled area (`PageLayout`), and *viewport* pixels
(content minus the scroll offsets). A `PageGeometry` is a cheap snapshot
that converts between them; the view makes a new one whenever it needs one,
so it never goes stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF

from docket.app.reader.pagelayout import PageLayout, PageSizes
from docket.core.pdf.geometry import Rect


@dataclass(frozen=True)
class PageGeometry:
    layout: PageLayout
    sizes: PageSizes | None
    scroll_x: int
    scroll_y: int
    width: int  # the viewport's, in logical px
    height: int

    def page_rect(self, index: int) -> QRect:
        """Page `index` (0-based) in viewport pixels."""
        width, height = self.layout.size(index)
        x = self.layout.left(index, self.width) - self.scroll_x
        y = self.layout.top(index) - self.scroll_y
        return QRect(x, y, width, height)

    def visible_pages(self) -> list[int]:
        """Indexes of the pages in view, top to bottom."""
        return list(self.layout.pages_between(self.scroll_y, self.scroll_y + self.height))

    def point_scale(self, index: int) -> tuple[float, float]:
        """Pixels per point across and down page `index`."""
        # The page's own ratio, not the zoom's: its pixel size was rounded, and
        # its image fills exactly that size, so this is where the ink lands.
        width, height = self.layout.size(index)
        points = self.sizes[index] if self.sizes is not None else (1.0, 1.0)
        return width / points[0], height / points[1]

    def to_viewport(self, index: int, rects: Sequence[Rect]) -> list[QRectF]:
        """Rectangles in points on page `index`, in viewport pixels."""
        page = self.page_rect(index)
        kx, ky = self.point_scale(index)
        return [
            QRectF(page.x() + x * kx, page.y() + y * ky, w * kx, h * ky) for x, y, w, h in rects
        ]

    def content_point(self, index: int, point: QPointF) -> QPointF:
        """A point on page `index` (in points), in content pixels."""
        page = self.page_rect(index)
        kx, ky = self.point_scale(index)
        return QPointF(
            page.x() + self.scroll_x + point.x() * kx, page.y() + self.scroll_y + point.y() * ky
        )

    def page_point(self, position: QPointF) -> tuple[int, QPointF] | None:
        """The page at a viewport position (the nearest, in a gap), and the position in points."""
        if not self.layout:
            return None
        index = self.layout.page_at(position.y() + self.scroll_y)
        page = self.page_rect(index)
        kx, ky = self.point_scale(index)
        return index, QPointF((position.x() - page.x()) / kx, (position.y() - page.y()) / ky)
