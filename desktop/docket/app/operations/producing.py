"""Running a production off the UI thread, on the session's writer (it records the
numbers in the case), with its progress in the status bar and a message at the end."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from docket.app.kit.folderbox import finished_box
from docket.app.kit.session import Session
from docket.app.kit.tasks import Task
from docket.core.counts import count
from docket.core.production.produce import ProductionOptions, ProductionResult, produce
from docket.core.progress import CancelToken, ProgressCallback


class ProductionRunner(QObject):
    """One production at a time; `finished`/`failed` come on the UI thread."""

    finished = Signal(object)  # ProductionResult
    failed = Signal(str)

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self.task: Task | None = None
        self.message: QMessageBox | None = None

    def start(self, options: ProductionOptions) -> Task | None:
        case = self._session.case
        if case is None or self.task is not None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> ProductionResult:
            return produce(case, options, progress=progress, cancel=cancel)

        task = self.task = Task(work, self)
        task.progressed.connect(self._progressed)
        task.finished.connect(self._finished)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        self._session.say(f"Producing {options.out.name}…")
        self._session.writer.start(task)
        return task

    def _progressed(self, done: int, total: int, pages: int) -> None:
        self._session.say(f"Producing: document {min(done + 1, total)} of {total}…")

    def _finished(self, result: ProductionResult) -> None:
        self.task = None
        first = result.numbers.label(result.numbers.first)
        last = result.numbers.label(result.numbers.last)
        text = (
            f"Produced {count(len(result.documents), 'document')}, "
            f"{count(result.pages, 'page')}, {first}–{last}"
        )
        self._session.say(f"{text} to {result.folder}", 8000)
        box = finished_box(
            self._parent,
            "Production Finished",
            f"{text}, to\n{result.folder}",
            result.folder,
            "\n".join(f"{d.begin}–{d.end}  {d.title or d.original_name}" for d in result.documents),
        )
        self.message = box
        box.open()
        self.finished.emit(result)

    def _failed(self, reason: str) -> None:
        self.task = None
        self._session.say(f"Nothing produced: {reason}", 10000)
        self.message = QMessageBox(
            QMessageBox.Icon.Warning,
            "Production Not Made",
            f"Nothing was produced:\n{reason}",
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        self.message.open()
        self.failed.emit(reason)

    def _cancelled(self) -> None:
        self.task = None
        self._session.say("Production cancelled; nothing was written", 5000)
