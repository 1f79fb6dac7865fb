"""The library panel: every document of the case, filtered as you type and by tag, sortable.

The window gives it the documents when a case opens (`set_documents`); after
that it applies change-sets (`apply_changes`), reading only the documents added
or changed through the function it was given. Whenever tags may have changed it
gets every document's tags at once (`set_document_tags`). Its menu asks the
window to tag a document or note on it; the panel itself changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from docket.app.panels.library.model import DOC_ID_ROLE, Column, DocumentFilter, DocumentTableModel
from docket.app.panels.search.model import plural
from docket.core.model.changes import Changes
from docket.core.model.records import Document, DocumentKind
from docket.core.model.tags import ancestors, is_within

# Air after each cell's text (a right-aligned page count would touch the date),
# little before it, so that cells stay in line with their header's label.
PAD_LEFT, PAD_RIGHT = 2, 10
INSTANT_FILTER_ROWS = 5000
FILTER_DELAY_MS = 150
MAX_TAGS_WIDTH = 220
MAX_FLAGS_WIDTH = 190  # "no text layer — needs OCR" whole

DocumentReader = Callable[[Collection[int]], Sequence[Document]]  # ids -> those documents


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
    tagDocumentRequested = Signal(int)  # doc id: the window opens the tag dialog
    documentNoteRequested = Signal(int)  # doc id: the window asks for a note and adds it
    languageRequested = Signal(int)  # doc id: the window asks for its language and sets it
    ocrRequested = Signal(int)  # doc id: the window asks for OCR languages and reads it again
    shortTitleRequested = Signal(int)  # doc id: the window asks for its short title for cites
    transcriptRequested = Signal(int, bool)  # doc id, on: set as a transcript (page:line) or not

    def __init__(
        self, read_documents: DocumentReader | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._read_documents = read_documents
        # Whether a document is a transcript, for the menu's tick (the window sets it).
        self.is_transcript: Callable[[int], bool] = lambda _doc: False
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter documents…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setToolTip("Words in the title, file name, type, flags or tags")
        self.tag_box = QComboBox()
        self.tag_box.setToolTip("Only the documents with this tag or a tag below it")
        self.tag_box.setAccessibleName("Documents tagged")
        self.tag_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag_box.setMinimumContentsLength(10)  # long paths elide rather than widen the dock
        self.tag_box.addItem("All documents", None)
        self.tag_box.hide()  # until a document has a tag

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
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
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
        # Tags show next to the title, where a narrow dock still has them in view;
        # the column is hidden until a document has a tag.
        columns.moveSection(columns.visualIndex(Column.TAGS), columns.visualIndex(Column.TITLE) + 1)
        columns.setSectionHidden(Column.TAGS, True)
        # Coverage beside the page count it is a share of ("3/12").
        columns.moveSection(
            columns.visualIndex(Column.REVIEWED), columns.visualIndex(Column.PAGES) + 1
        )
        # Flags ("no text layer — needs OCR") come first after the title: what a
        # document needs must not be scrolled out of a narrow dock.
        columns.moveSection(
            columns.visualIndex(Column.FLAGS), columns.visualIndex(Column.TITLE) + 1
        )
        self.count_label = QLabel()
        # A long count ("12 of 2,400 documents") must not set the dock's width.
        self.count_label.setMinimumWidth(0)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        muted = QPalette(self.count_label.palette())
        muted.setColor(
            QPalette.ColorRole.WindowText, self.palette().color(QPalette.ColorRole.PlaceholderText)
        )
        self.count_label.setPalette(muted)
        self.unreviewed_box = QCheckBox("Not fully reviewed")
        self.unreviewed_box.setToolTip("Only the documents with pages nobody has reviewed yet")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(self.filter_box, 2)
        filters.addWidget(self.tag_box, 1)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        # Its own line: beside the count, a narrow dock would cut the count short.
        layout.addWidget(self.unreviewed_box)
        layout.addWidget(self.count_label)

        # Filtering 50,000 rows takes ~0.1 s: in big cases wait for a pause in typing.
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_box.textChanged.connect(self._filter_changed)
        self.tag_box.currentIndexChanged.connect(self._apply_tag_filter)
        self.unreviewed_box.toggled.connect(self._apply_review_filter)
        self.view.activated.connect(self._activate)  # double-click or Enter, per platform
        self.view.customContextMenuRequested.connect(self._show_context_menu)
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

    def apply_changes(self, changes: Changes) -> None:
        """Rows for the documents added or changed, none for those removed; the sort,
        the selection and the current row survive."""
        delta = changes.documents
        if not delta:
            return
        wanted = delta.added | delta.changed
        if wanted and self._read_documents is None:
            raise RuntimeError("this library panel was given no way to read documents")
        documents = self._read_documents(wanted) if self._read_documents and wanted else ()
        selected = self.selected_documents()
        current = self.current_document()
        self.model.update_documents(documents, delta.removed)
        self._restore_selection(selected, current)
        self._fit_columns()
        self._update_count()

    def totals(self) -> tuple[int, int]:
        """(documents, pages) shown when no filter hides any."""
        return self.model.totals()

    def set_document_tags(self, tags: Mapping[int, Sequence[str]]) -> None:
        """Every document's tags (`case.marking.all_document_tags()`); the tag list, the
        chosen tag (while it exists), the selection and the current row survive."""
        tags = {doc: list(names) for doc, names in tags.items() if names}
        if tags == self.model.document_tags():
            return  # marksChanged comes at each pause in typing a note: no refiltering then
        selected = self.selected_documents()
        current = self.current_document()
        self.model.set_document_tags(tags)
        chosen = self.tag_filter()
        names: dict[str, str] = {}
        for name in (a for doc_tags in tags.values() for t in doc_tags for a in ancestors(t)):
            names.setdefault(name.casefold(), name)
        self.tag_box.blockSignals(True)  # one filtering below, not one per item
        self.tag_box.clear()
        self.tag_box.addItem("All documents", None)
        for name in sorted(names.values(), key=str.casefold):
            self.tag_box.addItem(name, name)
        found = self.tag_box.findData(names.get(chosen.casefold())) if chosen else -1
        self.tag_box.setCurrentIndex(max(found, 0))
        self.tag_box.blockSignals(False)
        self.tag_box.setVisible(self.tag_box.count() > 1)
        self.view.setColumnHidden(Column.TAGS, not self.model.document_tags())
        self._apply_tag_filter()  # filters again: the text filter matches tags too
        self._restore_selection(selected, current)
        self._fit_columns()

    def set_coverage(self, reviewed: Mapping[int, int]) -> None:
        """Pages reviewed per document (`case.review.coverage()`), for the Reviewed column."""
        self.model.set_coverage(reviewed)
        self._coverage_changed()

    def set_document_coverage(self, doc_id: int, reviewed: int) -> None:
        self.model.set_document_coverage(doc_id, reviewed)
        self._coverage_changed()

    def _coverage_changed(self) -> None:
        if self.unreviewed_box.isChecked():
            selected, current = self.selected_documents(), self.current_document()
            self.proxy.refilter()
            self._restore_selection(selected, current)
            self._update_count()
        self.view.resizeColumnToContents(Column.REVIEWED)

    def _apply_review_filter(self, on: bool) -> None:
        self.proxy.set_unreviewed_only(on)
        self._update_count()

    def tag_filter(self) -> str | None:
        """The tag the library shows the documents of; None for all documents."""
        data = self.tag_box.currentData()
        return str(data) if data else None

    def set_tag_filter(self, tag: str | None) -> bool:
        """Show only the documents tagged `tag` (or below it); False if none is."""
        found = self.tag_box.findData(tag, flags=Qt.MatchFlag.MatchFixedString) if tag else 0
        if found < 0:
            return False
        self.tag_box.setCurrentIndex(found)
        return True

    def context_menu(self, doc_id: int) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.documentActivated.emit(doc_id))
        menu.addSeparator()
        menu.addAction("Tag Document…", lambda: self.tagDocumentRequested.emit(doc_id))
        menu.addAction("Add Document Note…", lambda: self.documentNoteRequested.emit(doc_id))
        menu.addAction("Short Title…", lambda: self.shortTitleRequested.emit(doc_id))
        transcript = menu.addAction("Transcript (Page:Line)")
        transcript.setCheckable(True)
        transcript.setChecked(self.is_transcript(doc_id))
        transcript.toggled.connect(lambda on: self.transcriptRequested.emit(doc_id, on))
        menu.addSeparator()
        menu.addAction("Language…", lambda: self.languageRequested.emit(doc_id))
        read = menu.addAction("Read with OCR…", lambda: self.ocrRequested.emit(doc_id))
        row = self.model.row_of(doc_id)
        if row is not None:
            document = self.model.document(row)
            read.setEnabled(document.kind is not DocumentKind.TEXT)  # text files have no scans
            if document.ocr_languages:
                read.setToolTip(f"This document's OCR languages: {document.ocr_languages}")
                read.setText(f"Read with OCR… ({document.ocr_languages})")
        return menu

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

    def _apply_tag_filter(self) -> None:
        chosen = self.tag_filter()
        allowed = None
        if chosen is not None:
            tags = self.model.document_tags()
            allowed = {
                doc for doc, names in tags.items() if any(is_within(name, chosen) for name in names)
            }
        self.proxy.set_allowed(allowed)
        self._update_count()

    def _show_context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if index.isValid():
            menu = self.context_menu(index.data(DOC_ID_ROLE))
            menu.aboutToHide.connect(menu.deleteLater)  # after its action has run
            menu.popup(self.view.viewport().mapToGlobal(position))

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.documentActivated.emit(index.data(DOC_ID_ROLE))

    def _fit_columns(self) -> None:
        # Measure the short columns once per refresh, not per row as ResizeToContents would.
        for column in (
            Column.TYPE,
            Column.PAGES,
            Column.IMPORTED,
            Column.FLAGS,
            Column.TAGS,
            Column.REVIEWED,
        ):
            self.view.resizeColumnToContents(column)
        # Many tags make a long line: the tooltip has them all.
        tags_width = min(self.view.columnWidth(Column.TAGS), MAX_TAGS_WIDTH)
        self.view.setColumnWidth(Column.TAGS, tags_width)
        # A long flag line is cut (its tooltip has it whole) so the title keeps its room.
        flags_width = min(self.view.columnWidth(Column.FLAGS), MAX_FLAGS_WIDTH)
        self.view.setColumnWidth(Column.FLAGS, flags_width)
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
