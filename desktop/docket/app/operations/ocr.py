"""OCR from the window: after an import, on opening a case, and "Read with OCR…".

The reading runs on a thread of its own, never the window's and never as one
long task on the session's writer: Tesseract takes seconds a page, and marks
made meanwhile must still save at once. Each chunk of pages read is stored by
a short write that `case.ocr` hands to `commit`, which runs it on the writer
thread between the marks' writes. When a chunk is in, the session announces
the documents changed (the library shows their new state, the search runs its
query again over the new text) and `documentsRead` lets the reader reload the
document it shows. The status bar shows "OCR 12/40 pages — title" and Cancel;
a cancelled run keeps every chunk stored, and the documents stay pending for
the next open of the case.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from docket.app.kit.session import Session
from docket.app.kit.statusprogress import StatusProgress
from docket.app.kit.tasks import Task
from docket.core.case import Case
from docket.core.counts import count
from docket.core.model.changes import Changes, Delta
from docket.core.model.records import OcrState
from docket.core.preferences import load_preferences
from docket.core.progress import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from docket.core.ingest.pipeline import ImportReport
    from docket.core.ocr.run import OcrReport

T = TypeVar("T")
NEWS_DELAY_MS = 300


@dataclass(frozen=True)
class OcrRequest:
    docs: tuple[int, ...] | None  # None: every document waiting for OCR
    force: bool = False  # read every page again (another language, say)


class OcrProgress(StatusProgress):
    """The status bar's OCR indicator: pages read of pages planned, the document, Cancel."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.cancel_button.setToolTip("Stop OCR; the pages already read are kept")
        self.cancel_button.clicked.connect(self.cancelRequested)

    def show_progress(self, pages_done: int, pages_total: int, title: str) -> None:
        self.bar.setRange(0, max(pages_total, 1))
        self.bar.setValue(pages_done)
        self.label.setText(
            f"OCR {pages_done}/{pages_total} pages" + (f" — {title}" if title else "")
        )


class WriterCommit(QObject):
    """`commit(fn)` for `case.ocr`: runs `fn` on the session's writer thread and waits.

    Called from the OCR thread; QThreadPool.start is safe from any thread, and
    the writer's pool runs one thing at a time, so a chunk is stored between
    the marks' writes, never during one. After each chunk `stored` is emitted
    (queued to the window's thread).
    """

    stored = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session

    def __call__(self, fn: Callable[[], T]) -> T:
        done = threading.Event()
        outcome: list[Any] = []

        def run() -> None:
            try:
                outcome.append((fn(), None))
            except BaseException as problem:  # re-raised on the OCR thread
                outcome.append((None, problem))
            finally:
                done.set()

        self._session.writer.pool.start(run)
        done.wait()
        result, problem = outcome[0]
        if problem is not None:
            raise problem
        self.stored.emit()
        return result


class OcrController(QObject):
    """Runs OCR for the session's case in the background, one run at a time."""

    documentsRead = Signal(object)  # frozenset[int]: documents whose text just changed
    finished = Signal(object)  # OcrReport, once a run ends (cancelled ones too)

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._pool = QThreadPool(self)  # the OCR thread: not the writer, not the window's
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # one thread, one read connection, for the case's life
        self._task: Task | None = None
        self._docs: frozenset[int] = frozenset()  # what the running request reads
        self._case: Case | None = None  # the case it reads
        self._queue: list[OcrRequest] = []
        self._commit = WriterCommit(session, self)
        self._commit.stored.connect(self._chunk_stored, Qt.ConnectionType.QueuedConnection)
        # Many one-page scans store a chunk each: their news is told together, so the
        # library and the search do not refresh once per page.
        self._news = QTimer(self, singleShot=True, interval=NEWS_DELAY_MS)
        self._news.timeout.connect(self._tell_news)
        self.progress = OcrProgress()
        self.progress.hide()
        self.progress.cancelRequested.connect(self.cancel)
        # Permanent: OCR runs on while the import's and other messages come and go,
        # and a message would be drawn over an ordinary status bar widget.
        session.status_bar.addPermanentWidget(self.progress)

    @property
    def running(self) -> bool:
        return self._task is not None

    # -- what starts it ------------------------------------------------------------

    def resume(self) -> None:
        """Read whatever waits for OCR: after an import, and when a case opens (a run
        interrupted by quitting left its documents pending)."""
        self.start(OcrRequest(None))

    def after_import(self, report: ImportReport) -> None:
        """An import ended: read what it left without text, unless it was cancelled
        (then the user wanted the work to stop; opening the case again resumes it)."""
        if not report.cancelled:
            self.resume()

    def read_again(self, docs: Sequence[int]) -> None:
        """Read these documents again, every page ("Read with OCR…")."""
        self.start(OcrRequest(tuple(docs), force=True))

    def read_in(self, doc_id: int, languages: str) -> None:
        """Make `languages` the document's own, then read it again with them."""
        case = self._session.case
        if case is None:
            return

        def failed(problem: BaseException) -> None:
            self._session.say(f"The OCR languages were not changed: {problem}", 10_000)

        self._session.writer.submit(
            case.set_ocr_languages,
            doc_id,
            languages,
            on_result=lambda _result: self.read_again([doc_id]),
            on_error=failed,
            context=self,
        )

    def start(self, request: OcrRequest) -> None:
        case = self._session.case
        if case is None or case.readonly:
            return
        if self._task is not None:
            # "Everything waiting" is asked again after the run: documents imported
            # meanwhile wait now, and the running request did not see them.
            if request not in self._queue:
                self._queue.append(request)
            return
        docs = request.docs if request.docs is not None else waiting(case)
        if not docs:
            self._next()
            return
        self._run(case, request, docs)

    def _run(self, case: Case, request: OcrRequest, docs: tuple[int, ...]) -> None:
        commit = self._commit
        languages = load_preferences().ocr_languages  # for documents without their own

        def work(progress: ProgressCallback, cancel: CancelToken) -> OcrReport:
            return case.ocr(
                list(docs),
                languages=languages,
                force=request.force,
                progress=progress,
                cancel=cancel,
                commit=commit,
            )

        task = Task(work, self)
        task.progressed.connect(self._show_progress)
        task.finished.connect(self._finished)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        self._task, self._docs, self._case = task, frozenset(docs), case
        self.progress.show_progress(0, 0, "")
        self.progress.label.setText("OCR: starting…")
        self.progress.show()
        task.start(self._pool)

    # -- stopping --------------------------------------------------------------------

    def cancel(self) -> None:
        self._queue.clear()
        if self._task is not None:
            self._task.cancel()
            self.progress.label.setText("OCR: stopping after the pages being read…")

    def cancel_and_wait(self, timeout_ms: int = 30_000) -> bool:
        """Before the case closes: stop, and wait for the chunk being stored."""
        self.cancel()
        return self._pool.waitForDone(timeout_ms)

    # -- as it goes ------------------------------------------------------------------

    @Slot(int, int, int)
    def _show_progress(self, pages_done: int, pages_total: int, _pages: int) -> None:
        if self._task is not None:
            self.progress.show_progress(pages_done, pages_total, self._task.progress.current)

    @Slot()
    def _chunk_stored(self) -> None:
        if not self._news.isActive():
            self._news.start()

    def _tell_news(self) -> None:
        if self._for_open_case() and self._docs:
            self._session.announce(Changes(documents=Delta.of(changed=self._docs)))
            self.documentsRead.emit(self._docs)

    def _for_open_case(self) -> bool:
        """Whether the run's case is still the one open: what a run of a case closed
        meanwhile (its last chunk's news comes after) says is said to nobody."""
        return self._case is not None and self._session.case is self._case

    def _finished(self, report: OcrReport) -> None:
        if self._ended():
            self._session.say(summary(report), 10_000)
            self.finished.emit(report)
            if report.cancelled:
                self._queue.clear()
        self._next()

    def _failed(self, message: str) -> None:
        if self._ended():
            self._session.say(f"OCR stopped: {message}", 15_000)
            self._queue.clear()
        self._next()

    def _cancelled(self) -> None:
        if self._ended():
            self._session.say("OCR cancelled; the pages already read are kept", 8000)
            self._queue.clear()
        self._next()

    def _ended(self) -> bool:
        """The run is over: the library shows where its documents stand now. False
        when its case was closed meanwhile (a request for the one open may wait)."""
        docs, current = self._docs, self._for_open_case()
        if current and self._news.isActive():  # the last chunks' news, now
            self._news.stop()
            self.documentsRead.emit(docs)
        self._done()
        if current:
            self._session.announce(Changes(documents=Delta.of(changed=docs)))
        return current

    def _done(self) -> None:
        self._task, self._docs, self._case = None, frozenset(), None
        self.progress.hide()

    def _next(self) -> None:
        if self._queue:
            self.start(self._queue.pop(0))


def waiting(case: Case) -> tuple[int, ...]:
    """What a case has waiting for OCR: documents pending (an import's, or a run that
    was stopped), and those Tesseract or a language was missing for (installed since?)."""
    wanted = (OcrState.PENDING, OcrState.UNAVAILABLE)
    return tuple(document.id for document in case.documents() if document.ocr in wanted)


def summary(report: OcrReport) -> str:
    """The status bar's line once a run ends."""
    read = sum(1 for outcome in report.documents if outcome.state is OcrState.DONE)
    unread = [o for o in report.documents if o.state in (OcrState.FAILED, OcrState.UNAVAILABLE)]
    low = sum(len(outcome.low_confidence_pages) for outcome in report.documents)
    words = [f"OCR read {count(read, 'document')} ({count(report.pages, 'page')})"]
    if low:
        words.append(f"{count(low, 'page')} with low confidence")
    if unread:
        first = unread[0]
        words.append(f"{len(unread)} not read: {first.note or first.state}")
    if report.cancelled:
        words.append("cancelled; the pages already read are kept")
    return " — ".join(words)
