"""After an import: every file that was not imported, with the reason in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from docket.core.model.records import ImportStatus

if TYPE_CHECKING:  # the import pipeline (multiprocessing, hashing) loads with an import
    from docket.core.ingest.pipeline import ImportReport


class ImportSummaryDialog(QDialog):
    passwordRequested = Signal()

    def __init__(
        self, report: ImportReport, *, offer_password: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished")
        self.resize(720, 380)
        failed = report.count(ImportStatus.FAILED)
        headline = QLabel(
            f"<b>{report.count(ImportStatus.IMPORTED)} imported</b>, "
            f"{report.count(ImportStatus.DUPLICATE)} already in the case, "
            f"<b>{failed} not imported</b>" + (" (cancelled)" if report.cancelled else "")
        )
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["File", "Outcome", "Reason"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        for outcome in report.outcomes:
            if outcome.status is ImportStatus.IMPORTED and not outcome.reason:
                continue
            item = QTreeWidgetItem(
                [outcome.path.rsplit("/", 1)[-1], str(outcome.status), outcome.reason or ""]
            )
            item.setToolTip(0, outcome.path)
            item.setToolTip(2, outcome.reason or "")
            self.tree.addTopLevelItem(item)
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        if offer_password:
            retry = buttons.addButton("Enter Password…", QDialogButtonBox.ButtonRole.ActionRole)
            retry.clicked.connect(self.passwordRequested)
            retry.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [(item.text(0), item.text(1), item.text(2)) for item in items if item is not None]
