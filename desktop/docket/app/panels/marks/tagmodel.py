"""The Tags panel's model: the case's tag tree, a name column and a usage column.

Editing a name in place and dropping a tag onto another only ask, through the
model's signals; `TagManager` confirms and makes the change.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QStandardItem, QStandardItemModel

from docket.app.panels.search.model import plural
from docket.core.model.marks import TagCount, TagNode
from docket.core.model.tags import is_within

Index = QModelIndex | QPersistentModelIndex
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
MIME_TYPE = "application/x-docket-tag"
_ITEM = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_DRAG_DROP = Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled


def usage_text(marks: int, documents: int, joiner: str = " · ") -> str:
    """ "12 marks · 3 documents", leaving out what is nought."""
    parts = [plural(n, word) for n, word in ((marks, "mark"), (documents, "document")) if n]
    return joiner.join(parts) or "not used"


def _tooltip(node: TagNode) -> str:
    own = usage_text(node.marks, node.documents)
    if not node.children:
        return f"{node.path}\n{own}"
    subtags = plural(len(node.children), "subtag")
    return (
        f"{node.path}\nTagged {node.name} itself: {own}\n"
        f"With its {subtags}: {usage_text(node.total_marks, node.total_documents)}"
    )


class TagTreeModel(QStandardItemModel):
    """The tag tree: a name column, editable in place, and a usage column.

    Editing and dropping only ask (the signals); the panel confirms and makes the
    change, and the tree is rebuilt from the case afterwards.
    """

    renameRequested = Signal(str, str)  # path, the name typed
    mergeRequested = Signal(str, str)  # source path, target path

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.counts: list[TagCount] | None = None  # what the tree shows, to skip no-op refreshes
        self._items: dict[str, QStandardItem] = {}  # casefolded path -> name item
        self.setColumnCount(2)  # before the view sets how each column is sized
        self.invisibleRootItem().setFlags(Qt.ItemFlag.ItemIsEnabled)  # drop onto a tag only

    def set_tree(self, roots: Sequence[TagNode], counts: list[TagCount]) -> None:
        self.removeRows(0, self.rowCount())
        self._items.clear()
        muted = QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        for node in roots:
            self._append(self.invisibleRootItem(), node, muted)
        self.counts = counts

    def _append(self, parent: QStandardItem, node: TagNode, muted: QColor) -> None:
        name = QStandardItem(node.name)
        name.setFlags(_ITEM | _DRAG_DROP | Qt.ItemFlag.ItemIsEditable)
        usage = QStandardItem(usage_text(node.total_marks, node.total_documents))
        usage.setFlags(_ITEM | _DRAG_DROP)
        usage.setForeground(muted)
        usage.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for item in (name, usage):
            item.setData(node.path, PATH_ROLE)
            item.setToolTip(_tooltip(node))
        parent.appendRow([name, usage])
        self._items[node.path.casefold()] = name
        for child in node.children:
            self._append(name, child, muted)

    def index_of(self, path: str) -> QModelIndex:
        item = self._items.get(path.casefold())
        return item.index() if item is not None else QModelIndex()

    def paths(self) -> list[str]:
        return [str(item.data(PATH_ROLE)) for item in self._items.values()]

    def parent_paths(self) -> list[str]:
        return [str(item.data(PATH_ROLE)) for item in self._items.values() if item.hasChildren()]

    def subtag_count(self, path: str) -> int:
        return sum(1 for p in self.paths() if is_within(p, path)) - 1

    # -- editing in place ---------------------------------------------------------------

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return super().setData(index, value, role)
        typed = str(value).strip()
        if typed and typed != index.data():
            self.renameRequested.emit(str(index.data(PATH_ROLE)), typed)
        return False  # the name changes when the case says so, after the refresh

    # -- dragging a tag onto another ------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        paths = [str(i.data(PATH_ROLE)) for i in indexes if i.isValid() and i.column() == 0]
        if paths:  # one tag at a time: the view selects one row
            data.setData(MIME_TYPE, QByteArray(paths[0].encode("utf-8")))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        source = bytes(data.data(MIME_TYPE).data()).decode("utf-8")
        target = parent.data(PATH_ROLE) if parent.isValid() else None
        # Onto a tag (row -1), not between rows; never onto itself or a tag inside it.
        return bool(source and target and row < 0 and not is_within(str(target), source))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = bytes(data.data(MIME_TYPE).data()).decode("utf-8")
        self.mergeRequested.emit(source, str(parent.data(PATH_ROLE)))
        # False: a successful move would make the view remove the dragged row itself,
        # before the merge is even confirmed.
        return False
