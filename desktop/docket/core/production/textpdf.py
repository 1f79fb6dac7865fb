"""A text document as a PDF to produce: each stored page on a page of its own.

One produced page per stored page keeps a Bates number on each page of the
case (the reader, search and cites name pages by their stored number), so a
long page is set in a smaller font rather than run onto a second sheet.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from io import BytesIO

from pypdf import PdfReader

from docket.core.errors import DocketError

LETTER = (612.0, 792.0)
MARGIN = 54.0  # three quarters of an inch: the stamps fit under the text
MONO_FAMILIES = ["DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono", "Courier New"]
LARGEST, SMALLEST = 10.0, 5.0
LEADING = 1.25


def text_pdf(pages: Sequence[str], title: str = "") -> PdfReader:
    """The stored pages' text typeset by Qt, monospaced, one page each (Letter)."""
    from docket.core.export.reportpdf import _ensure_gui

    _ensure_gui()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF
    from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)
    writer.setTitle(title)
    writer.setCreator("Docket")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    width, height = LETTER
    painter = QPainter()
    if not painter.begin(writer):
        raise DocketError("cannot typeset a text document: Qt's PDF writer did not start")
    try:
        for index, text in enumerate(pages or [""]):
            if index:
                writer.newPage()
            points = LARGEST
            while True:
                font = QFont()
                font.setFamilies(MONO_FAMILIES)
                font.setStyleHint(QFont.StyleHint.Monospace)
                font.setPointSizeF(points)
                metrics = QFontMetricsF(font)
                columns = max(20, int((width - 2 * MARGIN) / max(metrics.averageCharWidth(), 1)))
                lines = _wrapped(text, columns)
                step = points * LEADING
                if len(lines) * step <= height - 2 * MARGIN or points <= SMALLEST:
                    break
                points -= 0.5
            painter.setFont(font)
            y = MARGIN + metrics.ascent()
            for line in lines:
                painter.drawText(QPointF(MARGIN, y), line)
                y += step
    finally:
        painter.end()
    buffer.close()
    return PdfReader(BytesIO(bytes(data.data())))


def _wrapped(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    for line in text.replace("\f", "").splitlines():
        expanded = line.expandtabs(8).rstrip()
        lines.extend(
            textwrap.wrap(expanded, columns, replace_whitespace=False, drop_whitespace=False)
            or [""]
        )
    return lines
