"""Light and dark themes: the palette follows, whatever the platform supports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from docket.app.kit.theme import apply_theme, dark_palette, is_dark, light_palette

WINDOW = QPalette.ColorRole.Window


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    apply_theme(qapp, "system")  # one QApplication serves every test: leave it as found


def window_colour(app: QApplication):
    return app.palette().color(QPalette.ColorGroup.Active, WINDOW)


def test_dark_gives_a_dark_window_and_light_text(app: QApplication) -> None:
    apply_theme(app, "dark")
    assert window_colour(app).lightness() < 100
    assert app.palette().color(QPalette.ColorRole.WindowText).lightness() > 180
    assert is_dark(app.palette())


def test_light_gives_a_light_window(app: QApplication) -> None:
    apply_theme(app, "dark")
    apply_theme(app, "light")
    assert window_colour(app).lightness() > 180
    assert not is_dark(app.palette())


def test_system_brings_back_the_style_and_palette_that_were_there(app: QApplication) -> None:
    style, colour = app.style().name(), window_colour(app).name()
    apply_theme(app, "dark")
    apply_theme(app, "system")
    assert app.style().name() == style
    assert window_colour(app).name() == colour


def test_widgets_follow_the_switch(qtbot, app: QApplication) -> None:
    label = QLabel("Statement of facts")
    qtbot.addWidget(label)
    apply_theme(app, "dark")
    qtbot.waitUntil(lambda: is_dark(label.palette()))
    apply_theme(app, "light")
    qtbot.waitUntil(lambda: not is_dark(label.palette()))


def test_an_unknown_theme_means_system(app: QApplication) -> None:
    colour = window_colour(app).name()
    apply_theme(app, "sepia")
    assert window_colour(app).name() == colour


def test_the_palettes_keep_text_readable() -> None:
    for palette in (dark_palette(), light_palette()):
        for back, fore in (
            (WINDOW, QPalette.ColorRole.WindowText),
            (QPalette.ColorRole.Base, QPalette.ColorRole.Text),
            (QPalette.ColorRole.Button, QPalette.ColorRole.ButtonText),
            (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText),
        ):
            gap = abs(palette.color(back).lightness() - palette.color(fore).lightness())
            assert gap > 100, (palette.color(back).name(), palette.color(fore).name())
