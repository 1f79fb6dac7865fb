"""`docket export` and `docket import-marks`, run as a script runs them."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from docket.cli.output import EXIT_FAILURES, EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from docket.core.preferences import Preferences, save_preferences
from tests.cli.runner import run
from tests.core.mark_factory import CYRILLIC


def _originals(case_path: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((case_path / "files").rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    "fmt, name, check",
    [
        ("md", "r.md", lambda p: "## Complaint" in p.read_text(encoding="utf-8")),
        ("html", "r.html", lambda p: "<blockquote" in p.read_text(encoding="utf-8")),
        ("report-pdf", "r.pdf", lambda p: p.read_bytes().startswith(b"%PDF")),
        ("csv", "r.csv", lambda p: p.read_bytes().startswith(b"\xef\xbb\xbf")),
        ("w3c", "r.jsonld", lambda p: json.loads(p.read_text("utf-8"))["total"] == 8),
    ],
)
def test_each_format_writes_its_file_and_leaves_the_originals_alone(
    case_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    name: str,
    check,  # type: ignore[no-untyped-def]
) -> None:
    before = _originals(case_path)
    out = tmp_path / "out" / name
    code, printed, _ = run(capsys, "export", str(case_path), "--format", fmt, "--out", str(out))
    assert code == EXIT_OK and printed == f"wrote 8 marks to {out}\n"
    assert check(out)
    assert _originals(case_path) == before


def test_filters_and_grouping(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "issues.md"
    code, printed, _ = run(
        capsys,
        "export",
        str(case_path),
        "--format",
        "md",
        "--tag",
        "Issue",
        "--group",
        "tag",
        "--out",
        str(out),
    )
    assert code == EXIT_OK and printed.startswith("wrote 3 marks")
    text = out.read_text(encoding="utf-8")
    assert "## Issue/Torture" in text and "## Untagged" not in text
    out = tmp_path / "some.csv"
    run(
        capsys,
        "export",
        str(case_path),
        "--format",
        "csv",
        "--doc",
        "Complaint",
        "--doc",
        "Witness statements",
        "--colour",
        "Background",
        "--out",
        str(out),
    )
    with open(out, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted(row["Document"] for row in rows) == ["Complaint", "Witness statements"]
    assert {row["Colour"] for row in rows} == {"Background"}


def test_without_out_the_export_goes_to_the_export_folder(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed, _ = run(capsys, "export", str(case_path), "--format", "html")
    path = Path(printed.strip().split(" to ", 1)[1])
    assert code == EXIT_OK and path.parent == (case_path / "exports").resolve()
    assert path.suffix == ".html" and CYRILLIC in path.read_text(encoding="utf-8")
    save_preferences(Preferences(export_folder=str(tmp_path / "handed over")))
    _, printed, _ = run(capsys, "export", str(case_path), "--format", "csv")
    path = Path(printed.strip().split(" to ", 1)[1])
    assert path.parent == tmp_path / "handed over" and path.is_file()


def test_annotated_pdfs_one_document_or_a_folder(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _originals(case_path)
    out = tmp_path / "complaint.pdf"
    code, printed, _ = run(
        capsys, "export", str(case_path), "--format", "pdf", "--doc", "Complaint", "--out", str(out)
    )
    assert code == EXIT_OK and printed == f"wrote the annotated copy to {out}\n"
    subtypes = [
        a.get_object()["/Subtype"] for page in PdfReader(out).pages for a in page.get("/Annots", [])
    ]
    assert "/Highlight" in subtypes
    code, printed, _ = run(capsys, "export", str(case_path), "--format", "pdf")
    folder = Path(printed.strip().split(" to ", 1)[1])
    assert code == EXIT_OK and printed.startswith("wrote 2 annotated PDFs")
    assert sorted(p.name for p in folder.iterdir()) == [
        "Brief (annotated).pdf",
        "Complaint (annotated).pdf",
    ]
    code, _, err = run(
        capsys, "export", str(case_path), "--format", "pdf", "--out", str(tmp_path / "all.pdf")
    )
    assert code == EXIT_USAGE and "give --out FOLDER" in err
    assert _originals(case_path) == before


def test_export_refuses_to_write_into_the_cases_files(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _originals(case_path)
    target = next(iter(before))
    code, _, err = run(capsys, "export", str(case_path), "--format", "md", "--out", target)
    assert code == EXIT_FAILURES and "inside the case's files/ folder" in err
    assert _originals(case_path) == before


def test_export_works_while_the_window_writes_the_case(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Case.open(case_path):
        code, _, _ = run(
            capsys, "export", str(case_path), "--format", "w3c", "--out", str(tmp_path / "a.jsonld")
        )
    assert code == EXIT_OK


def test_import_marks_round_trip_duplicates_and_orphans(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "marks.jsonld"
    run(capsys, "export", str(case_path), "--format", "w3c", "--out", str(path))
    with Case.open(case_path) as case:
        for mark in case.marking.marks():
            case.marking.delete(mark.id)
    code, out, _ = run(capsys, "import-marks", str(case_path), str(path))
    assert code == EXIT_OK and out == "imported 8 marks, 0 already in the case, 0 orphaned\n"
    code, out, _ = run(capsys, "import-marks", str(case_path), str(path), "--json")
    assert code == EXIT_OK and json.loads(out) == {
        "imported": 0,
        "duplicates": 8,
        "orphaned": 0,
        "moved": 0,
        "orphans": [],
    }

    data = json.loads(path.read_text(encoding="utf-8"))
    item = next(i for i in data["first"]["items"] if i["target"].get("selector"))
    item["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    item["target"]["selector"][0]["exact"] = "words nobody wrote"
    data["first"]["items"] = [item]
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "import-marks", str(case_path), str(path))
    assert code == EXIT_FAILURES
    assert out.splitlines()[1].startswith(
        "orphaned: urn:uuid:00000000-0000-4000-8000-000000000001 “words nobody wrote”: "
        "the quoted words are no longer anywhere in"
    )


def test_import_marks_refuses_a_file_that_is_not_annotations(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, "import-marks", str(case_path), str(bad))
    assert code == EXIT_FAILURES and out == ""
    assert err.startswith("docket: bad.json is not JSON") and err.count("\n") == 1
