"""The OCR pool: results as pages finish, a crash failing only its page, cancel."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

from docket.core.ocr.model import OcrPageRequest, OcrPageResult
from docket.core.ocr.pool import OcrPool, read_ahead
from docket.core.progress import CancelToken


def _requests(count: int) -> list[OcrPageRequest]:
    return [OcrPageRequest(7, page, "/nowhere.pdf", "pdf", "eng") for page in range(1, count + 1)]


def crashing_on_page_two(request: OcrPageRequest) -> OcrPageResult:
    """A job that dies the way a native crash does, on page 2 only."""
    if request.page == 2:
        os._exit(3)
    threads = os.environ.get("OMP_THREAD_LIMIT", "")
    return OcrPageResult(request.doc, request.page, request.languages, text=threads)


def slow(request: OcrPageRequest) -> OcrPageResult:
    time.sleep(0.4)
    return OcrPageResult(request.doc, request.page, request.languages, text="read")


def test_a_crash_fails_its_page_only_and_the_others_are_read() -> None:
    pool = OcrPool(2, job=crashing_on_page_two)

    results = {result.page: result for result in pool.read(_requests(4))}

    assert sorted(results) == [1, 2, 3, 4]
    assert results[2].failure is not None and "ended unexpectedly" in results[2].failure
    assert all(results[page].failure is None for page in (1, 3, 4))
    assert {results[page].text for page in (1, 3, 4)} == {"1"}  # Tesseract single-threaded
    assert pool.started_processes == 3  # the crashed worker was replaced


def page_one_then_stuck(request: OcrPageRequest) -> OcrPageResult:
    """Notes each page it starts (in the folder `path` names); only page 1 finishes."""
    (Path(request.path) / str(request.page)).touch()
    if request.page > 1:
        time.sleep(600)  # killed by the cancel long before
    return OcrPageResult(request.doc, request.page, request.languages, text="read")


def test_cancel_drops_the_pages_not_read(tmp_path: Path) -> None:
    cancel = CancelToken()
    got: list[OcrPageResult] = []
    requests = [OcrPageRequest(7, page, str(tmp_path), "pdf", "eng") for page in range(1, 9)]
    for result in OcrPool(1, job=page_one_then_stuck).read(requests, cancel):
        got.append(result)
        cancel.cancel()
    assert len(got) == 1 and got[0].failure is None
    # The worker reading page 2 was stopped, not waited for; no later page started.
    assert sorted(int(path.name) for path in tmp_path.iterdir()) in ([1], [1, 2])


def test_no_workers_reads_in_this_process() -> None:
    results = list(OcrPool(0, job=slow).read(_requests(2)))
    assert [result.page for result in results] == [1, 2]


def test_reading_ahead_stops_its_workers_when_the_caller_stops() -> None:
    results = read_ahead(OcrPool(2, job=slow), _requests(8))
    first = next(results)
    results.close()
    assert first.failure is None and first.text == "read"
    assert multiprocessing.active_children() == []
