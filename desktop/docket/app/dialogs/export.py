"""File → Export…: choose a format, what to include and where, then export in the background.

Entry points for the window's actions:

    show_export_dialog(session, current, parent)   File → Export… (Ctrl+E)
    import_marks_dialog(session, parent)           File → Import Marks…

The suggested file follows the choices (format, grouping, documents) until
the user types or browses a path of their own. The export rules are the
command line's: a file already there is replaced only when the user says so
(asked here, unless the file dialog already asked), and a folder (one that
exists, or a path ending in a separator) gets a new name inside it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QWidget,
)

from docket.app.kit.session import Session
from docket.app.operations.exporting import ExportRequest, ExportRunner, MarksImporter
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.export.formats import (
    FORMAT_NAMES,
    SUFFIXES,
    ExportFormat,
    check_output,
    default_output,
    existing_outputs,
    resolve_output,
)
from docket.core.export.reportmodel import Grouping, ReportOptions
from docket.core.model.colours import HIGHLIGHT_COLOURS
from docket.core.model.records import Document
from docket.core.model.tags import ancestors
from docket.core.preferences import Preferences, load_preferences

# Reports first: what most people export; then copies and data.
FORMAT_ORDER = (
    ExportFormat.HTML,
    ExportFormat.REPORT_PDF,
    ExportFormat.MARKDOWN,
    ExportFormat.ANNOTATED_PDF,
    ExportFormat.CSV,
    ExportFormat.W3C,
    ExportFormat.PRIVILEGE_LOG,
)
REPORTS = (ExportFormat.HTML, ExportFormat.REPORT_PDF, ExportFormat.MARKDOWN)
ANNOTATION_FILTER = "W3C Web Annotations (*.jsonld *.json);;All files (*)"


def _swatch(rgb: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(rgb))
    return QIcon(pixmap)


class ExportDialog(QDialog):
    def __init__(
        self,
        case: Case,
        current: Document | None,
        prefs: Preferences,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Marks")
        self._case, self._current, self._prefs = case, current, prefs
        self._path_chosen = False  # the user's own path is never replaced
        self._replace_agreed: Path | None = None  # a file the user agreed to replace
        self.format = QComboBox()
        for fmt in FORMAT_ORDER:
            self.format.addItem(FORMAT_NAMES[fmt], fmt)
        self.by_document, self.by_tag = QRadioButton("Document"), QRadioButton("Tag")
        self.all_documents = QRadioButton("All documents")
        self.current_document = QRadioButton(
            f"Current document: {current.title}" if current else "Current document"
        )
        self.current_document.setEnabled(current is not None)
        self.by_document.setChecked(True)
        self.all_documents.setChecked(True)
        self.tag = QComboBox()
        self.tag.addItem("Any tag", None)
        names = {path for count in case.marking.tag_counts() for path in ancestors(count.name)}
        for name in sorted(names, key=str.casefold):
            self.tag.addItem(name, name)
        self.colour = QComboBox()
        self.colour.addItem("Any colour", None)
        shown = prefs.display_colour_names()
        for colour in HIGHLIGHT_COLOURS:
            self.colour.addItem(_swatch(colour.rgb), shown[colour.key], colour.key)
        self.path = QLineEdit()
        self.path.textEdited.connect(self._typed)
        self.path.textChanged.connect(self.path.setToolTip)  # the whole path, however narrow
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Export:", self.format)
        form.addRow("Group by:", _row(self.by_document, self.by_tag))
        form.addRow("Documents:", _row(self.all_documents, self.current_document))
        form.addRow("Tag:", self.tag)
        form.addRow("Colour:", self.colour)
        form.addRow("Save to:", _row(self.path, browse, grow=self.path))
        form.addRow(buttons)
        for group in ((self.by_document, self.by_tag), (self.all_documents, self.current_document)):
            buttons_group = QButtonGroup(self)
            for button in group:
                buttons_group.addButton(button)
                button.toggled.connect(self._choices_changed)
        self.format.currentIndexChanged.connect(self._choices_changed)
        self._choices_changed()
        self.resize(560, self.sizeHint().height())

    # -- what was chosen -----------------------------------------------------------

    def chosen_format(self) -> ExportFormat:
        return ExportFormat(self.format.currentData())

    def options(self) -> ReportOptions:
        current = self._current if self.current_document.isChecked() else None
        return ReportOptions(
            group=Grouping.TAG if self.by_tag.isChecked() else Grouping.DOCUMENT,
            docs=(current.id,) if current else (),
            tag=self.tag.currentData(),
            colour=self.colour.currentData(),
        )

    def target(self) -> Path:
        """Where the export goes: the path typed, or a new name inside a folder typed."""
        return resolve_output(
            self._case,
            self.chosen_format(),
            self.options(),
            self.path.text().strip(),
            self._prefs.export_folder,
        )

    def request(self) -> ExportRequest:
        target = self.target()
        return ExportRequest(
            self.chosen_format(),
            target,
            self.options(),
            self._prefs.display_colour_names(),
            overwrite=target == self._replace_agreed,
        )

    def _to_folder(self) -> bool:
        """Annotated copies of several documents go into a folder of their own."""
        return (
            self.chosen_format() is ExportFormat.ANNOTATED_PDF
            and not self.current_document.isChecked()
        )

    # -- reacting ----------------------------------------------------------------------

    def _choices_changed(self) -> None:
        fmt = self.chosen_format()
        for button in (self.by_document, self.by_tag):
            button.setEnabled(fmt in REPORTS)
        if not self._path_chosen:
            target = default_output(self._case, fmt, self.options(), self._prefs.export_folder)
            self.path.setText(str(target))

    def _typed(self, _text: str) -> None:
        self._path_chosen = True

    def browse(self) -> None:
        start = self.path.text()
        if self._to_folder():
            chosen = QFileDialog.getExistingDirectory(self, "Folder for the annotated PDFs", start)
        else:
            suffix = SUFFIXES[self.chosen_format()]
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                "Export Marks",
                start,
                f"{FORMAT_NAMES[self.chosen_format()]} (*{suffix});;All files (*)",
            )
            if chosen and not Path(chosen).suffix:
                chosen += suffix
        if chosen:
            self.path.setText(chosen)
            self._path_chosen = True
            if Path(chosen).is_file():  # the file dialog has asked about replacing it
                self._replace_agreed = Path(chosen)

    def accept(self) -> None:
        text = self.path.text().strip()
        try:
            if not text:
                raise DocketError("Choose where to save the export.")
            target = self.target()
            check_output(self._case, target)
        except DocketError as problem:
            QMessageBox.warning(self, "Export Marks", str(problem))
            return
        taken = existing_outputs(self.chosen_format(), target, self.options())
        if taken and target != self._replace_agreed:
            answer = QMessageBox.question(
                self,
                "Replace the File?",
                f"“{target.name}” already exists in {target.parent}.\n\n"
                "Replace it with this export?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return  # the dialog stays, for another name
            self._replace_agreed = target
        super().accept()


def _row(*widgets: QWidget, grow: QWidget | None = None) -> QWidget:
    """Widgets side by side; `grow` takes the spare width, else it stays on the right."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is grow else 0)
    if grow is None:
        layout.addStretch(1)
    return row


def _runner(session: Session, parent: QWidget) -> ExportRunner:
    """The export runner `parent` owns (one export at a time), made on first use."""
    runner = parent.findChild(ExportRunner)
    return runner if isinstance(runner, ExportRunner) else ExportRunner(session, parent)


def show_export_dialog(
    session: Session, current: Document | None, parent: QWidget
) -> ExportDialog | None:
    """File → Export…: the dialog, then the export in the background.

    `current` is the document being read (the dialog offers it alone).
    """
    if session.case is None:
        return None
    dialog = ExportDialog(session.case, current, load_preferences(), parent)
    dialog.accepted.connect(lambda: _runner(session, parent).start(dialog.request()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def import_marks_dialog(session: Session, parent: QWidget) -> MarksImporter | None:
    """File → Import Marks…: a W3C Web Annotation file into the open case."""
    if session.case is None:
        return None
    name, _ = QFileDialog.getOpenFileName(parent, "Import Marks", "", ANNOTATION_FILTER)
    if not name:
        return None
    importer = parent.findChild(MarksImporter)
    if not isinstance(importer, MarksImporter):
        importer = MarksImporter(session, parent)
    importer.start(Path(name))
    return importer
