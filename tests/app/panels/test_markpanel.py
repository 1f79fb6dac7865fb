"""The open document's marks panel over a real case, changed through a real MarkController."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from docket.app.operations.marks import MarkController
from docket.app.panels.marks.delegate import PAD_V
from docket.app.panels.marks.model import Role
from docket.app.panels.marks.panel import DocumentMarksPanel
from docket.core.case import Case
from docket.core.model.marks import Anchor
from tests.app.panels.marks_helpers import (
    click_row,
    doc_id,
    highlight,
    index_of,
    rows,
    show,
)


@pytest.fixture
def panel(qtbot: QtBot, controller: MarkController) -> DocumentMarksPanel:
    widget = DocumentMarksPanel(controller)
    show(qtbot, widget)
    return widget


def test_marks_are_listed_document_notes_first_then_by_page_and_place(
    panel: DocumentMarksPanel, case: Case
) -> None:
    late = highlight(case, "Complaint", 1, "striking oil workers", note="Who struck?")
    second_page = highlight(case, "Complaint", 2, "torture in custody", tags=["Issue/Torture"])
    early = highlight(case, "Complaint", 1, "police fired", colour="pink")
    page_note = case.marking.add_note(doc_id(case, "Complaint"), "Check the date", page=1)
    document_note = case.marking.add_note(doc_id(case, "Complaint"), "Filed late")
    highlight(case, "Deposition of Batkanbayev", 2, "firing")  # another document: not listed
    panel.set_document(doc_id(case, "Complaint"))
    assert [m.id for m in rows(panel)] == [
        document_note.id,
        page_note.id,
        early.id,
        late.id,
        second_page.id,
    ]
    places = [panel.model.index(row).data(Role.WHERE) for row in range(5)]
    assert places == ["Document note", "p. 1 · Page note", "p. 1", "p. 1", "p. 2"]
    assert panel.count_label.text() == "5 marks"
    assert panel.model.index(3).data(Qt.ItemDataRole.ToolTipRole) == "Who struck?"


def test_rows_cite_the_pdfs_own_page_labels(panel: DocumentMarksPanel, case: Case) -> None:
    mark = highlight(case, "Report", 3, "firing without warning")
    note = case.marking.add_note(doc_id(case, "Report"), "Front matter", page=2)
    panel.set_document(doc_id(case, "Report"))
    assert index_of(panel, mark.id).data(Role.WHERE) == "p. 1"
    assert index_of(panel, note.id).data(Role.WHERE) == "p. ii · Page note"


def test_clicking_a_row_opens_the_mark_and_edits_it(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    highlight(case, "Complaint", 1, "police fired")
    wanted = highlight(case, "Complaint", 2, "denial", note="Nine days")
    panel.set_document(doc_id(case, "Complaint"))
    with qtbot.waitSignal(controller.markActivated) as opened:
        click_row(qtbot, panel, wanted.id)
    assert opened.args[0].id == wanted.id
    assert panel.selected_mark().id == wanted.id
    assert panel.editor.mark().id == wanted.id
    assert panel.editor.note_edit.toPlainText() == "Nine days"


def test_enter_on_a_row_opens_it_too(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    mark = highlight(case, "Complaint", 1, "police fired")
    panel.set_document(doc_id(case, "Complaint"))
    assert panel.select_mark(mark.id)
    with qtbot.waitSignal(controller.markActivated) as opened:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert opened.args[0].id == mark.id


def test_delete_removes_the_row_and_undo_brings_it_back(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    keep = highlight(case, "Complaint", 1, "police fired")
    doomed = highlight(case, "Complaint", 2, "torture in custody", note="Strong")
    panel.set_document(doc_id(case, "Complaint"))
    panel.select_mark(doomed.id)
    qtbot.mouseClick(panel.editor.delete_button, Qt.MouseButton.LeftButton)
    assert case.marking.find(doomed.id) is None
    qtbot.waitUntil(lambda: [m.id for m in rows(panel)] == [keep.id])
    assert panel.editor.mark() is None
    controller.undo()
    qtbot.waitUntil(lambda: [m.id for m in rows(panel)] == [keep.id, doomed.id])
    assert case.marking.get(doomed.id).note == "Strong"


def test_a_refresh_keeps_the_selection_and_the_scroll_position(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    doc = doc_id(case, "Complaint")
    notes = [case.marking.add_note(doc, f"Point {n}\nmore", page=1 + n % 3) for n in range(40)]
    panel.set_document(doc)
    chosen = notes[25]
    assert panel.select_mark(chosen.id)
    scroll = panel.view.verticalScrollBar().value()
    assert scroll > 0
    controller.add_note(doc, "A new one on the last page", page=3)  # a new row below
    qtbot.waitUntil(lambda: len(rows(panel)) == 41)
    assert panel.selected_mark().id == chosen.id
    assert panel.view.verticalScrollBar().value() == scroll
    controller.set_note(chosen.id, "Changed elsewhere")  # the same rows, updated in place
    qtbot.waitUntil(lambda: panel.selected_mark().note == "Changed elsewhere")
    assert panel.view.verticalScrollBar().value() == scroll


def test_select_mark_scrolls_to_it(panel: DocumentMarksPanel, case: Case) -> None:
    doc = doc_id(case, "Complaint")
    notes = [case.marking.add_note(doc, f"Point {n}", page=1 + n % 3) for n in range(40)]
    panel.set_document(doc)
    assert panel.select_mark(notes[-1].id)
    assert (
        panel.view.viewport()
        .rect()
        .intersects(panel.view.visualRect(index_of(panel, notes[-1].id)))
    )
    assert not panel.select_mark(10_000)


def test_add_note_requests_go_to_the_window(
    qtbot: QtBot, panel: DocumentMarksPanel, case: Case
) -> None:
    assert not panel.add_page_note_action.isEnabled()  # no document open
    panel.set_document(doc_id(case, "Complaint"))
    with qtbot.waitSignal(panel.addPageNoteRequested):
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.addDocumentNoteRequested):
        panel.add_document_note_action.trigger()


def test_no_document_and_no_marks_say_so(panel: DocumentMarksPanel, case: Case) -> None:
    assert "Open a document" in panel.view.hint
    panel.set_document(doc_id(case, "Complaint"))
    assert panel.view.hint.startswith("No marks yet")
    assert panel.count_label.text() == "0 marks"


def test_a_hidden_panel_catches_up_when_shown(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    doc = doc_id(case, "Complaint")
    panel.set_document(doc)
    panel.hide()
    note = controller.add_note(doc, "While hidden", page=2)
    qtbot.wait(20)
    assert rows(panel) == []  # no work for a panel nobody sees
    panel.show()  # listed on the next pass of the event loop, if still shown then
    qtbot.waitUntil(lambda: [m.id for m in rows(panel)] == [note.id])


def test_closing_the_case_empties_the_panel(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    mark = highlight(case, "Complaint", 1, "police fired")
    panel.set_document(doc_id(case, "Complaint"))
    panel.select_mark(mark.id)
    controller.set_case(None)
    qtbot.waitUntil(lambda: rows(panel) == [])
    assert panel.editor.mark() is None


def test_clicking_another_row_while_typing_saves_the_note(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    first = highlight(case, "Complaint", 1, "police fired")
    second = highlight(case, "Complaint", 2, "torture in custody")
    panel.set_document(doc_id(case, "Complaint"))
    click_row(qtbot, panel, first.id)
    qtbot.keyClicks(panel.editor.note_edit, "Typed, then clicked away")
    click_row(qtbot, panel, second.id)
    assert case.marking.get(first.id).note == "Typed, then clicked away"
    assert panel.editor.mark().id == second.id
    qtbot.waitUntil(
        lambda: index_of(panel, first.id).data(Role.MARK).note == "Typed, then clicked away"
    )
    assert panel.selected_mark().id == second.id
    controller.undo()
    assert case.marking.get(first.id).note == ""


def test_rows_paint_long_quotes_notes_and_tags(
    qtbot: QtBot, panel: DocumentMarksPanel, case: Case
) -> None:
    doc = doc_id(case, "Complaint")
    whole = case.page(doc, 1).text
    long = case.marking.highlight(
        doc,
        Anchor(1, 0, 1, len(whole)),
        note="First\nsecond",
        tags=["Issue/Torture", "Witness/A very long name indeed"],
    )
    empty = case.marking.add_note(doc, "", page=2)
    panel.resize(240, 400)  # narrow: the quote needs two lines and is cut
    panel.set_document(doc)
    qtbot.wait(10)
    long_row, empty_row = (panel.view.visualRect(index_of(panel, m.id)) for m in (long, empty))
    line = (empty_row.height() - 2 * PAD_V) // 2  # its place and "Empty note"
    assert long_row.height() == 4 * line + 2 * PAD_V  # place, two lines of quote, the note
    assert not panel.view.viewport().grab().isNull()  # paints without an error
