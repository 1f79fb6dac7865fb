"""`docket redact`, `docket reasons`, a redacted production and the privilege log, as a
script runs them: output, JSON, exit codes, the case left as it was on bad input."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from docket.cli.output import EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from tests.cli.runner import run


def _marks(case_path: Path) -> int:
    with Case.open(case_path, readonly=True) as case:
        return len(case.marking.marks())


def test_redact_words_and_a_box_then_produce_them_burned_in(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "redact",
        str(case_path),
        "Complaint",
        "--quote",
        "1,500,000 tenge",
        "--reason",
        "conf",
        "--tag",
        "Privilege/Work Product",
        "--note",
        "Settlement figure",
        "--json",
    )
    assert code == EXIT_OK
    redaction = json.loads(out)
    assert (redaction["kind"], redaction["page"], redaction["reason"]) == ("redaction", 3, "CONF")
    assert redaction["quote"] == "1,500,000 tenge"

    code, out, _ = run(
        capsys, "redact", str(case_path), "Complaint", "--rect", "60,60,200,30", "--page", "1",
        "--reason", "PII",
    )  # fmt: skip
    assert code == EXIT_OK and out.startswith("redacted ") and "page 1: a box (PII)" in out
    code, out, _ = run(capsys, "marks", str(case_path), "--doc", "Complaint")
    listed = [line for line in out.splitlines() if "redaction" in line]
    assert len(listed) == 2 and "· redaction CONF  “1,500,000 tenge”" in listed[1]

    produced = tmp_path / "vol1"
    code, out, err = run(
        capsys, "produce", str(case_path), "--out", str(produced), "--prefix", "ABC",
        "--doc", "Complaint",
    )  # fmt: skip
    assert code == EXIT_OK, err
    (pdf,) = produced.glob("ABC*.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "tenge" not in text and "1,500,000" not in text and "COMPLAINT" not in text
    assert "Relief sought" in text and "declaration" in text and "CONF" in text
    log = (produced / "REDACTIONS.csv").read_text(encoding="utf-8").splitlines()
    assert log[1:] == [
        "Complaint,ABC000001,PII,Personal Data",
        "Complaint,ABC000003,CONF,Confidential Business Information",
    ]

    code, out, _ = run(
        capsys, "export", str(case_path), "--format", "privilege-log", "--out",
        str(tmp_path / "privilege.csv"),
    )  # fmt: skip
    assert code == EXIT_OK and "1 privilege log entry" in out
    with open(tmp_path / "privilege.csv", encoding="utf-8-sig", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert (row["Bates range"], row["Privilege type"], row["Description"]) == (
        "ABC000003",
        "Work Product",
        "Settlement figure",
    )


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["Complaint", "--quote", "tenge", "--reason", "TRADE"], "unknown redaction reason"),
        (["Complaint", "--quote", "no such words", "--reason", "AC"], "are not in Complaint"),
        (["Complaint", "--rect", "1,2,3", "--page", "1", "--reason", "AC"], "X,Y,WIDTH,HEIGHT"),
        (["Complaint", "--rect", "1,2,3,4", "--reason", "AC"], "--rect needs --page"),
        (["Complaint", "--quote", "tenge", "--page", "9", "--reason", "AC"], "has no page 9"),
        (["Witness statements", "--quote", "Свидетель", "--reason", "AC"], "text document"),
    ],
)
def test_redact_refuses_bad_input_and_leaves_the_case_as_it_was(
    case_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], said: str
) -> None:
    before = _marks(case_path)
    code, _, err = run(capsys, "redact", str(case_path), *arguments)
    assert code == EXIT_USAGE
    assert said in err
    assert _marks(case_path) == before


def test_reasons_lists_adds_and_removes_codes(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "reasons", str(case_path))
    assert code == EXIT_OK
    assert out.splitlines()[0].split(None, 1) == ["AC", "Attorney-Client Privilege"]

    code, out, _ = run(
        capsys, "reasons", str(case_path), "--add", "TS", "Trade secret", "--remove", "WP",
        "--json",
    )  # fmt: skip
    assert code == EXIT_OK
    assert [r["code"] for r in json.loads(out)] == ["AC", "PII", "CONF", "TS"]

    run(capsys, "redact", str(case_path), "Complaint", "--quote", "tenge", "--reason", "TS")
    code, _, err = run(capsys, "reasons", str(case_path), "--remove", "TS")
    assert code == EXIT_USAGE and "1 redaction gives the reason TS" in err
    code, _, err = run(capsys, "reasons", str(case_path), "--add", "no spaces", "X")
    assert code == EXIT_USAGE and "a reason code is 1 to 12 letters" in err
