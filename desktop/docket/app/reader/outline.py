"""The PDF's own outline (bookmarks) as a clickable tree."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from docket.core.model.records import OutlineEntry


class OutlinePanel(QWidget):
    pageActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Section", "Page"])
        self.tree.setColumnCount(2)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._activate)
        self.tree.itemClicked.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)

    def set_entries(self, entries: Sequence[OutlineEntry]) -> None:
        self.tree.clear()
        parents: list[QTreeWidgetItem] = []
        for entry in entries:
            parents = parents[: entry.level]
            item = QTreeWidgetItem([entry.title, str(entry.page) if entry.page else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.page)
            item.setToolTip(0, entry.title)
            if parents:
                parents[-1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            parents.append(item)
        self.tree.expandToDepth(0)
        if not entries:
            placeholder = QTreeWidgetItem(["This document has no outline.", ""])
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(placeholder)

    def _activate(self, item: QTreeWidgetItem) -> None:
        page = item.data(0, Qt.ItemDataRole.UserRole)
        if page:
            self.pageActivated.emit(int(page))
