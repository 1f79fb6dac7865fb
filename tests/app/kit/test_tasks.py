"""Background work: results on the UI thread, latest wins, one writer, progress and cancel."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from docket.app.kit import tasks
from docket.app.kit.tasks import LatestWins, SerialExecutor, Task, run_in_thread
from docket.core.case import Case
from docket.core.errors import Cancelled, DocketError
from docket.core.ingest.pipeline import ImportReport
from docket.core.progress import CancelToken, Progress, ProgressCallback
from tests.core.case_factory import write_matter


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    """A test that leaves a worker running fails, rather than poisoning the next one."""
    yield
    assert tasks.wait_for_idle(5000), "background work still running after the test"


def test_result_comes_back_on_the_ui_thread(qtbot: QtBot) -> None:
    seen: dict[str, object] = {}

    def work(a: int, b: int) -> int:
        seen["worker"] = threading.current_thread()
        return a + b

    def done(result: object) -> None:
        seen["result"] = result
        seen["callback"] = threading.current_thread()

    run_in_thread(work, 2, 3, on_result=done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 5
    assert seen["callback"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()


def test_an_exception_goes_to_on_error(qtbot: QtBot) -> None:
    errors: list[BaseException] = []

    def broken() -> None:
        raise DocketError("the index is damaged")

    run_in_thread(
        broken, on_result=lambda _: pytest.fail("no result expected"), on_error=errors.append
    )
    qtbot.waitUntil(lambda: bool(errors))
    assert str(errors[0]) == "the index is damaged"


def test_nothing_is_delivered_to_a_deleted_context(qtbot: QtBot) -> None:
    gate = threading.Event()
    delivered: list[object] = []
    owner = QObject()
    job = run_in_thread(gate.wait, 5, on_result=delivered.append, context=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    gate.set()
    qtbot.waitUntil(lambda: job.done)
    assert delivered == []


def test_latest_wins_delivers_only_the_newest(qtbot: QtBot) -> None:
    latest = LatestWins()
    started: list[str] = []
    delivered: list[str] = []
    gate = threading.Event()

    def search(query: str) -> str:
        started.append(query)
        if query == "first":
            gate.wait(5)  # still running while the others are submitted
        return query

    for query in ("first", "second", "third", "fourth"):
        latest.submit(lambda q=query: search(q), delivered.append)  # type: ignore[misc]
    gate.set()
    qtbot.waitUntil(lambda: delivered == ["fourth"])
    qtbot.wait(100)
    assert delivered == ["fourth"]
    # "second" and "third" were replaced while waiting, so they never ran at all.
    assert started == ["first", "fourth"]
    assert not latest.busy


def test_latest_wins_cancel_drops_the_running_request(qtbot: QtBot) -> None:
    latest = LatestWins()
    delivered: list[object] = []
    gate = threading.Event()
    latest.submit(lambda: gate.wait(5), delivered.append)
    latest.cancel()
    gate.set()
    assert latest.wait(5000)
    qtbot.waitUntil(lambda: not latest.busy)
    assert delivered == []


def test_serial_executor_runs_in_order_on_one_thread(qtbot: QtBot) -> None:
    writer = SerialExecutor()
    order: list[int] = []
    threads: set[int] = set()
    done: list[int] = []

    def write(n: int) -> int:
        time.sleep(0.01 if n % 2 else 0)  # uneven work must not reorder anything
        order.append(n)
        threads.add(threading.get_ident())
        return n

    for n in range(8):
        writer.submit(write, n, on_result=done.append)
    qtbot.waitUntil(lambda: len(done) == 8)
    assert order == list(range(8)) and done == list(range(8))
    assert len(threads) == 1 and threading.get_ident() not in threads


def test_task_reports_progress_and_finishes(qtbot: QtBot) -> None:
    def work(progress: ProgressCallback, cancel: CancelToken) -> str:
        for done in range(1, 4):
            cancel.raise_if_cancelled()
            progress(Progress(done, 3, done * 10))
            time.sleep(0.06)  # slower than the progress throttle, so every step shows
        return "imported"

    task = Task(work)
    steps: list[tuple[int, int, int]] = []
    task.progressed.connect(lambda *step: steps.append(step))
    with qtbot.waitSignal(task.finished, timeout=5000) as finished:
        task.start()
    assert finished.args == ["imported"]
    assert steps[-1] == (3, 3, 30)
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)


def test_task_cancel_and_failure_become_signals(qtbot: QtBot) -> None:
    started = threading.Event()

    def endless(progress: ProgressCallback, cancel: CancelToken) -> None:
        started.set()
        while True:
            cancel.raise_if_cancelled()
            time.sleep(0.01)

    task = Task(endless)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.start()
        assert started.wait(5)
        task.cancel()

    def broken(progress: ProgressCallback, cancel: CancelToken) -> None:
        raise DocketError("damaged PDF")

    failing = Task(broken)
    with qtbot.waitSignal(failing.failed, timeout=5000) as failed:
        failing.start()
    assert failed.args == ["damaged PDF"]


def test_an_import_runs_as_a_task_on_the_writer(qtbot: QtBot, tmp_path: Path) -> None:
    matter = write_matter(tmp_path / "matter")
    case = Case.create(tmp_path / "case")
    try:
        writer = SerialExecutor()
        task = Task(
            lambda progress, cancel: case.import_paths(
                [matter], progress=progress, cancel=cancel, workers=0
            )
        )
        steps: list[tuple[int, int, int]] = []
        task.progressed.connect(lambda *step: steps.append(step))
        with qtbot.waitSignal(task.finished, timeout=30000) as finished:
            writer.start(task)
        report = finished.args[0]
        assert isinstance(report, ImportReport) and not report.cancelled
        assert report.pages == 6
        assert steps and steps[-1][:2] == (3, 3)
        assert len(case.documents()) == 3
    finally:
        assert tasks.wait_for_idle(5000)
        case.close()


def test_wait_for_idle_cancels_tasks_and_skips_reads_not_started(qtbot: QtBot) -> None:
    writer = SerialExecutor()
    started = threading.Event()

    def long_import(progress: ProgressCallback, cancel: CancelToken) -> None:
        started.set()
        while not cancel.cancelled:
            time.sleep(0.01)
        raise Cancelled("cancelled")

    writer.start(Task(long_import))
    written: list[int] = []
    writer.submit(written.append, 1)  # a write queued behind the import still happens
    assert started.wait(5)

    pool = tasks.default_pool()
    gate = threading.Event()
    ran: list[int] = []
    blockers = [run_in_thread(gate.wait, 5) for _ in range(pool.maxThreadCount())]
    skipped = run_in_thread(ran.append, 1)  # queued behind the blockers: never starts
    threading.Timer(0.2, gate.set).start()
    assert tasks.wait_for_idle(5000)
    assert written == [1]
    assert ran == []
    assert all(job.cancelled for job in [*blockers, skipped])
