"""Pages read on worker processes, one page at a time each, results as they finish.

Each worker is a spawned Python process (forking a process that holds Qt is
unsafe) that renders a page and runs Tesseract on it (recognize.read_page);
Tesseract runs single-threaded (OMP_THREAD_LIMIT=1), one worker per core,
which reads more pages a minute than one Tesseract using every core.

A worker holds up to PAGES_PER_WORKER pages: the one it reads and the next,
so that it never waits while the caller stores what came back. A worker that crashes
fails only the page it was reading (the others go back in the queue) and is
replaced; one silent for longer than a page may take is killed the same way.
Workers that die before reading anything, three in a row, mean the program
cannot start them: every page left fails with that reason. Cancelling drops
the pages not started and kills the workers reading (their pages stay unread).

Ideas from core/ingest/workers.py (the import's pool), kept small: OCR has
no PDF engine to watch for hangs page by page, as Tesseract has its own
timeout, and no memory bomb to fear from pages that were already imported.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait

from docket.core.ingest.workers import _die_with_parent
from docket.core.ocr.model import OcrPageRequest, OcrPageResult
from docket.core.ocr.recognize import read_page
from docket.core.progress import CancelToken

Job = Callable[[OcrPageRequest], OcrPageResult]

MAX_WORKERS = 4  # past four, pages wait on the disk and memory more than on cores
# The page being read and two more: a worker reads on for ~5 s while the
# caller stores a chunk (its rendition takes 1-3 s for a long scan).
PAGES_PER_WORKER = 3
# A page whose worker says nothing for this long is given up (Tesseract's own
# limit is 180 s a page; rendering adds a little).
PAGE_SILENCE_SECONDS = 240.0
_MAX_FAILED_STARTS = 3
_TICK_SECONDS = 0.1


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def failed(request: OcrPageRequest, reason: str) -> OcrPageResult:
    return OcrPageResult(request.doc, request.page, request.languages, failure=reason)


class _Worker:
    def __init__(self, job: Job) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child_end, job, os.getpid()), name="docket-ocr", daemon=True
        )
        self.process.start()
        child_end.close()
        self.pages: deque[OcrPageRequest] = deque()  # sent, in the order it reads them
        self.since = time.monotonic()  # when it last answered or was given work
        self.answered = False

    def give(self, request: OcrPageRequest) -> None:
        if not self.pages:
            self.since = time.monotonic()
        self.pages.append(request)
        self.connection.send(request)

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.connection.close()

    def retire(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(2)
        self.stop()


class OcrPool:
    """Reads pages with `job` on `workers` processes (0: in this process, one by one)."""

    def __init__(self, workers: int | None = None, *, job: Job = read_page) -> None:
        self.workers = default_workers() if workers is None else max(0, workers)
        self._job = job
        self.started_processes = 0  # for tests: replacements show here

    def read(
        self, requests: Sequence[OcrPageRequest], cancel: CancelToken | None = None
    ) -> Iterator[OcrPageResult]:
        """Yields one result per request, in the order they finish, until cancelled."""
        if self.workers == 0:
            for request in requests:
                if cancel is not None and cancel.cancelled:
                    return
                try:
                    yield self._job(request)
                except Exception as error:  # a bug in the job fails its page, not the run
                    yield failed(request, f"could not be read: {error}")
            return
        yield from _Run(self, requests, cancel).results()

    def _spawn(self) -> _Worker:
        self.started_processes += 1
        return _Worker(self._job)


def read_ahead(
    pool: OcrPool, requests: Sequence[OcrPageRequest], cancel: CancelToken | None = None
) -> Iterator[OcrPageResult]:
    """`pool.read` driven from a thread of its own: pages keep going to the workers
    while the caller stores what came back (which may wait on the window's writer,
    busy with an import, for longer than a worker's pages last). The caller may
    stop early; the workers are then stopped before this returns."""
    stop = _EitherCancel(cancel)
    finished: queue.Queue[OcrPageResult | BaseException | None] = queue.Queue()

    def pump() -> None:
        try:
            for result in pool.read(requests, stop):
                finished.put(result)
        except BaseException as error:  # handed to the caller's thread
            finished.put(error)
        finally:
            finished.put(None)

    thread = threading.Thread(target=pump, name="docket-ocr-pool", daemon=True)
    thread.start()
    try:
        while (item := finished.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.cancel()
        thread.join()


class _EitherCancel(CancelToken):
    """Cancelled by the caller's token or by this one's own cancel()."""

    def __init__(self, outer: CancelToken | None) -> None:
        super().__init__()
        self._outer = outer

    @property
    def cancelled(self) -> bool:
        return super().cancelled or (self._outer is not None and self._outer.cancelled)


class _Run:
    def __init__(
        self, pool: OcrPool, requests: Sequence[OcrPageRequest], cancel: CancelToken | None
    ) -> None:
        self._pool = pool
        self._queue = deque(requests)
        self._cancel = cancel
        self._failed_starts = 0
        self._workers: list[_Worker] = []

    def results(self) -> Iterator[OcrPageResult]:
        count = min(self._pool.workers, len(self._queue))
        self._workers = [self._pool._spawn() for _ in range(count)]
        try:
            while self._queue or any(worker.pages for worker in self._workers):
                if self._cancel is not None and self._cancel.cancelled:
                    return
                self._dispatch()
                yield from self._receive()
                yield from self._judge()
        finally:
            for worker in self._workers:
                if worker.pages:
                    worker.stop()  # cancelled or abandoned mid-page
                else:
                    worker.retire()

    def _dispatch(self) -> None:
        for worker in self._workers:
            while self._queue and len(worker.pages) < PAGES_PER_WORKER:
                request = self._queue.popleft()
                try:
                    worker.give(request)
                except (OSError, ValueError):  # it died: _judge replaces it
                    self._queue.appendleft(request)
                    break

    def _receive(self) -> Iterator[OcrPageResult]:
        busy = {worker.connection: worker for worker in self._workers if worker.pages}
        for ready in wait(list(busy), timeout=_TICK_SECONDS):
            worker = busy[ready]  # type: ignore[index]
            try:
                result = worker.connection.recv()
            except (EOFError, OSError):
                worker.process.join(1)  # dying: let _judge see how
                continue
            request = worker.pages.popleft()
            worker.since = time.monotonic()
            worker.answered = True
            self._failed_starts = 0
            yield result if isinstance(result, OcrPageResult) else failed(request, str(result))

    def _judge(self) -> Iterator[OcrPageResult]:
        for position, worker in enumerate(self._workers):
            reason = self._fault(worker)
            if reason is None:
                continue
            reading = worker.pages.popleft() if worker.pages else None
            self._queue.extendleft(reversed(worker.pages))  # the next one was not started
            worker.pages.clear()
            worker.stop()
            self._workers[position] = self._pool._spawn()
            if reading is not None:
                yield failed(reading, reason)
            if self._failed_starts >= _MAX_FAILED_STARTS:
                while self._queue:
                    yield failed(self._queue.popleft(), reason)

    def _fault(self, worker: _Worker) -> str | None:
        if not worker.process.is_alive():
            if not worker.answered:
                self._failed_starts += 1
            code = worker.process.exitcode
            return f"could not be read: the OCR process ended unexpectedly (exit code {code})"
        if worker.pages and time.monotonic() - worker.since > PAGE_SILENCE_SECONDS:
            return (
                f"could not be read: OCR made no progress on the page for "
                f"{PAGE_SILENCE_SECONDS:.0f} s"
            )
        return None


# --- inside a worker ---------------------------------------------------------------


def serve(connection: Connection, job: Job, parent_pid: int) -> None:
    """A worker's life: pages from the pipe, one at a time, until it closes."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's, which cancels
    os.environ["OMP_THREAD_LIMIT"] = "1"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            result = job(request)
        except Exception as error:  # a page the job could not handle fails alone
            result = failed(request, f"could not be read: {error}")
        connection.send(result)
