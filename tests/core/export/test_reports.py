"""Reports of marks: grouping, citations, colour names, and the Markdown, HTML and PDF forms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from pypdf import PdfReader

from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.export.formats import ExportFormat, check_output, default_output, export_marks
from docket.core.export.reportmodel import (
    UNTAGGED,
    Grouping,
    ReportOptions,
    build_report,
    page_citation,
)
from docket.core.model.records import DocumentKind
from docket.core.preferences import Preferences, save_preferences
from tests.core.mark_factory import ARABIC, CYRILLIC, GREEK, SCRIPT_NOTE, doc_id, marked_case
from tests.core.pdf_factory import qt_app

NAMES = {
    "yellow": "Key fact",
    "green": "Supports",
    "blue": "Background",
    "pink": "Contradiction",
    "orange": "Follow up",
    "purple": "For the brief",
}


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    qt_app()
    opened, _ = marked_case(tmp_path)
    yield opened
    opened.close()


def _quotes(section) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.mark.quote or item.mark.note for item in section.items]


def test_by_document_sections_follow_titles_and_marks_follow_the_pages(case: Case) -> None:
    report = build_report(case, ReportOptions(), NAMES)
    assert [s.heading for s in report.sections] == ["Brief", "Complaint", "Witness statements"]
    complaint = report.sections[1]
    assert _quotes(complaint) == ["police fired", "torture in custody", "Check the amount"]
    assert [item.citation for item in complaint.items] == [
        "Complaint, p. 1",
        "Complaint, p. 2",
        "Complaint, p. 3",
    ]
    assert report.mark_count == 8


def test_citations_use_the_pdfs_own_page_labels(case: Case) -> None:
    brief = build_report(case, ReportOptions(docs=(doc_id(case, "Brief"),)), NAMES).sections[0]
    assert [item.citation for item in brief.items] == ["Brief", "Brief, p. iv (PDF page 4)"]
    assert page_citation("Brief", DocumentKind.PDF, (3, "iii"), (4, "iv")) == (
        "Brief, pp. iii–iv (PDF pages 3–4)"
    )
    assert page_citation("Memo", DocumentKind.TEXT, (2, "2"), (3, "3")) == "Memo, pp. 2–3"


def test_by_tag_a_mark_stands_under_each_of_its_tags_and_untagged_come_last(case: Case) -> None:
    report = build_report(case, ReportOptions(group=Grouping.TAG), NAMES)
    headings = [s.heading for s in report.sections]
    assert headings == ["Issue", "Issue/Torture", "Witness", "Witness/Karimova", UNTAGGED]
    sections = {s.heading: _quotes(s) for s in report.sections}
    assert sections["Issue/Torture"] == ["police fired", "torture in custody"]
    assert sections["Witness/Karimova"] == ["police fired"]
    assert "police fired" not in sections[UNTAGGED] and GREEK in sections[UNTAGGED]
    assert report.mark_count == 8  # each mark counted once


def test_a_tag_filter_keeps_children_and_only_their_sections(case: Case) -> None:
    report = build_report(case, ReportOptions(group=Grouping.TAG, tag="issue"), NAMES)
    assert [s.heading for s in report.sections] == ["Issue", "Issue/Torture"]
    assert report.mark_count == 3
    assert report.filters == ("Tag: issue (and the tags below it)",)


def test_colour_and_document_filters(case: Case) -> None:
    blue = build_report(case, ReportOptions(colour="blue"), NAMES)
    assert sorted(i.mark.quote or i.mark.note for s in blue.sections for i in s.items) == sorted(
        [ARABIC, "Check the amount"]
    )
    assert blue.legend == (("Background", "#4ea8f5"),)
    two = build_report(
        case, ReportOptions(docs=(doc_id(case, "Brief"), doc_id(case, "Complaint"))), NAMES
    )
    assert [s.heading for s in two.sections] == ["Brief", "Complaint"]


def test_colour_names_come_from_the_preferences(case: Case, tmp_path: Path) -> None:
    save_preferences(Preferences(colour_names={"pink": "Admission"}))
    out = export_marks(case, ExportFormat.MARKDOWN, tmp_path / "r.md").path
    text = out.read_text(encoding="utf-8")
    assert "**Complaint, p. 1** — Admission" in text
    assert "Supports our case" in text  # the default name where none is set


def test_markdown_escapes_user_text_and_keeps_notes_lines(case: Case, tmp_path: Path) -> None:
    export_marks(case, ExportFormat.MARKDOWN, tmp_path / "r.md", colour_names=NAMES)
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert text.startswith("# Marks — case\n")
    assert "> police fired\n" in text and "Key admission  \nsecond line" in text
    assert r"\<script\>" in text and r"\*stars\*" in text and "<script>" not in text
    assert f"> {CYRILLIC}" in text and f"> {ARABIC}" in text


def test_html_is_self_contained_printable_and_escaped(case: Case, tmp_path: Path) -> None:
    export_marks(case, ExportFormat.HTML, tmp_path / "r.html", colour_names=NAMES)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "@media print" in html and "default-src 'none'" in html
    assert not re.search(r"(src|href)=\"(?!#)", html) and "@import" not in html
    assert "<script" not in html and escape(SCRIPT_NOTE) in html
    assert 'style="background-color: #f26daa"></span><strong>Complaint, p. 1' in html
    assert '<span class="colour">Contradiction</span>' in html  # a swatch and its name
    assert re.search(f'<blockquote dir="auto" style="[^"]*">{ARABIC}</blockquote>', html)


def _pdf_text(path: Path) -> str:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_
    try:
        text = " ".join(document.getAllText(n).text() for n in range(document.pageCount()))
    finally:
        document.close()
    # Arabic may come back in presentation forms; NFKC gives the letters as typed.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _has_cjk_font() -> bool:
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def test_the_pdf_report_prints_every_script_as_letters_with_embedded_fonts(
    case: Case, tmp_path: Path
) -> None:
    scripts = [CYRILLIC, GREEK, ARABIC]
    if _has_cjk_font():
        doc = doc_id(case, "Witness statements")
        case.marking.add_note(doc, "证人看见了警察", page=1)
        scripts.append("证人看见了警察")
    out = export_marks(case, ExportFormat.REPORT_PDF, tmp_path / "r.pdf", colour_names=NAMES)
    text = _pdf_text(out.path)
    for words in [*scripts, "Brief, p. iv (PDF page 4)", "Key admission", "For the brief"]:
        assert words in text
    fonts = {}
    for page in PdfReader(out.path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                fonts[str(font["/BaseFont"])] = [k for k in descriptor if k.startswith("/FontFile")]
    assert fonts and all(files for files in fonts.values()), fonts  # every font embedded
    assert any("DejaVu" in name for name in fonts)


def test_an_empty_report_says_so(case: Case, tmp_path: Path) -> None:
    out = export_marks(
        case,
        ExportFormat.HTML,
        tmp_path / "none.html",
        ReportOptions(tag="Nothing"),
        colour_names=NAMES,
    )
    assert "No marks match." in out.path.read_text(encoding="utf-8") and out.marks == 0


def test_exports_default_to_the_cases_exports_folder_and_never_touch_its_files(
    case: Case, tmp_path: Path
) -> None:
    first = default_output(case, ExportFormat.HTML, ReportOptions())
    assert first.parent == case.layout.exports and first.suffix == ".html"
    export_marks(case, ExportFormat.HTML, first, colour_names=NAMES)
    second = default_output(case, ExportFormat.HTML, ReportOptions())
    assert second != first and second.name.endswith("(2).html")
    elsewhere = default_output(case, ExportFormat.CSV, ReportOptions(), str(tmp_path / "out"))
    assert elsewhere.parent == tmp_path / "out"
    original = next(case.layout.files.rglob("*.pdf"))
    before = original.read_bytes()
    for target in (original, case.layout.files / "new.md", case.layout.database):
        with pytest.raises(DocketError, match="case"):
            check_output(case, target)
        with pytest.raises(DocketError):
            export_marks(case, ExportFormat.MARKDOWN, target, colour_names=NAMES)
    assert original.read_bytes() == before
    assert not list(tmp_path.rglob(".*-*.md"))  # no temporary file left behind
