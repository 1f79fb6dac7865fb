"""The chronology exported as CSV, Markdown, HTML and PDF: every fact, in date order."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.export.formats import ExportFormat, export_marks
from docket.core.export.reportmodel import ReportOptions
from docket.core.model.marks import Mark
from tests.core.chronology.chronology_factory import DATE_ORDER, chronology_case, doc_id

# Words of each fact as every format shows them (the quote).
QUOTES = {
    "strike": "The strike began",
    "cold": "December 2011 was cold",
    "questioned": "Witnesses were questioned",
    "fired": "the police fired",
    "released": "The detainee was released",
}


@pytest.fixture(scope="module")
def dated_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, dict[str, Mark]]:
    case, marks = chronology_case(tmp_path_factory.mktemp("chronology"))
    yield case, marks  # type: ignore[misc]
    case.close()


def _export(case: Case, fmt: ExportFormat, out: Path, **options: object) -> Path:
    chosen = ReportOptions(**options)  # type: ignore[arg-type]
    return export_marks(case, fmt, out, chosen, colour_names={}).path


def _in_order(text: str, names: list[str]) -> None:
    places = [text.index(QUOTES[name]) for name in names]
    assert places == sorted(places), names


def test_csv_rows_in_date_order_with_cites(
    dated_case: tuple[Case, dict[str, Mark]], tmp_path: Path
) -> None:
    case, marks = dated_case
    path = _export(case, ExportFormat.CHRONOLOGY_CSV, tmp_path / "facts.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["Mark ID"]) for row in rows] == [marks[n].id for n in DATE_ORDER]
    fired = rows[DATE_ORDER.index("fired")]
    assert (fired["Date"], fired["Status"], fired["Fact"]) == (
        "2011-12-16",
        "disputed",
        "the police fired",
    )
    assert fired["Source"] == "Incident report at 1"
    assert fired["Tags"] == "Issue/Shooting; People/Karimova"
    released = rows[-1]
    assert (released["Date"], released["Date as written"], released["Circa"]) == (
        "2012-03",
        "about March 2012",
        "yes",
    )
    assert "oil field" not in path.read_text(encoding="utf-8-sig")  # not a fact


def test_markdown_and_html_rows_in_order(
    dated_case: tuple[Case, dict[str, Mark]], tmp_path: Path
) -> None:
    case, _ = dated_case
    markdown = _export(case, ExportFormat.CHRONOLOGY_MD, tmp_path / "facts.md").read_text()
    assert "| Date | Fact | Source | Status | Tags |" in markdown
    assert "| 16 Dec 2011 | “the police fired” | Incident report at 1 | disputed |" in markdown
    _in_order(markdown, DATE_ORDER)
    page = _export(case, ExportFormat.CHRONOLOGY_HTML, tmp_path / "facts.html").read_text()
    assert "Content-Security-Policy" in page and "5 facts" in page
    assert '<td class="date">c. Mar 2012</td>' in page
    _in_order(page, DATE_ORDER)


def test_pdf_text_in_order(dated_case: tuple[Case, dict[str, Mark]], tmp_path: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    case, _ = dated_case
    path = _export(case, ExportFormat.CHRONOLOGY_PDF, tmp_path / "facts.pdf")
    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = " ".join(
        " ".join(document.getAllText(n).text().split()) for n in range(document.pageCount())
    )
    document.close()
    assert "Chronology" in text and "Dec 2011 – Apr 2012" in text
    _in_order(text, DATE_ORDER)


def test_a_tag_or_a_document_chooses_the_facts(
    dated_case: tuple[Case, dict[str, Mark]], tmp_path: Path
) -> None:
    case, _ = dated_case
    path = _export(case, ExportFormat.CHRONOLOGY_MD, tmp_path / "people.md", tag="People")
    text = path.read_text()
    assert "3 facts" in text
    _in_order(text, ["questioned", "fired", "released"])
    assert QUOTES["strike"] not in text
    only = (doc_id(case, "Statement"),)
    text = _export(case, ExportFormat.CHRONOLOGY_MD, tmp_path / "st.md", docs=only).read_text()
    assert "1 fact\n" in text and QUOTES["released"] in text
