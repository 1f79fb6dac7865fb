"""Reports tell apart documents that share a title: by file name, else by number."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.export.formats import ExportFormat, export_marks
from docket.core.export.reportmodel import Grouping, ReportOptions, build_report
from docket.core.model.marks import Anchor
from tests.core.export.test_reports import _pdf_text
from tests.core.pdf_factory import write_pdf


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    """Four PDFs: two "Complaint"s from different files, two "Motion"s from files of
    one name (in two folders), and one "Reply"."""
    for folder in ("in", "a", "b"):
        (tmp_path / folder).mkdir()
    files = [
        write_pdf(tmp_path / "in" / "complaint-2011.pdf", ["The first complaint"], "Complaint"),
        write_pdf(tmp_path / "in" / "complaint-2012.pdf", ["The amended complaint"], "Complaint"),
        write_pdf(tmp_path / "a" / "motion.pdf", ["A motion to dismiss"], "Motion"),
        write_pdf(tmp_path / "b" / "motion.pdf", ["A motion to strike"], "Motion"),
        write_pdf(tmp_path / "in" / "reply.pdf", ["The reply brief"], "Reply"),
    ]
    opened = Case.create(tmp_path / "case")
    for path in files:
        opened.import_paths([path], workers=0)
    for document in opened.documents():
        text = opened.page(document.id, 1).text
        opened.marking.highlight(document.id, Anchor(1, 0, 1, len(text.split()[0])))
    yield opened
    opened.close()


def expected_names(case: Case) -> list[str]:
    motions = sorted(d.id for d in case.documents() if d.title == "Motion")
    return [
        "Complaint (complaint-2011.pdf)",
        "Complaint (complaint-2012.pdf)",
        f"Motion (doc {motions[0]})",
        f"Motion (doc {motions[1]})",
        "Reply",
    ]


@pytest.mark.parametrize(
    "grouping",
    [Grouping.DOCUMENT, Grouping.TAG],
)
def test_headings_and_citations_tell_same_titled_documents_apart(
    case: Case, grouping: Grouping
) -> None:
    assert len(case.documents()) == 5
    report = build_report(case, ReportOptions(group=grouping), {})
    citations = sorted(item.citation for section in report.sections for item in section.items)
    assert citations == [f"{name}, p. 1" for name in expected_names(case)]
    if grouping is Grouping.DOCUMENT:
        assert sorted(s.heading for s in report.sections) == expected_names(case)


def test_markdown_html_and_pdf_reports_and_csv_name_them_apart(case: Case, tmp_path: Path) -> None:
    names = expected_names(case)
    markdown = export_marks(case, ExportFormat.MARKDOWN, tmp_path / "r.md").path.read_text()
    assert [
        line[3:] for line in markdown.splitlines() if line.startswith("## ")
    ] == names  # headings, in title order
    html = export_marks(case, ExportFormat.HTML, tmp_path / "r.html").path.read_text()
    pdf = _pdf_text(export_marks(case, ExportFormat.REPORT_PDF, tmp_path / "r.pdf").path)
    for name in names:
        assert f"{name}, p. 1" in markdown.replace("\\", "")
        assert re.search(rf"<h2[^>]*>{re.escape(name)} <span", html)
        assert f"{name}, p. 1" in pdf
    out = export_marks(case, ExportFormat.CSV, tmp_path / "r.csv").path
    with open(out, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted(row["Document"] for row in rows) == names


def test_a_report_of_one_of_them_still_says_which(case: Case) -> None:
    later = next(d.id for d in case.documents() if d.source_name == "complaint-2012.pdf")
    report = build_report(case, ReportOptions(docs=(later,)), {})
    assert [s.heading for s in report.sections] == ["Complaint (complaint-2012.pdf)"]
    assert report.filters == ("Documents: Complaint (complaint-2012.pdf)",)
