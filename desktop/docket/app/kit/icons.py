"""The UI's icons: SVG files under resources/icons, drawn in the palette's text colour.

The files are drawn in one ink colour; it is replaced by the palette's text
colour when loaded, so the icons read on light and dark palettes alike.
Accents (the orange of a search hit) keep their own colour.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPalette, QPixmap

from docket.resources import resource

INK = "#3b4252"  # the colour the SVG files are drawn in
SIZES = (16, 24, 32, 48)  # rendered ahead, so high-DPI screens get sharp pixmaps


def svg_icon(name: str, palette: QPalette) -> QIcon:
    try:
        path = resource(f"icons/{name}.svg")
    except FileNotFoundError:
        return QIcon.fromTheme(name)
    if not path.is_file():
        return QIcon.fromTheme(name)
    ink = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText).name()
    text = path.read_text(encoding="utf-8").replace(INK, ink)
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap()
        sized = text.replace('width="24" height="24"', f'width="{size}" height="{size}"', 1)
        if pixmap.loadFromData(sized.encode("utf-8"), "SVG"):
            icon.addPixmap(pixmap)
    return icon
