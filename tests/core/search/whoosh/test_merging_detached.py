"""The background merge as a process of its own (issue 16 follow-up): `docket import`
returns while it runs, `docket reindex CASE --merge` does it now or says another
runs, and a merge killed midway leaves a searchable index that the next completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as windex

from docket.core.case import Case
from docket.core.search import feed
from docket.core.search.whoosh import index as index_module
from docket.core.search.whoosh import merging
from tests.cli.runner import run

DOCUMENTS = 6  # a commit each: six segments, more than MIN_SMALL_SEGMENTS
QUERIES = ['"police fired"', "witness", "strikers AND NOT square", "statem*"]
PATIENCE_S = 120  # how long a step may take on a busy machine before the test fails


def _write_documents(folder: Path) -> Path:
    folder.mkdir()
    for n in range(DOCUMENTS):
        (folder / f"statement{n}.txt").write_text(
            f"Statement {n}. The police fired on the strikers in the square; witness {n}.\n"
            + ("The crowd ran. " * n)
        )
    return folder


def segment_count(index_dir: Path) -> int:
    ix = windex.open_dir(str(index_dir))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def _searches(capsys: pytest.CaptureFixture[str], case: Path) -> list[str]:
    """What `docket search` prints for each query: totals, order, snippets."""
    found = []
    for query in QUERIES:
        code, out, _ = run(capsys, "search", str(case), query)
        assert code == 0
        found.append(out)
    return found


def make_unmerged_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case whose import left DOCUMENTS segments, none merged yet."""
    with monkeypatch.context() as patch:
        patch.setattr(feed, "COMMIT_EVERY_PAGES", 1)  # a commit, so a segment, a document
        patch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)  # commits merge none
        patch.setattr(merging, "start_merge", lambda index_dir, done: None)  # the test's to do
        with Case.create(tmp_path / "case") as case:
            case.import_paths([_write_documents(tmp_path / "documents")])
    assert segment_count(tmp_path / "case" / "index") == DOCUMENTS
    return tmp_path / "case"


@pytest.fixture
def unmerged_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_unmerged_case(tmp_path, monkeypatch)


@pytest.fixture
def blocked_merge(unmerged_case: Path) -> Iterator[tuple[subprocess.Popen[bytes], object]]:
    """`docket reindex CASE --merge` in a process of its own, stopped where it swaps
    its merged segment in: the test holds Whoosh's write lock, as a writer would."""
    ix = windex.open_dir(str(unmerged_case / "index"))
    write_lock = ix.lock(merging.WRITE_LOCK)
    assert write_lock.acquire()
    process = subprocess.Popen(
        [sys.executable, "-m", "docket", "reindex", str(unmerged_case), "--merge"],
        stdout=subprocess.PIPE,
    )
    try:
        merged_folder = unmerged_case / "index" / merging.MERGE_FOLDER
        deadline = time.monotonic() + PATIENCE_S
        # Written, waiting for the lock: the merged segment's file is in merging/.
        while not (merged_folder.is_dir() and any(merged_folder.glob("*.seg"))):
            assert process.poll() is None, "the merge ended before it could swap"
            assert time.monotonic() < deadline, "the merge wrote no segment"
            time.sleep(0.05)
        yield process, write_lock
    finally:
        if write_lock.fd is not None:  # not released by the test
            write_lock.release()
        if process.poll() is None:
            process.kill()
        process.wait()
        ix.close()


# A `docket import` in a process of its own, with the test's small commits. Its merge
# command waits for a gate file first, so the test sees whether the import waited for
# it; it records its session and, when done, its exit code.
IMPORT_SCRIPT = """
import os, sys, time
from docket.cli.main import main
from docket.core.search import feed
from docket.core.search.whoosh import index as index_module, merging

feed.COMMIT_EVERY_PAGES = 1
index_module.SMALL_SEGMENT_RECORDS = 1
gate, report = sys.argv[1], sys.argv[2]
command = merging.merge_command
WRAPPER = '''
import os, subprocess, sys, time
gate, report = sys.argv[1], sys.argv[2]
with open(report + ".session", "w") as f:
    f.write(str(os.getsid(0)))
while not os.path.exists(gate):
    time.sleep(0.05)
code = subprocess.call(sys.argv[3:])
with open(report, "w") as f:
    f.write(str(code))
'''
merging.merge_command = lambda case_dir: [
    sys.executable, "-c", WRAPPER, gate, report, *command(case_dir)
]
sys.exit(main(sys.argv[3:]))
"""


def test_import_returns_while_its_merge_runs_and_the_merge_changes_no_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = _write_documents(tmp_path / "documents")
    case = tmp_path / "case"
    assert run(capsys, "new", str(case))[0] == 0
    gate, report = tmp_path / "gate", tmp_path / "merge-exit"
    import_args = ["import", str(case), str(documents), "--no-ocr"]

    imported = subprocess.run(
        [*[sys.executable, "-c", IMPORT_SCRIPT, str(gate), str(report)], *import_args],
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,  # an import waiting for its merge would wait for the gate
    )

    assert imported.returncode == 0, imported.stderr
    assert "merging the index's segments in the background; searches work meanwhile" in (
        imported.stderr
    )
    assert f"docket reindex {case} --merge does it now" in imported.stderr
    assert not report.exists()  # the merge has not run: the import did not wait
    session = Path(f"{report}.session")
    deadline = time.monotonic() + PATIENCE_S
    while not session.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert int(session.read_text() or 0) != os.getsid(0)  # its own session: no Ctrl+C
    assert segment_count(case / "index") == DOCUMENTS
    before = _searches(capsys, case)

    gate.touch()
    while not report.exists() or not report.read_text():
        assert time.monotonic() < deadline + PATIENCE_S, "the merge did not finish"
        time.sleep(0.05)

    assert report.read_text() == "0"
    assert segment_count(case / "index") == 1
    assert not merging.needs_merge(case / "index")
    assert _searches(capsys, case) == before
    assert not (case / "index" / merging.MERGE_FOLDER).exists()


def test_reindex_merge_merges_now_then_finds_nothing_to_merge(
    unmerged_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _searches(capsys, unmerged_case)

    code, out, _ = run(capsys, "reindex", str(unmerged_case), "--merge")
    assert code == 0
    assert out.startswith(f"merged {DOCUMENTS} segments into 1 in ")
    assert segment_count(unmerged_case / "index") == 1
    assert _searches(capsys, unmerged_case) == before

    assert run(capsys, "reindex", str(unmerged_case), "--merge") == (0, "nothing to merge\n", "")
    assert run(capsys, "reindex", str(unmerged_case), "--merge", "--quiet") == (0, "", "")


def test_a_second_merge_while_one_runs_says_so_and_the_first_completes(
    unmerged_case: Path,
    blocked_merge: tuple[subprocess.Popen[bytes], object],
    capsys: pytest.CaptureFixture[str],
) -> None:
    process, write_lock = blocked_merge

    code, out, _ = run(capsys, "reindex", str(unmerged_case), "--merge")
    assert (code, out) == (0, "a merge is already running for this case\n")

    write_lock.release()  # type: ignore[attr-defined]
    out_bytes, _ = process.communicate(timeout=PATIENCE_S)
    assert process.returncode == 0
    assert out_bytes.decode().startswith(f"merged {DOCUMENTS} segments into 1 in ")
    assert segment_count(unmerged_case / "index") == 1


def test_a_merge_killed_midway_leaves_a_searchable_index_the_next_merge_completes(
    unmerged_case: Path,
    blocked_merge: tuple[subprocess.Popen[bytes], object],
    capsys: pytest.CaptureFixture[str],
) -> None:
    process, write_lock = blocked_merge
    before = _searches(capsys, unmerged_case)  # searches go on while it merges

    # Its merged segment written, its swap waiting: the machine shuts down.
    process.send_signal(signal.SIGKILL)
    process.wait()
    write_lock.release()  # type: ignore[attr-defined]

    assert segment_count(unmerged_case / "index") == DOCUMENTS  # as it was
    assert any((unmerged_case / "index" / merging.MERGE_FOLDER).glob("*.seg"))  # leftovers
    assert _searches(capsys, unmerged_case) == before
    assert merging.needs_merge(unmerged_case / "index")

    code, out, _ = run(capsys, "reindex", str(unmerged_case), "--merge")

    assert code == 0
    assert out.startswith(f"merged {DOCUMENTS} segments into 1 in ")
    assert not (unmerged_case / "index" / merging.MERGE_FOLDER).exists()
    assert segment_count(unmerged_case / "index") == 1
    assert _searches(capsys, unmerged_case) == before
