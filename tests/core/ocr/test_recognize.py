"""read_page on pages the tests draw: words where they were drawn, text, rotation, failures."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from docket.core.ocr import recognize, render
from docket.core.ocr.model import OcrPageRequest, OcrPageResult
from docket.core.ocr.recognize import read_page
from docket.core.ocr.tesseract import MISSING
from tests.core.ocr.scans import (
    ENGLISH,
    RUSSIAN,
    scan_image,
    scribbled_image,
    word_box,
    write_scanned_pdf,
)


def flat(text: str) -> str:
    return " ".join(text.split())


def found_share(result: OcrPageResult, lines: list[str]) -> float:
    """The share of the drawn words the page's text holds (as a bag of words)."""
    read = flat(result.text).split(" ")
    wanted = " ".join(lines).split(" ")
    remaining = list(read)
    hits = 0
    for word in wanted:
        if word in remaining:
            remaining.remove(word)
            hits += 1
    return hits / len(wanted)


def request(
    path: Path, page: int = 1, languages: str = "eng", source: str = "pdf"
) -> OcrPageRequest:
    return OcrPageRequest(doc=7, page=page, path=str(path), source=source, languages=languages)


def test_an_english_scan_gives_its_sentences_words_and_boxes(english_result: OcrPageResult) -> None:
    result = english_result
    assert result.failure is None
    assert (result.doc, result.page, result.languages) == (1, 1, "eng")
    assert result.engine.startswith("tesseract 5")
    assert result.rotation == 0
    assert (result.width, result.height) == (595.0, 842.0)
    assert result.confidence > 90
    for sentence in ENGLISH:
        assert sentence in flat(result.text)
    assert "\r\n" in result.text  # QtPdf's line ends, as on born-digital pages
    assert result.layer.startswith(b"%PDF")
    complaint = next(word for word in result.words if word.text == "complaint")
    drawn = word_box(ENGLISH, 0, 4)
    assert abs(complaint.x - drawn.x()) < 2
    assert abs(complaint.width - drawn.width()) < 3
    assert drawn.y() - 2 < complaint.y < drawn.bottom()
    assert complaint.y + complaint.height < drawn.bottom() + 2


def test_a_noisy_russian_scan_is_read_in_russian(scanned_pdf: Path) -> None:
    result = read_page(request(scanned_pdf, page=2, languages="rus"))
    assert result.failure is None
    assert found_share(result, RUSSIAN) > 0.9
    assert "исковое заявление" in flat(result.text)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_page_scanned_turned_is_read_upright(tmp_path: Path, rotation: int) -> None:
    pdf = write_scanned_pdf(tmp_path / "turned.pdf", [scan_image(ENGLISH, rotation=rotation)])
    result = read_page(request(pdf))
    assert result.failure is None
    assert result.rotation == rotation
    assert (result.width, result.height) == (595.0, 842.0)  # shown upright
    assert found_share(result, ENGLISH) > 0.95
    complaint = next(word for word in result.words if word.text == "complaint")
    assert abs(complaint.x - word_box(ENGLISH, 0, 4).x()) < 2


def test_a_skewed_page_is_read_and_its_words_stay_on_the_skewed_ink(tmp_path: Path) -> None:
    skew = 3.0  # Tesseract 5.3 reads none of this page as it is ("Empty page!!")
    pdf = write_scanned_pdf(tmp_path / "skewed.pdf", [scan_image(ENGLISH, skew=skew)])
    result = read_page(request(pdf))
    assert result.failure is None and result.rotation == 0
    read_words = [word.text for word in result.words]
    drawn_words = " ".join(ENGLISH).split(" ")
    assert sum(1 for word in drawn_words if word in read_words) / len(drawn_words) > 0.95
    for sentence in ENGLISH:  # in order: lines running downhill are not woven together
        assert sentence in flat(result.text)
    complaint = next(word for word in result.words if word.text == "complaint")
    drawn = word_box(ENGLISH, 0, 4)
    # Where the drawn word's centre went when the page was turned about its centre.
    angle = math.radians(skew)
    centre_x, centre_y = 595 / 2, 842 / 2
    dx, dy = drawn.center().x() - centre_x, drawn.center().y() - centre_y
    expected_x = centre_x + dx * math.cos(angle) - dy * math.sin(angle)
    expected_y = centre_y + dx * math.sin(angle) + dy * math.cos(angle)
    assert abs(complaint.x + complaint.width / 2 - expected_x) < 3
    assert abs(complaint.y + complaint.height / 2 - expected_y) < 4


def test_a_blank_page_is_read_as_no_words_without_turning_it(tmp_path: Path) -> None:
    pdf = write_scanned_pdf(tmp_path / "blank.pdf", [scan_image([])])
    result = read_page(request(pdf))
    assert result.failure is None
    assert (result.words, result.confidence, result.rotation) == ((), -1.0, 0)
    assert result.text.strip() == ""
    assert not recognize.is_low_confidence(result)  # nothing doubtful: nothing at all


def test_a_page_with_ink_but_no_word_read_is_low_confidence(tmp_path: Path) -> None:
    # Handwriting, a mangled scan: search will find nothing on it, so it is flagged.
    pdf = write_scanned_pdf(tmp_path / "scribble.pdf", [scribbled_image()])
    result = read_page(request(pdf))
    assert result.failure is None
    assert (result.words, result.confidence) == ((), recognize.UNREAD_INK_CONFIDENCE)
    assert recognize.is_low_confidence(result)


def test_an_image_file_is_read_at_its_own_resolution(tmp_path: Path) -> None:
    image = scan_image(ENGLISH[:4], dpi=200)
    path = tmp_path / "letter.png"
    assert image.save(str(path))
    result = read_page(request(path, source="image"))
    assert result.failure is None
    assert (round(result.width), round(result.height)) == (595, 842)
    assert ENGLISH[0] in flat(result.text)


def test_a_language_not_installed_names_its_package(
    english_result: OcrPageResult, scanned_pdf: Path
) -> None:
    result = read_page(request(scanned_pdf, languages="eng+deu"))
    assert result.failure == "OCR language 'deu' is not installed: install tesseract-ocr-deu"
    assert result.text == "" and result.words == ()


def test_without_tesseract_the_page_says_ocr_needs_it(
    scanned_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKET_TESSERACT", "/nonexistent/tesseract")
    result = read_page(request(scanned_pdf))
    assert result.failure is not None and result.failure.startswith(MISSING)


def test_a_corrupt_image_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 100)
    result = read_page(request(path, source="image"))
    assert result.failure is not None
    assert result.failure.startswith("damaged image:")
    assert result.layer == b""


def test_an_image_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    side = 8_000  # 64 million pixels: over the cap, small on disk (all white)
    image = QImage(side, side, QImage.Format.Format_Mono)
    image.fill(1)
    path = tmp_path / "poster.png"
    assert image.save(str(path))
    result = read_page(request(path, source="image"))
    assert result.failure is not None
    assert result.failure.startswith("too large to process safely: 8,000 × 8,000 pixels")


def test_a_frame_the_image_does_not_have_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "one.png"
    assert scan_image(["x"], dpi=50).save(str(path))
    result = read_page(request(path, page=3, source="image"))
    assert result.failure == "the image has no page 3 (it has 1)"


def test_temporary_files_are_removed(
    english_result: OcrPageResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path = tmp_path / "one.png"
    assert scan_image(ENGLISH[:1], dpi=150).save(str(path))
    read_page(request(path, source="image"))
    read_page(request(tmp_path / "missing.png", source="image"))
    assert sorted(item.name for item in tmp_path.iterdir()) == ["one.png"]


def test_low_confidence_is_judged_by_the_measured_threshold(english_result: OcrPageResult) -> None:
    assert not recognize.is_low_confidence(english_result)
    doubtful = OcrPageResult(
        doc=1, page=1, languages="eng", confidence=recognize.LOW_CONFIDENCE - 1
    )
    assert recognize.is_low_confidence(doubtful)
    assert render.MAX_PIXELS < 8_000 * 8_000
