"""Document → Re-read as Encoding…: the list of encodings to read a text file in.

Lists the encodings case files come in (core/ingest/reencode.py,
COMMON_ENCODINGS), the document's current one selected, and says whether it
was guessed; a field below takes any other encoding name Python knows.
"""

from __future__ import annotations

import codecs

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from docket.core.ingest.reencode import COMMON_ENCODINGS
from docket.core.model.records import Document, Flag


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


class EncodingDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-read as Encoding")
        current = _codec(document.encoding.split("+")[0]) if document.encoding else ""
        guessed = Flag.ENCODING_GUESSED in document.flags
        how = "guessed" if guessed else "detected"
        intro = QLabel(
            f"{document.title or document.source_name}\n\n"
            f"Read as {document.encoding or 'unknown'} ({how}). Pick the encoding the file "
            "is really in: the stored file is read again (it is never changed), and "
            "highlights whose words are no longer found become page notes."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for codec, label in COMMON_ENCODINGS:
            item = QListWidgetItem(f"{label} — {codec}")
            item.setData(Qt.ItemDataRole.UserRole, codec)
            self.list.addItem(item)
            if _codec(codec) == current:
                self.list.setCurrentItem(item)
        self.other = QLineEdit()
        self.other.setPlaceholderText("or type another encoding name (e.g. cp737, iso8859-13)")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Re-read")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.other)
        layout.addWidget(buttons)
        self.resize(460, 520)

    def chosen(self) -> str | None:
        """The typed name if any, else the selected encoding; None if neither."""
        typed = self.other.text().strip()
        if typed:
            return typed
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None


def ask_encoding(document: Document, parent: QWidget | None = None) -> str | None:
    """Show the dialog; the encoding chosen, or None when cancelled."""
    dialog = EncodingDialog(document, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen()
