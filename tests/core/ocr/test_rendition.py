"""The rendition of an OCR'd document: its text is the stored text, it is rebuilt when
missing, replaced by each OCR, and what highlights and annotated copies are drawn on."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QRectF

from docket.core.archive.restore import restore_case
from docket.core.archive.write import archive_case
from docket.core.case import Case
from docket.core.export.annotatedpdf import export_annotated_pdf
from docket.core.model.marks import MarkRect
from docket.core.ocr import run
from docket.core.ocr.rendition import page_texts
from tests.core.ocr.scanned_case import import_one, scanned_pdf
from tests.core.ocr.scans import ENGLISH, word_box

# "Exhibit twelve is a copy of the signed agreement between both parties."
QUOTE_LINE, QUOTE_WORDS = 3, (7, 8)
QUOTE = "signed agreement"
PASSWORD = "pässwört"


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.create(tmp_path / "case") as opened:
        yield opened


def _quote_box() -> QRectF:
    first, last = (word_box(ENGLISH, QUOTE_LINE, word) for word in QUOTE_WORDS)
    return first.united(last)


def _covers(rect: MarkRect | QRectF, box: QRectF, slack: float = 8.0) -> bool:
    """`rect` lies over `box`, give or take the slack of Tesseract's ink-tight boxes
    against the font's advance widths (points)."""
    if isinstance(rect, MarkRect):
        rect = QRectF(rect.x, rect.y, rect.width, rect.height)
    return (
        abs(rect.left() - box.left()) <= slack
        and abs(rect.right() - box.right()) <= slack
        and rect.top() <= box.center().y() <= rect.bottom()
    )


def _encrypted(path: Path) -> Path:
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.encrypt(user_password=PASSWORD, owner_password="owner", algorithm="AES-256")
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def test_the_rendition_reads_as_the_stored_text_and_comes_back_when_deleted(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "CHUNK_PAGES", 1)  # page 2 laid on the rendition of page 1
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:4], ENGLISH[4:]]))
    case.ocr(workers=0)
    rendition = case.pdf_path(doc)
    assert rendition.name.endswith("-v2.pdf")
    stored = [page.text for page in case.pages(doc)]
    assert [page_texts(rendition, [1, 2])[n][0] for n in (1, 2)] == stored

    shutil.rmtree(case.layout.derived)  # derived data: nothing is lost; rebuilt whole

    rebuilt = case.pdf_path(doc)
    assert rebuilt == rendition and rebuilt.is_file()
    assert [page_texts(rebuilt, [1, 2])[n][0] for n in (1, 2)] == stored
    assert case.verify().problems == ()


def test_reading_again_writes_a_new_version_and_removes_the_old(case: Case, tmp_path: Path) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:3]]))
    case.ocr(workers=0)
    first = case.pdf_path(doc)

    (outcome,) = case.ocr([doc], force=True, workers=0).documents

    assert outcome.pages_read == 1
    second = case.pdf_path(doc)
    assert (first.name[-7:], second.name[-7:]) == ("-v1.pdf", "-v2.pdf")
    assert sorted(case.layout.derived.iterdir()) == [second]


def test_a_highlight_on_ocr_words_is_drawn_on_them_and_exported_with_their_text(
    case: Case, tmp_path: Path
) -> None:
    scan = _encrypted(scanned_pdf(tmp_path / "scan.pdf", [ENGLISH]))
    report = case.import_paths([scan], password=PASSWORD, workers=1)
    doc = report.outcomes[0].doc
    assert doc is not None
    case.ocr(workers=0)
    anchor = case.marking.anchor_for_quote(doc, 1, QUOTE)

    mark = case.marking.highlight(doc, anchor, note="the contract")

    assert mark.quote == QUOTE
    assert mark.rects and all(_covers(rect, _quote_box()) for rect in mark.rects)
    copy = export_annotated_pdf(case, doc, tmp_path / "annotated.pdf")
    reader = PdfReader(copy)
    assert reader.is_encrypted and reader.decrypt(PASSWORD)  # protected as the original
    page = reader.pages[0]
    assert QUOTE in " ".join(page.extract_text().split())  # the invisible layer came along
    annotations = [a.get_object() for a in page.annotations or []]
    highlights = [a for a in annotations if a["/Subtype"] == "/Highlight"]
    assert len(highlights) == 1
    quads = [float(value) for value in highlights[0]["/QuadPoints"]]
    height = float(page.mediabox.height)
    xs, ys = quads[0::2], [height - y for y in quads[1::2]]
    drawn = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    assert _covers(drawn, _quote_box())
    assert case.verify().problems == ()


def test_an_archive_leaves_renditions_out_and_the_restored_case_rebuilds_them(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:3]]))
    case.ocr(workers=0)
    text = case.page(doc, 1).text
    case.close()
    archive = archive_case(case.path, tmp_path / "case.zip")
    with zipfile.ZipFile(archive.path) as opened:
        assert not [name for name in opened.namelist() if name.startswith("derived/")]

    restored = restore_case(archive.path, tmp_path / "restored")

    assert restored.problems == ()
    with Case.open(restored.path) as again:
        rendition = again.pdf_path(doc)
        assert rendition.parent == again.layout.derived
        assert page_texts(rendition, [1])[1][0] == text
        assert [hit.page for hit in again.search("plaintiff").results] == [1]


def test_a_case_that_cannot_be_written_has_its_renditions_made_elsewhere(
    case: Case, tmp_path: Path, isolated_user_dirs: Path
) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:3]]))
    case.ocr(workers=0)
    text = case.page(doc, 1).text
    shutil.rmtree(case.layout.derived)
    case.layout.derived.write_text("not a folder")  # as read-only media refuses a write

    spare = case.pdf_path(doc)

    assert spare.is_relative_to(isolated_user_dirs) and page_texts(spare, [1])[1][0] == text
