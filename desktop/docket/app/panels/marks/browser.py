"""Every mark of the case, filtered by words, tag, colour and document.

The filters are a `MarkFilter` for the core (a tag takes in the tags below
it there); the words are applied when typing pauses, not per keystroke.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from docket.app.operations.marks import MarkController
from docket.app.panels.marks.delegate import swatch_icon
from docket.app.panels.marks.model import display_colour_names
from docket.app.panels.marks.panel import MarkListPane, count_text
from docket.core.model.changes import Changes
from docket.core.model.colours import HIGHLIGHT_COLOURS
from docket.core.model.marks import Mark, MarkFilter, TagNode

FILTER_PAUSE_MS = 250  # one filtering per pause in typing
DEPTH = Qt.ItemDataRole.UserRole + 1  # a tag item's depth in the tree
NAME = Qt.ItemDataRole.UserRole + 2  # what the open list shows: the last segment and a count


class _TagItems(QStyledItemDelegate):
    """The open tag list shows the tree, indented; the closed box shows the whole path."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        name = index.data(NAME)
        if name:
            option.text = "\u2003" * int(index.data(DEPTH) or 0) + name


def _combo(accessible_name: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(accessible_name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(4)  # long titles and tags do not widen the panel
    return box


def _select_data(box: QComboBox, value: object) -> bool:
    for row in range(box.count()):
        data = box.itemData(row)
        if data == value or (
            isinstance(data, str) and isinstance(value, str) and data.casefold() == value.casefold()
        ):
            box.setCurrentIndex(row)
            return True
    return False


class MarkBrowser(MarkListPane):
    def __init__(self, controller: MarkController, parent: QWidget | None = None) -> None:
        super().__init__(controller, show_titles=True, parent=parent)
        self._documents: list[tuple[int, str]] = []  # (id, title) in title order
        self._tag_items: list[tuple[str, str, int]] = []  # (path, name shown, depth)
        self.view.setAccessibleName("Marks in the case")
        self.text_box = QLineEdit()
        self.text_box.setPlaceholderText("Filter by words in quotes, notes and tags")
        self.text_box.setClearButtonEnabled(True)
        self.tag_box = _combo("Tag")
        self.tag_box.setItemDelegate(_TagItems(self.tag_box))
        self.colour_box = _combo("Colour")
        self.document_box = _combo("Document")
        self._colour_names = display_colour_names()
        self._fill_colours()

        top = QHBoxLayout()
        top.addWidget(self.text_box, 1)
        top.addWidget(self.count_label)
        boxes = QHBoxLayout()
        for box in (self.tag_box, self.colour_box, self.document_box):
            boxes.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(boxes)
        layout.addWidget(self.splitter, 1)

        self._pause = QTimer(self, singleShot=True, interval=FILTER_PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        self.text_box.textChanged.connect(lambda _: self._pause.start())
        self.text_box.returnPressed.connect(self.refresh)
        for box in (self.tag_box, self.colour_box, self.document_box):
            # Refills block the boxes' signals: a change heard here is the user's.
            box.currentIndexChanged.connect(lambda _: self.refresh())

    # -- what the window uses ---------------------------------------------------------

    def set_tag_filter(self, tag: str | None) -> None:
        """Show the marks tagged `tag` or a tag below it (None: any tag)."""
        self._fill_tags()
        self.tag_box.blockSignals(True)
        if tag and not _select_data(self.tag_box, tag):
            self.tag_box.addItem(tag, tag)  # not in use (yet): filtering by it shows none
            self.tag_box.setCurrentIndex(self.tag_box.count() - 1)
        elif not tag:
            self.tag_box.setCurrentIndex(0)
        self.tag_box.blockSignals(False)
        self.refresh()

    def filter(self) -> MarkFilter:
        """The filter the list shows now."""
        return MarkFilter(
            doc=self.document_box.currentData(),
            tag=self.tag_box.currentData(),
            colour=self.colour_box.currentData(),
            text=self.text_box.text(),
        )

    def set_colour_names(self, names: dict[str, str]) -> None:
        self._colour_names = dict(names)
        self.editor.set_colour_names(names)
        self._fill_colours()

    # -- the list -----------------------------------------------------------------------

    def refresh(self) -> None:
        self._pause.stop()
        self._fill_tags()
        self._fill_documents()
        super().refresh()

    def _query(self) -> list[Mark]:
        case = self.controller.case
        if case is None:
            return []
        # Documents in title order, as the document box and the reports list them; the
        # sort is stable, so each document's marks stay in reading order.
        order = {doc: place for place, (doc, _) in enumerate(self._documents)}
        where = self.filter()
        # No filter: the controller's list, read once per change and shared.
        marks = (
            self.controller.marks(where.doc)
            if where == MarkFilter(doc=where.doc)
            else case.marking.marks(where)
        )
        return sorted(marks, key=lambda m: order.get(m.doc, -1))

    def _titles(self) -> dict[int, str]:
        return dict(self._documents)

    def _affected_by(self, changes: Changes) -> bool:
        # The tag box counts each tag's marks; the document box lists the documents.
        return bool(changes.marks or changes.tags or changes.documents)

    def _count_text(self, count: int) -> str:
        if self.controller.case is None:
            return ""
        return count_text(count) if count else "No marks match"

    def _hint(self) -> str:
        if self.controller.case is None:
            return "Open a case to see its highlights and notes."
        if self.filter() != MarkFilter():
            return "No marks match these filters."
        return "No marks yet. Highlights and notes made in any document are listed here."

    # -- the filter boxes ---------------------------------------------------------------

    def _fill_tags(self) -> None:
        case = self.controller.case
        tree = case.marking.tag_tree() if case is not None else []
        items: list[tuple[str, str, int]] = []  # path, name shown, depth

        def walk(nodes: list[TagNode], depth: int) -> None:
            for node in sorted(nodes, key=lambda n: n.name.casefold()):
                items.append((node.path, f"{node.name}  ({node.total_marks:,})", depth))
                walk(node.children, depth + 1)

        walk(tree, 0)
        current = self.tag_box.currentData()
        if items == self._tag_items and self.tag_box.count():
            return
        self._tag_items = items
        self.tag_box.blockSignals(True)
        self.tag_box.clear()
        self.tag_box.addItem("Any tag", None)
        for path, name, depth in items:
            self.tag_box.addItem(path, path)
            self.tag_box.setItemData(self.tag_box.count() - 1, depth, DEPTH)
            self.tag_box.setItemData(self.tag_box.count() - 1, name, NAME)
        if current and not _select_data(self.tag_box, current):
            self.tag_box.addItem(current, current)  # keep filtering by a tag now unused
            self.tag_box.setCurrentIndex(self.tag_box.count() - 1)
        self.tag_box.blockSignals(False)

    def _fill_documents(self) -> None:
        case = self.controller.case
        documents = (
            sorted(((d.id, d.title) for d in case.documents()), key=lambda item: item[1].casefold())
            if case is not None
            else []
        )
        if documents == self._documents and self.document_box.count():
            return
        self._documents = documents
        current = self.document_box.currentData()
        self.document_box.blockSignals(True)
        self.document_box.clear()
        self.document_box.addItem("Any document", None)
        for doc_id, title in documents:
            self.document_box.addItem(title, doc_id)
            self.document_box.setItemData(
                self.document_box.count() - 1, title, Qt.ItemDataRole.ToolTipRole
            )
        if current is not None:
            _select_data(self.document_box, current)  # gone: any document
        self.document_box.blockSignals(False)

    def _fill_colours(self) -> None:
        current = self.colour_box.currentData()
        self.colour_box.blockSignals(True)
        self.colour_box.clear()
        self.colour_box.addItem("Any colour", None)
        for colour in HIGHLIGHT_COLOURS:
            self.colour_box.addItem(
                swatch_icon(colour.rgb), self._colour_names.get(colour.key, colour.key), colour.key
            )
        if current is not None:
            _select_data(self.colour_box, current)
        self.colour_box.blockSignals(False)
