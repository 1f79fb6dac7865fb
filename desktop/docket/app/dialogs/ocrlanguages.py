""" "Read with OCR…": which of the installed Tesseract languages a document is read in.

The languages ticked become the document's own (they override the default
ones in Preferences), and the document is read again. Tesseract's languages
are those its packages installed (`tesseract-ocr-deu` adds German); when it is
missing the user is told what to install instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from docket.app.operations.ocr import OcrController
from docket.core.case import Case
from docket.core.model.records import Document, OcrState
from docket.core.preferences import load_preferences

# Tesseract's own names for the languages a case file is likely to be in.
NAMES = {
    "eng": "English",
    "rus": "Russian",
    "kaz": "Kazakh",
    "ukr": "Ukrainian",
    "uzb": "Uzbek",
    "uzb_cyrl": "Uzbek (Cyrillic)",
    "kir": "Kyrgyz",
    "tgk": "Tajik",
    "deu": "German",
    "fra": "French",
    "spa": "Spanish",
    "ita": "Italian",
    "por": "Portuguese",
    "tur": "Turkish",
    "ara": "Arabic",
    "chi_sim": "Chinese (simplified)",
    "chi_tra": "Chinese (traditional)",
    "jpn": "Japanese",
    "kor": "Korean",
}
NOT_LANGUAGES = {"osd", "equ"}  # orientation detection and maths: models, not languages
CODE_ROLE = Qt.ItemDataRole.UserRole


class OcrLanguagesDialog(QDialog):
    """Tick the languages to read a document in; `languages()` is Tesseract's "eng+rus"."""

    def __init__(
        self,
        document: Document,
        installed: Sequence[str],
        chosen: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Read with OCR"))
        wanted = [code for code in chosen.split("+") if code]
        if document.ocr is OcrState.DONE:
            what = self.tr(
                "Every page is read again in the languages ticked, and they become "
                "this document's own. Marks whose words are still found are kept."
            )
        else:  # never read yet (waiting, set aside, failed): nothing is read "again"
            what = self.tr(
                "Every page is read in the languages ticked, and they become this document's own."
            )
        intro = QLabel(f"{document.title or document.source_name}\n\n{what}")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("OCR languages"))
        # The ones chosen first, in their order (Tesseract tries them in that order).
        for code in [*(c for c in wanted if c in installed), *sorted(set(installed) - set(wanted))]:
            name = NAMES.get(code)
            item = QListWidgetItem(f"{name} ({code})" if name else code)
            item.setData(CODE_ROLE, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        hint = QLabel(self.tr("More languages: one package each, e.g. tesseract-ocr-deu."))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Read"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self._update_ok()

    def languages(self) -> str:
        """The ticked languages joined by "+", in the list's order."""
        codes = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                codes.append(str(item.data(CODE_ROLE)))
        return "+".join(codes)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.languages()))


def installed_languages() -> list[str]:
    """Tesseract's installed languages; raises OcrUnavailable when it is missing."""
    from docket.core.ocr.tesseract import available_languages

    return sorted(set(available_languages()) - NOT_LANGUAGES)


def ask_ocr_languages(document: Document, default: str, parent: QWidget | None) -> str | None:
    """The languages to read `document` in ("eng+rus"), or None if the user declined or
    OCR cannot run (then a message says what to install)."""
    from docket.core.ocr.tesseract import OcrUnavailable

    try:
        installed = installed_languages()
    except OcrUnavailable as problem:
        QMessageBox.warning(parent, "OCR unavailable", str(problem))
        return None
    dialog = OcrLanguagesDialog(document, installed, document.ocr_languages or default, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.languages() or None


def read_with_ocr(case: Case, controller: OcrController, doc_id: int, parent: QWidget) -> None:
    """The library's "Read with OCR…": ask the languages, then read the document again."""
    document = case.document(doc_id)
    languages = ask_ocr_languages(document, load_preferences().ocr_languages, parent)
    if languages:
        controller.read_in(doc_id, languages)
