"""True redaction (issue 18): a redacted word cannot be extracted from the produced
file by pypdf, QtPdf or pdftotext, while the other words of the page still can."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument

from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.model.audit import AuditAction
from docket.core.model.marks import Anchor, MarkKind, MarkRect
from docket.core.production.produce import ProductionOptions, produce
from docket.core.production.redact import (
    RedactionError,
    document_redactions,
    redact_pdf,
    redaction_log_rows,
    write_redaction_log,
)
from tests.core.ocr.scanned_case import import_one, scanned_pdf
from tests.core.ocr.scans import ENGLISH
from tests.core.pdf_factory import qt_app, write_pdf

PAGES = [
    "Privileged memo from counsel\nThe settlement figure is Zanzibar and nothing else.",
    "Second page stays as it was\nZanzibar again on an unredacted page.",
]


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    qt_app()
    with Case.create(tmp_path / "case") as opened:
        opened.marking.author = "Tester"
        yield opened


def _words_redacted(case: Case, doc: int, page: int, words: str, reason: str = "AC") -> int:
    start = case.page(doc, page).text.index(words)
    mark = case.marking.redact(doc, Anchor(page, start, page, start + len(words)), reason)
    return mark.id


def _texts(pdf: bytes, tmp_path: Path) -> dict[str, list[str]]:
    """Each page's text as pypdf, QtPdf and pdftotext extract it."""
    path = tmp_path / "produced.pdf"
    path.write_bytes(pdf)
    pypdf_pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    document = QPdfDocument()
    document.load(str(path))
    qt_pages = [document.getAllText(i).text() for i in range(document.pageCount())]
    document.close()
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    poppler = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    return {"pypdf": pypdf_pages, "qtpdf": qt_pages, "pdftotext": poppler[: len(qt_pages)]}


def _rendered(pdf: bytes, tmp_path: Path, page: int, dpi: int = 100) -> QImage:
    path = tmp_path / "rendered.pdf"
    path.write_bytes(pdf)
    document = QPdfDocument()
    document.load(str(path))
    size = document.pagePointSize(page - 1)
    image = document.render(
        page - 1, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
    )
    document.close()
    return image


def test_a_redacted_word_is_gone_from_the_produced_file_and_the_others_remain(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES))
    mark_id = _words_redacted(case, doc, 1, "Zanzibar")
    redactions = document_redactions(case, doc)
    assert {r.mark_id for r in redactions} == {mark_id}

    produced = redact_pdf(case.pdf_path(doc), case.password(doc), redactions)

    for tool, pages in _texts(produced, tmp_path).items():
        assert "Zanzibar" not in pages[0], tool
        for kept in ("Privileged", "memo", "counsel", "settlement", "figure", "nothing"):
            assert kept in pages[0], (tool, kept, pages[0])
        # The reason, printed in the box, reads in the words' place.
        assert re.search(r"figure is\s+AC\s+and nothing", pages[0]), (tool, pages[0])
        assert "Zanzibar" in pages[1], tool  # a page without a redaction is untouched
    # The box is black where the word was, and the page around it still white.
    box = redactions[0]
    image = _rendered(produced, tmp_path, 1)
    scale = 100 / 72
    left = QColor(image.pixel(round((box.x + 1) * scale), round((box.y + box.height / 2) * scale)))
    assert left.lightness() < 40
    assert QColor(image.pixel(5, 5)).lightness() > 240
    # The original is only read.
    assert "Zanzibar" in PdfReader(case.original_path(doc)).pages[0].extract_text()


def test_a_drawn_box_removes_the_words_under_it(case: Case, tmp_path: Path) -> None:
    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES))
    start = case.page(doc, 1).text.index("settlement figure")
    from docket.core.pdf.markrects import rects_for

    lengths = {1: len(case.page(doc, 1).text)}
    (words,) = rects_for(
        case.pdf_path(doc), None, Anchor(1, start, 1, start + len("settlement figure")), lengths
    )
    drawn = MarkRect(1, words.x, words.y, words.width, words.height)
    mark = case.marking.redact(doc, drawn, "pii")
    assert mark.kind is MarkKind.REDACTION and mark.reason == "PII" and mark.anchor is None

    produced = redact_pdf(case.pdf_path(doc), None, document_redactions(case, doc))

    for tool, pages in _texts(produced, tmp_path).items():
        assert "settlement" not in pages[0] and "figure" not in pages[0], tool
        assert "Zanzibar" in pages[0] and "PII" in pages[0], tool


def test_an_ocr_scan_loses_the_pixels_and_the_ocr_word_under_the_box(
    case: Case, tmp_path: Path
) -> None:
    lines = ENGLISH[:3]
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [lines]))
    case.ocr(languages="eng", workers=0)
    assert "delivery" in case.page(doc, 1).text
    _words_redacted(case, doc, 1, "delivery", "CONF")
    redactions = document_redactions(case, doc)

    produced = redact_pdf(case.pdf_path(doc), None, redactions)

    for tool, pages in _texts(produced, tmp_path).items():
        assert "delivery" not in pages[0], tool
        assert "witness" in pages[0] and "plaintiff" in pages[0], tool
    image = _rendered(produced, tmp_path, 1, dpi=150)
    scale = 150 / 72
    for box in redactions:  # every pixel inside the box (inset past its text) is black
        inset = 2.0
        for fx in (0.05, 0.5, 0.95):
            x = round((box.x + inset + fx * (box.width - 2 * inset)) * scale)
            y = round((box.y + box.height - inset) * scale)
            assert QColor(image.pixel(x, y)).lightness() < 40


def test_a_redaction_whose_words_moved_refuses_production_naming_it(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES))
    mark_id = _words_redacted(case, doc, 1, "Zanzibar")
    # As a new OCR reading would: the page's stored text changes under the mark.
    with case.database.write() as connection:
        connection.execute(
            "UPDATE pages SET text = replace(text, 'Zanzibar', 'Zanz1bar') "
            "WHERE doc_id = ? AND number = 1",
            (doc,),
        )
    with pytest.raises(RedactionError, match=rf"redaction {mark_id} on page 1 of .*no longer"):
        document_redactions(case, doc)


def test_a_reason_not_in_the_list_is_refused_and_the_list_can_be_edited(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES))
    codes = [r.code for r in case.marking.redaction_reasons()]
    assert codes == ["AC", "WP", "PII", "CONF"]
    with pytest.raises(DocketError, match=r"unknown redaction reason 'TRADE'.*AC, WP, PII, CONF"):
        _words_redacted(case, doc, 1, "Zanzibar", "TRADE")
    assert case.marking.count(doc) == 0

    case.marking.add_redaction_reason("TRADE", "Trade secret")
    mark_id = _words_redacted(case, doc, 1, "Zanzibar", "trade")
    assert case.marking.get(mark_id).reason == "TRADE"
    with pytest.raises(DocketError, match="1 redaction gives the reason TRADE"):
        case.marking.remove_redaction_reason("TRADE")
    case.marking.remove_redaction_reason("WP")
    assert [r.code for r in case.marking.redaction_reasons()] == ["AC", "PII", "CONF", "TRADE"]
    # The audit log has the redaction like any mark, with its reason.
    (entry,) = case.marking.audit_entries(mark=mark_id)
    assert entry.action == AuditAction.MARK_ADDED
    assert entry.after is not None and entry.after["reason"] == "TRADE"


def test_the_redaction_log_lists_document_page_and_reason(case: Case, tmp_path: Path) -> None:
    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES, title="Memo"))
    _words_redacted(case, doc, 1, "Zanzibar", "AC")
    _words_redacted(case, doc, 2, "Zanzibar", "PII")
    boxes = [(doc, box) for box in document_redactions(case, doc)]

    rows = redaction_log_rows(case, boxes, lambda d, page: "ABC000007" if page == 2 else None)
    path = write_redaction_log(tmp_path / "redactions.csv", rows)

    assert path.read_text(encoding="utf-8").splitlines() == [
        "Document,Bates page,Reason,Reason label",
        "Memo,1,AC,Attorney-Client Privilege",
        "Memo,ABC000007,PII,Personal Data",
    ]


def test_a_production_burns_redactions_in_and_logs_them_by_bates_number(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES, title="Memo"))
    _words_redacted(case, doc, 1, "Zanzibar", "AC")
    out = tmp_path / "vol1"

    result = produce(case, ProductionOptions(out=out, prefix="ABC", docs=(doc,)))

    (produced,) = result.documents
    pdf = (out / produced.file).read_bytes()
    texts = _texts(pdf, tmp_path)
    for tool, pages in texts.items():
        assert "Zanzibar" not in pages[0] and "settlement" in pages[0], tool
        assert "ABC000001" in pages[0] and "ABC000002" in pages[1], tool  # stamped after
        assert "Zanzibar" in pages[1], tool
    assert (out / "REDACTIONS.csv").read_text(encoding="utf-8").splitlines() == [
        "Document,Bates page,Reason,Reason label",
        "Memo,ABC000001,AC,Attorney-Client Privilege",
    ]


def test_a_production_with_a_moved_redaction_is_refused_and_writes_nothing(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES, title="Memo"))
    mark_id = _words_redacted(case, doc, 1, "Zanzibar")
    with case.database.write() as connection:
        connection.execute(
            "UPDATE pages SET text = replace(text, 'Zanzibar', 'Zanz1bar') WHERE doc_id = ?",
            (doc,),
        )
    out = tmp_path / "vol1"
    with pytest.raises(RedactionError, match=f"redaction {mark_id} "):
        produce(case, ProductionOptions(out=out, prefix="ABC", docs=(doc,)))
    assert not out.exists() or not any(out.iterdir())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".vol1")] == []


def test_a_turned_page_is_redacted_as_shown_and_stays_turned(case: Case, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    written = write_pdf(tmp_path / "flat.pdf", PAGES)
    turned = PdfWriter(clone_from=PdfReader(written))
    turned.pages[0].rotate(90)
    turned.write(tmp_path / "turned.pdf")
    doc = import_one(case, tmp_path / "turned.pdf")
    _words_redacted(case, doc, 1, "Zanzibar")

    produced = redact_pdf(case.pdf_path(doc), None, document_redactions(case, doc))

    assert PdfReader(io.BytesIO(produced)).pages[0].rotation == 90
    for tool, pages in _texts(produced, tmp_path).items():
        assert "Zanzibar" not in pages[0], tool
        assert "settlement figure is" in pages[0] and "Privileged memo" in pages[0], tool


def test_an_annotated_copy_and_w3c_annotations_leave_redactions_out(
    case: Case, tmp_path: Path
) -> None:
    from docket.core.export.formats import ExportFormat, export_marks
    from docket.core.export.reportmodel import ReportOptions

    doc = import_one(case, write_pdf(tmp_path / "memo.pdf", PAGES))
    _words_redacted(case, doc, 1, "Zanzibar")
    start = case.page(doc, 1).text.index("settlement")
    case.marking.highlight(doc, Anchor(1, start, 1, start + len("settlement")))

    export_marks(
        case, ExportFormat.ANNOTATED_PDF, tmp_path / "copy.pdf", ReportOptions(docs=(doc,))
    )

    annotations = [
        a.get_object()["/Subtype"]
        for page in PdfReader(tmp_path / "copy.pdf").pages
        for a in page.get("/Annots", [])
    ]
    assert [a for a in annotations if a != "/Popup"] == ["/Highlight"]  # no note, no box
    # Nor do W3C annotations carry it: read back, it would become a note.
    w3c = export_marks(case, ExportFormat.W3C, tmp_path / "marks.jsonld")
    assert w3c.marks == 1


def test_a_redaction_whose_words_were_read_again_differently_refuses_production(
    case: Case, tmp_path: Path
) -> None:
    from tests.core.ocr.scans import RUSSIAN

    lines = [*ENGLISH[:3], *RUSSIAN[:2]]
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [lines]))
    case.ocr(languages="eng", workers=0)
    # Read as English, the Russian lines are Latin gibberish; read again as Russian,
    # the words under that redaction are others.
    gibberish = case.page(doc, 1).text.splitlines()[3].strip()
    assert gibberish and not re.search("[а-яА-Я]", gibberish)
    kept = _words_redacted(case, doc, 1, "delivery")
    moved = _words_redacted(case, doc, 1, gibberish)
    case.set_ocr_languages(doc, "eng+rus")
    case.ocr([doc], force=True, workers=0)

    with pytest.raises(RedactionError, match=rf"redaction {moved} on page 1 .*no longer matches"):
        document_redactions(case, doc)
    case.marking.delete(moved)
    assert {box.mark_id for box in document_redactions(case, doc)} == {kept}


def test_a_redaction_beside_a_word_hyphenated_across_lines_keeps_both_lines_in_order(
    case: Case, tmp_path: Path
) -> None:
    # PDFium joins "meet-" / "ing" into one line of its text (U+FFFE for the hyphen):
    # laid back on one baseline, the two printed lines' words came back woven together.
    page = (
        "On November 5 he showed the technology at a meet-\n"
        "ing of the Institute of Radio Engineers at the Empire Building in\n"
        "New York City before an audience of engineers."
    )
    doc = import_one(case, write_pdf(tmp_path / "demo.pdf", [page]))
    assert "meet\ufffeing" in case.page(doc, 1).text
    _words_redacted(case, doc, 1, "Empire Building", reason="PII")

    produced = redact_pdf(case.pdf_path(doc), None, document_redactions(case, doc))

    for tool, pages in _texts(produced, tmp_path).items():
        text = " ".join(pages[0].split())
        assert "Empire" not in text, tool
        assert "On November 5 he showed the technology at a meet" in text, (tool, text)
        assert re.search(r"ing of the Institute of Radio Engineers at the\s+PII\s+in", text), (
            tool,
            text,
        )
