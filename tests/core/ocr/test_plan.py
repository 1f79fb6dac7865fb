"""Which pages OCR reads and what it keeps (no Tesseract), and the SQL that stores it."""

from __future__ import annotations

from pathlib import Path

from docket.core.case import Case
from docket.core.model.records import DocumentKind, OcrState
from docket.core.ocr.model import OcrWord
from docket.core.ocr.plan import adds_nothing, pages_needing_ocr, pages_to_read, usable_text
from docket.core.storage import ocr as ocrstore
from docket.core.storage.ocr import OcrPageRow
from tests.core.case_factory import write_matter
from tests.core.ocr.scanned_case import import_one
from tests.core.pdf_factory import write_image_only_pdf

BODY = "The plaintiff filed the complaint in the district court on the third of May."


def _words(*texts: str) -> list[OcrWord]:
    return [OcrWord(text, 10.0, 10.0, 20.0, 8.0, 90.0) for text in texts]


def test_a_stamp_or_a_page_number_is_not_usable_text() -> None:
    assert not usable_text("")
    assert not usable_text("RECEIVED 12 MAR 2011\r\nPage 3 of 12")
    assert usable_text(BODY)
    assert pages_needing_ocr(DocumentKind.PDF, [BODY, "- 2 -", ""]) == [2, 3]
    assert pages_needing_ocr(DocumentKind.IMAGE, [BODY]) == [1]  # an image has no text
    assert pages_needing_ocr(DocumentKind.TEXT, [""]) == []


def test_pages_read_once_are_read_again_only_when_forced() -> None:
    texts = {1: BODY, 2: "", 3: "", 4: "read by OCR before: " + BODY}
    assert pages_to_read(DocumentKind.PDF, texts, {3, 4}) == [2]
    assert pages_to_read(DocumentKind.PDF, texts, {3, 4}, force=True) == [2, 3, 4]


def test_a_reading_that_adds_nothing_to_the_page_is_not_kept() -> None:
    assert adds_nothing("", [])
    assert adds_nothing("", _words("|", "~", ".", "i"))  # specks and rules
    assert adds_nothing("RECEIVED 12 MAR 2011", _words("Received", "12", "Mar", "2011"))
    assert not adds_nothing("RECEIVED 12 MAR 2011", _words("RECEIVED", "plaintiff"))
    assert not adds_nothing("", _words("Истец", "подал"))


def test_stored_readings_their_layers_and_states(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        doc = case.documents()[0].id
        assert case.document(doc).ocr is OcrState.NONE  # born digital: nothing to read
        rows = [
            OcrPageRow(1, "eng", 91.5, 90, tuple(_words("Complaint")), b"%PDF-layer", "t 5"),
            OcrPageRow(2, "eng", 40.0, 0, tuple(_words("low")), b"%PDF-other", "t 5"),
            OcrPageRow(3, "eng", -1.0, 0, (), b"", "t 5"),
        ]
        with case.database.write() as connection:
            ocrstore.put_pages(connection, doc, rows)
            ocrstore.set_version(connection, doc, 4)
            ocrstore.set_state(connection, [doc], OcrState.FAILED, "page 4: damaged")
        connection = case.database.read()
        assert ocrstore.read_pages(connection, doc) == {1, 2, 3}
        version, layers = ocrstore.version_and_layers(connection, doc)
        assert version == 4 and layers == {1: (b"%PDF-layer", 90), 2: (b"%PDF-other", 0)}
        assert [(i.page, i.rotation, i.low) for i in case.ocr_pages(doc)] == [
            (1, 90, False),
            (2, 0, True),
            (3, 0, False),  # read, nothing found: not "low"
        ]
        document = case.document(doc)
        assert (document.ocr, document.ocr_note) == (OcrState.FAILED, "page 4: damaged")
        assert ocrstore.documents_in_state(connection, OcrState.FAILED) == [doc]


def test_scans_imported_before_ocr_wait_for_it_once_the_case_is_opened(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        scan = import_one(case, write_image_only_pdf(tmp_path / "scan.pdf", 2))
        with case.database.write() as connection:  # as a schema-3 case left it
            connection.execute("UPDATE documents SET ocr = ''")
    with Case.open(tmp_path / "case") as case:
        assert case.pending_ocr() == [scan]
