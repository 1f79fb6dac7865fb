"""A worker job whose module takes two seconds to import: run in a spawned worker, it
makes the worker slow to start (the child imports a job's module before it is
ready), as importing Qt and PDFium can be on a loaded machine."""

from __future__ import annotations

import time

from docket.core.ingest.jobs import JobResult
from tests.core.worker_jobs import scripted

START_DELAY_SECONDS = 2.0
time.sleep(START_DELAY_SECONDS)


def slowly_started(path: str, password: str | None) -> JobResult:
    """`worker_jobs.scripted`, from a module that was slow to import."""
    return scripted(path, password)
