"""The PDF page view: every page in one continuous scroll, rendered only when seen.

Opening costs the same for 2 pages or 2,000: the layout needs only page
sizes (the first pages exact, the rest measured while idle, `pagesource`),
and only the pages in view, plus the next one, are rendered — off the UI
thread (`pagecache.RenderQueue`), into a byte-bounded cache. Until its image
arrives a page is white with a border, or its image at the previous zoom,
stretched.

Positions are converted by `pagegeometry`, pages drawn by `pagepainter`.
Mouse handling (text selection) is to come as one controller over
`page_point_at`, which maps a viewport position back to a page and point.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from docket.app.reader.overlays import CURRENT_OUTLINE, MarkStyle, Style, style_colour
from docket.app.reader.pagegeometry import PageGeometry
from docket.app.reader.pagelayout import (
    GAP,
    FitMode,
    PageLayout,
    clamp_zoom,
    fit_zoom,
    zoom_step,
)
from docket.app.reader.pagemarks import MarkGeometry
from docket.app.reader.pagepainter import CACHE_BYTES, Badges, PagePainter, Redactions
from docket.app.reader.pagesource import PageSource
from docket.core.model.records import TextRange
from docket.core.pdf.geometry import Rect

__all__ = ["FitMode", "PdfPageView"]

SCROLL_STEP = 40  # px per arrow key


class PdfPageView(QAbstractScrollArea):
    pageChanged = Signal(int)  # 1-based; 0 when no document is shown
    zoomChanged = Signal(float)
    pagePainted = Signal(int)  # first paint of a page with its rendered image: ink on it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Always on: a vertical bar that comes and goes changes the width that
        # fit-width fits, which can make the bar come and go for ever.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._labels: list[str] = []
        self._source = PageSource(CACHE_BYTES, measure_all=True, parent=self)
        self._source.reset.connect(self._source_reset)
        self._source.sizesChanged.connect(self._relayout)
        self._source.rendered.connect(self._page_rendered)
        self._layout = PageLayout([], 1.0)
        self._zoom = 1.0
        self._fit = FitMode.NONE
        self._marks = MarkGeometry()
        self._painter = PagePainter(self._source.cache, self._marks)
        self._current_range: TextRange | None = None
        self._area: tuple[int, Rect] | None = None  # a place outlined: a form field's
        self._current_page = 0
        self._pinned: tuple[int, int] | None = None  # (page, scroll) go_to_page asked for
        self._painted: set[int] = set()  # pages that had ink since set_document
        self._opened_at = 0.0
        self._first_paint_ms: float | None = None
        self._wheel = 0

    # -- document ----------------------------------------------------------------

    def set_document(self, document: QPdfDocument | None, labels: Sequence[str] = ()) -> None:
        """Shows `document` (not owned). Once this returns, the previous one may be deleted."""
        self._labels = list(labels)
        self._painted.clear()
        self._first_paint_ms = None
        self._opened_at = time.perf_counter()
        self._source.set_document(document)

    def document(self) -> QPdfDocument | None:
        return self._source.document

    def page_count(self) -> int:
        return len(self._layout)

    def page_label(self, number: int) -> str:
        return self._labels[number - 1] if 0 < number <= len(self._labels) else str(number)

    def first_paint_ms(self) -> float | None:
        """Milliseconds from set_document to the first page painted with ink, once it was."""
        return self._first_paint_ms

    def _source_reset(self) -> None:
        # Another document, or this one closed, reloaded or deleted: marks and
        # their geometry belong to what was shown before.
        self._marks.set_document(self._source.document)
        self._current_range = None
        self._relayout(anchored=False)
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self._update_current_page()

    # -- zoom and layout ---------------------------------------------------------

    def zoom(self) -> float:
        return self._zoom

    def fit(self) -> FitMode:
        return self._fit

    def set_zoom(self, factor: float) -> None:
        self._fit = FitMode.NONE
        self._zoom_about(clamp_zoom(factor), QPoint(self.viewport().width() // 2, 0))

    def zoom_in(self) -> None:
        self.set_zoom(zoom_step(self._zoom, +1))

    def zoom_out(self) -> None:
        self.set_zoom(zoom_step(self._zoom, -1))

    def set_fit(self, mode: FitMode) -> None:
        self._fit = mode
        self._relayout()
        if mode is FitMode.PAGE and self._layout:
            self.go_to_page(self.current_page())

    def _zoom_about(self, zoom: float, keep: QPoint) -> None:
        if zoom != self._zoom:
            self._relayout(keep, zoom)

    def _px_per_point(self) -> float:
        return self.logicalDpiX() / 72.0

    def _relayout(
        self, keep: QPoint | None = None, zoom: float | None = None, anchored: bool = True
    ) -> None:
        """Lays the pages out again, keeping the page point under `keep` where it was.

        `keep` is a viewport position, by default the top centre, so the page
        being read stays in place through zooms, fits and resizes.
        """
        if keep is None:
            keep = QPoint(self.viewport().width() // 2, 0)
        anchor = self._geometry().page_point(QPointF(keep)) if anchored else None
        above = 0.0  # px of gap between `keep` and the page's top, when it is in a gap
        if anchor is not None and anchor[1].y() < 0:
            # Gaps do not scale with the zoom: keep their pixels, not their points,
            # or the page above would creep into view (and become the current page).
            above = -anchor[1].y() * self._geometry().point_scale(anchor[0])[1]
            anchor = (anchor[0], QPointF(anchor[1].x(), 0))
        old_zoom = self._zoom
        sizes = self._source.sizes
        if zoom is not None:
            self._zoom = zoom
        elif self._fit is not FitMode.NONE and sizes is not None and len(sizes):
            current = sizes[anchor[0]] if anchor else sizes[0]
            widest = max(sizes.all())
            viewport = (self.viewport().width(), self.viewport().height())
            self._zoom = fit_zoom(self._fit, widest, current, viewport, self._px_per_point())
        self._layout = PageLayout(sizes.all() if sizes else [], self._zoom * self._px_per_point())
        self._update_scrollbars()
        if anchor is not None:
            target = self._geometry().content_point(*anchor)
            self.horizontalScrollBar().setValue(round(target.x() - keep.x()))
            self.verticalScrollBar().setValue(round(target.y() - above - keep.y()))
        self.viewport().update()
        if self._zoom != old_zoom:
            self.zoomChanged.emit(self._zoom)
        self._update_current_page()

    def _update_scrollbars(self) -> None:
        width, height = self.viewport().width(), self.viewport().height()
        for bar, extent, room in (
            (self.horizontalScrollBar(), self._layout.width, width),
            (self.verticalScrollBar(), self._layout.height, height),
        ):
            bar.setRange(0, max(0, extent - room))
            # A page step keeps a tenth of the view in sight, to keep the reader's place.
            bar.setPageStep(max(1, room - room // 10))
            bar.setSingleStep(SCROLL_STEP)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self._fit is FitMode.NONE:
            self._update_scrollbars()
            self._update_current_page()
        else:
            self._relayout()

    # -- pages and positions -----------------------------------------------------

    def current_page(self) -> int:
        """The 1-based page at the top of the view (0 with no document)."""
        if not self._layout:
            return 0
        bar = self.verticalScrollBar()
        if self._pinned is not None and self._pinned[1] == bar.value():
            return self._pinned[0]
        if bar.maximum() > 0 and bar.value() >= bar.maximum():
            return len(self._layout)  # scrolled to the end: the last page is in view
        return self._layout.page_at(bar.value()) + 1

    def go_to_page(self, number: int, y_points: float | None = None) -> None:
        """Scrolls page `number` (1-based) to the top, or its point `y_points` if given."""
        if not 1 <= number <= len(self._layout):
            return
        self._ensure_sizes([number - 1])
        top = self._geometry().content_point(number - 1, QPointF(0, y_points or 0)).y()
        bar = self.verticalScrollBar()
        bar.setValue(round(top) - GAP)
        self._pinned = (number, bar.value())
        self._update_current_page()

    def page_rect_in_viewport(self, number: int) -> QRectF:
        if not 1 <= number <= len(self._layout):
            return QRectF()
        return QRectF(self._geometry().page_rect(number - 1))

    def page_point_at(self, position: QPointF) -> tuple[int, QPointF] | None:
        """The 1-based page and the point on it (in points) at a viewport position."""
        anchor = self._geometry().page_point(position)
        if anchor is None:
            return None
        index, point = anchor
        width, height = self._source.sizes[index] if self._source.sizes else (0.0, 0.0)
        if not (0 <= point.x() <= width and 0 <= point.y() <= height):
            return None
        return index + 1, point

    def _geometry(self) -> PageGeometry:
        viewport = self.viewport()
        return PageGeometry(
            self._layout,
            self._source.sizes,
            self.horizontalScrollBar().value(),
            self.verticalScrollBar().value(),
            viewport.width(),
            viewport.height(),
        )

    def _ensure_sizes(self, indexes: Sequence[int] | range) -> None:
        sizes = self._source.sizes
        if sizes is not None and sizes.ensure(indexes):
            self._relayout()

    def _update_current_page(self) -> None:
        number = self.current_page()
        if number != self._current_page:
            self._current_page = number
            self.pageChanged.emit(number)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()
        self._update_current_page()

    # -- marks -------------------------------------------------------------------

    def set_marks(
        self,
        marks: Sequence[tuple[TextRange, Style]],
        known: dict[TextRange, list[Rect]] | None = None,
    ) -> None:
        self._marks.set_marks(marks, known)
        if self._current_range is not None and all(r != self._current_range for r, _ in marks):
            self._current_range = None  # its find or search was closed
        self.viewport().update()

    def set_redactions(self, redactions: Redactions) -> None:
        """Redaction boxes to draw: page → [(x, y, width, height, reason)] in points."""
        self._painter.redactions = redactions
        self.viewport().update()

    def set_note_badges(self, badges: Badges) -> None:
        """Note signs to draw: page → [(x, y, colour)] in points (see PagePainter)."""
        self._painter.badges = badges
        self.viewport().update()

    def clear_current(self) -> None:
        """No range outlined any more (a flash is over)."""
        self._current_range = None
        self._area = None
        self.viewport().update()

    def show_area(self, page: int, rect: Rect) -> None:
        """Brings a place on page `page` (points, top-left origin) into view and
        outlines it: where a form field found by a search sits."""
        if not 1 <= page <= len(self._layout):
            return
        self._ensure_sizes([page - 1])
        self.go_to_page(page, max(0.0, rect[1] - 72))  # an inch of the page above it
        self._area = (page, rect)
        box = self.area_in_viewport()
        if box is not None:
            view = QRectF(self.viewport().rect())
            if box.left() < view.left() or box.right() > view.right():
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + round(box.center().x() - view.center().x()))
        self.viewport().update()

    def area_in_viewport(self) -> QRectF | None:
        """Where the outlined place is drawn now, in viewport pixels (None: no place)."""
        if self._area is None:
            return None
        page, rect = self._area
        return self._geometry().to_viewport(page - 1, [rect])[0]

    def reveal(self, text_range: TextRange) -> None:
        """Brings `text_range` into view (centred if it was out of sight) and outlines it."""
        if not 1 <= text_range.page <= len(self._layout):
            return
        self._current_range = text_range
        self._ensure_sizes([text_range.page - 1])
        rects = self.mark_rects_in_viewport(text_range)
        if not rects:
            self.go_to_page(text_range.page)
        else:
            box = rects[0]
            for rect in rects[1:]:
                box = box.united(rect)
            view = QRectF(self.viewport().rect())
            if box.top() < view.top() or box.bottom() > view.bottom():
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + round(box.center().y() - view.center().y()))
            if box.left() < view.left() or box.right() > view.right():
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + round(box.center().x() - view.center().x()))
        self.viewport().update()

    def mark_rects_in_viewport(self, text_range: TextRange) -> list[QRectF]:
        """Where `text_range` is drawn, in viewport pixels (computed now if need be)."""
        if not 1 <= text_range.page <= len(self._layout):
            return []
        rects = self._marks.rects(text_range)
        return self._geometry().to_viewport(text_range.page - 1, rects)

    # -- painting ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        # Exact sizes for the pages in view before drawing them: an image has its page's shape.
        self._ensure_sizes(self._geometry().visible_pages())
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), self._background())
        ratio = self.viewport().devicePixelRatioF()
        painted = self._painter.paint(
            painter, self._geometry(), event.rect(), ratio, self._current_range
        )
        area = self.area_in_viewport()
        if area is not None:
            painter.fillRect(area, style_colour(MarkStyle.SEARCH_HIT))
            painter.setPen(QPen(CURRENT_OUTLINE, 2))
            painter.drawRect(area.adjusted(-2, -2, 2, 2))
        painter.end()
        self._source.want(painted.wanted)
        if painted.marks_pending:
            QTimer.singleShot(0, self, self.viewport().update)
        fresh = [page for page in painted.inked if page not in self._painted]
        if fresh:
            self._painted.update(fresh)
            # Emitted after the paint, so that a slot that grabs or repaints is safe.
            opened_at = self._opened_at
            QTimer.singleShot(0, self, lambda: self._announce_painted(fresh, opened_at))

    def _background(self) -> QColor:
        # A soft grey around the pages, from the palette so that dark themes stay dark.
        window = self.palette().color(QPalette.ColorRole.Window)
        return window.darker(115) if window.lightness() > 128 else window.lighter(130)

    def _page_rendered(self, page: int) -> None:
        if page <= len(self._layout):
            self.viewport().update(self._geometry().page_rect(page - 1))

    def _announce_painted(self, pages: list[int], opened_at: float) -> None:
        if opened_at != self._opened_at:
            return  # painted for the document before this one
        if self._first_paint_ms is None:
            self._first_paint_ms = (time.perf_counter() - self._opened_at) * 1000
        for page in pages:
            self.pagePainted.emit(page)

    # -- keys and wheel ----------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        vertical, horizontal = self.verticalScrollBar(), self.horizontalScrollBar()
        moves = {
            Qt.Key.Key_Home: (vertical, vertical.minimum() - vertical.value()),
            Qt.Key.Key_End: (vertical, vertical.maximum() - vertical.value()),
            Qt.Key.Key_PageUp: (vertical, -vertical.pageStep()),
            Qt.Key.Key_PageDown: (vertical, vertical.pageStep()),
            Qt.Key.Key_Up: (vertical, -vertical.singleStep()),
            Qt.Key.Key_Down: (vertical, vertical.singleStep()),
            Qt.Key.Key_Left: (horizontal, -horizontal.singleStep()),
            Qt.Key.Key_Right: (horizontal, horizontal.singleStep()),
        }
        move = moves.get(Qt.Key(event.key()))
        if move is None:
            super().keyPressEvent(event)
            return
        bar, delta = move
        bar.setValue(bar.value() + delta)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        # Whole notches (120) step through the zoom steps; touchpads send small
        # deltas, which add up to a notch.
        self._wheel += event.angleDelta().y()
        while abs(self._wheel) >= 120:
            direction = 1 if self._wheel > 0 else -1
            self._wheel -= 120 * direction
            self._fit = FitMode.NONE
            self._zoom_about(zoom_step(self._zoom, direction), event.position().toPoint())
        event.accept()
