"""The mark editor: notes saved on a pause, tags with completion, colours, delete, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from docket.app.operations.marks import NOTE_PAUSE_MS, MarkController
from docket.app.panels.marks.editor import MarkEditor
from docket.core.case import Case
from docket.core.model.colours import COLOUR_KEYS
from docket.core.preferences import Preferences, save_preferences
from tests.app.panels.marks_helpers import doc_id, highlight


@pytest.fixture
def editor(qtbot: QtBot, controller: MarkController) -> MarkEditor:
    widget = MarkEditor(controller)
    qtbot.addWidget(widget)
    widget.resize(360, 360)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_typing_a_note_saves_it_once_typing_pauses_as_one_undo_step(
    qtbot: QtBot,
    editor: MarkEditor,
    controller: MarkController,
    case: Case,
) -> None:
    mark = highlight(case, "Complaint", 1, "police fired", note="Old")
    editor.set_mark(mark)
    editor.note_edit.selectAll()
    qtbot.keyClicks(editor.note_edit, "Key admission")
    assert case.marking.get(mark.id).note == "Old"  # not per keystroke
    qtbot.waitUntil(
        lambda: case.marking.get(mark.id).note == "Key admission", timeout=NOTE_PAUSE_MS * 5
    )
    controller.undo()
    assert case.marking.get(mark.id).note == "Old"
    assert editor.note_edit.toPlainText() == "Old"  # the editor follows an undo


def test_showing_another_mark_saves_the_typing_first(
    qtbot: QtBot, editor: MarkEditor, case: Case
) -> None:
    first = highlight(case, "Complaint", 1, "police fired")
    second = highlight(case, "Complaint", 2, "torture", note="Second's note")
    editor.set_mark(first)
    qtbot.keyClicks(editor.note_edit, "Typed in a hurry")
    editor.set_mark(case.marking.get(second.id))
    assert case.marking.get(first.id).note == "Typed in a hurry"
    assert editor.note_edit.toPlainText() == "Second's note"
    qtbot.wait(NOTE_PAUSE_MS + 100)
    assert case.marking.get(second.id).note == "Second's note"  # nothing saved onto it


def test_leaving_the_note_or_hiding_the_editor_saves_at_once(
    qtbot: QtBot, editor: MarkEditor, case: Case
) -> None:
    mark = highlight(case, "Complaint", 1, "police fired")
    editor.set_mark(mark)
    editor.activateWindow()
    editor.note_edit.setFocus()
    qtbot.waitUntil(editor.note_edit.hasFocus)
    qtbot.keyClicks(editor.note_edit, "On focus out")
    editor.tags_edit.setFocus()
    QApplication.processEvents()
    assert case.marking.get(mark.id).note == "On focus out"
    qtbot.keyClicks(editor.note_edit, "!")
    editor.hide()
    assert case.marking.get(mark.id).note == "On focus out!"


def test_an_undo_elsewhere_does_not_clobber_typing(
    qtbot: QtBot,
    editor: MarkEditor,
    controller: MarkController,
    case: Case,
) -> None:
    mark = highlight(case, "Complaint", 1, "police fired")
    controller.recolour(mark.id, "green")
    editor.set_mark(case.marking.get(mark.id))
    qtbot.keyClicks(editor.note_edit, "Still typing")
    controller.undo()  # the recolour
    assert editor.note_edit.toPlainText() == "Still typing"
    assert editor.colour_buttons.checkedButton().property("colour") == "yellow"
    qtbot.waitUntil(
        lambda: case.marking.get(mark.id).note == "Still typing", timeout=NOTE_PAUSE_MS * 5
    )


def test_tags_complete_after_the_last_comma_and_save_on_enter(
    qtbot: QtBot, editor: MarkEditor, case: Case
) -> None:
    highlight(case, "Complaint", 2, "torture", tags=["Issue/Torture", "Witness/Batkanbayev"])
    mark = highlight(case, "Complaint", 1, "police fired")
    editor.set_mark(mark)
    editor.activateWindow()
    editor.tags_edit.setFocus()
    qtbot.waitUntil(editor.tags_edit.hasFocus)
    qtbot.keyClicks(editor.tags_edit, "Witness/Batkanbayev, tort")
    completer = editor.tag_completer
    assert completer.completionPrefix().endswith("tort")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "Witness/Batkanbayev, Issue/Torture"
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert editor.tags_edit.text() == "Witness/Batkanbayev, Issue/Torture"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert case.marking.get(mark.id).tags == ("Issue/Torture", "Witness/Batkanbayev")
    qtbot.wait(50)
    assert editor.tags_edit.text() == "Witness/Batkanbayev, Issue/Torture"
    editor.set_mark(None)  # nothing more to save
    assert case.marking.get(mark.id).tags == ("Issue/Torture", "Witness/Batkanbayev")


def test_a_refused_tag_puts_the_stored_tags_back(
    qtbot: QtBot,
    editor: MarkEditor,
    controller: MarkController,
    case: Case,
) -> None:
    mark = highlight(case, "Complaint", 1, "police fired", tags=["Issue"])
    editor.set_mark(mark)
    editor.tags_edit.clear()
    with qtbot.waitSignal(controller.failed):
        qtbot.keyClicks(editor.tags_edit, "x" * 300)
        qtbot.keyClick(editor.tags_edit, Qt.Key.Key_Return)
    assert editor.tags_edit.text() == "Issue"


def test_a_colour_swatch_recolours_the_mark(qtbot: QtBot, editor: MarkEditor, case: Case) -> None:
    mark = highlight(case, "Complaint", 1, "police fired")
    editor.set_mark(mark)
    pink = editor.colour_buttons.button(COLOUR_KEYS.index("pink"))
    assert pink.toolTip() == "Contradiction"
    assert editor.colour_buttons.checkedButton().property("colour") == "yellow"
    qtbot.mouseClick(pink, Qt.MouseButton.LeftButton)
    assert case.marking.get(mark.id).colour == "pink"
    assert pink.isChecked()


def test_colour_names_come_from_the_preferences(qtbot: QtBot, controller: MarkController) -> None:
    save_preferences(Preferences(colour_names={"yellow": "Admission"}))
    widget = MarkEditor(controller)
    qtbot.addWidget(widget)
    assert widget.colour_buttons.button(0).toolTip() == "Admission"
    assert widget.colour_buttons.button(1).toolTip() == "Supports our case"


def test_the_editor_shows_where_who_and_the_quote(
    editor: MarkEditor, controller: MarkController, case: Case
) -> None:
    controller.author = "Ann"
    mark = controller.highlight(
        doc_id(case, "Complaint"), highlight(case, "Complaint", 2, "torture in custody").anchor
    )
    editor.set_mark(mark)
    assert editor.info_label.text().startswith("p. 2  ·  Ann  ·  edited ")
    assert editor.quote_view.text() == "torture in custody"
    assert editor.delete_button.text() == "Delete Highlight"
    note = controller.add_note(doc_id(case, "Complaint"), "", page=None)
    editor.set_mark(note)
    assert editor.info_label.text().startswith("Document note")
    assert editor.quote_view.isHidden()
    assert editor.delete_button.text() == "Delete Note"


def test_the_editor_clears_itself_when_its_mark_goes(
    qtbot: QtBot,
    editor: MarkEditor,
    controller: MarkController,
    case: Case,
) -> None:
    mark = controller.add_note(doc_id(case, "Complaint"), "Soon gone", page=1)
    editor.set_mark(mark)
    qtbot.keyClicks(editor.note_edit, " and typed")
    controller.undo()  # the note's creation
    assert editor.mark() is None
    qtbot.wait(NOTE_PAUSE_MS + 100)  # the pending save does not bring it back
    assert case.marking.find(mark.id) is None
    controller.redo()
    editor.set_mark(case.marking.get(mark.id))
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert case.marking.find(mark.id) is None
    assert editor.mark() is None
