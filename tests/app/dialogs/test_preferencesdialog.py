"""The Preferences dialog: OK writes what was typed, Cancel writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from docket.app.dialogs.preferences import PreferencesDialog
from docket.app.kit.theme import apply_theme, is_dark
from docket.core.preferences import (
    SCHEMA_VERSION,
    Preferences,
    default_author,
    load_preferences,
    preferences_path,
    save_preferences,
)


@pytest.fixture
def dialog(qtbot, qapp: QApplication) -> Iterator[PreferencesDialog]:
    save_preferences(Preferences(author="Old Name", colour_names={"green": "Alibi"}))
    shown = PreferencesDialog()
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    apply_theme(qapp, "system")  # the application outlives the test


def click(qtbot, dialog: PreferencesDialog, which: QDialogButtonBox.StandardButton) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def retype(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_it_shows_the_saved_preferences_and_the_defaults_as_placeholders(
    dialog: PreferencesDialog,
) -> None:
    assert dialog.author.text() == "Old Name"
    assert dialog.author.placeholderText() == default_author()
    assert dialog.colour_edits["green"].text() == "Alibi"
    assert dialog.colour_edits["yellow"].text() == ""
    assert dialog.colour_edits["yellow"].placeholderText() == "Key fact"
    assert [dialog.theme.itemText(i) for i in range(3)] == ["System", "Light", "Dark"]
    assert [dialog.language.itemText(i) for i in range(2)] == ["System", "English"]


def test_ok_saves_what_was_typed(qtbot, dialog: PreferencesDialog) -> None:
    retype(qtbot, dialog.author, "Aigerim Nurlanovna")
    qtbot.keyClicks(dialog.colour_edits["yellow"], "Admission")
    retype(qtbot, dialog.colour_edits["green"], "")
    dialog.export_folder.setText("/srv/exports")
    with qtbot.waitSignal(dialog.preferencesChanged) as changed:
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    saved = load_preferences()
    assert saved.author == "Aigerim Nurlanovna"
    assert saved.colour_names == {"yellow": "Admission"}
    assert saved.display_colour_names()["green"] == "Supports our case"
    assert saved.export_folder == "/srv/exports"
    assert changed.args == [saved]
    assert '"Aigerim Nurlanovna"' in preferences_path().read_text(encoding="utf-8")
    assert not dialog.isVisible()


def test_cancel_leaves_the_file_untouched(qtbot, dialog: PreferencesDialog) -> None:
    before = preferences_path().read_bytes()
    retype(qtbot, dialog.author, "Somebody Else")
    qtbot.keyClicks(dialog.colour_edits["blue"], "Context")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert preferences_path().read_bytes() == before
    assert load_preferences().author == "Old Name"
    assert not is_dark(QApplication.palette())


def test_the_theme_is_applied_on_ok(qtbot, dialog: PreferencesDialog) -> None:
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert not is_dark(QApplication.palette())  # nothing changes before OK
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert load_preferences().theme == "dark"
    assert is_dark(QApplication.palette())


def test_a_blank_author_means_the_os_user(qtbot, dialog: PreferencesDialog) -> None:
    retype(qtbot, dialog.author, "")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert load_preferences().author == default_author()


def test_a_newer_file_is_replaced_only_when_the_user_agrees(
    qtbot,
    dialog: PreferencesDialog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    newer = f'{{"version": {SCHEMA_VERSION + 1}}}'
    preferences_path().write_text(newer, encoding="utf-8")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert preferences_path().read_text(encoding="utf-8") == newer and dialog.isVisible()
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert load_preferences().author == "Old Name" and not dialog.isVisible()


def test_ocr_languages_are_saved_in_tesseracts_form_and_nonsense_is_refused(
    qtbot, dialog: PreferencesDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert dialog.ocr_languages.text() == "eng+rus"  # the default
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    retype(qtbot, dialog.ocr_languages, "eng; rm -rf")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and "eng+rus" in warnings[0]  # says what would do
    assert load_preferences().ocr_languages == "eng+rus"  # nothing written
    retype(qtbot, dialog.ocr_languages, "kaz, rus")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible() and load_preferences().ocr_languages == "kaz+rus"
