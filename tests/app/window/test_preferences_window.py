"""The window's Preferences and About entries: menus, dialogs, and icons after a theme switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from docket.app.dialogs.about import AboutDialog
from docket.app.dialogs.preferences import PreferencesDialog
from docket.app.kit.theme import apply_theme
from docket.app.window.mainwindow import MainWindow
from docket.core.preferences import load_preferences


@pytest.fixture
def window(qtbot, qapp: QApplication) -> Iterator[MainWindow]:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    apply_theme(qapp, "system")  # one QApplication serves every test: leave it as found


def menu_texts(window: MainWindow, title: str) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    return [action.text() for action in menu.actions()]


def open_dialogs(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_preferences_sits_at_the_end_of_the_edit_menu_after_a_separator(
    window: MainWindow,
) -> None:
    texts = menu_texts(window, "&Edit")
    assert texts[-2:] == ["", "&Preferences…"]
    action = window.actions_["preferences"]
    assert action.isEnabled()  # no case needed
    assert QKeySequence("Ctrl+,") not in action.shortcuts()  # Ctrl+, is the previous hit
    assert "&About Docket" in menu_texts(window, "&Help")


def test_the_preferences_action_opens_the_dialog_and_ok_saves(
    qtbot,
    window: MainWindow,
) -> None:
    window.actions_["preferences"].trigger()
    qtbot.waitUntil(lambda: len(open_dialogs(PreferencesDialog)) == 1)
    dialog = open_dialogs(PreferencesDialog)[0]
    assert dialog.parent() is window
    dialog.author.clear()
    qtbot.keyClicks(dialog.author, "Jane Counsel")
    qtbot.keyClicks(dialog.colour_edits["pink"], "Inconsistency")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    saved = load_preferences()
    assert saved.author == "Jane Counsel" and saved.colour_names == {"pink": "Inconsistency"}
    assert saved.theme == "dark"
    qtbot.waitUntil(lambda: not open_dialogs(PreferencesDialog))


def test_icons_are_redrawn_in_the_new_palette(qtbot, window: MainWindow) -> None:
    def ink() -> int:  # the lightness of the darkest-drawn pixel of the zoom-in icon
        image = window.actions_["zoom_in"].icon().pixmap(24, 24).toImage()
        pixels = [image.pixelColor(x, y) for x in range(24) for y in range(24)]
        return max(p.lightness() for p in pixels if p.alpha() > 200)

    assert ink() < 128
    apply_theme(QApplication.instance(), "dark")
    qtbot.waitUntil(lambda: ink() > 160)


def test_about_opens_the_about_dialog(qtbot, window: MainWindow) -> None:
    window.actions_["about"].trigger()
    qtbot.waitUntil(lambda: len(open_dialogs(AboutDialog)) == 1)
    dialog = open_dialogs(AboutDialog)[0]
    assert dialog.libraries.rowCount() >= 8
    dialog.close()
    qtbot.waitUntil(lambda: not open_dialogs(AboutDialog))
