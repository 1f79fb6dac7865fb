"""Pages of text drawn as a scanner would give them, for the OCR tests and benchmark.

    image = scan_image(["First line", "Second line"], dpi=300, rotation=90, noise=0.02)
    write_scanned_pdf(path, [image, ...], dpi=300)

Text is drawn black on white in a serif font at FONT_POINTS; line n
(0-based) has its baseline at TOP + n * LINE_SPACING points from the top and
starts at LEFT points, so a test can say where a word is (`word_box`).
`rotation` is how far clockwise the page must be turned to read it: the
image is the upright page turned the other way. `skew` tilts the text by
that many degrees; `noise` sprinkles that share of pixels black or white.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTransform,
)

from tests.core.pdf_factory import qt_app

PAGE_POINTS = (595.0, 842.0)  # A4
LEFT = 72.0
TOP = 100.0
LINE_SPACING = 22.0
FONT_POINTS = 12.0
FONT_FAMILY = "DejaVu Serif"

ENGLISH = [
    "The plaintiff filed the complaint in the district court on the third of May.",
    "Counsel for the defendant asked the court to dismiss the claim as untimely.",
    "The witness testified that the delivery arrived two weeks after the deadline.",
    "Exhibit twelve is a copy of the signed agreement between both parties.",
    "The judge ordered the parties to exchange their documents within thirty days.",
    "No objection was raised to the admission of the police report into evidence.",
    "The hearing was adjourned until the following Monday at ten in the morning.",
    "Both parties reserved their rights to appeal the decision of the court.",
]
RUSSIAN = [
    "Истец подал исковое заявление в районный суд третьего мая.",
    "Представитель ответчика просил суд оставить иск без рассмотрения.",
    "Свидетель показал, что товар был доставлен через две недели после срока.",
    "Приложение двенадцать является копией подписанного договора сторон.",
    "Суд обязал стороны обменяться документами в течение тридцати дней.",
    "Возражений против приобщения протокола полиции к делу не поступило.",
    "Заседание было отложено до следующего понедельника на десять часов утра.",
    "Стороны сохранили право обжаловать решение суда в апелляционном порядке.",
]


def font(dpi: float) -> QFont:
    qt_app()
    chosen = QFont(FONT_FAMILY)
    chosen.setPixelSize(round(FONT_POINTS * dpi / 72))
    return chosen


def word_box(lines: Sequence[str], line: int, word: int) -> QRectF:
    """Where word `word` of line `line` is drawn on the upright page, in points."""
    metrics = QFontMetricsF(font(72.0 * 10))  # measured large, scaled down: less rounding
    scale = 1 / 10
    words = lines[line].split(" ")
    before = " ".join(words[:word]) + (" " if word else "")
    x = LEFT + metrics.horizontalAdvance(before) * scale
    width = metrics.horizontalAdvance(words[word]) * scale
    baseline = TOP + line * LINE_SPACING
    return QRectF(x, baseline - metrics.ascent() * scale, width, metrics.height() * scale)


def scan_image(
    lines: Sequence[str],
    dpi: float = 300,
    rotation: int = 0,
    skew: float = 0.0,
    noise: float = 0.0,
    blur: bool = False,
    page_points: tuple[float, float] = PAGE_POINTS,
    seed: int = 1,
    line_spacing: float = LINE_SPACING,
    top: float = TOP,
) -> QImage:
    """The upright page of `lines`, scanned at `dpi`, turned so it needs `rotation` to read."""
    qt_app()
    scale = dpi / 72
    size = (round(page_points[0] * scale), round(page_points[1] * scale))
    image = QImage(size[0], size[1], QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    if skew:
        painter.translate(size[0] / 2, size[1] / 2)
        painter.rotate(skew)
        painter.translate(-size[0] / 2, -size[1] / 2)
    painter.setFont(font(dpi))
    painter.setPen(QColor("black"))
    for number, text in enumerate(lines):
        painter.drawText(QPointF(LEFT * scale, (top + number * line_spacing) * scale), text)
    painter.end()
    if blur:
        image = _blurred(image)
    if noise:
        _sprinkle(image, noise, seed)
    if rotation:
        image = image.transformed(QTransform().rotate(-rotation))
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    return image


def write_scanned_pdf(path: Path | str, images: Sequence[QImage], dpi: float = 300) -> Path:
    """An image-only PDF: each image a page the size it has at `dpi`, and no text."""
    qt_app()
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(round(dpi))
    painter: QPainter | None = None
    for number, image in enumerate(images):
        size = QSizeF(image.width() * 72 / dpi, image.height() * 72 / dpi)
        layout = QPageLayout(
            QPageSize(size, QPageSize.Unit.Point), QPageLayout.Orientation.Portrait, QMarginsF()
        )
        writer.setPageLayout(layout)
        if painter is None:
            painter = QPainter(writer)
        elif number:
            writer.newPage()
        painter.drawImage(QRectF(0, 0, image.width(), image.height()), image)
    if painter is not None:
        painter.end()
    return path


def _sprinkle(image: QImage, share: float, seed: int) -> None:
    """Salt and pepper: `share` of the pixels set black or white at random."""
    chance = random.Random(seed)
    count = int(image.width() * image.height() * share)
    painter = QPainter(image)
    for colour in ("black", "white"):
        painter.setPen(QColor(colour))
        points = [
            QPoint(chance.randrange(image.width()), chance.randrange(image.height()))
            for _ in range(count // 2)
        ]
        painter.drawPoints(points)
    painter.end()


def _blurred(image: QImage) -> QImage:
    """A soft scan: the page shrunk to half and stretched back (bilinear both ways)."""
    mode = Qt.TransformationMode.SmoothTransformation
    small = image.scaled(image.width() // 2, image.height() // 2, mode=mode)
    return small.scaled(image.width(), image.height(), mode=mode).convertToFormat(
        QImage.Format.Format_Grayscale8
    )


def scribbled_image(dpi: float = 300) -> QImage:
    """A page with a pen's scribble on it and no letters: ink Tesseract reads no word in."""
    image = scan_image([], dpi=dpi)
    scale = dpi / 300
    painter = QPainter(image)
    painter.setPen(QPen(QColor("black"), 6 * scale))
    path = QPainterPath(QPointF(600 * scale, 2600 * scale))
    for loop in range(8):
        x = (700 + loop * 150) * scale
        path.cubicTo(
            QPointF(x, 2300 * scale),
            QPointF(x + 60 * scale, 2900 * scale),
            QPointF(x + 100 * scale, 2600 * scale),
        )
    painter.drawPath(path)
    painter.end()
    return image
