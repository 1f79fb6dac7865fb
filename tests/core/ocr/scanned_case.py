"""Cases holding scans, for the tests of OCR in a case (Case.ocr, renditions, marks)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from docket.core.case import Case
from docket.core.model.records import ImportStatus
from tests.core.ocr.scans import scan_image, write_scanned_pdf
from tests.core.pdf_factory import qt_app, write_pdf


def import_one(case: Case, path: Path) -> int:
    """Import `path` alone into `case`; its document id."""
    report = case.import_paths([path], workers=1)
    (outcome,) = report.outcomes
    assert outcome.status is ImportStatus.IMPORTED, outcome.reason
    assert outcome.doc is not None
    return outcome.doc


def scanned_pdf(path: Path, pages: Sequence[Sequence[str]], **scan: object) -> Path:
    """An image-only PDF at 300 dpi, a page per list of lines."""
    return write_scanned_pdf(path, [scan_image(lines, **scan) for lines in pages])  # type: ignore[arg-type]


def stamped_scan(path: Path, lines: Sequence[str], stamp: str, dpi: float = 300) -> Path:
    """A scanned page whose PDF also carries a little real text: a court stamp put
    on electronically, at the foot of the page (too little to search the page by)."""
    qt_app()
    image = scan_image(lines, dpi=dpi)
    writer = QPdfWriter(str(path))
    writer.setResolution(round(dpi))
    size = QSizeF(image.width() * 72 / dpi, image.height() * 72 / dpi)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(size, QPageSize.Unit.Point), QPageLayout.Orientation.Portrait, QMarginsF()
        )
    )
    painter = QPainter(writer)
    painter.drawImage(QRectF(0, 0, image.width(), image.height()), image)
    font = QFont("DejaVu Sans")
    font.setPixelSize(round(9 * dpi / 72))
    painter.setFont(font)
    painter.setPen(QColor("darkblue"))
    painter.drawText(round(72 * dpi / 72), round(800 * dpi / 72), stamp)
    painter.end()
    return path


def joined_pdf(path: Path, parts: Sequence[Path]) -> Path:
    """The pages of `parts`, in order, as one PDF."""
    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(part).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


def text_pdf(path: Path, pages: Sequence[str]) -> Path:
    return write_pdf(path, pages)


def blank_image(path: Path, width: int = 2480, height: int = 3508) -> Path:
    """A white A4 page at 300 dpi as a PNG: nothing to read."""
    qt_app()
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    image.setDotsPerMeterX(round(300 / 0.0254))
    image.setDotsPerMeterY(round(300 / 0.0254))
    assert image.save(str(path))
    return path
