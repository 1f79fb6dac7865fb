"""Reading commands on a case an older Docket wrote: upgraded first, or refused while it is open."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from docket.cli.output import EXIT_CASE, EXIT_OK
from docket.core.storage.folder import CaseLock, existing_case
from docket.core.storage.schema import SCHEMA_VERSION
from tests.cli.runner import run
from tests.core.test_schema import (
    _downgrade_to_version_2,
    _downgrade_to_version_3,
    _downgrade_to_version_4,
    _downgrade_to_version_5,
)

DOWNGRADES: dict[int, Callable[[Path], None]] = {
    2: _downgrade_to_version_2,
    3: _downgrade_to_version_3,
    4: _downgrade_to_version_4,
    5: _downgrade_to_version_5,
}


def _version(case_path: Path) -> int:
    connection = sqlite3.connect(case_path / "case.sqlite")
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.parametrize("version", sorted(DOWNGRADES))
def test_reading_commands_upgrade_an_older_case_first(
    case_path: Path, capsys: pytest.CaptureFixture[str], version: int
) -> None:
    code, out, err = run(capsys, "marks", str(case_path), "--json")
    assert (code, err) == (EXIT_OK, "")
    marks_before = {mark["id"] for mark in json.loads(out)}
    DOWNGRADES[version](case_path / "case.sqlite")
    assert _version(case_path) == version

    code, out, err = run(capsys, "list", str(case_path), "--json")
    assert code == EXIT_OK, err
    assert "Complaint" in {document["title"] for document in json.loads(out)}
    assert _version(case_path) == SCHEMA_VERSION  # the same migration a writable open makes

    code, out, err = run(capsys, "marks", str(case_path), "--json")
    assert code == EXIT_OK, err
    assert {mark["id"] for mark in json.loads(out)} == marks_before
    code, out, err = run(capsys, "search", str(case_path), "police")
    assert code == EXIT_OK, err
    assert "Complaint" in out
    code, out, err = run(capsys, "history", str(case_path))
    assert code == EXIT_OK, err


def test_an_older_case_open_in_another_program_is_refused_as_it_was(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _downgrade_to_version_4(case_path / "case.sqlite")
    older_docket = CaseLock(existing_case(case_path))  # what an older Docket holds while open
    older_docket.acquire()
    try:
        for command in ("list", "marks", "search", "history"):
            args = [command, str(case_path)] + (["police"] if command == "search" else [])
            code, out, err = run(capsys, *args)
            assert code == EXIT_CASE, command
            assert out == ""
            assert "written by an older Docket and is open in another program" in err
            assert "close it there first" in err
    finally:
        older_docket.release()
    assert _version(case_path) == 4  # left as it was

    code, out, err = run(capsys, "marks", str(case_path))
    assert (code, err) == (EXIT_OK, "")
    assert _version(case_path) == SCHEMA_VERSION
