"""The case search panel: one query box, results grouped by document, searched as you type.

Searches run off the UI thread through `LatestWins`: typing restarts a short
debounce timer, and when a search is already running, only the newest query
waits for it — the results on screen are always those of the last query.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from docket.app.kit.tasks import LatestWins
from docket.app.panels.search.delegate import SnippetDelegate
from docket.app.panels.search.model import Role, SearchResultsModel, kinds_found, plural
from docket.core.errors import DocketError, QuerySyntaxError
from docket.core.model.changes import Changes
from docket.core.model.records import SearchHit, SearchResults

SearchFunction = Callable[[str, int], SearchResults]

# Pages asked for: enough to group by document (the summary says when more match),
# few enough that laying the rows out never stalls the window (500 rows: ~160 ms).
RESULT_LIMIT = 200
DEBOUNCE_MS = 200  # one search per pause in typing, not per keystroke
SLOW_SEARCH_MS = 300  # only then say "Searching…", so fast searches do not flicker
PLACEHOLDER = '"police fired"~5  tortur*  title:memo'
HINT = (
    "Search every page of the case.\n\n"
    '"exact phrase"  ·  "police fired"~5 (near)\n'
    "tortur*  ·  Nazarbaev~ (fuzzy)\n"
    "AND  OR  NOT  ·  title:  type:  tag:  note:"
)


def _mix(base: QColor, ink: QColor, amount: float) -> QColor:
    """`amount` of the way from `base` to `ink`: a tint that works in light and dark."""
    return QColor.fromRgbF(
        base.redF() + (ink.redF() - base.redF()) * amount,
        base.greenF() + (ink.greenF() - base.greenF()) * amount,
        base.blueF() + (ink.blueF() - base.blueF()) * amount,
    )


class _ResultsView(QTreeView):
    """A tree whose rows reflow to the width, that reports Enter on a row, and that
    shows `hint` while it is empty."""

    rowEntered = Signal(QModelIndex)

    def __init__(self) -> None:
        super().__init__()
        self.hint = ""

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.rowEntered.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()  # snippet rows wrap to the new width

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hint and self.model() is not None and not self.model().rowCount():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.hint,
            )

    def drawRow(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Document rows get a faint band across the whole row, branch arrow included,
        # so that each group reads as a unit.
        if index.data(Role.IS_DOCUMENT):
            palette = option.palette
            band = _mix(
                palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.06
            )
            painter.fillRect(option.rect, band)
        super().drawRow(painter, option, index)


class SearchPanel(QWidget):
    hitActivated = Signal(object)  # SearchHit
    resultsChanged = Signal()  # new results (or none) are showing; hits() changed

    def __init__(self, search: SearchFunction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._latest = LatestWins(self)
        self._submitted = ""  # the query whose results are showing or on their way

        self.query_box = QLineEdit()
        self.query_box.setPlaceholderText(PLACEHOLDER)
        self.query_box.setClearButtonEnabled(True)
        self.query_box.setToolTip(
            'Words, AND / OR / NOT, "phrases", "proximity"~5, wildcards (tort*), '
            "fuzzy (Nazarbaev~), fields (title:, type:, tag:, note:)"
        )
        self.query_box.installEventFilter(self)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()
        self.summary_label = QLabel()
        # Wrapped: unwrapped, a long count or a cut wildcard's note widened the dock
        # at every search, squeezing the page being read.
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.hide()
        self._paint_labels()

        self.model = SearchResultsModel()
        self.view = _ResultsView()
        self.view.set_hint(HINT)
        self.view.setModel(self.model)
        self.view.setItemDelegate(SnippetDelegate(self.view))
        self.view.setHeaderHidden(True)
        self.view.setIndentation(12)
        self.view.setUniformRowHeights(False)
        self.view.setExpandsOnDoubleClick(False)  # a double click opens the first page instead
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAccessibleName("Search results")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.query_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.view, 1)

        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self._slow = QTimer(self, singleShot=True, interval=SLOW_SEARCH_MS)
        self._slow.timeout.connect(lambda: self._set_summary("Searching…"))
        self.query_box.textChanged.connect(lambda _: self._debounce.start())
        self.query_box.returnPressed.connect(self.search_now)
        self.view.clicked.connect(self._activate)
        self.view.rowEntered.connect(self._activate)

    # -- what the window uses ------------------------------------------------------

    def hits(self) -> list[SearchHit]:
        """Every page hit, in the order shown: document by document, page by page."""
        return self.model.hits()

    def select_hit(self, hit: SearchHit) -> None:
        index = self.model.index_of(hit.doc, hit.page)
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.view.scrollTo(index)

    def focus_query(self) -> None:
        self.query_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_box.selectAll()

    def query(self) -> str:
        return self.query_box.text().strip()

    def clear(self, wait_ms: int = 2000) -> None:
        """Empty the box and the results; wait for a running search (the case may close next)."""
        self._debounce.stop()
        self.query_box.blockSignals(True)
        self.query_box.clear()
        self.query_box.blockSignals(False)
        self._latest.cancel()
        self._latest.wait(wait_ms)
        self._submitted = ""
        self._show(None)

    def search_now(self) -> None:
        """Search for what is in the box without waiting for the typing pause."""
        self._debounce.stop()
        query = self.query()
        if query == self._submitted:
            return
        self._submitted = query
        if not query:
            self._latest.cancel()
            self._show(None)
            return
        self._latest.submit(lambda: self._search(query, RESULT_LIMIT), self._show, self._failed)
        self._slow.start()

    def refresh(self) -> None:
        """Search the same query again (the case changed under the results)."""
        self._submitted = ""
        self.search_now()

    def apply_changes(self, changes: Changes) -> None:
        """New, changed or removed documents may change what the query finds: run it again.

        Mark and tag changes do not: a note typed in the reader must not reshuffle
        the results being read through."""
        if changes.documents:
            self.refresh()

    # -- showing results -------------------------------------------------------------

    def _show(self, results: SearchResults | None) -> None:
        self._slow.stop()
        self.error_label.hide()
        self.model.set_results(results)
        self.view.expandAll()
        self.view.set_hint(HINT if results is None else "")  # "No matches" is in the summary
        summary = self._summary(results)
        if results is not None and results.notes:  # a wildcard cut to its most frequent words
            summary = "\n".join([summary, *results.notes])
        self._set_summary(summary)
        self.resultsChanged.emit()

    def _set_summary(self, text: str) -> None:
        self.summary_label.setText(text)
        self.summary_label.setVisible(bool(text))  # no blank line under the error

    def _summary(self, results: SearchResults | None) -> str:
        if results is None:
            return ""
        shown = len(results.results)
        if not shown:
            return "No matches"
        documents = plural(self.model.document_count, "document")
        found = kinds_found(results.results)  # pages and marks counted apart
        if results.total > shown:
            total = plural(results.total, "result")
            return f"{total} — showing the best {shown:,} ({found}), in {documents}"
        return f"{found} in {documents}"

    def _failed(self, error: BaseException) -> None:
        self._show(None)
        self._submitted = ""  # the same query typed again should be tried again
        if isinstance(error, QuerySyntaxError):
            message = str(error)
            message = message[:1].upper() + message[1:]
            if error.position is not None:
                message += f" (at character {error.position + 1})"
        elif isinstance(error, DocketError):
            message = str(error)
        else:
            message = f"Search failed: {error}"
        self.error_label.setText(message)
        self.error_label.show()
        self.view.set_hint("")

    def _activate(self, index: QModelIndex) -> None:
        hit = index.data(Role.HIT)
        if hit is None:
            return
        if index.data(Role.IS_DOCUMENT):  # a document row stands for its first page
            self.view.expand(index)
            self.select_hit(hit)
        self.hitActivated.emit(hit)

    def _paint_labels(self) -> None:
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        error = QPalette(self.error_label.palette())
        error.setColor(QPalette.ColorRole.WindowText, QColor("#ef6b6b" if dark else "#b3261e"))
        self.error_label.setPalette(error)
        muted = QPalette(self.summary_label.palette())
        muted.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
        )
        self.summary_label.setPalette(muted)

    # -- events -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the system switched light/dark
            self._paint_labels()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the query box goes to the first page of the results.
        if (
            watched is self.query_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount()
        ):
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            first = self.model.index(0, 0, self.model.index(0, 0))
            self.view.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            return True
        return super().eventFilter(watched, event)
