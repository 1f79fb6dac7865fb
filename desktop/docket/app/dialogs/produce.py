"""File → Produce…: Bates-numbered, stamped copies of documents, made in the background.

The documents are those selected in the library, or those carrying a tag;
the numbers continue after the prefix's last production unless a start is
given (one that would repeat numbers is refused before anything is written).
The rules are `docket produce`'s: see core/production/produce.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from docket.app.kit.session import Session
from docket.app.operations.producing import ProductionRunner
from docket.core.case import Case
from docket.core.counts import count
from docket.core.errors import DocketError
from docket.core.model.tags import ancestors
from docket.core.production.numbering import (
    DEFAULT_DIGITS,
    MAX_DIGITS,
    MIN_DIGITS,
    check_prefix,
    label,
)
from docket.core.production.produce import ProductionOptions, check_out
from docket.core.production.stamp import Position
from docket.core.storage import bates as batestore

DEFAULT_LEGEND = "CONFIDENTIAL — SUBJECT TO PROTECTIVE ORDER"
POSITION_NAMES = {
    Position.BOTTOM_RIGHT: "Bottom right",
    Position.BOTTOM_CENTER: "Bottom centre",
    Position.BOTTOM_LEFT: "Bottom left",
}


class ProduceDialog(QDialog):
    def __init__(self, case: Case, selected: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Produce Documents")
        self._case = case
        self._selected = tuple(selected)
        form = QFormLayout()

        self.from_selection = QRadioButton(f"Selected in the library ({len(self._selected)})")
        self.from_tag = QRadioButton("Tagged")
        self.tag = QComboBox()
        tags = sorted(
            {
                name
                for names in case.marking.all_document_tags().values()
                for t in names
                for name in ancestors(t)
            }
        )
        for name in tags:
            self.tag.addItem(name, name)
        which = QButtonGroup(self)
        which.addButton(self.from_selection)
        which.addButton(self.from_tag)
        self.from_selection.setEnabled(bool(self._selected))
        self.from_tag.setEnabled(bool(tags))
        (self.from_selection if self._selected else self.from_tag).setChecked(True)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.from_tag)
        tag_row.addWidget(self.tag, 1)
        documents = QVBoxLayout()
        documents.addWidget(self.from_selection)
        documents.addLayout(tag_row)
        form.addRow("Documents:", documents)

        self.prefix = QLineEdit()
        self.prefix.setPlaceholderText("ABC")
        form.addRow("Prefix:", self.prefix)
        self.continuing = QRadioButton("Continue after the last number")
        self.starting = QRadioButton("Start at")
        numbering = QButtonGroup(self)
        numbering.addButton(self.continuing)
        numbering.addButton(self.starting)
        self.continuing.setChecked(True)
        self.start = QSpinBox()
        self.start.setRange(1, 999_999_999)
        self.digits = QSpinBox()
        self.digits.setRange(MIN_DIGITS, MAX_DIGITS)
        self.digits.setValue(DEFAULT_DIGITS)
        start_row = QHBoxLayout()
        start_row.addWidget(self.starting)
        start_row.addWidget(self.start, 1)
        numbers = QVBoxLayout()
        numbers.addWidget(self.continuing)
        numbers.addLayout(start_row)
        form.addRow("Numbering:", numbers)
        form.addRow("Digits:", self.digits)
        self.next_number = QLabel()
        form.addRow("", self.next_number)

        self.legend = QLineEdit()
        self.legend.setPlaceholderText(DEFAULT_LEGEND)
        self.legend.setToolTip("Words stamped at the foot of every page (none when empty)")
        form.addRow("Legend:", self.legend)
        self.exhibits = QCheckBox("An exhibit sticker on each document's first page")
        form.addRow("", self.exhibits)
        self.position = QComboBox()
        for position, name in POSITION_NAMES.items():
            self.position.addItem(name, position)
        form.addRow("Bates number at:", self.position)

        self.folder = QLineEdit()
        exports = case.layout.exports
        self.folder.setText(str(_unused(exports / "production")))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form.addRow("Folder:", folder_row)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.produce_button = buttons.addButton("Produce", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for signal in (self.prefix.textChanged, self.digits.valueChanged):
            signal.connect(self._show_next)
        self.starting.toggled.connect(self.start.setEnabled)
        self.start.setEnabled(False)
        self._show_next()

    def _show_next(self) -> None:
        prefix = self.prefix.text().strip()
        try:
            check_prefix(prefix)
        except DocketError:
            self.next_number.setText("")
            return
        used = batestore.used_ranges(self._case.database.read(), prefix)
        after = max((last for _, last in used), default=0) + 1
        self.next_number.setText(
            f"Next number: {label(prefix, after, self.digits.value())}"
            + (f" ({count(len(used), 'earlier production')})" if used else "")
        )

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Produce Into", self.folder.text())
        if name:
            self.folder.setText(name)

    def options(self) -> ProductionOptions:
        """The production asked for; DocketError says what is wrong with it."""
        prefix = check_prefix(self.prefix.text().strip())
        docs: tuple[int, ...] = ()
        tag = None
        if self.from_selection.isChecked():
            docs = self._selected
        else:
            tag = self.tag.currentData()
        if not docs and not tag:
            raise DocketError("choose the documents: select them in the library, or a tag")
        out = Path(self.folder.text().strip()).expanduser()
        if not self.folder.text().strip():
            raise DocketError("choose the folder to write the production in")
        if out.parent == self._case.layout.exports:  # the case's own, made when first used
            out.parent.mkdir(exist_ok=True)
        check_out(out, force=False)
        return ProductionOptions(
            out=out,
            prefix=prefix,
            start=self.start.value() if self.starting.isChecked() else None,
            digits=self.digits.value(),
            docs=docs,
            tag=tag,
            legend=" ".join(self.legend.text().split()),
            exhibits=self.exhibits.isChecked(),
            position=Position(self.position.currentData()),
        )

    def _accept_if_valid(self) -> None:
        try:
            self.options()
        except DocketError as problem:
            self.problem.setText(str(problem))
            return
        self.accept()


def show_produce_dialog(
    session: Session, selected: Sequence[int], parent: QWidget
) -> ProduceDialog | None:
    """File → Produce…: the dialog, then the production on the session's writer."""
    if session.case is None:
        return None
    dialog = ProduceDialog(session.case, selected, parent)
    dialog.accepted.connect(lambda: _runner(session, parent).start(dialog.options()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _runner(session: Session, parent: QWidget) -> ProductionRunner:
    runner = parent.findChild(ProductionRunner)
    if not isinstance(runner, ProductionRunner):
        runner = ProductionRunner(session, parent)
    return runner


def _unused(path: Path) -> Path:
    """`path`, or `path 2`, `path 3`… the first that is not there yet."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name} {number}")
    return candidate
