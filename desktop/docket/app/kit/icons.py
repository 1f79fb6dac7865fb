"""The UI's icons: SVG files under resources/icons, drawn in the palette's text colour.

The files are drawn in one ink colour; it is replaced by the palette's text
colour when loaded, so the icons read on light and dark palettes alike.
Accents (the orange of a search hit) keep their own colour.

Each icon is drawn when it is first shown, at the size and pixel ratio it is
shown at (a toolbar's 24 px on a 2× screen: 48 px), and kept: drawing every
icon at four sizes ahead cost ~10 ms before the window's first page, for
icons most of which sit in menus not yet opened.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyleOption

from docket.resources import resource

INK = "#3b4252"  # the colour the SVG files are drawn in
DRAWN_SIZE = 'width="24" height="24"'  # the files' own size, replaced by the size drawn


class SvgIconEngine(QIconEngine):
    """An SVG drawn at each size asked for, once (Qt keeps no cache for an engine's
    pixmaps); a disabled icon is the style's greyed form of the normal one."""

    def __init__(self, svg: str) -> None:
        super().__init__()
        self._svg = svg
        self._drawn: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._svg)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        side = max(1, round(min(size.width(), size.height()) * scale))
        key = (side, round(scale * 100), mode)
        pixmap = self._drawn.get(key)
        if pixmap is None:
            pixmap = self._draw(side, mode)
            pixmap.setDevicePixelRatio(scale)
            self._drawn[key] = pixmap
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def _draw(self, side: int, mode: QIcon.Mode) -> QPixmap:
        pixmap = QPixmap()
        sized = self._svg.replace(DRAWN_SIZE, f'width="{side}" height="{side}"', 1)
        pixmap.loadFromData(sized.encode("utf-8"), "SVG")
        style = QApplication.style()
        if mode == QIcon.Mode.Normal or pixmap.isNull() or style is None:
            return pixmap
        return style.generatedIconPixmap(mode, pixmap, QStyleOption())


def svg_icon(name: str, palette: QPalette) -> QIcon:
    try:
        path = resource(f"icons/{name}.svg")
    except FileNotFoundError:
        return QIcon.fromTheme(name)
    if not path.is_file():
        return QIcon.fromTheme(name)
    ink = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText).name()
    return QIcon(SvgIconEngine(path.read_text(encoding="utf-8").replace(INK, ink)))
