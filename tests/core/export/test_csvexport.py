"""The CSV of marks: read back with the csv module, as a spreadsheet would read it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.export.formats import ExportFormat, export_marks
from docket.core.export.reportmodel import ReportOptions
from docket.core.export.spreadsheet import HEADER, safe_cell, write_csv
from tests.core.mark_factory import CYRILLIC, doc_id, marked_case
from tests.core.pdf_factory import qt_app


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    qt_app()
    opened, _ = marked_case(tmp_path)
    yield opened
    opened.close()


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_one_row_per_mark_in_utf8_with_a_bom(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "marks.csv"
    assert write_csv(case, out) == 8
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfDocument,Page,")
    assert CYRILLIC.encode("utf-8") in raw
    rows = _rows(out)
    assert list(rows[0]) == list(HEADER) and len(rows) == 8
    police = next(row for row in rows if row["Quote"] == "police fired")
    assert police["Document"] == "Complaint" and police["Page"] == "1"
    assert police["Note"] == "Key admission\nsecond line"  # one cell, its line break kept
    assert police["Tags"] == "Issue/Torture; Witness/Karimova"
    assert police["Colour"] == "Contradiction" and police["Author"] == "Ann"
    assert police["Kind"] == "highlight" and police["Created"].endswith("+00:00")
    mark = case.marking.get(int(police["Mark ID"]))
    assert police["Document ID"] == str(mark.doc) and police["Mark UUID"] == mark.uuid


def test_page_labels_and_notes_without_a_page(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "brief.csv"
    write_csv(case, out, ReportOptions(docs=(doc_id(case, "Brief"),)))
    rows = _rows(out)
    assert [(r["Page"], r["PDF page"], r["Kind"]) for r in rows] == [
        ("", "", "document-note"),
        ("iv", "4", "highlight"),
    ]


def test_filters_and_the_export_entry_point(case: Case, tmp_path: Path) -> None:
    result = export_marks(
        case,
        ExportFormat.CSV,
        tmp_path / "t.csv",
        ReportOptions(tag="Issue/Torture"),
        colour_names={},
    )
    assert result.marks == 2
    assert [r["Quote"] for r in _rows(result.path)] == ["police fired", "torture in custody"]
    assert _rows(result.path)[0]["Colour"] == "pink"  # no name given: the key


def test_cells_a_spreadsheet_would_run_as_formulas_stay_text(case: Case, tmp_path: Path) -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("plain") == "plain"
    doc = doc_id(case, "Complaint")
    case.marking.add_note(doc, "=1+2", page=1)
    write_csv(case, tmp_path / "f.csv")
    assert "'=1+2" in [row["Note"] for row in _rows(tmp_path / "f.csv")]
