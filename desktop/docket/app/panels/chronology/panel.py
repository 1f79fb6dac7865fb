"""The Chronology panel: the case's facts (marks with a date) in date order.

Filters by tag, person and status narrow the list; a click on a fact opens
its source page with the mark in view (through the MarkController, as the
Marks panels do); the buttons below export what is listed — the whole
chronology, or the tag chosen — as CSV, Markdown, HTML or PDF (core/export).
People are the tags under "People/" when the case uses that convention,
else every tag. The list is read again when marks change, and only while
the panel is in view (a hidden panel reads once it is shown).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from docket.app.operations.marks import MarkController
from docket.core.chronology.facts import PEOPLE_TAG, Fact, FactFilter
from docket.core.counts import count
from docket.core.errors import DocketError
from docket.core.export.formats import ExportFormat, ExportResult, export_marks
from docket.core.export.reportmodel import ReportOptions
from docket.core.model.changes import Changes
from docket.core.model.marks import FACT_STATUSES
from docket.core.model.tags import is_within

COLUMNS = ("Date", "Fact", "Source", "Status", "Tags")
EXPORTS = (
    ("CSV", ExportFormat.CHRONOLOGY_CSV, "CSV (*.csv)"),
    ("Markdown", ExportFormat.CHRONOLOGY_MD, "Markdown (*.md)"),
    ("HTML", ExportFormat.CHRONOLOGY_HTML, "HTML (*.html)"),
    ("PDF", ExportFormat.CHRONOLOGY_PDF, "PDF (*.pdf)"),
)
MARK_ROLE = Qt.ItemDataRole.UserRole


def _combo(name: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(3)  # the dock may be narrow: a laptop's first run
    return box


class ChronologyPanel(QWidget):
    exported = Signal(object)  # ExportResult
    exportFailed = Signal(str)

    def __init__(self, controller: MarkController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._stale = True
        self._in_view = True
        self._facts: list[Fact] = []
        self.tag_box = _combo("Tag")
        self.person_box = _combo("Person")
        self.status_box = _combo("Status")
        self.status_box.addItem("Any status", None)
        for status in FACT_STATUSES:
            self.status_box.addItem(status.capitalize(), status)
        self.status_box.addItem("No status", "")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.count_label = QLabel()
        self.export_buttons: dict[ExportFormat, QToolButton] = {}

        filters = QHBoxLayout()
        filters.addWidget(self.tag_box, 1)
        filters.addWidget(self.person_box, 1)
        filters.addWidget(self.status_box)
        exports = QHBoxLayout()
        exports.addWidget(self.count_label, 1)
        exports.setSpacing(2)
        for label, fmt, _ in EXPORTS:
            button = QToolButton()
            button.setText(label if fmt is not ExportFormat.CHRONOLOGY_MD else "MD")
            button.setToolTip(f"Export the chronology as {label}")
            button.clicked.connect(lambda _=False, f=fmt: self.ask_export(f))
            exports.addWidget(button)
            self.export_buttons[fmt] = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addLayout(exports)

        for box in (self.tag_box, self.person_box, self.status_box):
            box.currentIndexChanged.connect(self._show_facts)
        self.tree.itemClicked.connect(self._open)
        self.tree.itemActivated.connect(self._open)
        controller.marksChanged.connect(self._marks_changed)
        self.refresh()

    # -- what the window uses ---------------------------------------------------------------

    def refresh(self) -> None:
        """Read the facts again (and the tags and people to filter by)."""
        case = self.controller.case
        self._stale = False
        self._facts = case.chronology.facts() if case is not None else []
        self._fill_filters()
        self._show_facts()

    def dock_visibility_changed(self, visible: bool) -> None:
        self._in_view = visible
        if visible and self._stale:
            self.refresh()

    def listed(self) -> list[Fact]:
        """The facts the filters let through, in the order shown."""
        tag, person = self.tag_box.currentData(), self.person_box.currentData()
        status = self.status_box.currentData()
        where = FactFilter(status=status)
        return [
            fact
            for fact in self._facts
            if where.matches(fact)
            and (not tag or any(is_within(t, tag) for t in fact.mark.tags))
            and (not person or any(is_within(t, person) for t in fact.mark.tags))
        ]

    def export_to(self, fmt: ExportFormat, path: Path) -> ExportResult | None:
        """Export the chronology (of the tag chosen) to `path`, replacing what is there
        (the file dialog asked already)."""
        case = self.controller.case
        if case is None:
            return None
        tag = self.tag_box.currentData() or self.person_box.currentData() or None
        try:
            result = export_marks(case, fmt, path, ReportOptions(tag=tag), overwrite=True)
        except (DocketError, OSError) as problem:
            self.exportFailed.emit(str(problem))
            return None
        self.exported.emit(result)
        return result

    def ask_export(self, fmt: ExportFormat) -> None:
        case = self.controller.case
        if case is None:
            return
        label, _, pattern = next(entry for entry in EXPORTS if entry[1] is fmt)
        suffix = pattern.split("*")[1].rstrip(")")
        start = str(case.layout.exports / f"{case.path.name} chronology{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, f"Export Chronology ({label})", start, pattern)
        if path:
            self.export_to(fmt, Path(path))

    # -- showing ----------------------------------------------------------------------------

    def _fill_filters(self) -> None:
        tags = sorted({t for fact in self._facts for t in fact.mark.tags}, key=str.casefold)
        people = [t for t in tags if is_within(t, PEOPLE_TAG) and t != PEOPLE_TAG]
        self._refill(self.tag_box, "All tags", tags)
        self._refill(self.person_box, "Everyone", people or tags)

    def _refill(self, box: QComboBox, everything: str, names: list[str]) -> None:
        chosen = box.currentData()
        box.blockSignals(True)
        try:
            box.clear()
            box.addItem(everything, None)
            for name in names:
                box.addItem(name, name)
            box.setCurrentIndex(max(0, box.findData(chosen)) if chosen else 0)
        finally:
            box.blockSignals(False)

    def _show_facts(self) -> None:
        self.tree.clear()
        listed = self.listed()
        for fact in listed:
            quote = " ".join(fact.quote.split())
            words = f"“{quote}”" if fact.mark.quote else quote
            item = QTreeWidgetItem(
                [
                    fact.date.label,
                    words,
                    fact.citation.cite,
                    fact.status,
                    ", ".join(fact.mark.tags),
                ]
            )
            item.setData(0, MARK_ROLE, fact.mark.id)
            item.setToolTip(1, fact.mark.note or quote)
            self.tree.addTopLevelItem(item)
        for column in (0, 2, 3, 4):
            self.tree.resizeColumnToContents(column)
        shown = count(len(listed), "fact")
        whole = len(self._facts)
        self.count_label.setText(shown if len(listed) == whole else f"{shown} of {whole}")
        for button in self.export_buttons.values():
            button.setEnabled(bool(self._facts))

    def _open(self, item: QTreeWidgetItem) -> None:
        mark_id = item.data(0, MARK_ROLE)
        if isinstance(mark_id, int):
            self.controller.open_mark(mark_id)

    def _marks_changed(self, changes: Changes | None) -> None:
        if changes is not None and not changes.marks and not changes.tags:
            return  # a document's own tags: no fact changed
        self._stale = True
        if self._in_view:
            self.refresh()
