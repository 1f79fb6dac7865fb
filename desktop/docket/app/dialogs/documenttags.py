"""Tagging a document, and writing a note on one: the dialogs the library's menu opens.

The document's tags are a checklist (untick to remove) above a field that takes
new tags, several at once separated by commas, completed from the case's tags
wherever the typed letters stand in the path ("tort" offers "Issue/Torture").
Nothing is saved until OK, which is one undoable step (Ctrl+Z puts the
document's tags back as they were).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from docket.core.errors import DocketError
from docket.core.model.tags import ancestors, normalize_tag

if TYPE_CHECKING:
    from docket.app.operations.marks import MarkController


class TagCompleter(QCompleter):
    """Completes the tag after the last comma, matching anywhere in the path, any case."""

    def __init__(self, names: list[str], parent: QLineEdit) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(sorted(names, key=str.casefold), self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)

    def splitPath(self, path: str) -> list[str]:
        return [path.rpartition(",")[2].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        head = widget.text().rpartition(",")[0] if isinstance(widget, QLineEdit) else ""
        return f"{head}, {index.data()}" if head else str(index.data())


def case_tag_names(controller: MarkController) -> list[str]:
    """Every tag of the case and every parent above one: all a tag may be completed to."""
    names: dict[str, str] = {}
    for count in controller.marking.tag_counts():
        for name in ancestors(count.name):
            names.setdefault(name.casefold(), name)
    return list(names.values())


class TagDocumentDialog(QDialog):
    def __init__(
        self, controller: MarkController, doc_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.doc_id = doc_id
        self.changed = False  # whether OK changed the document's tags
        document = controller.case.document(doc_id) if controller.case else None
        title = (document.title.strip() or document.source_name) if document else str(doc_id)
        self.setWindowTitle("Tag Document")
        self._original = controller.marking.document_tags(doc_id)

        self.list = QListWidget()
        self.list.setAccessibleName("Tags of the document")
        self.list.setSpacing(1)
        self._names = sorted(case_tag_names(controller), key=str.casefold)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("New tags, separated by commas: Issue/Torture, Witness")
        self.edit.setCompleter(TagCompleter(self._names, self.edit))
        for name in self._original:
            self._add_item(name)
        self.list.itemChanged.connect(self._offer_the_rest)
        self.edit.installEventFilter(self)
        # Enter on a completion in the popup: queued, as the completion is written in
        # the field only after the field hears the key.
        self.edit.returnPressed.connect(self.add_typed, Qt.ConnectionType.QueuedConnection)
        self.add_button = QPushButton("Add")
        self.add_button.setAutoDefault(False)  # Enter in the field adds, it does not close
        self.add_button.clicked.connect(self.add_typed)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        adding = QHBoxLayout()
        adding.addWidget(self.edit, 1)
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        heading = QLabel(f"Tags of “{title}” — untick a tag to remove it:")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(adding)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(420, 320)
        self.edit.setFocus()

    def tags(self) -> list[str]:
        """The tags ticked now."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def add_typed(self) -> bool:
        """Add the tags typed in the field to the list, ticked; False if one is no tag."""
        typed = [part for part in self.edit.text().split(",") if part.strip()]
        try:
            names = [normalize_tag(part) for part in typed]
        except DocketError as problem:
            self.problem.setText(str(problem))
            self.problem.show()
            return False
        self.problem.hide()
        for name in names:
            self._add_item(name)
        self.edit.clear()
        return True

    def accept(self) -> None:
        if self.edit.text().strip() and not self.add_typed():
            return  # typed and not added: OK takes it too, when it is a tag
        if self.apply():
            super().accept()

    def apply(self) -> bool:
        before = {name.casefold(): name for name in self._original}
        after = {name.casefold(): name for name in self.tags()}
        removed = [name for key, name in before.items() if key not in after]
        added = [name for key, name in after.items() if key not in before]
        try:
            if removed or added:
                self.controller.retag_document(self.doc_id, add=added, remove=removed)
        except DocketError as problem:
            QMessageBox.warning(self, "Cannot tag the document", str(problem))
            return False
        self.changed = bool(removed or added)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in a field with text adds it; in an empty field it means OK.
        if (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.edit.text().strip()
        ):
            self.add_typed()
            return True
        return super().eventFilter(watched, event)

    def _add_item(self, name: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text().casefold() == name.casefold():
                item.setCheckState(Qt.CheckState.Checked)
                return
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.list.addItem(item)
        self._offer_the_rest()

    def _offer_the_rest(self) -> None:
        """Complete to the tags the document has not got (ticked)."""
        ticked = {name.casefold() for name in self.tags()}
        model = self.edit.completer().model()
        if isinstance(model, QStringListModel):
            model.setStringList([n for n in self._names if n.casefold() not in ticked])


def edit_document_tags(parent: QWidget | None, controller: MarkController, doc_id: int) -> bool:
    """Let the user change a document's tags; True when OK changed them."""
    try:
        dialog = TagDocumentDialog(controller, doc_id, parent)
    except DocketError as problem:  # no case, or the document is gone
        QMessageBox.warning(parent, "Cannot tag the document", str(problem))
        return False
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted and dialog.changed


def document_note_text(parent: QWidget | None, title: str) -> str | None:
    """Ask for a note on a whole document; None when cancelled or left empty."""
    text, ok = QInputDialog.getMultiLineText(
        parent, "Add Document Note", f"A note on the whole of “{title}”:", ""
    )
    return text if ok and text.strip() else None
