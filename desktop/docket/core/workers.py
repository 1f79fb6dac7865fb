"""Extraction in worker processes, surviving a worker that crashes.

PDFium can crash the process on a hostile file. A crash breaks the whole
`ProcessPoolExecutor`, failing every job in flight; so each failed job is run
again alone in a fresh process, and only the file that crashes alone is
reported as failed. The pool is then rebuilt for the jobs still to come.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from docket.core.extraction import JobResult, init_worker, run_job

_CRASHED = "damaged PDF: the PDF engine crashed or stopped responding while reading it"


def _context() -> multiprocessing.context.BaseContext:
    # spawn, not fork: forking a process that has loaded Qt is unsafe.
    return multiprocessing.get_context("spawn")


class ExtractionPool:
    """Runs `run_job` on `workers` processes; `workers=0` runs jobs in this process."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._executor: ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def submit(self, path: str, password: str | None) -> Future[JobResult]:
        if self._workers == 0:
            done: Future[JobResult] = Future()
            done.set_result(run_job(path, password))
            return done
        try:
            return self._pool().submit(run_job, path, password)
        except BrokenProcessPool:
            self._executor = None
            return self._pool().submit(run_job, path, password)

    def result(self, future: Future[JobResult], path: str, password: str | None) -> JobResult:
        try:
            return future.result()
        except BrokenProcessPool:
            return self._run_alone(path, password)

    def shutdown(self, cancel_pending: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=cancel_pending)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self._workers, mp_context=_context(), initializer=init_worker
            )
        return self._executor

    def _run_alone(self, path: str, password: str | None) -> JobResult:
        with ProcessPoolExecutor(1, mp_context=_context(), initializer=init_worker) as alone:
            try:
                return alone.submit(run_job, path, password).result()
            except BrokenProcessPool:
                return JobResult(None, _CRASHED)
