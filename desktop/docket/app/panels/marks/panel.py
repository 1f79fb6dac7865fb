"""Lists of marks with an editor below: the open document's marks panel (and its base).

`MarkListPane` is what the document panel and the case's mark browser share:
the list, the editor for the selected mark, and refreshing when marks change
while keeping the selection (by mark id) and the scroll position. A change-set
that names no mark (a document tagged) leaves the list alone; otherwise the
marks come from the controller, which has updated only the marks the change
named, and the rows of changed marks are updated and those of removed marks
removed in place. Refreshes wait for the event loop to come round, so that a
burst of changes (an undo of many, a note saved while another row is being
clicked) makes one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from docket.app.operations.marks import MarkController
from docket.app.panels.marks.delegate import MarkDelegate
from docket.app.panels.marks.editor import MarkEditor
from docket.app.panels.marks.model import MarkListModel, PageLabels, Role
from docket.core.model.changes import Changes
from docket.core.model.marks import Mark


def _height_key(mark: Mark) -> tuple[bool, int]:
    """What a row's height depends on (see MarkDelegate.sizeHint)."""
    return bool(mark.note.strip()), len(mark.quote)


def count_text(count: int) -> str:
    return f"{count:,} mark" if count == 1 else f"{count:,} marks"


class MarkListView(QListView):
    """A list whose rows reflow to its width, that reports Enter, and shows a hint when empty."""

    rowEntered = Signal(QModelIndex)
    rowDeleted = Signal(QModelIndex)  # Delete or Backspace on a row

    def __init__(self) -> None:
        super().__init__()
        self.hint = ""
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMouseTracking(True)  # tooltips with the whole note
        # Rows are measured 200 at a time between events: 2,000 rows of varying
        # height took 100 ms in one go, a stall the window must not have.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        self.viewport().update()

    def relayout(self) -> None:
        """Measure the rows again (a note got longer); the scroll position stays."""
        self.scheduleDelayedItemsLayout()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.rowEntered.emit(self.currentIndex())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.currentIndex().isValid()
        ):
            self.rowDeleted.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()  # quotes wrap to the new width

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.hint and model is not None and not model.rowCount():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.hint,
            )


class MarkListPane(QWidget):
    """Marks chosen by `_query`, listed above an editor for the selected one.

    Right-clicking a row offers History…, which asks (historyRequested) for the
    mark's history: the window opens it (panels do not open dialogs)."""

    historyRequested = Signal(int)  # a mark's id

    def __init__(
        self, controller: MarkController, *, show_titles: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.labels = PageLabels()
        self.model = MarkListModel(self, show_titles=show_titles)
        self.view = MarkListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(MarkDelegate(self.view))
        self.editor = MarkEditor(controller)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 1)  # the list takes what the editor leaves
        self.splitter.setStretchFactor(1, 0)
        self.count_label = QLabel()
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._stale = True  # the list may not show the case as it is
        self._sized = False  # the splitter got its first sizes
        self._restoring = False  # selection changes made by a refresh are not the user's
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self._refresh_if_shown)
        controller.marksChanged.connect(self._marks_changed)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.clicked.connect(self._activate)
        self.view.rowEntered.connect(self._activate)
        self.view.rowDeleted.connect(self._delete)
        # Others' entries for a row's context menu (Copy with Citation): each is
        # called with the menu and the row's mark before it shows.
        self.menu_extensions: list[Callable[[QMenu, Mark], None]] = []
        self.history_action = QAction("History…", self)
        self.history_action.setToolTip("Every change to this mark: who made it, when, and what")
        self.history_action.triggered.connect(self._history_wanted)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)

    # -- what the window uses ---------------------------------------------------------

    def select_mark(self, mark_id: int) -> bool:
        """Select mark `mark_id` and scroll to it; False if the list does not show it."""
        if self._stale:
            # Later, and only if still shown: showing every panel when a case opens
            # briefly shows the ones tabbed behind others too.
            self._refresh_timer.start()
        row = self.model.row_of(mark_id)
        if row < 0:
            return False
        index = self.model.index(row)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def selected_mark(self) -> Mark | None:
        index = self.view.currentIndex()
        return index.data(Role.MARK) if index.isValid() else None

    def flush(self) -> None:
        """Save a note still being typed; call before the case closes."""
        self.editor.flush()

    def set_colour_names(self, names: dict[str, str]) -> None:
        """The colours' names changed in the preferences."""
        self.editor.set_colour_names(names)

    def refresh(self) -> None:
        """List the marks as the case has them now."""
        self._refresh_timer.stop()
        self._stale = False
        case = self.controller.case
        self.labels.reset(case)
        marks = self._query() if case is not None else []
        self.labels.fill(marks)
        selected = self.selected_mark()
        scroll = self.view.verticalScrollBar().value()
        heights = {mark.id: _height_key(mark) for mark in self.model.marks()}
        self._restoring = True
        try:
            if self.model.set_marks(marks, self.labels, self._titles()):
                if any(heights[mark.id] != _height_key(mark) for mark in marks):
                    self.view.relayout()  # a note came or went: measuring 2,000 rows, ~20 ms
                if selected is not None and self.model.row_of(selected.id) < 0:
                    self._forget_selection()  # its row was removed
            else:
                self._restore(selected, scroll)
        finally:
            self._restoring = False
        self.count_label.setText(self._count_text(len(marks)))
        self.view.set_hint(self._hint() if not marks else "")

    # -- for subclasses -----------------------------------------------------------------

    def _query(self) -> list[Mark]:
        raise NotImplementedError

    def _titles(self) -> dict[int, str]:
        return {}

    def _hint(self) -> str:
        return ""

    def _affected_by(self, changes: Changes) -> bool:
        """Whether the list may show something this change-set changed."""
        return bool(changes.marks)

    def _count_text(self, count: int) -> str:
        return count_text(count)

    # -- inside -------------------------------------------------------------------------

    def on_screen(self) -> bool:
        """Shown and in front: a panel in a dock tab behind another counts as visible
        to Qt, but nobody sees it (its visible region is empty)."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def dock_visibility_changed(self, visible: bool) -> None:
        """Its dock's tab came to the front (QDockWidget.visibilityChanged)."""
        if visible and self._stale:
            self.refresh()

    def _refresh_if_shown(self) -> None:
        if self.on_screen():
            self.refresh()

    def _marks_changed(self, changes: Changes | None) -> None:
        if changes is None or self._affected_by(changes):
            self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        self._stale = True
        if self.on_screen():  # a panel out of sight catches up when it is shown
            self._refresh_timer.start()

    def _forget_selection(self) -> None:
        """No row is current and the editor shows nothing: the mark it showed is gone."""
        self.view.selectionModel().clear()
        self.editor.set_mark(None)

    def _restore(self, selected: Mark | None, scroll: int) -> None:
        row = self.model.row_of(selected.id) if selected is not None else -1
        if row >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        elif selected is not None:
            self.editor.set_mark(None)  # filtered out or gone
        self.view.doItemsLayout()  # so that the scroll range is the new one
        self.view.verticalScrollBar().setValue(scroll)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._restoring:
            self.editor.set_mark(current.data(Role.MARK) if current.isValid() else None)

    def _delete(self, index: QModelIndex) -> None:
        mark = index.data(Role.MARK)
        if mark is not None:  # undoable, like the editor's Delete button
            self.controller.delete(mark.id)

    def context_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu for row `index` (selected first), or None off the rows."""
        if not index.isValid() or index.data(Role.MARK) is None:
            return None
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        menu = QMenu(self)
        menu.addAction(self.history_action)
        for extend in self.menu_extensions:
            extend(menu, index.data(Role.MARK))
        return menu

    def _show_context_menu(self, position: QPoint) -> None:
        menu = self.context_menu(self.view.indexAt(position))
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(position))
            menu.deleteLater()

    def _history_wanted(self) -> None:
        mark = self.selected_mark()
        if mark is not None:
            self.historyRequested.emit(mark.id)

    def _activate(self, index: QModelIndex) -> None:
        mark = index.data(Role.MARK)
        if mark is not None:
            self.controller.open_mark(mark)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized and self.splitter.height() > 0:
            # The note box would take half the height (its size hint); the list comes first.
            self._sized = True
            height = self.splitter.height()
            self.splitter.setSizes([height * 3 // 5, height - height * 3 // 5])
        if self._stale:
            # Later, and only if still shown: showing every panel when a case opens
            # briefly shows the ones tabbed behind others too.
            self._refresh_timer.start()


class DocumentMarksPanel(MarkListPane):
    """The marks of the open document, in page order (document notes first)."""

    addPageNoteRequested = Signal()
    addDocumentNoteRequested = Signal()

    def __init__(self, controller: MarkController, parent: QWidget | None = None) -> None:
        super().__init__(controller, show_titles=False, parent=parent)
        self._doc: int | None = None
        self.view.setAccessibleName("Marks in this document")
        self.add_page_note_action = QAction("Add Page Note", self)
        self.add_page_note_action.setToolTip("Add a note to the page on screen")
        self.add_page_note_action.triggered.connect(self.addPageNoteRequested)
        self.add_document_note_action = QAction("Add Document Note", self)
        self.add_document_note_action.setToolTip("Add a note to the whole document")
        self.add_document_note_action.triggered.connect(self.addDocumentNoteRequested)
        menu = QMenu(self)
        menu.addAction(self.add_page_note_action)
        menu.addAction(self.add_document_note_action)
        self.add_button = QToolButton()
        self.add_button.setDefaultAction(self.add_page_note_action)
        self.add_button.setMenu(menu)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

        bar = QHBoxLayout()
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.set_document(None)

    def set_document(self, doc_id: int | None) -> None:
        """Show the marks of document `doc_id` (None: no document is open)."""
        if doc_id != self._doc:
            self.editor.set_mark(None)  # saves a note being typed for the last document
            self.view.verticalScrollBar().setValue(0)
        self._doc = doc_id
        for action in (self.add_page_note_action, self.add_document_note_action):
            action.setEnabled(doc_id is not None)
        if self.on_screen():
            self.refresh()
        else:  # tabbed away: listed when shown
            self.model.clear()
            self._stale = True

    def document(self) -> int | None:
        return self._doc

    def _query(self) -> list[Mark]:
        return self.controller.marks(self._doc) if self._doc is not None else []

    def _count_text(self, count: int) -> str:
        return count_text(count) if self._doc is not None else ""

    def _hint(self) -> str:
        if self._doc is None:
            return "Open a document to see its highlights and notes."
        return (
            "No marks yet.\n\nSelect words on a page and choose a colour to highlight "
            "them, or add a note to the page."
        )
