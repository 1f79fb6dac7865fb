"""The library panel: every document of the case, filtered as you type and sortable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from docket.app.librarymodel import DOC_ID_ROLE, Column, DocumentFilter, DocumentTableModel
from docket.app.searchmodel import plural
from docket.core.records import Document

# Air after each cell's text (a right-aligned page count would touch the date),
# little before it, so that cells stay in line with their header's label.
PAD_LEFT, PAD_RIGHT = 2, 10
INSTANT_FILTER_ROWS = 5000
FILTER_DELAY_MS = 150


class _PaddedDelegate(QStyledItemDelegate):
    """Cells with some air after their text; see PAD_RIGHT."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        style = option.widget.style() if option.widget else None
        if style is not None:  # the selection spans the whole cell, padding included
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, background, painter, option.widget
            )
        inner = QStyleOptionViewItem(option)
        inner.rect = option.rect.adjusted(PAD_LEFT, 0, -PAD_RIGHT, 0)
        super().paint(painter, inner, index)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return super().sizeHint(option, index) + QSize(PAD_LEFT + PAD_RIGHT, 0)


class LibraryPanel(QWidget):
    documentActivated = Signal(int)  # doc id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter documents…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setToolTip("Words in the title, file name, type or flags")

        self.model = DocumentTableModel()
        self.proxy = DocumentFilter()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(_PaddedDelegate(self.view))
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setAccessibleName("Documents")
        self.view.viewport().installEventFilter(self)  # refit the title column on resize
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        columns = self.view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setMinimumSectionSize(40)
        columns.setResizeContentsPrecision(200)  # rows measured when fitting a column
        self.count_label = QLabel()
        muted = QPalette(self.count_label.palette())
        muted.setColor(
            QPalette.ColorRole.WindowText, self.palette().color(QPalette.ColorRole.PlaceholderText)
        )
        self.count_label.setPalette(muted)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        # Filtering 50,000 rows takes ~0.1 s: in big cases wait for a pause in typing.
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_box.textChanged.connect(self._filter_changed)
        self.view.activated.connect(self._activate)  # double-click or Enter, per platform
        self._fit_columns()
        self._update_count()

    def set_documents(self, documents: Sequence[Document]) -> None:
        """Show `documents`; the sort order, the selection and the current row survive."""
        selected = self.selected_documents()
        current = self.current_document()
        self.model.set_documents(documents)
        self._restore_selection(selected, current)
        self._fit_columns()
        self._update_count()

    def select_document(self, doc_id: int) -> bool:
        """Select and show the document's row; False if absent or hidden by the filter."""
        index = self._proxy_index(doc_id)
        if not index.isValid():
            self.view.clearSelection()
            return False
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def selected_documents(self) -> list[int]:
        return [index.data(DOC_ID_ROLE) for index in self.view.selectionModel().selectedRows()]

    def current_document(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(DOC_ID_ROLE) if index.isValid() else None

    def _restore_selection(self, selected: Sequence[int], current: int | None) -> None:
        selection = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for doc_id in selected:
            index = self._proxy_index(doc_id)
            if index.isValid():
                selection.select(index, flags)
        if current is not None and (index := self._proxy_index(current)).isValid():
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(index)

    def _proxy_index(self, doc_id: int) -> QModelIndex:
        row = self.model.row_of(doc_id)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

    def _filter_changed(self) -> None:
        if self.model.rowCount() > INSTANT_FILTER_ROWS:
            self._filter_timer.start()
        else:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        self.proxy.set_text(self.filter_box.text())
        self._update_count()

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.documentActivated.emit(index.data(DOC_ID_ROLE))

    def _fit_columns(self) -> None:
        # Measure the short columns once per refresh, not per row as ResizeToContents would.
        for column in (Column.TYPE, Column.PAGES, Column.IMPORTED, Column.FLAGS):
            self.view.resizeColumnToContents(column)
        self._fit_title()

    def _fit_title(self) -> None:
        # The title takes the room the other columns leave; in a narrow dock it
        # keeps half the width (Type and Pages stay in view, the rest scrolls)
        # rather than shrinking to a stub as a Stretch section would.
        width = self.view.viewport().width()
        others = sum(self.view.columnWidth(c) for c in Column if c != Column.TITLE)
        self.view.setColumnWidth(Column.TITLE, max(width - others, width // 2, 160))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_title()
        return super().eventFilter(watched, event)

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if not total:
            text = "No documents yet: import files or drop them on the window"
        elif not shown:
            text = "No documents match the filter"
        elif shown < total:
            text = f"{shown:,} of {plural(total, 'document')}"
        else:
            text = plural(total, "document")
        self.count_label.setText(text)
