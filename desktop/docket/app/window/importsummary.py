"""After an import: the summary of files that failed or were duplicates.

The import itself runs in `operations/importing.py`; showing a dialog is the
window's business, and so is asking again for the password of locked PDFs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from docket.app.dialogs.importsummary import ImportSummaryDialog
from docket.app.operations.importing import ImportController
from docket.core.counts import count
from docket.core.model.records import ImportStatus

if TYPE_CHECKING:  # the import pipeline (multiprocessing, hashing) loads with an import
    from docket.core.ingest.pipeline import ImportReport

PASSWORD_HINT = "needs a password"


class ImportSummaries:
    """Shows a summary when an import had failures or duplicates."""

    def __init__(self, importer: ImportController, parent: QWidget) -> None:
        self._importer = importer
        self._parent = parent
        self.last: ImportSummaryDialog | None = None
        importer.finished.connect(self.show_if_needed)

    def show_if_needed(self, report: ImportReport) -> None:
        if not (report.failed or report.count(ImportStatus.DUPLICATE)):
            return
        locked = [Path(o.path) for o in report.failed if o.reason and PASSWORD_HINT in o.reason]
        dialog = ImportSummaryDialog(report, offer_password=bool(locked), parent=self._parent)
        dialog.passwordRequested.connect(lambda: self._ask_password(locked))
        self.last = dialog
        dialog.open()

    def _ask_password(self, paths: list[Path]) -> None:
        password, ok = QInputDialog.getText(
            self._parent,
            "Password",
            f"Password for {count(len(paths), 'encrypted PDF')}:",
            QLineEdit.EchoMode.Password,
        )
        if ok and password:
            self._importer.start(paths, password)
