"""The text layer laid over pages of every rotation and box offset: text and geometry in place."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import RectangleObject
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument

from docket.core.ocr.graft import (
    GraftFailed,
    grafted_page_text,
    lay_over,
    read_single_page,
    tilted_layer,
)
from docket.core.ocr.model import OcrPageResult
from tests.core.ocr.scans import ENGLISH, word_box

ROTATIONS = (0, 90, 180, 270)


def page_with_layer(layer: bytes, own_rotation: int, turn: int) -> bytes:
    """A blank page whose CropBox is not at the origin, shown upright A4 after `turn`."""
    final = (own_rotation + turn) % 360
    width, height = (842.0, 595.0) if final in (90, 270) else (595.0, 842.0)
    writer = PdfWriter()
    page = writer.add_blank_page(1200, 1200)
    page.mediabox = RectangleObject((-20, -30, 1200, 1200))
    page.cropbox = RectangleObject((100, 50, 100 + width, 50 + height))
    if own_rotation:
        page.rotation = own_rotation
    lay_over(page, layer, turn)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def selection_box(pdf: bytes, word: str) -> tuple[float, float, float, float]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    text = document.getAllText(0).text()
    start = text.index(word)
    # On a rotated page QtPdf's bounding rectangle comes unnormalised (negative sizes).
    box = document.getSelectionAtIndex(0, start, len(word)).boundingRectangle().normalized()
    document.close()
    return box.x(), box.y(), box.width(), box.height()


@pytest.mark.parametrize("own_rotation", ROTATIONS)
@pytest.mark.parametrize("turn", ROTATIONS)
def test_the_layer_lands_on_the_words_whatever_the_rotation(
    english_result: OcrPageResult, own_rotation: int, turn: int
) -> None:
    pdf = page_with_layer(english_result.layer, own_rotation, turn)
    text, width, height = read_single_page(pdf)
    assert (round(width), round(height)) == (595, 842)
    assert ENGLISH[0] in " ".join(text.split())
    x, y, box_width, box_height = selection_box(pdf, "complaint")
    drawn = word_box(ENGLISH, 0, 4)
    assert abs(x - drawn.x()) < 3
    # The word's letters fill its box (layerfit): a highlight ends where the ink does.
    assert abs(x + box_width - drawn.right()) < 2.5
    assert drawn.y() - 3 < y < drawn.bottom()
    assert box_height < 20


@pytest.mark.parametrize("skew", [3.0, -3.0])
def test_a_tilted_layer_keeps_its_lines_and_moves_its_words(
    english_result: OcrPageResult, skew: float
) -> None:
    # The layer of a page read straight, put on a page skewed `skew` degrees clockwise.
    tilted = tilted_layer(english_result.layer, -skew)
    text = read_single_page(page_with_layer(tilted, 0, 0))[0]
    for sentence in ENGLISH:
        assert sentence in " ".join(text.split())
    x, y, box_width, box_height = selection_box(page_with_layer(tilted, 0, 0), "complaint")
    drawn = word_box(ENGLISH, 0, 4)
    angle = math.radians(skew)
    dx, dy = drawn.center().x() - 595 / 2, drawn.center().y() - 842 / 2
    expected_x = 595 / 2 + dx * math.cos(angle) - dy * math.sin(angle)
    expected_y = 842 / 2 + dx * math.sin(angle) + dy * math.cos(angle)
    assert abs(x + box_width / 2 - expected_x) < 5
    assert abs(y + box_height / 2 - expected_y) < 5


def test_the_grafted_text_of_a_scanned_page_is_what_read_page_gave(
    english_result: OcrPageResult, scanned_pdf: Path
) -> None:
    text, width, height = grafted_page_text(scanned_pdf, None, 1, english_result.layer, 0, "pdf")
    assert (text, width, height) == (english_result.text, 595.0, 842.0)


def test_a_page_turned_by_the_graft_shows_with_its_rotation(
    english_result: OcrPageResult, scanned_pdf: Path
) -> None:
    text, width, height = grafted_page_text(scanned_pdf, None, 1, english_result.layer, 90, "pdf")
    assert (width, height) == (842.0, 595.0)  # the A4 page is now shown landscape
    assert ENGLISH[1] in " ".join(text.split())


def test_a_broken_layer_fails_clearly(scanned_pdf: Path) -> None:
    with pytest.raises(GraftFailed, match="the text layer is not a readable PDF"):
        grafted_page_text(scanned_pdf, None, 1, b"%PDF-1.5 truncated", 0, "pdf")


def test_a_page_the_pdf_does_not_have_fails_clearly(
    english_result: OcrPageResult, scanned_pdf: Path
) -> None:
    with pytest.raises(GraftFailed, match="the PDF has no page 9"):
        grafted_page_text(scanned_pdf, None, 9, english_result.layer, 0, "pdf")
