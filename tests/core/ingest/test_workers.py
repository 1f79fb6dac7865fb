"""The extraction pool: workers judged by their heartbeat and memory, one file at a time.

The misbehaving jobs live in worker_jobs.py, where spawned workers can import
them; each test's pool runs `scripted`, which reads what to do from the path.
Waits are bounded (a broken pool fails a test instead of hanging it), but no
test asserts how fast anything is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from docket.core.case import Case
from docket.core.ingest import workers
from docket.core.ingest.jobs import JobResult
from docket.core.ingest.workers import ExtractionPool
from docket.core.model.records import ImportStatus
from tests.core.pdf_factory import write_pdf
from tests.core.processes import children_of, is_alive, spawned_workers, wait_until_gone
from tests.core.worker_jobs import scripted

ROOT = Path(__file__).resolve().parents[3]
# Generous: a bound for a broken pool, not a measure of a working one.
RESULT_SECONDS = 30.0
TOO_LARGE = "too large to process safely"


def text_of(result: JobResult) -> list[str]:
    assert result.document is not None, result.failure
    return [page.text for page in result.document.pages]


def results(futures: list[Future[JobResult]]) -> list[JobResult]:
    return [future.result(timeout=RESULT_SECONDS) for future in futures]


class ClosingPool(ExtractionPool):
    """A pool that remembers being shut down: shutting one down twice is not allowed."""

    closed = False

    def shutdown(self, cancel_pending: bool = False) -> None:
        self.closed = True
        super().shutdown(cancel_pending)


PoolFactory = Callable[..., ExtractionPool]


@pytest.fixture
def make_pool() -> Iterator[PoolFactory]:
    """Makes pools whose workers are ended even when a test fails half-way."""
    pools: list[ClosingPool] = []

    def make(workers: int, **options: Any) -> ExtractionPool:
        pools.append(ClosingPool(workers, **options))
        return pools[-1]

    yield make
    for pool in pools:
        if not pool.closed:
            pool.shutdown(cancel_pending=True)


def started(pool: ExtractionPool) -> ExtractionPool:
    """The pool once every worker has started and read a file, so that the hang tests
    time only the files they hand over (a start is timed apart: START_SECONDS)."""
    warm_ups = [pool.submit("pages:1:0.2", None) for _ in range(pool.workers)]
    assert all(result.failure is None for result in results(warm_ups))
    return pool


# -- hangs ------------------------------------------------------------------------------


def test_a_slow_worker_that_keeps_beating_is_never_stopped(make_pool: PoolFactory) -> None:
    pool = started(make_pool(1, hang_seconds=1, job=scripted))
    # Three seconds in all, three times the hang limit, but a beat every 0.2 s.
    result = pool.result(pool.submit("pages:15:0.2", None))
    pool.shutdown()
    assert result.failure is None
    assert text_of(result) == [f"page {n} of 15" for n in range(1, 16)]
    assert pool.started_processes == 1  # never replaced


def test_a_worker_slow_to_start_is_not_taken_for_a_hung_file(make_pool: PoolFactory) -> None:
    # Its job's module takes two seconds to import, twice the hang limit, before the
    # worker is ready; the file is timed from then, not from when it was handed over.
    from tests.core.slow_start_jobs import START_DELAY_SECONDS, slowly_started

    assert START_DELAY_SECONDS > 1
    pool = make_pool(1, hang_seconds=1, job=slowly_started)
    result = pool.result(pool.submit("pages:3:0.1", None))
    pool.shutdown()
    assert result.failure is None
    assert len(text_of(result)) == 3


def test_a_worker_never_ready_is_a_failed_start_not_a_damaged_file(
    make_pool: PoolFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.slow_start_jobs import START_DELAY_SECONDS, slowly_started

    monkeypatch.setattr(workers, "START_SECONDS", 1.0)  # the pool's side judges it
    assert START_DELAY_SECONDS > 1
    pool = make_pool(1, hang_seconds=30, job=slowly_started)
    result = pool.result(pool.submit("pages:1:0.1", None))
    pool.shutdown()
    assert result.failure == (
        "could not be read: the extraction process could not start "
        "(not ready after 1 s); Docket may need reinstalling"
    )


def test_a_hung_worker_is_stopped_and_its_file_names_the_page(make_pool: PoolFactory) -> None:
    pool = started(make_pool(2, hang_seconds=1, job=scripted))
    hung = pool.submit("hang:2", None)  # beats pages 1 and 2, then no more
    others = [pool.submit(f"pages:{n}:0.1", None) for n in (1, 2, 3)]

    result = hung.result(timeout=15)
    assert result.document is None
    assert result.failure is not None
    # beat(step) is called as a page starts: the last beat was page 2, so it hung there.
    assert "stopped responding while reading page 2" in result.failure
    assert [len(text_of(other)) for other in results(others)] == [1, 2, 3]
    pool.shutdown()  # joins the watching thread, so its count of processes is final
    assert pool.started_processes == 2 + 1  # the hung worker's replacement


# -- memory -----------------------------------------------------------------------------


def test_a_worker_past_the_memory_ceiling_fails_its_file_as_too_large(
    make_pool: PoolFactory,
) -> None:
    pool = make_pool(2, memory_ceiling_mb=300, job=scripted)
    growing = pool.submit("grow:20", None)  # holds 20 MB more at each page, still beating
    others = [pool.submit(f"pages:{n}:0.05", None) for n in (2, 3)]

    result = growing.result(timeout=RESULT_SECONDS)
    assert result.document is None
    assert result.failure is not None
    assert result.failure.startswith(TOO_LARGE), result.failure
    assert [len(text_of(other)) for other in results(others)] == [2, 3]
    pool.shutdown()
    assert pool.started_processes == 2 + 1


def write_pdf_bomb(path: Path, inflated_mb: int) -> Path:
    """A valid one-page PDF of ~1 MB whose content stream inflates to `inflated_mb` MB.

    The stream is text-showing operators, FlateDecoded; it is compressed a
    chunk at a time, so that only the compressed bytes are ever held here.
    """
    chunk = b"(bomb) Tj " * 6550 + b"\n"  # 64 KB
    compressor = zlib.compressobj(9)
    stream = [compressor.compress(b"BT /F1 12 Tf 72 720 Td\n")]
    stream += [compressor.compress(chunk) for _ in range(inflated_mb * 2**20 // len(chunk))]
    stream += [compressor.compress(b"ET\n"), compressor.flush()]
    content = b"".join(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)  # 20 bytes each
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(pdf)
    return path


@pytest.fixture(scope="module")
def pdf_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # PDFium needs about five times the inflated size to read it: over 3 GB for this one.
    return write_pdf_bomb(tmp_path_factory.mktemp("bomb") / "bomb.pdf", 600)


def test_the_bomb_writer_makes_a_pdf_that_reads_when_small(tmp_path: Path) -> None:
    # Otherwise the bomb tests could pass on a PDF that merely failed to open.
    small = write_pdf_bomb(tmp_path / "small.pdf", 1)
    pool = ExtractionPool(0)  # the default job, run_job, in this process
    result = pool.result(pool.submit(str(small), None))
    assert result.failure is None
    assert text_of(result)[0].startswith("bomb")


def test_a_pdf_decompression_bomb_is_too_large_and_spares_the_other_files(
    make_pool: PoolFactory, pdf_bomb: Path, tmp_path: Path
) -> None:
    normal = write_pdf(tmp_path / "normal.pdf", ["An ordinary exhibit", "Its second page"])
    pool = make_pool(2, memory_ceiling_mb=250)  # the default job, run_job
    bomb = pool.submit(str(pdf_bomb), None)
    ordinary = pool.submit(str(normal), None)

    result = bomb.result(timeout=RESULT_SECONDS)
    assert result.document is None
    assert result.failure is not None
    assert result.failure.startswith(TOO_LARGE), result.failure
    # The pool's own wording: the parent's watch sees the worker pass 250 MB
    # (measured at 260 to 310 MB) and stops it.
    assert "Reading page 1 needed more than 250 MB" in result.failure
    assert text_of(ordinary.result(timeout=RESULT_SECONDS)) == [
        "An ordinary exhibit",
        "Its second page",
    ]
    pool.shutdown()
    assert pool.started_processes == 2 + 1


# -- crashes ----------------------------------------------------------------------------


def test_a_crash_fails_only_its_own_file_and_the_worker_is_replaced(make_pool: PoolFactory) -> None:
    pool = make_pool(2, job=scripted)
    # Two files that each hold a worker for a while land on both workers at once.
    before = {text_of(r)[0] for r in results([pool.submit("pid:0.5", None) for _ in range(2)])}
    assert len(before) == 2

    crash = pool.submit("crash:5", None)  # SIGSEGV after beating page 5
    others = [pool.submit(f"pages:{n}:0.05", None) for n in (1, 2, 3)]
    result = crash.result(timeout=RESULT_SECONDS)
    assert result.document is None
    assert result.failure == "damaged PDF: the PDF engine crashed while reading page 5"
    assert [len(text_of(other)) for other in results(others)] == [1, 2, 3]

    after = {text_of(r)[0] for r in results([pool.submit("pid:0.5", None) for _ in range(2)])}
    assert len(after) == 2  # still two live workers
    assert len(before & after) == 1  # the survivor, beside the crashed one's replacement
    (crashed,) = before - after
    assert not is_alive(int(crashed))
    pool.shutdown()
    assert pool.started_processes == 2 + 1


# -- no orphans -------------------------------------------------------------------------

# A process that runs a pool, says when its workers are in place, then waits to be killed.
POOL_SCRIPT = """
import sys, time
from docket.core.ingest.workers import ExtractionPool
from tests.core.worker_jobs import scripted

pool = ExtractionPool(2, job=scripted)
futures = {path: pool.submit(path, None) for path in sys.argv[1:]}
for path, future in futures.items():
    if path.startswith("pid:"):
        future.result(30)  # each worker has read a file, and is now idle
print("ready", flush=True)
time.sleep(120)
"""


def workers_of_a_killed_pool(paths: list[str], started: list[Path]) -> tuple[set[int], set[int]]:
    """Runs POOL_SCRIPT on `paths`, kills it with SIGKILL once every `started` file exists,
    and returns its children before the kill and those still alive 10 s after it."""
    process = subprocess.Popen(
        [sys.executable, "-c", POOL_SCRIPT, *paths],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that the cleanup below reaches any orphan
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        deadline = time.monotonic() + RESULT_SECONDS
        while not all(path.exists() for path in started) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(path.exists() for path in started)
        children = children_of(process.pid)
        assert len(spawned_workers(process.pid)) == 2
        process.kill()  # SIGKILL: no cleanup of any kind runs in the pool's process
        process.wait()
        return children, wait_until_gone(children, seconds=10)
    finally:
        if process.poll() is None:
            process.kill()
        # Anything left in the session (a surviving worker) must not outlive the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_busy_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    started = [tmp_path / "started-1", tmp_path / "started-2"]
    children, survivors = workers_of_a_killed_pool([f"touch:{p}" for p in started], started)
    assert len(children) >= 2  # the two workers, and spawn's resource tracker
    assert survivors == set()


def test_idle_workers_end_when_their_parent_is_killed() -> None:
    # Two files that hold a worker each, so that both workers are up before they idle.
    children, survivors = workers_of_a_killed_pool(["pid:0.3", "pid:0.4"], [])
    assert len(children) >= 2
    assert survivors == set()


# -- in-process, and shutting down ----------------------------------------------------


def test_no_workers_runs_the_job_in_this_process() -> None:
    pool = ExtractionPool(0, job=scripted)
    future = pool.submit("pid:0", None)
    assert future.done()  # answered before submit returned
    assert text_of(pool.result(future)) == [str(os.getpid())]
    pool.shutdown()
    assert pool.started_processes == 0


def test_shutdown_with_cancel_ends_running_and_queued_files_promptly(
    make_pool: PoolFactory,
) -> None:
    before = spawned_workers(os.getpid())
    pool = make_pool(2, job=scripted)
    running = [pool.submit("hang:1", None) for _ in range(2)]  # would sleep 60 s
    queued = [pool.submit("pages:1:0", None) for _ in range(3)]
    deadline = time.monotonic() + RESULT_SECONDS
    while not all(future.running() for future in running) and time.monotonic() < deadline:
        time.sleep(0.05)
    pool_workers = spawned_workers(os.getpid()) - before
    assert len(pool_workers) == 2

    started = time.monotonic()
    pool.shutdown(cancel_pending=True)
    assert time.monotonic() - started < 10
    assert [future.result(timeout=0).failure for future in running] == ["import cancelled"] * 2
    assert all(future.cancelled() for future in queued)
    assert not any(is_alive(pid) for pid in pool_workers)


# -- through the importer ---------------------------------------------------------------


def test_an_import_fails_a_pdf_bomb_as_too_large_and_imports_the_rest(
    pdf_bomb: Path, tmp_path: Path
) -> None:
    # Case.import_paths takes a number of workers but no memory ceiling, so this runs at
    # the default ceiling (MEMORY_CEILING_MB); the bomb needs several times that.
    folder = tmp_path / "exhibits"
    folder.mkdir()
    write_pdf(folder / "statement.pdf", ["The witness saw the police at the square."])
    shutil.copy(pdf_bomb, folder / "bomb.pdf")
    with Case.create(tmp_path / "case") as case:
        report = case.import_paths([folder], workers=2)
        by_name = {Path(outcome.path).name: outcome for outcome in report.outcomes}
        assert by_name["statement.pdf"].status is ImportStatus.IMPORTED
        assert by_name["bomb.pdf"].status is ImportStatus.FAILED
        assert by_name["bomb.pdf"].reason is not None
        assert by_name["bomb.pdf"].reason.startswith(TOO_LARGE), by_name["bomb.pdf"].reason
        assert [document.id for document in case.documents()] == [by_name["statement.pdf"].doc]
        assert case.search("witness").total == 1


# -- a broken install --------------------------------------------------------------------


def test_workers_that_cannot_start_fail_the_files_instead_of_respawning_forever(
    make_pool: PoolFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.worker_jobs_unstartable import never_runs

    monkeypatch.setenv("DOCKET_TEST_UNSTARTABLE", "1")  # inherited by the spawned workers
    pool = make_pool(2, job=never_runs)
    outcomes = results([pool.submit(f"file-{n}", None) for n in range(6)])
    assert all(outcome.document is None for outcome in outcomes)
    assert all("could not start" in (outcome.failure or "") for outcome in outcomes)
    late = pool.submit("file-late", None).result(timeout=RESULT_SECONDS)
    assert late.failure is not None and "could not start" in late.failure
    pool.shutdown()
    assert pool.started_processes <= 2 + 3  # gave up after a few, did not spin


def test_a_worker_is_replaced_after_reading_its_share_of_pages(
    make_pool: PoolFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QtPdf keeps a little of every document it reads; a fresh worker sheds it.
    from docket.core.ingest import workers

    monkeypatch.setattr(workers, "RETIRE_AFTER_PAGES", 2)
    pool = make_pool(1, job=scripted)
    pids = [text_of(pool.submit("pid:0", None).result(timeout=RESULT_SECONDS))[0] for _ in range(3)]
    assert pids[0] == pids[1] != pids[2]  # one page each: retired after the second
    pool.shutdown()
    assert pool.started_processes == 2
