"""Running exports and mark imports off the UI thread, and saying how they went.

An export only reads the case, so it runs on the shared pool beside the
writer; an import writes marks, so it runs on the session's one writer. Both
show their progress in the status bar and end with a message: an export's
offers "Open Folder", an import's lists every mark it could not place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from docket.app.kit.folderbox import finished_box
from docket.app.kit.session import Session
from docket.app.kit.tasks import Task
from docket.core.counts import count
from docket.core.exchange.importing import ImportMarksReport, Orphan, import_web_annotations
from docket.core.export.formats import ExportFormat, ExportResult, export_marks
from docket.core.export.reportmodel import ReportOptions
from docket.core.progress import CancelToken, ProgressCallback


@dataclass(frozen=True, slots=True)
class ExportRequest:
    format: ExportFormat
    out: Path
    options: ReportOptions
    colour_names: dict[str, str]
    overwrite: bool = False  # the user agreed to replace the file already there


class ExportRunner(QObject):
    """One export at a time for a session; `finished`/`failed` come on the UI thread.

    Its messages open over `parent`, which also owns it (the dialog finds it there).
    """

    finished = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self.task: Task | None = None
        self.message: QMessageBox | None = None

    def start(self, request: ExportRequest) -> Task | None:
        case = self._session.case
        if case is None or self.task is not None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> ExportResult:
            return export_marks(
                case,
                request.format,
                request.out,
                request.options,
                colour_names=request.colour_names,
                progress=progress,
                cancel=cancel,
                overwrite=request.overwrite,
            )

        task = self.task = Task(work, self)
        task.finished.connect(self._finished)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        self._session.say(f"Exporting to {request.out.name}…")
        task.start()  # the shared pool: exports read, so they need not wait for the writer
        return task

    def _finished(self, result: ExportResult) -> None:
        self.task = None
        what = (
            count(result.marks, "annotated PDF")
            if result.format is ExportFormat.ANNOTATED_PDF
            else count(result.marks, "mark")
        )
        self._session.say(f"Exported {what} to {result.path}", 8000)
        # A folder of copies lists its files: names numbered around files there show.
        listed = result.path.is_dir() and result.files
        box = finished_box(
            self._parent,
            "Export Finished",
            f"Exported {what} to\n{result.path}",
            result.folder,
            "\n".join(path.name for path in result.files) if listed else "",
        )
        self.message = box
        box.open()
        self.finished.emit(result)

    def _failed(self, reason: str) -> None:
        self.task = None
        self._session.say(f"Export failed: {reason}", 10000)
        self.message = QMessageBox(
            QMessageBox.Icon.Warning,
            "Export Failed",
            f"The export could not be written:\n{reason}",
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        self.message.open()
        self.failed.emit(reason)

    def _cancelled(self) -> None:
        self.task = None
        self._session.say("Export cancelled", 5000)


class MarksImporter(QObject):
    """Imports one W3C file on the session's writer; `finished` carries the report."""

    finished = Signal(object)  # ImportMarksReport
    failed = Signal(str)

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self.message: QMessageBox | None = None

    def start(self, path: Path) -> Task | None:
        case = self._session.case
        if case is None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> ImportMarksReport:
            return import_web_annotations(case, path, progress=progress, cancel=cancel)

        task = Task(work, self)
        task.progressed.connect(self._progressed)
        task.finished.connect(self._finished)
        task.failed.connect(self._failed)
        self._session.say(f"Importing marks from {path.name}…")
        self._session.writer.start(task)
        return task

    def _progressed(self, done: int, total: int, _pages: int) -> None:
        self._session.say(f"Importing marks: {done} of {total}…")

    def _finished(self, report: ImportMarksReport) -> None:
        text = (
            f"Imported {count(len(report.imported), 'mark')}. {len(report.duplicates)} were in the "
            f"case already; {len(report.orphans)} could not be placed."
        )
        self._session.say(text, 8000)
        icon = QMessageBox.Icon.Warning if report.orphans else QMessageBox.Icon.Information
        box = QMessageBox(
            icon, "Marks Imported", text, QMessageBox.StandardButton.Close, self._parent
        )
        if report.orphans:
            box.setInformativeText(
                "A mark whose words are no longer in its document is "
                "left out, never attached to other words."
            )
            box.setDetailedText("\n".join(_orphan_line(o) for o in report.orphans))
        self.message = box
        box.open()
        self.finished.emit(report)

    def _failed(self, reason: str) -> None:
        self._session.say(f"No marks imported: {reason}", 10000)
        self.message = QMessageBox(
            QMessageBox.Icon.Warning,
            "Marks Not Imported",
            f"Nothing was imported:\n{reason}",
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        self.message.open()
        self.failed.emit(reason)


def _orphan_line(orphan: Orphan) -> str:
    words = f"“{orphan.quote}” — " if orphan.quote else ""
    return f"{words}{orphan.reason}"
