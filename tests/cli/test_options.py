"""Every numeric option is checked: a bad number is exit 2 with a clear line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.cli.main import main
from docket.cli.output import EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from tests.cli.runner import run


def _usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Runs `docket ARGS…`, which must stop at its arguments; what it said on stderr."""
    with pytest.raises(SystemExit) as stopped:
        main(list(args))
    captured = capsys.readouterr()
    assert stopped.value.code == EXIT_USAGE
    assert "Traceback" not in captured.err and captured.out == ""
    return captured.err


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("-3", "expected a whole number from 1 to 64, not -3"),
        ("0", "expected a whole number from 1 to 64, not 0"),
        ("65", "expected a whole number from 1 to 64, not 65"),
        ("two", "expected a whole number from 1 to 64, not “two”"),
        ("1.5", "not “1.5”"),
    ],
)
def test_import_workers(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, said: str
) -> None:
    documents = tmp_path / "more"
    documents.mkdir()
    (documents / "note.txt").write_text("a note", encoding="utf-8")
    with Case.open(case_path, readonly=True) as case:
        before = len(case.documents())
    err = _usage_error(capsys, "import", str(case_path), str(documents), f"--workers={value}")
    assert "argument --workers" in err and said in err
    with Case.open(case_path, readonly=True) as case:
        assert len(case.documents()) == before  # nothing imported


@pytest.mark.parametrize("value", ["0", "-1", "lots", "100001"])
def test_search_limit(case_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    err = _usage_error(capsys, "search", str(case_path), "police", f"--limit={value}")
    assert "argument --limit: expected a whole number from 1 to 100000" in err


@pytest.mark.parametrize(
    ("option", "value"),
    [("--page", "0"), ("--page", "-2"), ("--occurrence", "0"), ("--occurrence", "x")],
)
def test_mark_page_and_occurrence(
    case_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    args = ["mark", str(case_path), "Complaint", "--quote", "police", "--page", "1"]
    if option == "--page":
        args = args[:-2]
    err = _usage_error(capsys, *args, f"{option}={value}")
    assert f"argument {option}: expected a whole number, 1 or more" in err
    with Case.open(case_path, readonly=True) as case:
        assert len(case.marking.marks()) == 8  # none added


def test_good_numbers_still_pass(case_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", str(case_path), "police", "--limit", " 1 ")
    assert code == EXIT_OK and out.startswith("2 results, showing 1")


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_ocr_workers(case_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    err = _usage_error(capsys, "ocr", str(case_path), f"--workers={value}")
    assert "argument --workers: expected a whole number from 1 to 64" in err
