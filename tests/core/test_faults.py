"""Faults: a kill during import, and a lost index."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from docket.core.case import Case
from tests.core.case_factory import write_many_pdfs, write_matter
from tests.core.processes import children_of, spawned_workers, wait_until_gone


def start_import(case_path: Path, folder: Path) -> subprocess.Popen[str]:
    """`docket import` with two workers, in a session of its own (killpg reaches it all)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "docket.cli.main",
            "import",
            str(case_path),
            str(folder),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        start_new_session=True,
    )


def read_imports(process: subprocess.Popen[str], count: int) -> int:
    """Reads the import's output until `count` files are imported (or a minute passes)."""
    assert process.stdout is not None
    imported = 0
    deadline = time.monotonic() + 60
    while imported < count and time.monotonic() < deadline:
        if process.stdout.readline().startswith("imported:"):
            imported += 1
    return imported


def import_forty_exhibits(tmp_path: Path) -> tuple[Path, Path, subprocess.Popen[str]]:
    """A new case, a folder of 40 four-page PDFs, and `docket import` running on them."""
    case_path = tmp_path / "case"
    Case.create(case_path).close()
    folder = tmp_path / "exhibits"
    write_many_pdfs(folder, 40, pages_each=4)
    return case_path, folder, start_import(case_path, folder)


def test_sigkill_during_import_leaves_whole_documents_and_resumes(tmp_path: Path) -> None:
    case_path, folder, process = import_forty_exhibits(tmp_path)
    imported = read_imports(process, 5)
    workers = spawned_workers(process.pid)
    children = children_of(process.pid)  # the workers, and spawn's resource tracker
    os.killpg(process.pid, signal.SIGKILL)  # the importer and its workers, mid-way
    process.wait()
    assert imported == 5
    assert len(workers) == 2
    assert wait_until_gone(children, seconds=10) == set()

    with Case.open(case_path) as case:  # opens; catches the index up
        stored = case.documents()
        assert 5 <= len(stored) < 40
        assert all(len(case.pages(d.id)) == d.page_count == 4 for d in stored)
        assert case.verify().ok, case.verify().problems
        report = case.import_paths([folder])
        assert report.count("imported") == 40 - len(stored)
        assert report.count("duplicate") == len(stored)
        assert len(case.documents()) == 40
        assert case.search("witness").total == 160
        assert case.verify().ok


def test_workers_end_when_only_the_import_process_is_killed(tmp_path: Path) -> None:
    # Unlike killpg above, only the importer gets SIGKILL: its workers must end by
    # themselves (PR_SET_PDEATHSIG) rather than read on as orphans.
    *_, process = import_forty_exhibits(tmp_path)
    try:
        assert read_imports(process, 1) == 1
        workers = spawned_workers(process.pid)
        children = children_of(process.pid)
        process.kill()
        process.wait()
        assert len(workers) == 2
        assert wait_until_gone(children, seconds=10) == set()
    finally:
        # Whatever survived must not outlive the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_deleting_the_index_loses_nothing(tmp_path: Path) -> None:
    queries = [
        "police",
        '"police fired"~5',
        "tortur*",
        "Nazarbaev~",
        "Zhanaozen",
        "firing NOT deposition",
        "title:complaint",
    ]
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")])
        before = [case.search(query) for query in queries]
    shutil.rmtree(tmp_path / "case" / "index")
    with Case.open(tmp_path / "case") as case:
        assert case.verify().ok
        assert [case.search(query) for query in queries] == before
    assert sum(result.total for result in before) >= len(queries)
