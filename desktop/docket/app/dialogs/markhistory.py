"""A mark's history: every change the audit log holds for it, oldest first.

Opened from the Marks panels' context menu (History…). It reads the log when it
opens and again when the mark changes while it is shown; it changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from docket.core.marks.auditlog import describe
from docket.core.model.audit import AuditAction, AuditEntry

if TYPE_CHECKING:
    from docket.app.operations.marks import MarkController
    from docket.core.model.changes import Changes

ACTION_NAMES = {
    AuditAction.MARK_ADDED: "Added",
    AuditAction.MARK_CHANGED: "Changed",
    AuditAction.MARK_REMOVED: "Deleted",
    AuditAction.MARK_RESTORED: "Restored",
    AuditAction.MARK_REANCHORED: "Re-anchored",
    AuditAction.TAG_RENAMED: "Tag renamed",
    AuditAction.TAG_MERGED: "Tags merged",
    AuditAction.TAG_DELETED: "Tag deleted",
    AuditAction.TAGS_RESTORED: "Tag change undone",
    AuditAction.DOCUMENT_TAGGED: "Document tagged",
}


class Column:
    WHEN, WHO, ACTION, CHANGE = range(4)


def action_name(action: str) -> str:
    try:
        return ACTION_NAMES[AuditAction(action)]
    except ValueError:  # written by a newer Docket
        return action


class MarkHistoryDialog(QDialog):
    def __init__(
        self, controller: MarkController, mark_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.mark_id = mark_id
        self.setWindowTitle(f"History of Mark {mark_id}")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.entries = QTreeWidget()
        self.entries.setAccessibleName("Changes to this mark")
        self.entries.setRootIsDecorated(False)
        self.entries.setUniformRowHeights(True)
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.entries.setHeaderLabels(["When", "Who", "What", "Change"])
        header = self.entries.header()
        for column in (Column.WHEN, Column.WHO, Column.ACTION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.entries, 1)
        layout.addWidget(buttons)
        self.resize(720, 360)
        controller.marksChanged.connect(self._marks_changed)
        self.reload()

    def reload(self) -> None:
        """Read the mark's entries again from the log."""
        self.entries.clear()
        case = self.controller.case
        found = case.marking.audit_entries(mark=self.mark_id) if case is not None else []
        items = [self._item(entry) for entry in found]
        self.entries.addTopLevelItems(items)
        if items:
            self.entries.scrollToItem(items[-1])  # the latest change
        count = len(found)
        self.summary.setText(
            f"{count} change{'' if count == 1 else 's'} recorded, oldest first. "
            "Times are local; every change is kept in the case."
            if found
            else "No changes recorded for this mark (it was made before Docket kept a history)."
        )

    def _item(self, entry: AuditEntry) -> QTreeWidgetItem:
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        change = describe(entry)
        item = QTreeWidgetItem([when, entry.author or "—", action_name(entry.action), change])
        item.setData(Column.WHEN, Qt.ItemDataRole.UserRole, entry.id)
        item.setToolTip(Column.WHEN, f"{entry.at.isoformat()} (entry {entry.id})")
        item.setToolTip(Column.CHANGE, change)
        return item

    def _marks_changed(self, changes: Changes | None) -> None:
        if changes is None or self.mark_id in changes.marks.touched:
            self.reload()

    def done(self, result: int) -> None:
        self.controller.marksChanged.disconnect(self._marks_changed)
        super().done(result)
