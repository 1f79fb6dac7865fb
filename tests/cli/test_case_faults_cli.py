"""Every command on a damaged case.sqlite, or a case from a newer Docket: exit 3 and one
clear line on stderr, never a traceback (README: exit status)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from docket.core.storage.schema import SCHEMA_VERSION
from tests.cli.runner import run
from tests.core.test_damaged_case import garble_table, truncate

COMMANDS = {
    "list": ["list", "{case}"],
    "list --json": ["list", "{case}", "--json"],
    "search": ["search", "{case}", "police"],
    "verify": ["verify", "{case}"],
    "marks": ["marks", "{case}"],
    "export": ["export", "{case}", "--format", "md", "--out", "{out}"],
    "open": ["open", "{case}"],
    "reindex": ["reindex", "{case}"],
    "tag": ["tag", "{case}", "1", "Issue/New"],
    "archive": ["archive", "{case}", "{zip}"],
    "text": ["text", "{case}", "1"],
    "mark": ["mark", "{case}", "1", "--page", "1", "--quote", "police"],
}


def command(name: str, case: Path, tmp_path: Path) -> list[str]:
    out, zip_path = tmp_path / "report.md", tmp_path / "case.zip"
    return [part.format(case=case, out=out, zip=zip_path) for part in COMMANDS[name]]


def assert_damage_answer(code: int, out: str, err: str, case: Path) -> None:
    assert code == 3, (out, err)
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("docket: ")]
    assert len(lines) == 1 and len(err.splitlines()) == 1, err
    # What SQLite said: "database disk image is malformed" where a read met the
    # damage, what its integrity check found where the damage was looked for.
    assert lines[0].startswith("docket: the case database is damaged: "), err
    assert lines[0].endswith(f" — `docket recover {case}` can save what is left"), err


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_truncated_database_is_exit_3_from_every_command(
    name: str, case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truncate(case_path / "case.sqlite")
    code, out, err = run(capsys, *command(name, case_path, tmp_path))
    assert_damage_answer(code, out, err, case_path)
    assert not (tmp_path / "case.zip").exists()


@pytest.mark.parametrize("name", ["search", "verify", "marks", "export", "open", "archive"])
def test_garbage_in_the_marks_is_exit_3_from_the_commands_that_read_them(
    name: str, case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garble_table(case_path / "case.sqlite", "marks")
    code, out, err = run(capsys, *command(name, case_path, tmp_path))
    assert_damage_answer(code, out, err, case_path)


def test_verify_names_what_sqlite_found(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garble_table(case_path / "case.sqlite", "pages")
    code, out, err = run(capsys, "verify", str(case_path))
    assert code == 3
    assert out.startswith("problem: case.sqlite: ")
    assert "`docket recover" in err


def test_a_damaged_case_in_a_real_process(case_path: Path) -> None:
    """As a script sees it: the exit status and one line, from a real process."""
    garble_table(case_path / "case.sqlite", "marks")
    finished = subprocess.run(
        [sys.executable, "-m", "docket.cli.main", "marks", str(case_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 3
    assert finished.stderr.startswith("docket: the case database is damaged")
    assert "Traceback" not in finished.stderr


@pytest.mark.parametrize("name", ["list", "search", "verify", "marks", "export", "tag"])
def test_a_case_from_a_newer_docket_is_refused(
    name: str, case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(case_path / "case.sqlite")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    code, out, err = run(capsys, *command(name, case_path, tmp_path))
    assert code == 3
    assert out == ""
    assert err == (
        f"docket: this case was written by a newer Docket (schema {SCHEMA_VERSION + 1}, "
        f"this program knows up to {SCHEMA_VERSION}); update Docket to open it\n"
    )
