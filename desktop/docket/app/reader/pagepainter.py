"""Draws the pages in view: white paper, the rendered image, marks, the current outline.

Painting never waits for rendering. A page whose image at the right size is
not in the cache yet is drawn from an image of it at another size (the
zoom before), stretched, or left white; the sizes it lacked are handed
back so the view can ask for them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from docket.app.reader.overlays import CURRENT_OUTLINE, style_colour
from docket.app.reader.pagecache import ImageCache, ImageKey
from docket.app.reader.pagegeometry import PageGeometry
from docket.app.reader.pagelayout import PageLayout
from docket.app.reader.pagemarks import MarkGeometry
from docket.core.model.records import TextRange

CACHE_BYTES = 150 * 1024 * 1024
# One image may take a quarter of the cache; beyond that (A4 at ~330% on a
# 96-dpi screen) a page renders at this size and is drawn stretched.
MAX_IMAGE_PIXELS = CACHE_BYTES // 4 // 4
MARKS_BUDGET_S = 0.008  # mark geometry per paint; the rest on the next paint
BORDER = QColor(0, 0, 0, 60)


@dataclass
class Painted:
    """What one paint needed and did."""

    wanted: list[ImageKey] = field(default_factory=list)  # most wanted first
    inked: list[int] = field(default_factory=list)  # 1-based pages drawn with their image
    marks_pending: bool = False  # some mark geometry is still to compute: paint again


def image_key(layout: PageLayout, index: int, ratio: float) -> ImageKey:
    """The image page `index` wants: its size in device pixels, within the cap."""
    width, height = layout.size(index)
    pixels_w, pixels_h = round(width * ratio), round(height * ratio)
    if pixels_w * pixels_h > MAX_IMAGE_PIXELS:
        shrink = math.sqrt(MAX_IMAGE_PIXELS / (pixels_w * pixels_h))
        pixels_w, pixels_h = int(pixels_w * shrink), int(pixels_h * shrink)
    return index + 1, max(1, pixels_w), max(1, pixels_h)


NOTE_BADGE_PT = 7.0  # the little note sign after a highlight that has a note, in points
# A highlight's note sign: (x, y) in points on the page, where its last line ends.
Badges = dict[int, list[tuple[float, float, QColor]]]


# A redaction in the reader: dark enough to see at once, light enough to read under.
REDACTION_FILL = QColor(0, 0, 0, 120)
REDACTION_EDGE = QColor(0, 0, 0, 220)
# Redactions to draw: page → [(x, y, width, height, reason code)] in points.
Redactions = dict[int, list[tuple[float, float, float, float, str]]]


class PagePainter:
    def __init__(self, cache: ImageCache, marks: MarkGeometry) -> None:
        self._cache = cache
        self._marks = marks
        self.badges: Badges = {}
        self.redactions: Redactions = {}

    def paint(
        self,
        painter: QPainter,
        geometry: PageGeometry,
        clip: QRect,
        ratio: float,
        current: TextRange | None,
    ) -> Painted:
        """Paints the pages in view; `ratio` is the device pixel ratio."""
        done = Painted()
        visible = geometry.visible_pages()
        for index in visible:
            self._paint_page(painter, geometry, index, clip, ratio, done)
        done.marks_pending = not self._marks.prepare([i + 1 for i in visible], MARKS_BUDGET_S)
        self._paint_marks(painter, geometry, visible, current)
        if visible and visible[-1] + 1 < len(geometry.layout):
            # The next page too, so that scrolling on finds it ready.
            done.wanted.append(image_key(geometry.layout, visible[-1] + 1, ratio))
        return done

    def _paint_page(
        self,
        painter: QPainter,
        geometry: PageGeometry,
        index: int,
        clip: QRect,
        ratio: float,
        done: Painted,
    ) -> None:
        rect = geometry.page_rect(index)
        key = image_key(geometry.layout, index, ratio)
        image = self._cache.get(key)
        if image is None:
            done.wanted.append(key)
        if not rect.adjusted(-1, -1, 0, 0).intersects(clip):
            return
        painter.fillRect(rect, Qt.GlobalColor.white)
        if image is not None:
            exact = (key[1], key[2]) == (round(rect.width() * ratio), round(rect.height() * ratio))
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not exact)
            painter.drawImage(QRectF(rect), image)
            done.inked.append(index + 1)
        else:
            stale = self._cache.best_for(index + 1)  # better than blank while the zoom renders
            if stale is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(QRectF(rect), stale)
        painter.setPen(QPen(BORDER, 1))
        painter.drawRect(rect.adjusted(-1, -1, 0, 0))

    def _paint_marks(
        self,
        painter: QPainter,
        geometry: PageGeometry,
        visible: Sequence[int],
        current: TextRange | None,
    ) -> None:
        # Multiply, as a highlighter does: the paper takes the colour, the ink stays black.
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.setPen(Qt.PenStyle.NoPen)
        for index in visible:
            for text_range, style in self._marks.on_page(index + 1):
                rects = self._marks.known_rects(text_range) or ()
                for rect in geometry.to_viewport(index, rects):
                    # A little taller than the glyphs' ink, as a highlighter stroke is.
                    pad = rect.height() * 0.12
                    painter.fillRect(rect.adjusted(0, -pad, 0, pad), style_colour(style))
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        self._paint_badges(painter, geometry, visible)
        self._paint_redactions(painter, geometry, visible)
        if current is not None and current.page - 1 in visible:
            painter.setPen(QPen(CURRENT_OUTLINE, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            outline = geometry.to_viewport(current.page - 1, self._marks.rects(current))
            for rect in outline:
                painter.drawRect(rect.adjusted(-2, -2, 2, 2))

    def _paint_redactions(
        self, painter: QPainter, geometry: PageGeometry, visible: Sequence[int]
    ) -> None:
        """A redaction as a dark box the words show through, its reason on a tab above
        its right end: the lawyer still reads what is redacted; productions burn it in."""
        font = painter.font()
        for index in visible:
            for x, y, width, height, reason in self.redactions.get(index + 1, ()):
                [box] = geometry.to_viewport(index, [(x, y, width, height)])
                painter.fillRect(box, REDACTION_FILL)
                painter.setPen(QPen(REDACTION_EDGE, 1))
                painter.drawRect(box)
                if not reason:
                    continue
                small = QFont(font)
                small.setPixelSize(max(8, min(11, round(box.height() * 0.5))))
                small.setBold(True)
                painter.setFont(small)
                metrics = painter.fontMetrics()
                tab = QRectF(0, 0, metrics.horizontalAdvance(reason) + 6, metrics.height())
                tab.moveBottomRight(box.topRight())
                painter.fillRect(tab, REDACTION_EDGE)
                painter.setPen(QColor("white"))
                painter.drawText(tab, int(Qt.AlignmentFlag.AlignCenter), reason)
                painter.setFont(font)

    def _paint_badges(
        self, painter: QPainter, geometry: PageGeometry, visible: Sequence[int]
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index in visible:
            for x, y, colour in self.badges.get(index + 1, ()):
                size = NOTE_BADGE_PT
                [box] = geometry.to_viewport(index, [(x - size * 0.3, y - size * 0.85, size, size)])
                fill = QColor(colour)
                fill.setAlpha(255)
                painter.setPen(QPen(fill.darker(170), 1))
                painter.setBrush(fill)
                painter.drawRoundedRect(box, 1.5, 1.5)
                # Two lines of "writing", so it reads as a note, not a stray square.
                painter.setPen(QPen(fill.darker(230), 1))
                for step in (0.38, 0.64):
                    y_line = box.top() + box.height() * step
                    painter.drawLine(
                        QPointF(box.left() + box.width() * 0.22, y_line),
                        QPointF(box.right() - box.width() * 0.22, y_line),
                    )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
