"""Find in the open document: a slim bar under the page, as browsers have.

The bar finds by itself, over the page texts it is given (core.find, no
index needed), and says what it found by signals: every match, to draw as
marks, and the current one, to reveal. It never touches a view, so the
reader pane wires it to whichever view shows the document.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QToolButton,
    QWidget,
)

from docket.core.model.records import TextRange
from docket.core.text.find import MATCH_LIMIT, PageFinder

SLOW_FIND = 0.030  # s: a find slower than this waits for a pause in typing
TYPING_PAUSE = 150  # ms


def _icon(theme: str, fallback: QStyle.StandardPixmap, widget: QWidget) -> QIcon:
    return QIcon.fromTheme(theme, widget.style().standardIcon(fallback))


class FindBar(QWidget):
    matchesChanged = Signal(list)  # list[TextRange]: all matches, to mark
    currentMatchChanged = Signal(object)  # TextRange | None: the one to reveal
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(220)
        self.edit.setMaximumWidth(360)
        self.count = QLabel()
        self.count.setMinimumWidth(self.fontMetrics().horizontalAdvance("10,000 of 10,000+"))
        self.previous_button = self._button(
            "go-up", QStyle.StandardPixmap.SP_ArrowUp, "Previous match (Shift+Enter)"
        )
        self.next_button = self._button(
            "go-down", QStyle.StandardPixmap.SP_ArrowDown, "Next match (Enter)"
        )
        self.close_button = self._button(
            "window-close", QStyle.StandardPixmap.SP_TitleBarCloseButton, "Close (Esc)"
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addSpacing(6)
        layout.addWidget(self.count)
        layout.addStretch(1)
        layout.addWidget(self.close_button)

        self._finder = PageFinder([])
        self._needle = ""  # what the matches were found for
        self._matches: list[TextRange] = []
        self._index = -1  # the current match; -1 before the reader moves to one
        self._delay = 0  # ms; grows when finding is slow (big documents)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._find_now)
        self.edit.textChanged.connect(self._typed)
        self.edit.installEventFilter(self)
        self.previous_button.clicked.connect(self.find_previous)
        self.next_button.clicked.connect(self.find_next)
        self.close_button.clicked.connect(self.close_bar)
        self._show_count()

    def _button(self, theme: str, fallback: QStyle.StandardPixmap, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(_icon(theme, fallback, self))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the field
        return button

    # -- the document ------------------------------------------------------------

    def set_pages(self, pages: Sequence[str]) -> None:
        """A new document: find again in it, without jumping away from where it opens
        (unless a find the user typed was still waiting: it goes to its first match)."""
        typed = self._timer.isActive()
        self._timer.stop()
        self._finder = PageFinder(pages)
        self._needle, self._matches, self._index = "", [], -1
        if self.isVisible() and self.edit.text():
            self._find_now(reveal=typed)
        else:
            self._show_count()

    def matches(self) -> list[TextRange]:
        return list(self._matches)

    def current_match(self) -> TextRange | None:
        return self._matches[self._index] if self._index >= 0 else None

    def select_match(self, match: TextRange) -> bool:
        """Make `match` the current one again (the document was reloaded); False if
        it is no longer among the matches."""
        if match not in self._matches:
            return False
        self._index = self._matches.index(match)
        self.currentMatchChanged.emit(match)
        self._show_count()
        return True

    # -- opening and closing -----------------------------------------------------

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        if self.edit.text():  # marks were cleared on close: draw them again
            self._find_now(reveal=False)
        else:  # fold the pages while the reader starts typing, not on the first key
            QTimer.singleShot(0, self._prepare)

    def _prepare(self) -> None:
        self._finder.prepare()

    def close_bar(self) -> None:
        self._timer.stop()
        self.hide()
        self.matchesChanged.emit([])
        self.closed.emit()

    # -- finding -----------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self._timer.start(self._delay)  # latest wins: a restart drops the pending find

    def _find_now(self, reveal: bool = True) -> None:
        self._timer.stop()
        needle = self.edit.text()
        began = time.perf_counter()
        matches = self._finder.find(needle)
        self._delay = TYPING_PAUSE if time.perf_counter() - began > SLOW_FIND else 0
        # Stay near the match the reader was on: typing more letters narrows it down.
        here = self.current_match()
        self._needle, self._matches = needle, matches
        self._index = -1
        if matches and reveal:
            near = TextRange(here.page, here.start, here.start) if here else None
            self._index = (bisect_left(matches, near) if near else 0) % len(matches)
        self.matchesChanged.emit(list(matches))
        if reveal:
            self.currentMatchChanged.emit(self.current_match())
        self._show_count()

    def find_next(self) -> None:
        self._step(1)

    def find_previous(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self._timer.isActive() or self._needle != self.edit.text():
            self._find_now()  # the reader is faster than the typing pause
            if direction > 0 or not self._matches:
                return  # that find already moved to the first match
        if not self._matches:
            return
        if self._index < 0:
            self._index = 0 if direction > 0 else len(self._matches) - 1
        else:
            self._index = (self._index + direction) % len(self._matches)  # wraps around
        self.currentMatchChanged.emit(self.current_match())
        self._show_count()

    def _show_count(self) -> None:
        total = len(self._matches)
        shown = f"{total:,}+" if total >= MATCH_LIMIT else f"{total:,}"
        if not self._needle.strip():
            text = ""
        elif not total:
            text = "No matches"
        elif self._index < 0:
            text = f"{shown} matches" if total > 1 else "1 match"
        else:
            text = f"{self._index + 1:,} of {shown}"
        self.count.setText(text)
        palette = self.count.palette()
        colour = self._count_colour(warning=text == "No matches")
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.count.setPalette(palette)
        for button in (self.previous_button, self.next_button):
            button.setEnabled(bool(total))

    def _count_colour(self, warning: bool) -> QColor:
        base = self.palette().color(QPalette.ColorRole.WindowText)
        if not warning:
            return base
        dark_theme = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        return QColor("#ff8a80") if dark_theme else QColor("#c62828")

    # -- keys --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter, Shift+Enter and Esc in the field (the buttons never take focus)."""
        if not (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            return super().eventFilter(watched, event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            (self.find_previous if shift else self.find_next)()
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return True
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        """A hairline on top separates the bar from the page above it."""
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(0, 0, self.width(), 0)
        painter.end()
