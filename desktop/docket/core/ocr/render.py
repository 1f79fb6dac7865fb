"""A page made into the grayscale image Tesseract reads: a PDF page rendered, or an image's frame.

Runs in worker processes with no Q*Application: QtPdf and QImage need none.
Images are written as PGM (uncompressed gray): measured on a 300-dpi A4
page, Qt writes PGM in 6 ms and PNG in 90 ms, and Tesseract reads either in
the same time; the temporary file is on local disk for a second or two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtPdf import QPdfDocument

from docket.core.errors import DocketError
from docket.core.pdf.imageframes import read_frame

IMAGE_SUFFIX = ".pgm"  # Qt picks the format by the suffix

# Tesseract refuses sides over 32767 pixels, and holds several bytes per
# pixel of the page (binarised copies, line finding): 60 Mpx is an A1 sheet
# at 200 dpi or A3 at 400 dpi and needs ~1 GB. A PDF page larger than that
# at OCR_DPI is drawn at a lower resolution; an image frame over it is refused
# (imageframes.MAX_FRAME_PIXELS, the same figure).
MAX_PIXELS = 60_000_000
MAX_SIDE = 32_767

# A file's own resolution is believed between these; outside them (0 when
# not recorded, absurd values) 300 is assumed, what scanners write by default.
MIN_PLAUSIBLE_DPI = 50.0
MAX_PLAUSIBLE_DPI = 1200.0
ASSUMED_DPI = 300.0
_INCHES_PER_METER = 39.3700787


class RenderFailed(DocketError):
    """The page could not be made into an image for OCR; the message says why."""


@dataclass(frozen=True)
class PageImage:
    """The image written for Tesseract and the resolution it stands for."""

    path: Path
    dpi: float
    width: int  # pixels
    height: int


def image_dpi(dots_per_meter_x: int, dots_per_meter_y: int) -> float:
    """The resolution an image's pixels are taken at, from what the file records.

    The file's own (QImage.dotsPerMeterX/Y) when it is plausible, else 300.
    Page sizes of images as documents follow from it: points = pixels * 72 / dpi.
    """
    dpi_x = dots_per_meter_x / _INCHES_PER_METER
    dpi_y = dots_per_meter_y / _INCHES_PER_METER
    if not all(MIN_PLAUSIBLE_DPI <= dpi <= MAX_PLAUSIBLE_DPI for dpi in (dpi_x, dpi_y)):
        return ASSUMED_DPI
    # Scanners write e.g. 299.9994 for 300 (11811 dots per meter): rounded.
    return float(round((dpi_x + dpi_y) / 2))


def render_pdf_page(
    path: Path, password: str | None, page_number: int, dpi: float, folder: Path
) -> PageImage:
    """Page `page_number` (1-based) of the PDF as shown (its /Rotate applied), in gray.

    A page too large for `dpi` within MAX_PIXELS is rendered at the highest
    resolution that fits, so a large drawing is still read rather than refused.
    """
    document = QPdfDocument()
    try:
        _open(document, path, password)
        index = page_number - 1
        if not 0 <= index < document.pageCount():
            raise RenderFailed(f"the PDF has no page {page_number}")
        size = document.pagePointSize(index)
        width_points, height_points = float(size.width()), float(size.height())
        if not (width_points > 0 and height_points > 0):
            raise RenderFailed(f"page {page_number} has no size: it cannot be drawn")
        dpi = _fitting_dpi(width_points, height_points, dpi)
        pixels = QSize(
            max(1, round(width_points * dpi / 72)), max(1, round(height_points * dpi / 72))
        )
        image = document.render(index, pixels)
    finally:
        document.close()
    if image.isNull():
        raise RenderFailed(f"page {page_number} could not be drawn")
    return _save(image.convertToFormat(QImage.Format.Format_Grayscale8), dpi, folder)


def render_image_frame(path: Path, frame: int, folder: Path) -> PageImage:
    """Frame `frame` (0-based) of the image file, in gray, at the resolution its page has.

    The frame is read as image documents read it (imageframes: turned as its
    EXIF says, bombs and damage refused with the reason), so the words land
    on the page the rendition shows.
    """
    read = read_frame(path, frame)
    image = read.image.convertToFormat(QImage.Format.Format_Grayscale8)
    return _save(image, read.dpi, folder)


def turned(page: PageImage, degrees: int, folder: Path) -> PageImage:
    """The page image turned `degrees` clockwise (90, 180, 270), saved beside it."""
    image = QImage(str(page.path))
    if image.isNull():
        raise RenderFailed("the page image could not be read back")
    rotated = image.transformed(QTransform().rotate(degrees))
    return _save(rotated, page.dpi, folder, name=f"turned{degrees}")


def straightened(page: PageImage, degrees: float, folder: Path) -> PageImage:
    """The page image turned `degrees` clockwise about its centre, on white: a skew undone."""
    image = QImage(str(page.path))
    if image.isNull():
        raise RenderFailed("the page image could not be read back")
    return _save(rotated_about_centre(image, degrees), page.dpi, folder, name="straightened")


def rotated_about_centre(image: QImage, degrees: float, smooth: bool = True) -> QImage:
    """`image` turned `degrees` clockwise about its centre, same size, corners white."""
    out = QImage(image.size(), QImage.Format.Format_Grayscale8)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
    painter.translate(image.width() / 2, image.height() / 2)
    painter.rotate(degrees)
    painter.translate(-image.width() / 2, -image.height() / 2)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


def _open(document: QPdfDocument, path: Path, password: str | None) -> None:
    if password:
        document.setPassword(password)
    error = document.load(str(path))
    if error == QPdfDocument.Error.IncorrectPassword:
        raise RenderFailed("the PDF needs its password to be read")
    if error != QPdfDocument.Error.None_:
        raise RenderFailed(f"the PDF cannot be opened ({error.name})")


def _fitting_dpi(width_points: float, height_points: float, dpi: float) -> float:
    limit = math.sqrt(MAX_PIXELS / (width_points * height_points)) * 72
    limit = min(limit, MAX_SIDE * 72 / max(width_points, height_points))
    return min(dpi, math.floor(limit))


def _save(image: QImage, dpi: float, folder: Path, name: str = "page") -> PageImage:
    target = folder / f"{name}{IMAGE_SUFFIX}"
    if not image.save(str(target)):
        raise RenderFailed(f"the page image could not be written to {folder}")
    return PageImage(path=target, dpi=dpi, width=image.width(), height=image.height())
