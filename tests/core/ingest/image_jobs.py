"""A job for the pool that crashes reading whatever file it is given (spawned workers
import jobs by reference, so it lives in a module of its own)."""

from __future__ import annotations

import os
import signal
import time

from docket.core import heartbeat
from docket.core.ingest.jobs import JobResult


def crash_on_first_page(path: str, password: str | None) -> JobResult:
    """A decoder dereferencing garbage on the first page."""
    heartbeat.beat(1)
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(60)  # the signal is delivered before this returns
    return JobResult(None, "crash: survived SIGSEGV")
