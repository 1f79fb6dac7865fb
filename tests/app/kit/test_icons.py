"""The UI's SVG icons load from resources/ and take the palette's text colour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPalette

from docket.app.kit.icons import svg_icon
from docket.resources import resource

NAMES = sorted(p.stem for p in resource("icons").glob("*.svg") if p.stem != "docket")


@pytest.mark.parametrize("name", NAMES)
def test_every_icon_loads(qapp, name: str) -> None:
    icon = svg_icon(name, qapp.palette())
    assert not icon.isNull()
    assert not icon.pixmap(24, 24).isNull()


@pytest.mark.parametrize("ink", ["#101010", "#f0f0f0"])  # a light and a dark palette
def test_icons_are_drawn_in_the_palettes_text_colour(qapp, ink: str) -> None:
    palette = QPalette(qapp.palette())
    palette.setColor(QPalette.ColorRole.WindowText, QColor(ink))
    image = svg_icon("go-back", palette).pixmap(48, 48).toImage()
    opaque = [
        image.pixelColor(x, y)
        for x in range(48)
        for y in range(48)
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert opaque, "the arrow was drawn"
    assert all(color.name() == ink for color in opaque)


def test_the_application_icon_exists() -> None:
    assert resource("icons/docket.svg").read_text(encoding="utf-8").startswith("<svg")


def test_an_icon_is_drawn_sharp_at_the_size_and_pixel_ratio_shown(qapp) -> None:
    """Drawn when shown, not ahead: a 24 px icon on a 2× screen is 48 device pixels
    drawn from the SVG, not 24 scaled up; a disabled one is greyed by the style."""
    palette = QPalette(qapp.palette())
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#101010"))
    icon = svg_icon("go-back", palette)
    sharp = icon.pixmap(QSize(24, 24), 2.0)
    assert (sharp.width(), sharp.height(), sharp.devicePixelRatio()) == (48, 48, 2.0)
    assert sharp.toImage() == icon.pixmap(48, 48).toImage()  # the SVG drawn at 48 px
    disabled = icon.pixmap(QSize(24, 24), 1.0, QIcon.Mode.Disabled).toImage()
    normal = icon.pixmap(QSize(24, 24), 1.0).toImage()
    assert disabled != normal
