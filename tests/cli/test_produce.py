"""`docket produce`: a production set from the command line, its --json, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from docket.cli.output import EXIT_FAILURES, EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from tests.cli.runner import run
from tests.core.pdf_factory import qt_app, write_pdf


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    qt_app()
    sources = tmp_path / "sources"
    sources.mkdir()
    write_pdf(sources / "letter.pdf", ["Dear Sir.", "Yours."], title="Letter")
    (sources / "memo.txt").write_text("Memo: the witness list.\n")
    with Case.create(tmp_path / "case") as case:
        case.import_paths(sorted(sources.iterdir()), workers=0)
    return tmp_path / "case"


def test_produce_then_continue(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vol1"
    code, stdout, err = run(
        capsys,
        "produce",
        str(case_path),
        "--out",
        str(out),
        "--prefix",
        "ABC",
        "--doc",
        "Letter",
        "--doc",
        "memo.txt",
        "--legend",
        "CONFIDENTIAL",
        "--exhibits",
    )
    assert (code, err) == (EXIT_OK, "")
    assert f"produced 2 documents, 3 pages, ABC000001–ABC000003, to {out}" in stdout
    assert "ABC000001–ABC000002  Letter" in stdout
    text = " ".join(PdfReader(out / "ABC000003.pdf").pages[0].extract_text().split())
    assert "ABC000003" in text and "Exhibit 2" in text and "CONFIDENTIAL" in text
    code, stdout, err = run(
        capsys,
        "produce",
        str(case_path),
        "--out",
        str(tmp_path / "vol2"),
        "--prefix",
        "ABC",
        "--continue",
        "--doc",
        "Letter",
        "--json",
    )
    assert (code, err) == (EXIT_OK, "")
    found = json.loads(stdout)
    assert (found["first"], found["last"], found["pages"]) == ("ABC000004", "ABC000005", 2)
    assert found["documents"][0]["file"] == "ABC000004.pdf"
    code, stdout, _ = run(capsys, "search", str(case_path), "bates:[ABC000002 TO ABC000004]")
    assert code == EXIT_OK and "Bates number" in stdout


def test_bad_input_writes_nothing(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "vol1")
    args = ("produce", str(case_path), "--out", out, "--doc", "Letter")
    code, _, err = run(capsys, *args, "--prefix", "AB C")
    assert code == EXIT_USAGE and "cannot be stamped" in err
    code, _, err = run(capsys, "produce", str(case_path), "--out", out, "--prefix", "ABC")
    assert code == EXIT_USAGE and "--doc DOC" in err
    assert run(capsys, *args, "--prefix", "ABC")[0] == EXIT_OK
    code, _, err = run(capsys, *args, "--prefix", "ABC", "--start", "2")
    assert code == EXIT_FAILURES and "already has files" in err
    code, _, err = run(
        capsys,
        "produce",
        str(case_path),
        "--out",
        str(tmp_path / "vol2"),
        "--doc",
        "Letter",
        "--prefix",
        "ABC",
        "--start",
        "2",
    )
    assert code == EXIT_FAILURES and "would repeat" in err
    assert not (tmp_path / "vol2").exists()
