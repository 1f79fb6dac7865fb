"""The reader's view of a text document: its pages one after another, for reading.

The pages sit in one QPlainTextEdit (it lays out only what is shown, so a
5 MB document opens in a few tens of milliseconds) with a "— page 2 —"
separator line between them. Separators belong to no page: a page's offsets
(TextRange) map to document positions through the page's first position, so
marks, finds and search hits land exactly on the stored text.

It offers the same small interface as the PDF view (pages, zoom, marks,
reveal), so the reader pane treats both alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QTextEdit, QWidget

from docket.app.reader.overlays import CURRENT_OUTLINE, Style, style_colour
from docket.app.reader.readinglayout import LINE_SPACING, SEPARATOR, ReadingLayout
from docket.core.model.records import TextRange
from docket.core.text.find import display_text

BASE_POINT_SIZE = 12.0
ZOOM_RANGE = (0.5, 4.0)
ZOOM_STEP = 1.15
COLUMN_CHARS = 80  # average characters a line of flowing prose gets, then margins grow
WRAPPED_MAX = 100  # a hand-wrapped text's lines are at most this long
MIN_MARGIN = 24  # px each side, also when the window is narrow
MARK_REACH = 2_000  # characters: a mark starting this far above the view may still show
SERIF_FAMILIES = ["Charter", "Georgia", "Cambria", "Source Serif 4", "Noto Serif", "DejaVu Serif"]
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16_length(text: str) -> int:
    return len(text) + len(_ASTRAL.findall(text))


def _longest_wrapped_lines(pages: Sequence[str]) -> list[str]:
    """The longest lines of a text its author wrapped by hand, or [] for flowing prose.

    Judged on a sample (the first 5,000 lines): hand-wrapped text has nearly
    all its lines under WRAPPED_MAX characters; prose with a paragraph per
    line does not.
    """
    lines: list[str] = []
    for page in pages:
        lines.extend(line.rstrip() for line in page.splitlines() if line.strip())
        if len(lines) >= 5_000:
            break
    short = [line for line in lines if len(line) <= WRAPPED_MAX]
    if not lines or len(short) < 0.9 * len(lines):
        return []
    return sorted(short, key=len)[-20:]


class _PageMap:
    """Where each page's text starts in the QTextDocument, and back.

    Qt counts UTF-16 code units, Python code points: a page with characters
    beyond the BMP (emoji, some CJK) keeps their offsets to convert.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []  # document position of each page's first character
        self.regions: list[int] = []  # where each page's part begins (its separator)
        self.lengths: list[int] = []  # code points
        self.astral: list[list[int]] = []  # offsets of characters that take 2 units

    def add(self, region: int, start: int, text: str) -> int:
        """Record a page placed at `start`; return its length in UTF-16 units."""
        astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        self.regions.append(region)
        self.starts.append(start)
        self.lengths.append(len(text))
        self.astral.append(astral)
        return len(text) + len(astral)

    def position(self, page: int, offset: int) -> int:
        """A page offset (1-based page) -> document position."""
        offset = max(0, min(offset, self.lengths[page - 1]))
        return self.starts[page - 1] + offset + bisect_left(self.astral[page - 1], offset)

    def page_at(self, position: int) -> int:
        return max(1, bisect_right(self.regions, position))

    def offset(self, position: int) -> tuple[int, int]:
        """A document position -> (1-based page, offset in that page's text), clamped
        to the page's text (a position on a page separator goes to its page's start)."""
        page = self.page_at(position)
        units = max(0, position - self.starts[page - 1])
        offset = units
        for before, astral in enumerate(self.astral[page - 1]):
            if astral + before < units:
                offset -= 1
            else:
                break
        return page, min(offset, self.lengths[page - 1])


class TextPageView(QPlainTextEdit):
    pageChanged = Signal(int)
    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # State first: setting up the widget below already sends change events.
        self._zoom = 1.0
        self._map = _PageMap()
        self._labels: list[str] = []
        self._separators: list[int] = []  # document positions of the separator lines
        self._wrapped_lines: list[str] = []  # the longest lines, if the text is hard-wrapped
        # Marks as (start, end) document positions, sorted to find those in view.
        self._marks: list[tuple[int, int, Style, TextRange]] = []
        self._mark_starts: list[int] = []
        self._current: TextRange | None = None
        self._page = 0
        self._pinned = 0  # a page asked for that could not scroll to the top (the last ones)
        self._going = False
        document = QTextDocument(self)
        document.setUndoRedoEnabled(False)  # read-only: no history of the formatting
        document.setDocumentLayout(ReadingLayout(document))
        self.setDocument(document)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The margins beside the text column are the scroll area's own
        # background: paint them like the page, so the column has no edges.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._apply_font()
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # -- pages -------------------------------------------------------------------

    def set_pages(self, pages: Sequence[str], labels: Sequence[str]) -> None:
        self._map = _PageMap()
        self._labels = list(labels)
        self._wrapped_lines = _longest_wrapped_lines(pages)
        self._fit_column()
        self._marks, self._mark_starts, self._current, self._pinned = [], [], None, 0
        parts: list[str] = []
        self._separators = []
        position = 0
        for number, text in enumerate(pages, 1):
            region = position
            if number > 1:
                separator = f"— page {self._label(number)} —"
                parts.append(f"\n{separator}\n")
                region = position + 1  # the separator's own line heads the page
                self._separators.append(region)
                position += _utf16_length(separator) + 2
            parts.append(display_text(text))
            position += self._map.add(region, position, text)
        self.setPlainText("".join(parts))  # resets the scroll to the top
        self._format_separators()
        self.setExtraSelections([])
        self._page = 0
        self._announce_page()

    def _label(self, number: int) -> str:
        label = self._labels[number - 1] if number <= len(self._labels) else ""
        return label or str(number)

    def _format_separators(self) -> None:
        """Separators small and grey (the layout centres them): a label, not text."""
        look = QTextCharFormat()
        look.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        look.setFontPointSize(self.font().pointSizeF() * 0.8)
        look.setFontLetterSpacing(108)
        for start in self._separators:
            block = self.document().findBlock(start)
            block.setUserState(SEPARATOR)
            cursor = QTextCursor(block)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.setCharFormat(look)

    def page_count(self) -> int:
        return len(self._map.starts)

    def current_page(self) -> int:
        """The page at the top of the viewport (1-based), 0 without pages."""
        if not self._map.starts:
            return 0
        return self._pinned or self._map.page_at(self.firstVisibleBlock().position())

    def go_to_page(self, number: int) -> None:
        if not self._map.starts:
            return
        number = max(1, min(number, self.page_count()))
        block = self.document().findBlock(self._map.regions[number - 1])
        self._going = True  # one pageChanged, for the page asked for
        try:
            self.verticalScrollBar().setValue(block.firstLineNumber())
        finally:
            self._going = False
        # The last pages may not reach the top; the reader still asked for them.
        top = self._map.page_at(self.firstVisibleBlock().position())
        self._pinned = number if top != number else 0
        self._show_marks()
        self._announce_page()

    def _scrolled(self, _value: int = 0) -> None:
        if self._going:
            return
        self._pinned = 0
        self._show_marks()
        self._announce_page()

    def _announce_page(self) -> None:
        page = self.current_page()
        if page != self._page:
            self._page = page
            self.pageChanged.emit(page)

    # -- zoom --------------------------------------------------------------------

    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, factor: float) -> None:
        factor = max(ZOOM_RANGE[0], min(factor, ZOOM_RANGE[1]))
        if abs(factor - self._zoom) < 1e-6:
            return
        top = self.firstVisibleBlock()
        self._zoom = factor
        self._apply_font()
        self._format_separators()  # their size is absolute
        self.verticalScrollBar().setValue(top.firstLineNumber())  # keep the reader's place
        self._show_marks()
        self.zoomChanged.emit(factor)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setFamilies(SERIF_FAMILIES)
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(BASE_POINT_SIZE * self._zoom)
        self.setFont(font)
        self._fit_column()

    def _fit_column(self) -> None:
        """Margins that keep the text column readable, centred in the view.

        Prose gets about COLUMN_CHARS characters a line. A text wrapped by its
        author (a memo at 72 or 80 columns) gets room for its longest lines,
        or every line would spill one word onto a line of its own.
        """
        metrics = self.fontMetrics()
        width = metrics.averageCharWidth() * COLUMN_CHARS
        if self._wrapped_lines:
            widest = max(metrics.horizontalAdvance(line) for line in self._wrapped_lines)
            width = max(width, widest + metrics.averageCharWidth())
        column = width + 2 * MIN_MARGIN  # the document margin is inside the viewport
        room = self.width() - self.verticalScrollBar().sizeHint().width()
        side = max(MIN_MARGIN, (room - column) // 2)
        self.setViewportMargins(side, 0, side, 0)
        self.document().setDocumentMargin(MIN_MARGIN)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light/dark switch: regrey them
            self._format_separators()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_column()
        super().resizeEvent(event)
        self._show_marks()  # lines rewrap: other marks come into view

    # -- marks -------------------------------------------------------------------

    def range_cursor(self, text_range: TextRange) -> QTextCursor:
        """A cursor selecting exactly the range's text in the document."""
        cursor = QTextCursor(self.document())
        if not 1 <= text_range.page <= self.page_count():
            return cursor
        cursor.setPosition(self._map.position(text_range.page, text_range.start))
        cursor.setPosition(
            self._map.position(text_range.page, text_range.end), QTextCursor.MoveMode.KeepAnchor
        )
        return cursor

    def selected_ranges(self) -> list[TextRange]:
        """The selection as ranges of the pages' stored texts, one per page it touches."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or not self._map.starts:
            return []
        first_page, start = self._map.offset(cursor.selectionStart())
        last_page, end = self._map.offset(cursor.selectionEnd())
        ranges = []
        for page in range(first_page, last_page + 1):
            low = start if page == first_page else 0
            high = end if page == last_page else self._map.lengths[page - 1]
            if high > low:
                ranges.append(TextRange(page, low, high))
        return ranges

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def range_at(self, position: QPoint) -> tuple[int, int]:
        """(page, offset) of the character under a viewport position."""
        return self._map.offset(self.cursorForPosition(position).position())

    def set_marks(self, marks: Sequence[tuple[TextRange, Style]]) -> None:
        positions = self._map.position
        self._marks = sorted(
            (
                (positions(r.page, r.start), positions(r.page, r.end), style, r)
                for r, style in marks
                if self._has(r)
            ),
            key=lambda mark: (mark[0], mark[1]),  # stable: later marks stay drawn on top
        )
        self._mark_starts = [start for start, *_ in self._marks]
        if self._current is not None and all(r != self._current for *_, r in self._marks):
            self._current = None  # the revealed match went away (a new find)
        self._show_marks()

    def clear_current(self) -> None:
        self._current = None
        self._show_marks()
        self.viewport().update()

    def reveal(self, text_range: TextRange) -> None:
        """Scroll the range to the middle of the view and mark it as the current one."""
        if not self._has(text_range):
            return
        self._current = text_range
        cursor = self.range_cursor(text_range)
        cursor.setPosition(cursor.selectionStart())
        self.setTextCursor(cursor)  # no selection: the marks show the range
        self.centerCursor()
        self._show_marks()

    def _has(self, text_range: TextRange) -> bool:
        return 1 <= text_range.page <= self.page_count()

    def _show_marks(self) -> None:
        """Marks near the viewport as extra selections, the current one stronger.

        Only those near: Qt lays out every block an extra selection touches,
        so 10,000 finds in a 5 MB text would take seconds; this runs again on
        every scroll and costs nothing.
        """
        first, last = self._visible_span()
        reach = last - first  # a screen's worth either side
        low = bisect_left(self._mark_starts, first - reach - MARK_REACH)
        high = bisect_right(self._mark_starts, last + reach)
        selections = []
        for start, end, style, _ in self._marks[low:high]:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(self.document())
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.format.setBackground(style_colour(style))
            selections.append(selection)
        if self._current is not None:
            current = QTextEdit.ExtraSelection()
            current.cursor = self.range_cursor(self._current)
            fill = QColor(CURRENT_OUTLINE)
            fill.setAlpha(70)  # over the mark's own colour: darker, text still readable
            current.format.setBackground(fill)
            selections.append(current)
        self.setExtraSelections(selections)

    def _visible_span(self) -> tuple[int, int]:
        """Document positions of the first and last characters in the viewport."""
        block = self.firstVisibleBlock()
        first, offset = block.position(), self.contentOffset()
        bottom = self.viewport().height()
        while block.isValid():
            last = block.position() + block.length()
            if self.blockBoundingGeometry(block).translated(offset).bottom() >= bottom:
                return first, last
            block = block.next()
        return first, self.document().characterCount()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self._rule_separators()
        if self._current is not None:
            self._outline(self.range_cursor(self._current))

    def _rule_separators(self) -> None:
        """Hairlines either side of each visible "— page n —", like a book's section break."""
        painter = QPainter(self.viewport())
        colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        colour.setAlpha(90)
        painter.setPen(QPen(colour, 1))
        block, offset = self.firstVisibleBlock(), self.contentOffset()
        margin = self.document().documentMargin()
        right = self.viewport().width() - margin
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > self.viewport().height():
                break
            if block.userState() == SEPARATOR and block.layout().lineCount():
                line = block.layout().lineAt(0)
                y = round(top + line.y() + line.height() / 2) + 0.5
                gap = line.height()
                label_left = line.x()
                label_right = line.x() + line.naturalTextWidth()
                painter.drawLine(QPointF(margin, y), QPointF(label_left - gap, y))
                painter.drawLine(QPointF(label_right + gap, y), QPointF(right, y))
            block = block.next()
        painter.end()

    def _outline(self, cursor: QTextCursor) -> None:
        """A rounded outline around each line of the current range: found at a glance."""
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(CURRENT_OUTLINE, 2))
        block = self.document().findBlock(start)
        offset = self.contentOffset()
        while block.isValid() and block.position() < max(end, start + 1):
            layout = block.layout()
            top = self.blockBoundingGeometry(block).translated(offset).top()
            for index in range(layout.lineCount()):
                line = layout.lineAt(index)
                first = block.position() + line.textStart()
                a = max(start, first) - block.position()
                b = min(end, first + line.textLength()) - block.position()
                if a < b:
                    # PySide returns (x, column); its stub says object.
                    left = cast(tuple[float, int], line.cursorToX(a))[0]
                    right = cast(tuple[float, int], line.cursorToX(b))[0]
                    rect = QRectF(left, top + line.y(), right - left, line.height())
                    painter.drawRoundedRect(rect.adjusted(-2, 0, 2, 0), 3, 3)
            block = block.next()
        painter.end()

    # -- keys a reader expects ---------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.verticalScrollBar()
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        actions = {
            Qt.Key.Key_Home: lambda: bar.setValue(bar.minimum()),
            Qt.Key.Key_End: lambda: bar.setValue(bar.maximum()),
            Qt.Key.Key_PageUp: lambda: bar.setValue(bar.value() - self._page_step()),
            Qt.Key.Key_PageDown: lambda: bar.setValue(bar.value() + self._page_step()),
            Qt.Key.Key_Space: lambda: bar.setValue(
                bar.value() + (-1 if shift else 1) * self._page_step()
            ),
            Qt.Key.Key_Up: lambda: bar.setValue(bar.value() - 1),
            Qt.Key.Key_Down: lambda: bar.setValue(bar.value() + 1),
        }
        action = actions.get(Qt.Key(key))
        if action is None or (shift and key != Qt.Key.Key_Space):
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def _page_step(self) -> int:
        """A screenful of lines less one, so the last line read stays in sight.

        Not the scroll bar's page step: Qt counts it in unspaced lines, which
        would skip a third of a screen with our line spacing.
        """
        line = QFontMetricsF(self.font()).lineSpacing() * LINE_SPACING
        return max(1, int(self.viewport().height() / line) - 1)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            (self.zoom_in if event.angleDelta().y() > 0 else self.zoom_out)()
            event.accept()
            return
        super().wheelEvent(event)
