"""The Preferences dialog: author name, colour names, export folder, language, theme,
and the languages OCR reads scanned pages in.

The dialog edits a copy: nothing is written until OK, and OK writes the whole
record at once through `save_preferences`, so Cancel leaves the file as it was.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from docket.app.kit.theme import apply_theme
from docket.core.model.colours import HIGHLIGHT_COLOURS
from docket.core.preferences import (
    MAX_NAME,
    NewerPreferencesError,
    Preferences,
    default_author,
    load_preferences,
    normalize_ocr_languages,
    save_preferences,
)


class PreferencesDialog(QDialog):
    preferencesChanged = Signal(object)  # the saved Preferences, after OK

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self._path = path
        self._prefs = load_preferences(path)

        self.author = QLineEdit(self._prefs.author)
        self.author.setPlaceholderText(default_author())
        self.author.setToolTip(self.tr("Written on each new mark and note"))
        self.colour_edits: dict[str, QLineEdit] = {}
        self.export_folder = QLineEdit(self._prefs.export_folder)
        self.export_folder.setPlaceholderText(self.tr("The case's exports folder"))
        self.export_folder.setClearButtonEnabled(True)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.language = self._combo(
            [(self.tr("System"), "system"), (self.tr("English"), "en")], self._prefs.language
        )
        self.theme = self._combo(
            [(self.tr("System"), "system"), (self.tr("Light"), "light"), (self.tr("Dark"), "dark")],
            self._prefs.theme,
        )

        form = QFormLayout()
        form.addRow(self.tr("Your &name:"), self.author)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.export_folder, 1)
        folder_row.addWidget(browse)
        folder_label = QLabel(self.tr("E&xport folder:"))
        folder_label.setBuddy(self.export_folder)  # a row of a layout gets no buddy by itself
        form.addRow(folder_label, folder_row)
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow(self.tr("&Theme:"), self.theme)
        self.ocr_languages = QLineEdit(self._prefs.ocr_languages)
        self.ocr_languages.setPlaceholderText("eng+rus")
        self.ocr_languages.setToolTip(
            self.tr(
                "Tesseract's languages for scanned pages, joined by + (eng+rus+kaz); "
                "a document's own languages (Read with OCR…) come first. "
                "Each language is a package: tesseract-ocr-deu adds German."
            )
        )
        form.addRow(self.tr("&OCR languages:"), self.ocr_languages)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._colours_box())
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _combo(self, items: list[tuple[str, str]], current: str) -> QComboBox:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def _colours_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Highlight colour names"))
        form = QFormLayout(box)
        hint = QLabel(
            self.tr(
                "Marks keep their colour; only the name shown changes. "
                "Leave a name blank for the default."
            )
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.addRow(hint)
        for colour in HIGHLIGHT_COLOURS:
            swatch = QLabel()
            swatch.setFixedSize(22, 22)
            # A grey border keeps pale swatches visible on a light window and dark ones on dark.
            swatch.setStyleSheet(
                f"background: {colour.rgb}; border: 1px solid #808080; border-radius: 4px;"
            )
            swatch.setAccessibleName(colour.key)
            edit = QLineEdit(self._prefs.colour_names.get(colour.key, ""))
            edit.setPlaceholderText(colour.default_name)
            edit.setMaxLength(MAX_NAME)
            edit.setAccessibleName(self.tr("Name for the {0} highlight").format(colour.key))
            swatch.setBuddy(edit)
            form.addRow(swatch, edit)
            self.colour_edits[colour.key] = edit
        return box

    def _browse(self) -> None:
        start = self.export_folder.text() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export Folder"), start)
        if folder:
            self.export_folder.setText(folder)

    def preferences(self) -> Preferences:
        """The record as the fields now say; blank fields mean the defaults."""
        names = {key: edit.text().strip() for key, edit in self.colour_edits.items()}
        try:
            ocr_languages = normalize_ocr_languages(self.ocr_languages.text())
        except ValueError:
            ocr_languages = self._prefs.ocr_languages  # accept() says why it was refused
        return replace(
            self._prefs,
            author=self.author.text().strip() or default_author(),
            colour_names={key: name for key, name in names.items() if name},
            export_folder=self.export_folder.text().strip(),
            language=str(self.language.currentData()),
            theme=str(self.theme.currentData()),
            ocr_languages=ocr_languages,
        )

    def accept(self) -> None:
        try:
            normalize_ocr_languages(self.ocr_languages.text())
        except ValueError as problem:
            QMessageBox.warning(self, self.tr("OCR Languages"), str(problem))
            self.ocr_languages.setFocus()
            return  # the dialog stays open with the user's entries
        prefs = self.preferences()
        if not self._save(prefs):
            return  # the dialog stays open with the user's entries
        self._prefs = prefs
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, prefs.theme)
        self.preferencesChanged.emit(prefs)
        super().accept()

    def _save(self, prefs: Preferences) -> bool:
        replace_newer = False
        while True:
            try:
                save_preferences(prefs, self._path, replace_newer=replace_newer)
                return True
            except NewerPreferencesError as error:
                answer = QMessageBox.question(
                    self,
                    self.tr("Replace Newer Preferences?"),
                    self.tr("{0}\n\nReplace them with these?").format(error),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                replace_newer = True
            except OSError as error:
                QMessageBox.warning(
                    self,
                    self.tr("Preferences Not Saved"),
                    self.tr("The preferences could not be saved:\n{0}").format(error),
                )
                return False
