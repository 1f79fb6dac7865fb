"""Background work for the window, Qt-native (STYLE.md rules 4–6).

- `run_in_thread` runs a function on a thread pool; its result or exception
  comes back on the UI thread through a queued signal, never a direct call.
- `LatestWins` is for search-as-you-type: one search at a time, only the
  newest request's result is delivered.
- `SerialExecutor` is the one writer: everything that writes the case, in order.
- `Task` adapts the core's `ProgressCallback`/`CancelToken` to Qt signals.
- `wait_for_idle` is for quitting: cancel, then wait with a timeout. Threads
  are never terminated (a killed thread can leave SQLite or Whoosh half-written).

Call all of these from the UI thread; the functions they run must not touch widgets.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QObject,
    Qt,
    QThread,
    QThreadPool,
    Signal,
    Slot,
)

from docket.core.errors import Cancelled, DocketError
from docket.core.progress import CancelToken, Progress, ProgressCallback

log = logging.getLogger(__name__)

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]

_live: set[Job] = set()  # jobs whose outcome has not come back yet
_pools: weakref.WeakSet[QThreadPool] = weakref.WeakSet()  # every pool wait_for_idle waits on
_default: QThreadPool | None = None


def _app() -> QCoreApplication:
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("background tasks need a QApplication")
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("start background work from the UI thread")
    return app


def _private_pool(parent: QObject, threads: int) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(threads)
    # Threads live as long as the pool: the case's database keeps one read
    # connection per thread, so short-lived threads would pile up connections.
    pool.setExpiryTimeout(-1)
    _pools.add(pool)
    return pool


def default_pool() -> QThreadPool:
    """The pool for reads (searches, page texts): as many threads as cores, at least two."""
    global _default
    if _default is None or not shiboken6.isValid(_default):
        _default = _private_pool(_app(), max(2, QThread.idealThreadCount()))
    return _default


class _Relay(QObject):
    """Tells the UI thread that one job is done.

    It lives in the UI thread and is owned by the application object, so its
    queued slot runs on the UI thread and no Python reference counting in the
    worker can delete it there. The signal carries no arguments: the outcome
    waits on the job, so no Python object rides in Qt's queued event.
    """

    _done = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__(_app())
        self._job: Job | None = job
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def send(self) -> None:  # worker thread
        self._done.emit()

    @Slot()
    def _deliver(self) -> None:
        job, self._job = self._job, None
        self.deleteLater()
        if job is not None:
            job._settle()


class Job:
    """One call running on a pool; `cancel()` drops its outcome (and skips it if not started)."""

    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        on_result: ResultCallback | None,
        on_error: ErrorCallback | None,
        context: QObject | None,
        skippable: bool,
        token: CancelToken | None = None,
        on_settled: Callable[[], None] | None = None,
    ) -> None:
        self._fn, self._args = fn, args
        self._on_result, self._on_error, self._on_settled = on_result, on_error, on_settled
        self._context = context
        self._skippable = skippable  # writes are never skipped: a queued write is a promise
        self.token = token
        self.pool: QThreadPool | None = None
        self.cancelled = False
        self.done = False
        self._outcome: tuple[object, BaseException | None] = (None, None)
        self._relay = _Relay(self)

    def cancel(self) -> None:
        self.cancelled = True
        if self.token is not None:
            self.token.cancel()

    def _run(self) -> None:  # worker thread: no widgets here
        if not (self.cancelled and self._skippable):
            try:
                self._outcome = (self._fn(*self._args), None)
            except Exception as error:  # handed to on_error on the UI thread
                self._outcome = (None, error)
        self._relay.send()

    def _settle(self) -> None:  # UI thread
        self.done = True
        (result, error), self._outcome = self._outcome, (None, None)
        _live.discard(self)
        context, on_result, on_error, on_settled = (
            self._context,
            self._on_result,
            self._on_error,
            self._on_settled,
        )
        # Let go of callbacks and arguments here, on the UI thread: the pool may
        # drop the last reference to this job on the worker thread, and a widget
        # must not be deleted there.
        self._fn, self._args = _nothing, ()
        self._context = self._on_result = self._on_error = self._on_settled = None
        if context is not None and not shiboken6.isValid(context):
            return  # the widget that asked is gone
        if on_settled is not None:
            on_settled()
        if self.cancelled:
            return
        if error is None:
            if on_result is not None:
                on_result(result)
        elif on_error is not None:
            on_error(error)
        else:
            log.error("background work failed", exc_info=error)


def _nothing() -> None:
    pass


def run_in_thread(
    fn: Callable[..., Any],
    *args: Any,
    on_result: ResultCallback | None = None,
    on_error: ErrorCallback | None = None,
    pool: QThreadPool | None = None,
    context: QObject | None = None,
    _skippable: bool = True,
    _token: CancelToken | None = None,
    _on_settled: Callable[[], None] | None = None,
) -> Job:
    """Run `fn(*args)` on `pool` (default: `default_pool()`); call back on the UI thread.

    With `context`, nothing is delivered once that object has been deleted.
    """
    job = Job(
        fn,
        args,
        on_result=on_result,
        on_error=on_error,
        context=context,
        skippable=_skippable,
        token=_token,
        on_settled=_on_settled,
    )
    job.pool = pool or default_pool()
    _pools.add(job.pool)
    _live.add(job)
    job.pool.start(job._run)
    return job


_Request = tuple[int, Callable[[], Any], ResultCallback, ErrorCallback | None]


class LatestWins(QObject):
    """Runs one request at a time; only the newest submission's outcome is delivered.

    While a request runs, a new one waits (replacing any older waiting one), so
    fast typing never queues a backlog of stale searches; the running one's
    result is dropped when it comes back.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = _private_pool(self, 1)
        self._generation = 0
        self._running: Job | None = None
        self._waiting: _Request | None = None  # the newest request, while one runs

    @property
    def busy(self) -> bool:
        return self._running is not None or self._waiting is not None

    def submit(
        self, fn: Callable[[], Any], callback: ResultCallback, on_error: ErrorCallback | None = None
    ) -> None:
        self._generation += 1
        request = (self._generation, fn, callback, on_error)
        if self._running is None:
            self._start(*request)
        else:
            self._waiting = request

    def cancel(self) -> None:
        """Forget everything submitted so far; a request still running is not delivered."""
        self._generation += 1
        self._waiting = None

    def wait(self, timeout_ms: int) -> bool:
        """Block until the running request is done (before closing what it reads)."""
        return self._pool.waitForDone(timeout_ms)

    def _start(
        self,
        generation: int,
        fn: Callable[[], Any],
        callback: ResultCallback,
        on_error: ErrorCallback | None,
    ) -> None:
        def deliver(value: Any, handler: Callable[[Any], None] | None) -> None:
            if generation != self._generation:
                return  # a newer request was made meanwhile
            if handler is not None:
                handler(value)
            elif isinstance(value, BaseException):
                log.error("background work failed", exc_info=value)

        self._running = run_in_thread(
            fn,
            pool=self._pool,
            context=self,
            on_result=lambda result: deliver(result, callback),
            on_error=lambda error: deliver(error, on_error),
            _on_settled=self._next,
        )

    def _next(self) -> None:
        self._running = None
        if self._waiting is not None:
            request, self._waiting = self._waiting, None
            self._start(*request)


class SerialExecutor(QObject):
    """One thread for everything that writes the case, in submission order (STYLE.md rule 4)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = _private_pool(self, 1)

    @property
    def pool(self) -> QThreadPool:
        return self._pool

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        context: QObject | None = None,
    ) -> Job:
        # Not skippable: a write queued before quitting still happens.
        return run_in_thread(
            fn,
            *args,
            on_result=on_result,
            on_error=on_error,
            pool=self._pool,
            context=context,
            _skippable=False,
        )

    def start(self, task: Task) -> Task:
        task.start(self)
        return task

    def wait_for_idle(self, timeout_ms: int) -> bool:
        """Cancel the long tasks queued here, let plain writes finish, wait at most `timeout_ms`."""
        for job in list(_live):
            if job.pool is self._pool and job.token is not None:
                job.token.cancel()
        return self._pool.waitForDone(timeout_ms)


class Task(QObject):
    """Long cancellable work (import, reindex): `work(progress, cancel)` on a worker thread.

    Signals arrive on the UI thread. The work may return normally after a
    cancel (the importer returns a report marked cancelled): that is `finished`;
    raising `Cancelled` is `cancelled`.
    """

    progressed = Signal(int, int, int)  # files_done, files_total, pages_done
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    _posted = Signal()  # a newer `progress` is waiting to be shown

    # A per-page callback at ~500 pages/s would post 500 events a second;
    # 20 updates a second is all a progress bar can show.
    PROGRESS_INTERVAL_S = 0.05

    def __init__(
        self, work: Callable[[ProgressCallback, CancelToken], Any], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._work = work
        self.token = CancelToken()
        self.progress = Progress(0, 0, 0)
        self.running = False
        self._latest = self.progress  # written by the worker, shown by the UI thread
        self._posted.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    def start(self, executor: SerialExecutor | QThreadPool | None = None) -> None:
        if self.running:
            raise RuntimeError("this task is already running")
        pool = executor.pool if isinstance(executor, SerialExecutor) else executor
        self.running = True
        run_in_thread(
            self._run_work,
            pool=pool,
            context=self,
            on_result=self._succeeded,
            on_error=self._failed,
            _skippable=False,
            _token=self.token,
        )

    def cancel(self) -> None:
        self.token.cancel()

    def _run_work(self) -> Any:  # worker thread
        last = 0.0

        def report(progress: Progress) -> None:
            nonlocal last
            now = time.monotonic()
            if (
                now - last >= self.PROGRESS_INTERVAL_S
                or progress.files_done >= progress.files_total
            ):
                last = now
                self._latest = progress
                if shiboken6.isValid(self):
                    self._posted.emit()
                else:  # nobody is left to show the result
                    self.token.cancel()

        return self._work(report, self.token)

    @Slot()
    def _show_progress(self) -> None:
        progress = self.progress = self._latest
        self.progressed.emit(progress.files_done, progress.files_total, progress.pages_done)

    def _succeeded(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        elif isinstance(error, DocketError):
            self.failed.emit(str(error))
        else:
            log.error("task failed", exc_info=error)
            self.failed.emit(f"Unexpected error: {error}")


def wait_for_idle(timeout_ms: int = 5000) -> bool:
    """For quitting: drop every pending outcome, cancel long tasks, wait at most `timeout_ms`.

    Reads not yet started are skipped; writes already queued still run. Returns
    False if work is still running when the time is up (it is left to finish;
    threads are never terminated).
    """
    for job in list(_live):
        job.cancel()
    deadline = QDeadlineTimer(timeout_ms)
    idle = True
    for pool in list(_pools):
        if shiboken6.isValid(pool):
            idle = pool.waitForDone(max(0, deadline.remainingTime())) and idle
    return idle
