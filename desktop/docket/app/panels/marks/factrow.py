"""The mark editor's Date and Status: a mark with a date is a fact of the chronology.

The date is typed as a lawyer writes it ("16 Dec 2011", "December 2011",
"c. 2011", "2011-12 to 2012-04") and saved when the box is left or Enter is
pressed; a date read from the marked words is offered as the placeholder and
by the "Use" button. A date that cannot be read, or does not exist, is not
saved: the box says why and keeps the words typed. Every change goes through
the MarkController, so it is logged and undoable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from docket.app.operations.marks import MarkController
from docket.core.chronology.dates import parse_fact_date
from docket.core.chronology.suggest import Suggestion
from docket.core.errors import DocketError
from docket.core.model.marks import FACT_STATUSES, NO_FACT, Mark, MarkFact

NO_STATUS = "No status"


class FactRow(QWidget):
    def __init__(self, controller: MarkController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._mark: Mark | None = None
        self._suggestion: Suggestion | None = None
        self._filling = False
        self.date_edit = QLineEdit()
        self.date_edit.setAccessibleName("Date")
        self.date_edit.setToolTip(
            "A date makes this mark a fact of the chronology: 16 Dec 2011, December 2011, "
            "2011, 2011-12 to 2012-04, c. 2011"
        )
        self.use_button = QToolButton()
        self.use_button.setText("Use")
        self.use_button.setToolTip("Use the date read from the marked words")
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Status")
        self.status_box.addItem(NO_STATUS, "")
        for status in FACT_STATUSES:
            self.status_box.addItem(status.capitalize(), status)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        palette = self.problem_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.red)
        self.problem_label.setPalette(palette)
        self.problem_label.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Date"))
        row.addWidget(self.date_edit, 1)
        row.addWidget(self.use_button)
        row.addWidget(self.status_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.problem_label)

        self.date_edit.editingFinished.connect(self.save_date)
        self.use_button.clicked.connect(self.use_suggestion)
        self.status_box.currentIndexChanged.connect(self._status_chosen)

    def show_mark(self, mark: Mark, *, reloading: bool) -> None:
        """Show `mark`'s date and status (a date being typed is kept on a reload)."""
        self._filling = True
        try:
            typing = reloading and self._mark is not None and self._typed() != self._stored()
            self._mark = mark
            if not typing:
                self.date_edit.setText(mark.fact.date_text)
                self.problem_label.hide()
            self.status_box.setCurrentIndex(max(0, self.status_box.findData(mark.fact.status)))
            self.status_box.setEnabled(mark.is_fact)
            if not reloading:
                self._suggest(mark)
        finally:
            self._filling = False

    def _suggest(self, mark: Mark) -> None:
        case = self._controller.case
        self._suggestion = None
        if case is not None:
            try:
                self._suggestion = case.chronology.suggest(mark)
            except DocketError:  # the document went meanwhile: nothing to suggest
                self._suggestion = None
        found = self._suggestion
        self.date_edit.setPlaceholderText(
            f"{found.date.label} (from “{found.words}”)" if found else "No date: not a fact"
        )
        self.use_button.setVisible(found is not None)

    # -- changing -------------------------------------------------------------------------

    def use_suggestion(self) -> None:
        if self._suggestion is not None:
            self.date_edit.setText(self._suggestion.date.label)
            self.save_date()

    def save_date(self) -> None:
        mark = self._mark
        if mark is None or self._filling or self._typed() == self._stored():
            return
        typed = self._typed()
        if not typed:
            self.problem_label.hide()
            self._controller.set_fact(mark.id, NO_FACT)
            return
        try:
            when = parse_fact_date(typed)
        except DocketError as problem:
            self.problem_label.setText(str(problem))
            self.problem_label.show()
            return  # the words stay, to be put right; nothing is saved
        self.problem_label.hide()
        self._controller.set_fact(
            mark.id, MarkFact(when.stored, typed, when.circa, mark.fact.status)
        )

    def _status_chosen(self, index: int) -> None:
        mark = self._mark
        if mark is None or self._filling or not mark.is_fact:
            return
        status = str(self.status_box.itemData(index) or "")
        if status != mark.fact.status:
            fact = mark.fact
            self._controller.set_fact(
                mark.id, MarkFact(fact.date, fact.date_text, fact.circa, status)
            )

    def _typed(self) -> str:
        return " ".join(self.date_edit.text().split())

    def _stored(self) -> str:
        return self._mark.fact.date_text if self._mark is not None else ""
