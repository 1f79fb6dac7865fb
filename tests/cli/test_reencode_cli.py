"""`docket reencode` and the encoding notes of `docket import` and `docket list --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import run
from tests.core.ingest.test_encoding import RUSSIAN


def test_guessed_encoding_on_the_import_line_and_in_list_then_reencode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "note.txt"
    source.write_bytes("Witness: Петров.\n".encode("koi8-r"))
    case = str(tmp_path / "case")
    assert run(capsys, "new", case)[0] == 0
    code, out, _ = run(capsys, "import", case, str(source), "--json", "-q")
    assert code == 0 and "encoding guessed: " in json.loads(out)["reason"]
    listed = json.loads(run(capsys, "list", case, "--json")[1])[0]
    assert listed["flags"] == ["encoding-guessed"]
    assert listed["notes"] == [f"encoding guessed: {listed['encoding']}"]

    code, out, _ = run(capsys, "reencode", case, "1", "koi8-r", "--json")
    assert code == 0 and json.loads(out)["encoding"] == "koi8-r"
    listed = json.loads(run(capsys, "list", case, "--json")[1])[0]
    assert (listed["encoding"], listed["flags"], listed["notes"]) == ("koi8-r", [], [])
    assert run(capsys, "text", case, "1")[1].endswith("Witness: Петров.\n\n")


def test_reencode_to_an_encoding_that_does_not_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "minutes.txt"
    source.write_bytes((RUSSIAN * 2).encode("cp1251"))
    case = str(tmp_path / "case")
    run(capsys, "new", case)
    run(capsys, "import", case, str(source), "-q")
    code, _, err = run(capsys, "reencode", case, "1", "utf-8")
    assert code == 1
    assert "not valid utf-8" in err and "the case is unchanged" in err
    assert run(capsys, "text", case, "1")[1].count("Протокол") == 2
    code, _, err = run(capsys, "reencode", case, "7", "cp1251")
    assert code == 2 and "no document 7" in err


def test_reencode_refuses_a_pdf(case_path: Path, capsys: pytest.CaptureFixture[str]):
    listed = json.loads(run(capsys, "list", str(case_path), "--json")[1])
    pdf = next(d for d in listed if d["type"] == "pdf")
    code, _, err = run(capsys, "reencode", str(case_path), str(pdf["doc"]), "cp1251")
    assert code == 1 and "not a text file" in err and "unchanged" in err
