"""`docket archive` and `docket restore`, run as a user runs them: lines and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from docket.cli.main import main
from docket.cli.output import EXIT_CASE, EXIT_FAILURES, EXIT_OK
from tests.core.case_factory import write_matter


@pytest.fixture
def matter_case(tmp_path: Path) -> Path:
    case = tmp_path / "case"
    assert main(["new", str(case)]) == EXIT_OK
    assert main(["import", str(case), str(write_matter(tmp_path / "matter")), "--quiet"]) == 0
    return case


def docket(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run(
        [sys.executable, "-m", "docket", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_archive_then_restore_prints_what_was_written(
    matter_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "case.zip"
    capsys.readouterr()
    assert main(["archive", str(matter_case), str(out)]) == EXIT_OK
    line = capsys.readouterr().out.strip()
    assert line.startswith("archived 3 documents (4 files, ") and str(out) in line
    assert line.endswith(" s") and zipfile.is_zipfile(out)

    restored = tmp_path / "restored"
    assert main(["restore", str(out), str(restored)]) == EXIT_OK
    line = capsys.readouterr().out.strip()
    assert line.startswith("restored 3 documents (4 files, 6 pages, index rebuilt)")
    assert str(restored) in line

    assert main(["search", str(restored), "police", "--json"]) == EXIT_OK
    found = json.loads(capsys.readouterr().out)
    assert main(["search", str(matter_case), "police", "--json"]) == EXIT_OK
    assert found == json.loads(capsys.readouterr().out) and found["total"] > 0
    assert main(["verify", str(restored)]) == EXIT_OK


def test_archive_errors_are_one_line_and_an_exit_code(
    matter_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive", str(tmp_path / "nowhere"), str(tmp_path / "x.zip")]) == EXIT_CASE
    assert capsys.readouterr().err.startswith("docket: no case at ")
    out = tmp_path / "taken.zip"
    out.write_bytes(b"keep me")
    assert main(["archive", str(matter_case), str(out)]) == EXIT_FAILURES
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err
    assert out.read_bytes() == b"keep me"
    assert main(["archive", str(matter_case), str(out), "--force"]) == EXIT_OK
    assert zipfile.is_zipfile(out)


def test_restore_refusals(
    matter_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("just text", encoding="utf-8")
    assert main(["restore", str(not_zip), str(tmp_path / "r")]) == EXIT_FAILURES
    assert "is not a zip file" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()

    out = tmp_path / "case.zip"
    assert main(["archive", str(matter_case), str(out)]) == EXIT_OK
    assert main(["restore", str(out), str(matter_case)]) == EXIT_CASE  # not empty
    assert "not empty" in capsys.readouterr().err


def test_a_hostile_zip_is_refused_in_a_real_process(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../evil", b"x")
        archive.writestr("case.sqlite", b"")
        archive.writestr("manifest.json", b"{}")
    result = docket("restore", str(hostile), str(tmp_path / "restored"))
    assert result.returncode == EXIT_FAILURES
    assert result.stderr == (
        "docket: refusing hostile.zip: entry '../evil' has an empty, "
        "'.' or '..' path component; nothing was restored\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.zip"]
