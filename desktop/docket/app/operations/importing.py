"""Importing from the window: file dialogs, drag and drop, progress, Cancel.

The import runs on the session's one writer thread; the status bar shows files
and pages as they go. When it ends the session announces the documents added
(the library and search panels apply that), and `finished` carries the report;
the window shows a summary of the files that failed (see `window/importsummary.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from docket.app.kit.session import Session
from docket.app.kit.statusprogress import StatusProgress
from docket.app.kit.tasks import Task
from docket.core.counts import count
from docket.core.model.changes import Changes, Delta
from docket.core.model.records import ImportStatus
from docket.core.progress import CancelToken, ProgressCallback

DOCUMENT_FILTER = (
    "Documents (*.pdf *.txt *.md *.markdown *.text *.log *.csv *.tsv *.json "
    "*.xml *.rst *.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp);;PDF files (*.pdf);;"
    "Images (*.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp);;"
    "Text files (*.txt *.md *.text *.log);;All files (*)"
)

if TYPE_CHECKING:  # the pipeline (workers, decoders) loads when an import runs, not with the window
    from docket.core.ingest.pipeline import ImportReport


class ImportProgress(StatusProgress):
    """The status bar's import indicator: a bar, counts, and Cancel."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.cancel_button.setToolTip("Stop importing; documents already imported are kept")
        self.cancel_button.clicked.connect(self.cancelRequested)

    def show_progress(self, files_done: int, files_total: int, pages: int) -> None:
        self.bar.setRange(0, max(files_total, 1))
        self.bar.setValue(files_done)
        self.label.setText(f"Importing: {files_done} of {files_total} files · {pages} pages")


def import_changes(report: ImportReport) -> Changes:
    """The documents an import added (a cancelled one's too: they are kept)."""
    added = (
        o.doc for o in report.outcomes if o.status is ImportStatus.IMPORTED and o.doc is not None
    )
    return Changes(documents=Delta.of(added=added))


class ImportController(QObject):
    """Imports into the session's case; dialogs open over `parent`."""

    finished = Signal(object)  # ImportReport

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self._task: Task | None = None
        self._queue: list[tuple[list[Path], str | None]] = []
        self.progress = ImportProgress()
        self.progress.hide()
        self.progress.cancelRequested.connect(self.cancel)
        session.status_bar.addWidget(self.progress)

    @property
    def running(self) -> bool:
        return self._task is not None

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self._parent, "Import documents", "", DOCUMENT_FILTER
        )
        if names:
            self.start([Path(name) for name in names])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._parent, "Import a folder of documents")
        if folder:
            self.start([Path(folder)])

    def start(self, paths: Sequence[Path], password: str | None = None) -> None:
        """Import in the background; a second request waits for the first."""
        case = self._session.case
        if case is None:
            return
        if self._task is not None:
            self._queue.append((list(paths), password))
            return

        def work(progress: ProgressCallback, cancel: CancelToken) -> ImportReport:
            return case.import_paths(paths, password=password, progress=progress, cancel=cancel)

        task = Task(work, self)
        task.progressed.connect(self.progress.show_progress)
        task.finished.connect(self._finished)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._done)
        self._task = task
        self.progress.show_progress(0, 0, 0)
        self.progress.label.setText("Importing…")
        self.progress.show()
        self._session.writer.start(task)

    def cancel(self) -> None:
        self._queue.clear()
        if self._task is not None:
            self._task.cancel()
            self.progress.label.setText("Cancelling…")

    def cancel_and_wait(self) -> None:
        self.cancel()
        self._session.writer.wait_for_idle(10_000)

    def _finished(self, report: ImportReport) -> None:
        self._done()
        self._session.announce(import_changes(report))
        imported = report.count(ImportStatus.IMPORTED)
        message = f"Imported {count(imported, 'document')} ({count(report.pages, 'page')})"
        if report.cancelled:
            message += " — cancelled; the documents already imported are kept"
        self._session.say(message, 8000)
        self.finished.emit(report)
        self._next()

    def _failed(self, message: str) -> None:
        self._done()
        self._session.say(f"Import stopped: {message}", 10000)
        self._next()

    def _done(self) -> None:
        self._task = None
        self.progress.hide()

    def _next(self) -> None:
        if self._queue:
            paths, password = self._queue.pop(0)
            self.start(paths, password)
