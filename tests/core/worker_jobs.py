"""Jobs for ExtractionPool tests that misbehave on purpose, chosen by the "path".

The pool spawns its workers, and spawn pickles the job by reference, so the
job must be a module-level function a child can import: that is why these live
here and not in the test module. One job, `scripted`, reads what to do from the
path it is given, so that a single pool can hold a hanging file next to good ones:

    "pages:3:0.2"     three pages, 0.2 s each, beating as each starts; succeeds
    "hang:2"          beats pages 1 and 2, then sleeps without beating
    "grow:20"         beats a page for each 20 MB it holds on to, until stopped
    "crash:5"         beats pages 1 to 5, then dies of SIGSEGV
    "touch:/a/file"   creates /a/file (so a test knows it started), then sleeps
    "pid:0.5"         holds its worker 0.5 s (beating), then answers with the worker's pid
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from docket.core import heartbeat
from docket.core.ingest.jobs import JobResult
from docket.core.model.records import DocumentKind, ExtractedDocument, ExtractedPage

# Long enough that only being stopped ends these jobs within any test's wait.
SLEEP_SECONDS = 60.0
# What "grow" may hold before it gives up: far above any ceiling a test sets,
# far below what would trouble the machine if the pool failed to stop it.
GROW_LIMIT_MB = 1500


def scripted(path: str, password: str | None) -> JobResult:
    kind, _, argument = path.partition(":")
    if kind == "pages":
        count, seconds = argument.split(":")
        return paced_pages(int(count), float(seconds))
    if kind == "hang":
        return hang_after(int(argument))
    if kind == "grow":
        return grow(int(argument))
    if kind == "crash":
        return crash_after(int(argument))
    if kind == "touch":
        Path(argument).touch()
        time.sleep(SLEEP_SECONDS)
        return JobResult(None, "touch: slept to the end without being stopped")
    if kind == "pid":
        paced_pages(1, float(argument))
        return document_of([str(os.getpid())])
    raise ValueError(f"unknown scripted job: {path!r}")


def document_of(texts: list[str]) -> JobResult:
    pages = tuple(ExtractedPage(text, label=str(n)) for n, text in enumerate(texts, 1))
    return JobResult(ExtractedDocument(DocumentKind.TEXT, pages, title="scripted"), None)


def paced_pages(count: int, seconds_per_page: float) -> JobResult:
    """A slow file that keeps showing progress, as a long PDF does."""
    texts = []
    for page in range(1, count + 1):
        heartbeat.beat(page)  # as pdfextract does: as the page starts
        time.sleep(seconds_per_page)
        texts.append(f"page {page} of {count}")
    return document_of(texts)


def hang_after(last_page: int) -> JobResult:
    """PDFium looping inside page `last_page`: the beat stops."""
    for page in range(1, last_page + 1):
        heartbeat.beat(page)
    time.sleep(SLEEP_SECONDS)
    return JobResult(None, "hang: slept to the end without being stopped")


def grow(step_mb: int) -> JobResult:
    """A decompression bomb seen from outside: resident memory climbs page by page."""
    held: list[bytes] = []
    for page in range(1, GROW_LIMIT_MB // step_mb + 1):
        heartbeat.beat(page)  # still beating: only memory can stop this one
        held.append(b"x" * (step_mb * 2**20))  # written, so resident, unlike bytes(n)
        time.sleep(0.05)
    return JobResult(None, f"grow: held {len(held) * step_mb} MB without being stopped")


def crash_after(last_page: int) -> JobResult:
    """PDFium dereferencing garbage on page `last_page`."""
    for page in range(1, last_page + 1):
        heartbeat.beat(page)
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(SLEEP_SECONDS)  # the signal is delivered before this returns
    return JobResult(None, "crash: survived SIGSEGV")
