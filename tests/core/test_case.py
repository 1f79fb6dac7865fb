"""The case folder: creation, the one-writer lock, schema versions, verification."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import CaseError, CaseLockedError
from docket.core.storage.schema import SCHEMA_VERSION
from tests.core.case_factory import write_matter


def test_new_case_has_the_documented_layout(tmp_path: Path) -> None:
    with Case.create(tmp_path / "My Case") as case:
        root = case.path
    assert (root / "case.sqlite").is_file()
    assert (root / "files").is_dir() and (root / "index").is_dir()
    assert (root / "exports").is_dir()
    connection = sqlite3.connect(root / "case.sqlite")
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_refuses_to_create_a_case_in_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(CaseError, match="not empty"):
        Case.create(tmp_path / "busy")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


def test_opening_something_that_is_not_a_case_says_so(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="does not exist"):
        Case.open(tmp_path / "nowhere")
    with pytest.raises(CaseError, match="not a Docket case"):
        Case.open(tmp_path)


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "case"
    Case.create(path).close()
    with Case.open(path):
        script = (
            "import sys; from docket.core.case import Case\n"
            "try:\n    Case.open(sys.argv[1])\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n"
        )
        other = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
        )
        assert other.stdout.startswith("CaseLockedError")
        assert "open in another Docket" in other.stdout
        with pytest.raises(CaseLockedError):
            Case.open(path)
        with Case.open(path, readonly=True) as reader:  # readers are welcome
            assert reader.documents() == []
    Case.open(path).close()  # the lock went with the first writer


def test_a_case_from_a_newer_docket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case"
    Case.create(path).close()
    connection = sqlite3.connect(path / "case.sqlite")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(CaseError, match="newer Docket"):
        Case.open(path)


def test_verify_finds_a_changed_original(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        assert case.verify().ok
        original = case.original_path(1)
    original.chmod(0o644)
    original.write_bytes(original.read_bytes() + b"tampered")
    with Case.open(tmp_path / "case", readonly=True) as case:
        report = case.verify()
    assert not report.ok
    assert any("hash mismatch" in problem for problem in report.problems)
