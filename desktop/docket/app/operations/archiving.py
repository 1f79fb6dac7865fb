"""Archiving and restoring cases from the window: file dialogs, progress, Cancel, a result.

The work runs on a pool thread, not on the session's writer: an archive reads the case
through SQLite's online backup, so it never waits for (or holds up) the case's writes.
A restore writes only a new folder. Progress shows in the status bar, as imports do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from docket.app.kit.session import Session
from docket.app.kit.statusprogress import StatusProgress
from docket.app.kit.tasks import Task
from docket.core.archive.restore import RestoreReport, restore_case
from docket.core.archive.write import ArchiveReport, archive_case
from docket.core.counts import count
from docket.core.progress import CancelToken, ProgressCallback

ARCHIVE_FILTER = "Case archives (*.zip);;All files (*)"


class ArchiveProgress(StatusProgress):
    """The status bar's indicator for one archive or restore: a bar, counts, and Cancel."""

    def __init__(self, verb: str, parent: QWidget | None = None) -> None:
        super().__init__(f"{verb}…", parent)
        self._verb = verb
        self.bar.setRange(0, 0)  # busy until the first count arrives

    def show_progress(self, files_done: int, files_total: int, pages: int) -> None:
        self.bar.setRange(0, max(files_total, 1))
        self.bar.setValue(files_done)
        text = f"{self._verb}: {files_done} of {files_total} files"
        if pages:  # a restore rebuilding the search index after the files
            text += f" · {pages} pages indexed"
        self.label.setText(text)


def archive_case_dialog(session: Session, parent: QWidget) -> Task | None:
    """Ask where to write the open case's archive, then write it in the background.

    With no case open, first ask which case folder to archive. Returns the running
    task (None if the user cancelled a dialog). Dialogs open over `parent`.
    """
    case_path = session.case.path if session.case is not None else None
    if case_path is None:
        chosen = QFileDialog.getExistingDirectory(parent, "Archive which case folder?")
        if not chosen:
            return None
        case_path = Path(chosen)
    suggested = str(case_path.parent / f"{case_path.name}.zip")
    name, _ = QFileDialog.getSaveFileName(parent, "Archive the case as", suggested, ARCHIVE_FILTER)
    if not name:
        return None
    out = Path(name) if Path(name).suffix else Path(name).with_suffix(".zip")
    source = case_path

    def work(progress: ProgressCallback, cancel: CancelToken) -> ArchiveReport:
        # The save dialog has already asked before replacing an existing file.
        return archive_case(source, out, progress, cancel, overwrite=True)

    def done(report: ArchiveReport) -> None:
        text = (
            f"Archived {count(report.documents, 'document')} ({count(report.files, 'file')}) to\n"
            f"{report.path}\n\n{_megabytes(report.size)}"
        )
        if report.problems:
            text += "\n\nProblems in the case:\n" + "\n".join(report.problems[:10])
        QMessageBox.information(parent, "Case archived", text)

    return _start(session, parent, "Archiving", work, done, "Cannot archive the case")


def restore_case_dialog(
    session: Session, parent: QWidget, open_case: Callable[[Path], object]
) -> Task | None:
    """Ask for an archive and a new folder, restore in the background, offer to open it.

    Opening is the window's business: `open_case` does it when the user says yes.
    """
    name, _ = QFileDialog.getOpenFileName(
        parent, "Restore a case from an archive", "", ARCHIVE_FILTER
    )
    if not name:
        return None
    archive = Path(name)
    suggested = str(archive.with_suffix("")) if archive.suffix else f"{archive} restored"
    folder, _ = QFileDialog.getSaveFileName(
        parent,
        "Restore the case as (a new or empty folder)",
        suggested,
        "",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )  # restore itself refuses a full folder
    if not folder:
        return None
    dest = Path(folder)

    def work(progress: ProgressCallback, cancel: CancelToken) -> RestoreReport:
        return restore_case(archive, dest, progress, cancel)

    def done(report: RestoreReport) -> None:
        pages = count(report.pages, "page")
        text = f"Restored {count(report.documents, 'document')} ({pages}) to\n{report.path}"
        if report.problems:
            text += "\n\nProblems found when checking it:\n" + "\n".join(report.problems[:10])
        answer = QMessageBox.question(parent, "Case restored", f"{text}\n\nOpen it now?")
        if answer == QMessageBox.StandardButton.Yes:
            open_case(report.path)

    return _start(session, parent, "Restoring", work, done, "Cannot restore the case")


Work = Callable[[ProgressCallback, CancelToken], Any]


def _start(
    session: Session,
    parent: QWidget,
    verb: str,
    work: Work,
    done: Callable[[Any], None],
    failure_title: str,
) -> Task:
    indicator = ArchiveProgress(verb)
    session.status_bar.addWidget(indicator)
    task = Task(work, parent)
    indicator.cancel_button.clicked.connect(task.cancel)
    task.progressed.connect(indicator.show_progress)

    def finish() -> None:
        session.status_bar.removeWidget(indicator)
        indicator.deleteLater()
        task.deleteLater()

    def succeeded(report: object) -> None:
        finish()
        done(report)

    def failed(message: str) -> None:
        finish()
        QMessageBox.warning(parent, failure_title, message)

    def cancelled() -> None:
        finish()
        session.say(f"{verb} cancelled; nothing was written", 6000)

    task.finished.connect(succeeded)
    task.failed.connect(failed)
    task.cancelled.connect(cancelled)
    task.start()  # the default pool: see the module docstring
    return task


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB"
