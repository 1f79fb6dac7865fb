"""`docket export` and `docket import-marks`, run as a script runs them."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from docket.cli.output import EXIT_FAILURES, EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from docket.core.model.marks import Mark
from docket.core.preferences import Preferences, save_preferences
from docket.core.text.folding import fold
from tests.cli.runner import run
from tests.core.mark_factory import ARABIC, CYRILLIC, GREEK, SCRIPT_NOTE


def _originals(case_path: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((case_path / "files").rglob("*"))
        if p.is_file()
    }


def _marks(case_path: Path) -> list[Mark]:
    with Case.open(case_path, readonly=True) as case:
        return case.marking.marks()


# What each format must hold of the case's marks: every quote and every note.
# The PDF's text is read back by pypdf (words split by tabs, "ﬁ" ligatures,
# Arabic in presentation forms), so it is compared folded, without the Arabic.


def _markdown_holds(path: Path, marks: list[Mark]) -> None:
    text = path.read_text(encoding="utf-8")
    assert "## Complaint" in text
    assert all(mark.quote in text for mark in marks)
    assert "Key admission" in text and "Check the amount" in text


def _html_holds(path: Path, marks: list[Mark]) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("<blockquote") == sum(1 for mark in marks if mark.quote)
    assert all(mark.quote in text for mark in marks)
    assert "<script>" not in text and "&lt;script&gt;" in text  # the note is text, not code


def _report_pdf_holds(path: Path, marks: list[Mark]) -> None:
    reader = PdfReader(path)
    text = " ".join(fold(" ".join(page.extract_text() for page in reader.pages)).split())
    for mark in marks:
        if mark.quote != ARABIC:
            assert fold(mark.quote) in text
    assert "check the amount" in text and "key admission" in text


def _csv_holds(path: Path, marks: list[Mark]) -> None:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted((row["Mark UUID"], row["Quote"], row["Note"]) for row in rows) == sorted(
        (mark.uuid, mark.quote, mark.note) for mark in marks
    )


def _w3c_holds(path: Path, marks: list[Mark]) -> None:
    data = json.loads(path.read_text("utf-8"))
    items = data["first"]["items"]
    assert data["total"] == len(items) == len(marks)
    assert sorted(item["id"] for item in items) == sorted(f"urn:uuid:{m.uuid}" for m in marks)
    selectors = [s for item in items for s in _listed(item["target"].get("selector", []))]
    exact = [selector["exact"] for selector in selectors if "exact" in selector]
    assert sorted(exact) == sorted(mark.quote for mark in marks if mark.quote)


def _listed(value: Any) -> list[dict[str, Any]]:
    """A Web Annotation property that is one object, or a list of them when several."""
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize(
    "fmt, name, holds",
    [
        ("md", "r.md", _markdown_holds),
        ("html", "r.html", _html_holds),
        ("report-pdf", "r.pdf", _report_pdf_holds),
        ("csv", "r.csv", _csv_holds),
        ("w3c", "r.jsonld", _w3c_holds),
    ],
)
def test_each_format_writes_its_file_and_leaves_the_originals_alone(
    case_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    name: str,
    holds: Callable[[Path, list[Mark]], None],
) -> None:
    before = _originals(case_path)
    marks = _marks(case_path)
    quotes = {mark.quote for mark in marks}
    assert quotes == {"", "police fired", "torture in custody", "firing without warning"} | {
        CYRILLIC,
        GREEK,
        ARABIC,
    }
    assert SCRIPT_NOTE in {mark.note for mark in marks}
    out = tmp_path / "out" / name
    code, printed, _ = run(capsys, "export", str(case_path), "--format", fmt, "--out", str(out))
    assert code == EXIT_OK and printed == f"wrote 8 marks to {out}\n"
    holds(out, marks)
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
    folder = Path(printed.splitlines()[0].split(" to ", 1)[1])  # then one line per copy
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
    out = tmp_path / "a.jsonld"
    with Case.open(case_path) as window:  # the window holds the case open and writes to it
        complaint = next(d.id for d in window.documents() if d.title == "Complaint")
        added = window.marking.add_note(complaint, "Written while the window was open")
        code, _, _ = run(capsys, "export", str(case_path), "--format", "w3c", "--out", str(out))
        window.marking.add_note(complaint, "Written after the export")
    assert code == EXIT_OK
    items = json.loads(out.read_text("utf-8"))["first"]["items"]
    assert len(items) == 9  # the factory's 8 marks and the one the window wrote
    (note,) = [item for item in items if item["id"] == f"urn:uuid:{added.uuid}"]
    assert _listed(note["body"])[0]["value"] == "Written while the window was open"


def test_import_marks_round_trip_duplicates_and_orphans(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "marks.jsonld"
    run(capsys, "export", str(case_path), "--format", "w3c", "--out", str(path))
    exported = sorted(_what_a_mark_says(mark) for mark in _marks(case_path))
    with Case.open(case_path) as case:
        for mark in case.marking.marks():
            case.marking.delete(mark.id)
    assert _marks(case_path) == []
    code, out, _ = run(capsys, "import-marks", str(case_path), str(path))
    assert code == EXIT_OK and out == "imported 8 marks, 0 already in the case, 0 orphaned\n"
    assert sorted(_what_a_mark_says(mark) for mark in _marks(case_path)) == exported
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


def _what_a_mark_says(mark: Mark) -> tuple[object, ...]:
    """A mark without its row id: what an export and import must carry over."""
    return (
        mark.uuid,
        mark.doc,
        mark.kind,
        mark.anchor,
        mark.page,
        mark.quote,
        mark.colour,
        mark.note,
        mark.tags,
        mark.author,
    )


def test_import_marks_refuses_a_file_that_is_not_annotations(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, "import-marks", str(case_path), str(bad))
    assert code == EXIT_FAILURES and out == ""
    assert err.startswith("docket: bad.json is not JSON") and err.count("\n") == 1
