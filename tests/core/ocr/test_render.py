"""A page made into Tesseract's image: resolution rules, PDF pages as shown, limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from PySide6.QtGui import QImage

from docket.core.ocr import render
from docket.core.ocr.render import (
    ASSUMED_DPI,
    PageImage,
    RenderFailed,
    has_ink,
    image_dpi,
    pdf_page_image,
    render_image_frame,
    render_pdf_page,
    stored_scan,
    tiff_of_pixels,
)
from tests.core.ocr.scans import ENGLISH, scan_image, scribbled_image, write_scanned_pdf
from tests.core.pdf_factory import write_pdf


def per_meter(dpi: float) -> int:
    return round(dpi / 0.0254)


def test_image_dpi_believes_plausible_resolutions_only() -> None:
    assert image_dpi(per_meter(300), per_meter(300)) == 300
    assert image_dpi(11811, 11811) == 300  # what scanners write for 300
    assert image_dpi(per_meter(200), per_meter(200)) == 200
    assert image_dpi(0, 0) == ASSUMED_DPI  # not recorded
    assert image_dpi(per_meter(2400), per_meter(2400)) == ASSUMED_DPI
    assert image_dpi(per_meter(300), per_meter(10)) == ASSUMED_DPI


def test_a_pdf_page_is_drawn_as_shown_in_gray(tmp_path: Path) -> None:
    pdf = write_scanned_pdf(tmp_path / "scan.pdf", [scan_image(ENGLISH[:2], dpi=100)], dpi=100)
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.pages[0].rotation = 90
    turned = tmp_path / "turned.pdf"
    writer.write(turned)
    page = render_pdf_page(turned, None, 1, 300, tmp_path)
    assert page.dpi == 300
    assert page.width > page.height  # turned as shown: A4 landscape at 300 dpi
    assert abs(page.width - 3508) <= 2 and abs(page.height - 2480) <= 2
    image = QImage(str(page.path))
    assert image.format() == QImage.Format.Format_Grayscale8
    assert image.pixelColor(5, 5).lightness() == 255  # white paper


def test_a_scanned_page_is_handed_over_as_stored_and_anything_else_drawn(tmp_path: Path) -> None:
    pdf = write_scanned_pdf(tmp_path / "scan.pdf", [scan_image(ENGLISH[:2])])
    stored = pdf_page_image(pdf, None, 1, 300, tmp_path)
    assert stored.path.suffix in (".jpg", ".tif")  # as QPdfWriter stored it
    assert (stored.width, stored.height, stored.dpi) == (2479, 3508, pytest.approx(300, abs=1))
    assert not QImage(str(stored.path)).isNull()
    # At 150 dpi the stored 300-dpi scan is not what was asked for: drawn instead.
    drawn = pdf_page_image(pdf, None, 1, 150, tmp_path / "..")
    assert drawn.path.name == "page.tif" and drawn.dpi == 150
    # A page with text drawn over the scan (a stamp) is drawn with it.
    stamped = tmp_path / "stamped.pdf"
    writer = PdfWriter(clone_from=PdfReader(write_pdf(tmp_path / "stamp.pdf", ["RECEIVED"])))
    page = writer.pages[0]
    page.merge_page(PdfReader(pdf).pages[0], over=False)
    writer.write(stamped)
    assert stored_scan(PdfReader(stamped), 1, 300, tmp_path) is None


def test_a_page_too_large_for_the_resolution_is_drawn_smaller(tmp_path: Path) -> None:
    pdf = tmp_path / "poster.pdf"
    writer = PdfWriter()
    writer.add_blank_page(72 * 40, 72 * 30)  # 40 × 30 inches
    writer.write(pdf)
    page = render_pdf_page(pdf, None, 1, 300, tmp_path)
    assert page.dpi < 300
    assert page.width * page.height <= 60_000_000


def test_a_page_the_pdf_does_not_have_is_refused(tmp_path: Path) -> None:
    pdf = write_scanned_pdf(tmp_path / "scan.pdf", [scan_image(["x"], dpi=50)], dpi=50)
    with pytest.raises(RenderFailed, match="the PDF has no page 2"):
        render_pdf_page(pdf, None, 2, 300, tmp_path)


def test_an_image_frame_keeps_its_resolution(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    assert scan_image(["x"], dpi=150).save(str(path))
    page = render_image_frame(path, 0, tmp_path / "..")
    assert page.dpi == 150
    assert (page.width, page.height) == (1240, 1754)


def test_a_flate_scan_is_handed_over_as_a_tiff_of_its_very_pixels(tmp_path: Path) -> None:
    # Tesseract's image library reads an uncompressed TIFF ~20 times faster than
    # a PGM (which it reads a byte at a time); the pixels must be the scan's own.
    gray = scan_image(ENGLISH[:2], dpi=100).convertToFormat(QImage.Format.Format_Grayscale8)
    rows = bytes(gray.constBits())
    stride = gray.bytesPerLine()
    pixels = b"".join(
        rows[row * stride : row * stride + gray.width()] for row in range(gray.height())
    )
    target = tmp_path / "gray.tif"
    target.write_bytes(tiff_of_pixels(pixels, gray.width(), gray.height(), 1))
    assert QImage(str(target)).convertToFormat(QImage.Format.Format_Grayscale8) == gray
    colour = gray.convertToFormat(QImage.Format.Format_RGB888)
    stride = colour.bytesPerLine()
    data = bytes(colour.constBits())
    pixels = b"".join(
        data[row * stride : row * stride + colour.width() * 3] for row in range(colour.height())
    )
    target = tmp_path / "colour.tif"
    target.write_bytes(tiff_of_pixels(pixels, colour.width(), colour.height(), 3))
    assert QImage(str(target)).convertToFormat(QImage.Format.Format_RGB888) == colour


def test_ink_is_strokes_not_specks_of_noise(tmp_path: Path) -> None:
    def inked(image: QImage) -> bool:
        path = tmp_path / "page.png"
        assert image.save(str(path))
        return has_ink(PageImage(path, 300, image.width(), image.height()))

    assert not inked(scan_image([]))
    assert not inked(scan_image([], noise=0.03))  # a dusty scanner glass
    assert inked(scribbled_image())
    assert inked(scan_image(ENGLISH[:1]))


def test_a_qt_that_cannot_write_tiff_hands_over_a_pgm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "IMAGE_SUFFIX", ".no-such-format")  # as if qtiff were missing
    pdf = write_scanned_pdf(tmp_path / "scan.pdf", [scan_image(ENGLISH[:2], dpi=100)], dpi=100)
    page = render_pdf_page(pdf, None, 1, 150, tmp_path)
    assert page.path.name == "page.pgm"
    assert QImage(str(page.path)).size().width() == page.width
