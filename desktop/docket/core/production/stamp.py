"""Stamps on produced pages: the Bates number, a legend, an exhibit sticker.

Each page's stamps are drawn by Qt (QPdfWriter + QPainter) on a page of their
own the size the page is shown at, as real text, so pdftotext, pypdf and QtPdf
read the Bates number back; pypdf then lays that page over the produced page,
turned and moved for the page's /Rotate and CropBox so the stamp sits at the
bottom of the page as a reader shows it. The stamp is in the margin, in a small
font on a white box, so whatever the margin already holds cannot hide it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from docket.core.errors import DocketError

if TYPE_CHECKING:  # pypdf is imported where a page is stamped: `docket --help` needs Position only
    from pypdf import PageObject, PdfReader, Transformation

FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica"]
BATES_POINTS = 9.0
LEGEND_POINTS = 8.0
EXHIBIT_POINTS = 11.0
SIDE = 24.0  # points from the page's side to the stamp
FOOT = 12.0  # points from the page's foot to the stamp's baseline box
PAD = 2.0  # white around the stamped words


class Position(StrEnum):
    BOTTOM_RIGHT = "bottom-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_CENTER = "bottom-center"


@dataclass(frozen=True)
class Stamp:
    """What one page carries."""

    bates: str
    position: Position = Position.BOTTOM_RIGHT
    legend: str = ""
    exhibit: str = ""  # "Exhibit 12" on a document's first page, else ""


def shown_size(page: PageObject) -> tuple[float, float]:
    """The page's width and height as a reader shows it (CropBox, turned by /Rotate)."""
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    return (height, width) if page.rotation % 180 == 90 else (width, height)


def shown_to_page(page: PageObject) -> Transformation:
    """Maps points of the page as shown (origin bottom left) to the page's own space."""
    from pypdf import Transformation

    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    rotation = page.rotation % 360
    if rotation == 90:  # shown turned clockwise: shown (X, Y) is page (w - Y, X)
        ctm = (0.0, 1.0, -1.0, 0.0, x0 + width, y0)
    elif rotation == 180:
        ctm = (-1.0, 0.0, 0.0, -1.0, x0 + width, y0 + height)
    elif rotation == 270:
        ctm = (0.0, -1.0, 1.0, 0.0, x0, y0 + height)
    else:
        ctm = (1.0, 0.0, 0.0, 1.0, x0, y0)
    return Transformation(ctm)


def overlay_pages(sizes: Sequence[tuple[float, float]], stamps: Sequence[Stamp]) -> PdfReader:
    """One page of stamps for each (width, height) shown, drawn by Qt."""
    from io import BytesIO

    from pypdf import PdfReader

    from docket.core.export.reportpdf import _ensure_gui

    _ensure_gui()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)  # one device unit is one point
    writer.setCreator("Docket")

    def page_size(size: tuple[float, float]) -> QPageSize:
        return QPageSize(
            QSizeF(*size), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch
        )

    writer.setPageSize(page_size(sizes[0]))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    painter = QPainter()
    if not painter.begin(writer):
        raise DocketError("cannot draw the stamps: Qt's PDF writer did not start")
    try:
        for index, (size, stamp) in enumerate(zip(sizes, stamps, strict=True)):
            if index:
                writer.setPageSize(page_size(size))
                writer.newPage()
            _draw(painter, size, stamp)
    finally:
        painter.end()
    buffer.close()
    return PdfReader(BytesIO(bytes(data.data())))


def _font(points: float, bold: bool = False) -> object:
    from PySide6.QtGui import QFont

    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _boxed_text(painter: object, text: str, font: object, x: float, bottom: float) -> float:
    """Draw `text` on a white box whose left is `x` and foot `bottom`; returns its width."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFontMetricsF, QPainter

    assert isinstance(painter, QPainter)
    painter.setFont(font)  # type: ignore[arg-type]
    metrics = QFontMetricsF(painter.font(), painter.device())  # in the PDF's points
    width = metrics.horizontalAdvance(text)
    height = metrics.height()
    box = QRectF(x - PAD, bottom - height - PAD, width + 2 * PAD, height + 2 * PAD)
    painter.fillRect(box, QColor("white"))
    painter.setPen(QColor("black"))
    painter.drawText(
        QRectF(x, bottom - height, width + 1, height), Qt.AlignmentFlag.AlignLeft, text
    )
    return width


def text_width(text: str, points: float, device: object, bold: bool = False) -> float:
    """The width in `device`'s units (the PDF writer's points; a screen's would be wider)."""
    from PySide6.QtGui import QFont, QFontMetricsF, QPaintDevice

    font = _font(points, bold)
    assert isinstance(font, QFont) and isinstance(device, QPaintDevice)
    return QFontMetricsF(font, device).horizontalAdvance(text)


def _draw(painter: object, size: tuple[float, float], stamp: Stamp) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QPainter, QPen

    assert isinstance(painter, QPainter)
    width, height = size
    foot = height - FOOT
    device = painter.device()
    bates_width = text_width(stamp.bates, BATES_POINTS, device)
    if stamp.position is Position.BOTTOM_LEFT:
        bates_x = SIDE
    elif stamp.position is Position.BOTTOM_CENTER:
        bates_x = (width - bates_width) / 2
    else:
        bates_x = width - SIDE - bates_width
    _boxed_text(painter, stamp.bates, _font(BATES_POINTS), bates_x, foot)
    if stamp.legend:
        # Centred at the foot, between the margins the Bates number leaves free; over
        # it when the number is centred. Made smaller, down to 5 pt, to fit.
        free = width - 2 * (SIDE + bates_width + 8)
        legend_foot = foot
        if stamp.position is Position.BOTTOM_CENTER:
            free, legend_foot = width - 2 * SIDE, foot - BATES_POINTS * 1.6
        points = LEGEND_POINTS
        while points > 5 and text_width(stamp.legend, points, device) > free:
            points -= 0.5
        legend_width = text_width(stamp.legend, points, device)
        _boxed_text(painter, stamp.legend, _font(points), (width - legend_width) / 2, legend_foot)
    if stamp.exhibit:
        font = _font(EXHIBIT_POINTS, bold=True)
        label_width = text_width(stamp.exhibit, EXHIBIT_POINTS, device, bold=True)
        box = QRectF(width - SIDE - label_width - 12, 14, label_width + 12, EXHIBIT_POINTS * 2)
        painter.fillRect(box, QColor("white"))
        painter.setPen(QPen(QColor("black"), 1.2))
        painter.drawRect(box)
        painter.setFont(font)  # type: ignore[arg-type]
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, stamp.exhibit)


def stamp_pages(pages: Sequence[PageObject], stamps: Sequence[Stamp]) -> None:
    """Lay each page's stamps over it (the pages are changed in place)."""
    if not pages:
        return
    overlay = overlay_pages([shown_size(page) for page in pages], stamps)
    for page, stamped in zip(pages, overlay.pages, strict=True):
        page.merge_transformed_page(stamped, shown_to_page(page), over=True, expand=False)
