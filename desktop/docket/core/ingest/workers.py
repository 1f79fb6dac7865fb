"""Extraction in worker processes that are judged by their progress, one file at a time.

Each worker reads one file at a time and beats a heartbeat as it starts each
page (core/heartbeat.py). A thread of the importing process watches them:

- a worker that keeps beating is never stopped, however long its file is;
- one whose beat stops for `hang_seconds` is stopped, and its file gets a
  reason naming the page PDFium hung on;
- one whose resident memory passes `memory_ceiling_mb` is stopped, and its
  file is "too large to process safely" (a decompression bomb must never take
  the machine). The watch is from outside, every tenth of a second: a limit
  inside the worker (RLIMIT_DATA, RLIMIT_AS) cannot work, as PDFium reserves
  tens of GB of address space and its writable mappings grow by ~25 MB a
  second of work while resident memory stays flat, so a long import would
  end every worker at such a limit;
- one that crashes (PDFium on a hostile file) fails only its own file.

A stopped worker is replaced at once and the others go on, so one bad file
never breaks the pool or slows the rest of the import. Workers die with the
importing process, `kill -9` included: the kernel signals them when it dies
(PR_SET_PDEATHSIG), and an idle one also ends when its pipe closes.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from docket.core import heartbeat
from docket.core.allocation import give_back_memory
from docket.core.ingest.jobs import TOO_LARGE, JobResult, run_job

# No beat for this long means PDFium is looping, not working: the slowest real
# page seen (a 1,611-page source listing) takes well under a second.
HANG_SECONDS = 30.0
# Resident memory a worker may use in all (idle, one needs ~100 MB; reading a
# 1,600-page listing, ~350 MB). A PDF that needs a gigabyte is a bomb.
MEMORY_CEILING_MB = 1024
# Workers that die before they can take a file, in a row, before the pool gives up.
_MAX_FAILED_STARTS = 3
# A worker still starting (importing Qt and PDFium) cannot beat, so a file handed
# to it is timed from when it is ready (heartbeat.install beats), not from the
# handover: a slow start on a loaded machine is not a hang in the file. One
# still not ready after this long is broken, and counts as a failed start.
START_SECONDS = 120.0
# How often the watching thread looks at beats and memory.
_TICK_SECONDS = 0.1

# A worker is replaced by a fresh one after reading this many pages: QtPdf
# keeps ~20 KB of every document it opens and ~1.5 KB of every page it reads
# after the document is closed (measured: the same 120 PDFs read over and over
# grow a process by 7 MB a round), which would grow a worker by ~150 MB over
# a 100,000-page import. A new worker costs about half a CPU-second.
RETIRE_AFTER_PAGES = 10_000
# A file this big is read by one worker at a time (ExtractionPool._next_task).
BIG_FILE_BYTES = 3 * 2**20

Job = Callable[[str, "str | None"], JobResult]


@dataclass
class _Task:
    path: str
    password: str | None
    future: Future[JobResult]
    big: bool = False  # see ExtractionPool._next_task


class _Worker:
    """One worker process, its pipe and its heartbeat."""

    def __init__(self, job: Job) -> None:
        context = multiprocessing.get_context("spawn")  # forking a process with Qt is unsafe
        self.connection, child_end = context.Pipe()
        self.beat: Any = context.RawArray("d", heartbeat.SLOTS)
        self.process = context.Process(
            target=serve,
            args=(child_end, self.beat, job, os.getpid()),
            name="docket-extract",
            daemon=True,
        )
        self.process.start()
        child_end.close()
        self.task: _Task | None = None
        self.peak_resident = 0
        self.pages_read = 0  # see RETIRE_AFTER_PAGES

    def start(self, task: _Task) -> None:
        self.beat[heartbeat.BEAT_TIME] = time.monotonic()
        self.beat[heartbeat.BEAT_STEP] = heartbeat.OPENING
        self.peak_resident = 0
        self.task = task
        self.connection.send((task.path, task.password))

    def silent_for(self) -> float:
        last: float = self.beat[heartbeat.BEAT_TIME]
        return time.monotonic() - last

    def where(self) -> str:
        return heartbeat.describe_step(int(self.beat[heartbeat.BEAT_STEP]))

    def sample_memory(self) -> int:
        """Its resident memory now; keeps the peak for `_death_reason`."""
        try:
            resident = resident_bytes(self.process.pid or 0)
        except (OSError, IndexError, ValueError):
            return 0
        self.peak_resident = max(self.peak_resident, resident)
        return resident

    def retire(self) -> None:
        """Ends an idle worker politely: it leaves when it reads the goodbye."""
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(2)
        self.stop()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class ExtractionPool:
    """Runs `job` (run_job) on `workers` processes; `workers=0` runs jobs in this process."""

    def __init__(
        self,
        workers: int,
        *,
        hang_seconds: float = HANG_SECONDS,
        memory_ceiling_mb: int = MEMORY_CEILING_MB,
        job: Job = run_job,
    ) -> None:
        self._workers = workers
        self._hang_seconds = hang_seconds
        self._ceiling = memory_ceiling_mb * 2**20
        self._job = job
        self._queue: deque[_Task] = deque()
        self._lock = threading.Lock()
        self._wake_read, self._wake_write = os.pipe()
        self._stopping = False
        self._cancel_pending = False
        self.started_processes = 0  # for tests: replacements show here
        self._failed_starts = 0
        self._broken: str | None = None  # why no worker can start, once that is clear
        self._watcher: threading.Thread | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def submit(self, path: str, password: str | None) -> Future[JobResult]:
        future: Future[JobResult] = Future()
        if self._workers == 0:
            future.set_result(self._job(path, password))
            return future
        task = _Task(path, password, future, _file_size(path) >= BIG_FILE_BYTES)
        with self._lock:
            if self._stopping:
                raise RuntimeError("the extraction pool has been shut down")
            if self._broken is not None:
                future.set_result(JobResult(None, self._broken))
                return future
            self._queue.append(task)
            if self._watcher is None:
                self._watcher = threading.Thread(
                    target=self._watch, name="docket-workers", daemon=True
                )
                self._watcher.start()
        self._wake()
        return future

    def result(self, future: Future[JobResult]) -> JobResult:
        return future.result()

    def shutdown(self, cancel_pending: bool = False) -> None:
        """Ends the workers; `cancel_pending` also drops the files not yet read."""
        with self._lock:
            if self._stopping:
                return  # once is enough; the pipe below is closed
            self._stopping = True
            self._cancel_pending = cancel_pending
            watcher = self._watcher
        self._wake()
        if watcher is not None:
            watcher.join()
        os.close(self._wake_read)
        os.close(self._wake_write)

    # -- the watching thread ---------------------------------------------------------

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"x")

    def _watch(self) -> None:
        # Workers are started and replaced from this thread only: a worker's
        # parent-death signal is tied to the thread that started it.
        workers = [self._spawn() for _ in range(self._workers)]
        try:
            while True:
                with self._lock:
                    if self._stopping and (self._cancel_pending or not self._busy(workers)):
                        break
                workers = self._dispatch(workers)
                self._receive(workers)
                workers = self._judge(workers)
        finally:
            self._end(workers)

    def _spawn(self) -> _Worker:
        self.started_processes += 1
        return _Worker(self._job)

    def _busy(self, workers: list[_Worker]) -> bool:
        return bool(self._queue) or any(worker.task is not None for worker in workers)

    def _dispatch(self, workers: list[_Worker]) -> list[_Worker]:
        for position, worker in enumerate(workers):
            if worker.task is not None:
                continue
            with self._lock:
                task = self._next_task(workers)
            if task is None:
                break
            if not task.future.set_running_or_notify_cancel():
                continue
            try:
                worker.start(task)
            except (OSError, ValueError):  # it died while idle: a fresh one takes the file
                worker.task = None
                worker.stop()
                workers[position] = replacement = self._spawn()
                replacement.start(task)
        return workers

    def _next_task(self, workers: list[_Worker]) -> _Task | None:
        """The first file waiting, except that two big files are never read at once
        while a smaller one waits: PDFium holds ~100 KB a page of a long PDF, so
        two 1,500-page listings side by side would double the workers' peak."""
        if not self._queue:
            return None
        if any(worker.task is not None and worker.task.big for worker in workers):
            for index, task in enumerate(self._queue):
                if not task.big:
                    del self._queue[index]
                    return task
        return self._queue.popleft()

    def _receive(self, workers: list[_Worker]) -> None:
        """Waits up to a tick for results, deaths or a new file, and takes the results."""
        by_connection = {worker.connection: worker for worker in workers if worker.task}
        ready = wait([*by_connection, self._wake_read], timeout=_TICK_SECONDS)
        for item in ready:
            if item == self._wake_read:
                os.read(self._wake_read, 4096)
                continue
            worker = by_connection[item]  # type: ignore[index]
            try:
                result = worker.connection.recv()
            except (EOFError, OSError):
                # Its end of the pipe closed: it is dying. Let it finish (a second at
                # most) so that _judge sees how, rather than spin on the closed pipe.
                worker.process.join(1)
                continue
            task, worker.task = worker.task, None
            self._failed_starts = 0
            if result.document is not None:
                worker.pages_read += result.document.page_count
            if task is not None:
                task.future.set_result(result)

    def _judge(self, workers: list[_Worker]) -> list[_Worker]:
        """Replaces each worker that died, hung or outgrew its memory, failing its file."""
        judged = []
        for worker in workers:
            if worker.task is None and worker.pages_read >= RETIRE_AFTER_PAGES:
                worker.retire()
                judged.append(self._spawn())
                continue
            reason = self._fault(worker)
            if reason is None:
                judged.append(worker)
                continue
            task, worker.task = worker.task, None
            worker.stop()
            if self._broken is None:
                judged.append(self._spawn())
            if task is not None:
                task.future.set_result(JobResult(None, reason))
        return judged

    def _fault(self, worker: _Worker) -> str | None:
        task = worker.task
        if not worker.process.is_alive():
            if not worker.beat[heartbeat.READY]:
                return self._failed_start(worker)
            if task is None:
                return "idle worker ended"  # replaced; no file is affected
            return self._death_reason(worker)
        if task is None:
            return None
        if worker.sample_memory() > self._ceiling:
            return too_large(worker.where(), self._ceiling)
        if not worker.beat[heartbeat.READY]:
            return self._failed_start(worker) if worker.silent_for() > START_SECONDS else None
        if worker.silent_for() > self._hang_seconds:
            damaged, reader = _damage_words(task.path)
            return (
                f"{damaged}: {reader} stopped responding while {worker.where()} "
                f"(no progress for {self._hang_seconds:.0f} s)"
            )
        return None

    def _failed_start(self, worker: _Worker) -> str:
        """A worker that died before it could take a file, or was never ready to (see
        START_SECONDS): the program, not the file, is at fault (a broken install).
        Replacing it forever would spin; after a few in a row, every file waiting
        fails with the reason instead."""
        self._failed_starts += 1
        code = worker.process.exitcode
        how = f"exit code {code}" if code is not None else f"not ready after {START_SECONDS:.0f} s"
        reason = (
            "could not be read: the extraction process could not start "
            f"({how}); Docket may need reinstalling"
        )
        if self._failed_starts >= _MAX_FAILED_STARTS:
            with self._lock:
                self._broken = reason
                waiting, self._queue = list(self._queue), deque()
            for task in waiting:
                if task.future.set_running_or_notify_cancel():
                    task.future.set_result(JobResult(None, reason))
        return reason

    def _death_reason(self, worker: _Worker) -> str:
        exit_code = worker.process.exitcode
        # Past half the ceiling a worker is in a bomb (real pages need tens of MB);
        # the kernel's OOM killer (SIGKILL) ended it, or PDFium aborted (SIGABRT)
        # when the system refused it memory.
        if worker.peak_resident > self._ceiling // 2 or exit_code in (
            -signal.SIGKILL,
            -signal.SIGABRT,
        ):
            return too_large(worker.where(), self._ceiling)
        damaged, reader = _damage_words(worker.task.path if worker.task else "")
        return f"{damaged}: {reader} crashed while {worker.where()}"

    def _end(self, workers: list[_Worker]) -> None:
        for worker in workers:
            if worker.task is None:
                worker.retire()
            else:  # running, so it cannot be cancelled: answer it
                worker.stop()
                worker.task.future.set_result(JobResult(None, "import cancelled"))
        with self._lock:
            while self._queue:
                self._queue.popleft().future.cancel()


def _damage_words(path: str) -> tuple[str, str]:
    """What a hang or crash message calls the file and what was reading it."""
    from docket.core.pdf.imageframes import sniff_image

    if path and sniff_image(Path(path)) is not None:
        return "damaged image", "the image decoder"
    return "damaged PDF", "the PDF engine"


def _file_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def too_large(where: str, ceiling_bytes: int) -> str:
    doing = where[0].upper() + where[1:]
    return f"{TOO_LARGE}: {doing} needed more than {ceiling_bytes // 2**20:,} MB of memory"


# --- inside a worker ---------------------------------------------------------------


def serve(connection: Connection, beat: Any, job: Job, parent_pid: int) -> None:
    """A worker's life: files from the pipe, one at a time, until it closes."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's, which cancels
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An outline entry that points nowhere is common and harmless: the entry keeps
    # page 0. PDFium's complaint about each would flood the terminal.
    rules = [os.environ.get("QT_LOGGING_RULES", ""), "qt.pdf.bookmarks.warning=false"]
    os.environ["QT_LOGGING_RULES"] = ";".join(rule for rule in rules if rule)
    heartbeat.install(beat)
    idle_resident = resident_bytes()
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = job(*task)
        connection.send(result)
        del result
        if resident_bytes() > idle_resident + _TRIM_ABOVE_IDLE:
            give_back_memory()  # PDFium's ~100 KB a page of a long PDF, kept by glibc


# A worker this much above its idle size after a file gives the heap back; below
# it, keeping the heap saves faulting the same pages in again for the next file.
_TRIM_ABOVE_IDLE = 64 * 2**20


def resident_bytes(pid: int | str = "self") -> int:
    """A process's resident memory, from /proc (this process by default)."""
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _die_with_parent(parent_pid: int) -> None:
    """Asks the kernel to end this process when the importing process dies."""
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # it died before the request was made
        os._exit(0)
