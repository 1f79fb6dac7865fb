"""Selecting text on PDF pages with the mouse, following the words as one reads them.

Not a rectangle: a drag from one word to another selects every character
between them in the page's text order, across lines and pages, as in any
PDF reader. QtPdf finds the character under the mouse (PDFium's own hit
test); the selection then snaps outwards to whole words and drops the spaces
at its ends, so a quick drag from mid-word to mid-word takes exactly those
words. Double-click takes one word.

Offsets are those of the stored page text, so a selection is already what a
highlight stores.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QMouseEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QRubberBand

from docket.app.reader.pdfview import PdfPageView
from docket.core.model.records import TextRange

AUTOSCROLL_MARGIN = 24  # px from the viewport's edge where a drag starts scrolling
AUTOSCROLL_STEP = 18


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_'’\ufffe-"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words, then drop whitespace at both ends."""
    if end > start:
        while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
            start -= 1
        while end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
            end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_at(text: str, offset: int) -> tuple[int, int]:
    if not 0 <= offset < len(text) or not _is_word(text[offset]):
        return offset, offset
    return snap_to_words(text, offset, offset + 1)


def caret_at(document: QPdfDocument, page: int, point: QPointF) -> int | None:
    """The position between characters nearest `point` on 1-based `page`, or None
    when no character is near (a margin, a picture).

    QtPdf has no call for "the character at a point"; its getSelection between
    the page's first character and the point ends at that character, past it
    when the point is on its right half — exactly a caret.
    """
    first = document.getSelectionAtIndex(page - 1, 0, 1)
    if not first.isValid() or not first.bounds():
        return None
    origin = first.bounds()[0].boundingRect().center()
    selection = document.getSelection(page - 1, origin, point)
    if not selection.isValid():
        # No character near the point, or the point is on the first character.
        near = document.getSelection(page - 1, point, QPointF(point.x() + 0.01, point.y()))
        return 0 if (point - origin).manhattanLength() < 12 and not near.isValid() else None
    if selection.startIndex() < 0:
        return None
    return selection.endIndex()


class PdfTextSelector(QObject):
    selectionChanged = Signal()
    clicked = Signal(int, QPointF)  # a click without a drag: page, point in points
    contextRequested = Signal(int, QPointF, QPoint)  # page, point, global position
    hovered = Signal(int, QPointF, QPoint)  # the mouse rests over a page
    boxDrawn = Signal(int, QRectF)  # after draw_box(): page, the box in points

    def __init__(self, view: PdfPageView) -> None:
        super().__init__(view)
        self._view = view
        self._texts: Sequence[str] = ()
        self._anchor: tuple[int, int] | None = None
        self._moved = False
        self._last_position = QPointF()
        self.ranges: list[TextRange] = []
        view.viewport().installEventFilter(self)
        view.viewport().setMouseTracking(True)
        self._box_start: tuple[int, QPointF, QPointF] | None = None  # page, point, position
        self._band: QRubberBand | None = None
        self.drawing_box = False
        self._autoscroll = QTimer(self, interval=40)
        self._autoscroll.timeout.connect(self._scroll_while_dragging)

    def set_texts(self, texts: Sequence[str]) -> None:
        """The stored texts of the shown document's pages (a new document: no selection)."""
        self._texts = texts
        self.clear()

    def clear(self) -> None:
        self._anchor = None
        if self.ranges:
            self.ranges = []
            self.selectionChanged.emit()

    def select(self, ranges: list[TextRange]) -> None:
        self.ranges = ranges
        self.selectionChanged.emit()

    def draw_box(self, on: bool = True) -> None:
        """The next left drag draws a box on one page (emitted as boxDrawn) instead of
        selecting words: a redaction over what has no text, say."""
        self.drawing_box = on
        cursor = Qt.CursorShape.CrossCursor if on else Qt.CursorShape.IBeamCursor
        self._view.viewport().setCursor(cursor)

    def _press_box(self, event: QMouseEvent) -> bool:
        found = self._view.page_point_at(event.position())
        if found is None:
            return True
        self._box_start = (found[0], found[1], event.position())
        if self._band is None:
            self._band = QRubberBand(QRubberBand.Shape.Rectangle, self._view.viewport())
        self._band.setGeometry(QRect(event.position().toPoint(), QSize()))
        self._band.show()
        return True

    def _release_box(self, event: QMouseEvent) -> bool:
        assert self._box_start is not None
        page, start, _ = self._box_start
        self._box_start = None
        if self._band is not None:
            self._band.hide()
        self.draw_box(False)
        found = self._view.page_point_at(event.position())
        if found is None or found[0] != page:
            return True
        box = QRectF(start, found[1]).normalized()
        if box.width() >= 2 and box.height() >= 2:  # a click is no box
            self.boxDrawn.emit(page, box)
        return True

    # -- mouse -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            return self._press(event)
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._move(event)
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            return self._release(event)
        if kind == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
            return self._double_click(event)
        return False

    def _caret(self, position: QPointF) -> tuple[int, int] | None:
        found = self._view.page_point_at(position)
        document = self._document()
        if found is None or document is None:
            return None
        page, point = found
        caret = caret_at(document, page, point)
        return (page, caret) if caret is not None else None

    def _press(self, event: QMouseEvent) -> bool:
        if self.drawing_box and event.button() == Qt.MouseButton.LeftButton:
            return self._press_box(event)
        found = self._view.page_point_at(event.position())
        if event.button() == Qt.MouseButton.RightButton:
            if found is not None:
                self.contextRequested.emit(found[0], found[1], event.globalPosition().toPoint())
            return True
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self._view.setFocus(Qt.FocusReason.MouseFocusReason)
        self._anchor = self._caret(event.position())
        self._moved = False
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self.ranges:
            first = self.ranges[0]  # Shift+click extends from the selection's start
            self._anchor = (first.page, first.start)
            self._extend_to(event.position())
        return True

    def _move(self, event: QMouseEvent) -> bool:
        if self._box_start is not None and self._band is not None:
            origin = self._box_start[2].toPoint()
            self._band.setGeometry(QRect(origin, event.position().toPoint()).normalized())
            return True
        if not event.buttons() & Qt.MouseButton.LeftButton:
            found = self._view.page_point_at(event.position())
            if found is not None:
                self.hovered.emit(found[0], found[1], event.globalPosition().toPoint())
            return False
        self._last_position = event.position()
        self._moved = True
        self._extend_to(event.position())
        near_edge = not (
            AUTOSCROLL_MARGIN
            < event.position().y()
            < self._view.viewport().height() - AUTOSCROLL_MARGIN
        )
        if near_edge and not self._autoscroll.isActive():
            self._autoscroll.start()
        elif not near_edge:
            self._autoscroll.stop()
        return True

    def _release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        if self._box_start is not None:
            return self._release_box(event)
        self._autoscroll.stop()
        if not self._moved:
            found = self._view.page_point_at(event.position())
            had_selection = bool(self.ranges)
            self.clear()
            if found is not None and not had_selection:
                self.clicked.emit(found[0], found[1])
        return True

    def _double_click(self, event: QMouseEvent) -> bool:
        caret = self._caret(event.position())
        if caret is None:
            return True
        page, offset = caret
        text = self._texts[page - 1] if page <= len(self._texts) else ""
        for probe in (offset, offset - 1):  # the caret may sit just after the word
            start, end = word_at(text, probe)
            if end > start:
                self.select([TextRange(page, start, end)])
                break
        self._moved = True  # the release that follows is not a click
        return True

    def _scroll_while_dragging(self) -> None:
        bar = self._view.verticalScrollBar()
        up = self._last_position.y() <= AUTOSCROLL_MARGIN
        bar.setValue(bar.value() + (-AUTOSCROLL_STEP if up else AUTOSCROLL_STEP))
        self._extend_to(self._last_position)

    # -- the selection ------------------------------------------------------------------

    def _extend_to(self, position: QPointF) -> None:
        if self._anchor is None:
            self._anchor = self._caret(position)
            return
        caret = self._caret(position)
        if caret is None:
            return  # off the text: keep what is selected
        ranges = self._ranges_between(self._anchor, caret)
        if ranges != self.ranges:
            self.ranges = ranges
            self.selectionChanged.emit()

    def _ranges_between(self, a: tuple[int, int], b: tuple[int, int]) -> list[TextRange]:
        (first_page, start), (last_page, end) = sorted((a, b))
        ranges = []
        for page in range(first_page, last_page + 1):
            text = self._texts[page - 1] if page <= len(self._texts) else ""
            low = start if page == first_page else 0
            high = end if page == last_page else len(text)
            low, high = snap_to_words(text, min(low, len(text)), min(high, len(text)))
            if high > low:
                ranges.append(TextRange(page, low, high))
        return ranges

    def _document(self) -> QPdfDocument | None:
        return self._view.document()
