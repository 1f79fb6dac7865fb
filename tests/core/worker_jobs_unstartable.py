"""A job whose module cannot be imported in a worker: stands in for a broken install.

The test imports this module first (so the job can be pickled), then sets
DOCKET_TEST_UNSTARTABLE; spawned workers inherit it and fail while unpickling
the job, before they can take a file.
"""

from __future__ import annotations

import os

from docket.core.ingest.jobs import JobResult

if os.environ.get("DOCKET_TEST_UNSTARTABLE"):
    raise ImportError("this worker cannot start (on purpose, for a test)")


def never_runs(path: str, password: str | None) -> JobResult:
    return JobResult(None, "a worker started after all")
