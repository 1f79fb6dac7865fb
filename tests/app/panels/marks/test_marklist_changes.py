"""The marks lists apply change-sets: a removed mark's row goes, the others stay put
(selection, scroll, no reset), and a change that names no mark leaves the list alone."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from docket.app.operations.marks import MarkController
from docket.app.panels.marks.panel import DocumentMarksPanel
from docket.core.case import Case
from tests.app.panels.marks_helpers import doc_id, rows, show


@pytest.fixture
def panel(qtbot: QtBot, controller: MarkController) -> DocumentMarksPanel:
    widget = DocumentMarksPanel(controller)
    show(qtbot, widget)
    return widget


def _resets(panel: DocumentMarksPanel) -> list[int]:
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    return resets


def test_a_deleted_mark_is_removed_in_place(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    doc = doc_id(case, "Complaint")
    notes = [case.marking.add_note(doc, f"Point {n}\nmore", page=1 + n % 3) for n in range(40)]
    panel.set_document(doc)
    chosen = notes[30]
    assert panel.select_mark(chosen.id)
    resets, removed = _resets(panel), []
    panel.model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    gone = rows(panel)[0]
    controller.delete(gone.id)
    qtbot.waitUntil(lambda: len(rows(panel)) == 39)
    assert removed == [(0, 0)] and resets == []
    assert panel.selected_mark().id == chosen.id and panel.editor.mark().id == chosen.id

    controller.delete(chosen.id)  # the one being edited
    qtbot.waitUntil(lambda: len(rows(panel)) == 38)
    assert resets == []
    assert panel.selected_mark() is None and panel.editor.mark() is None
    controller.undo()  # back: a new row, so the list is read again
    qtbot.waitUntil(lambda: len(rows(panel)) == 39)
    assert chosen.id in [m.id for m in rows(panel)]


def test_a_change_that_names_no_mark_does_not_touch_the_list(
    qtbot: QtBot, panel: DocumentMarksPanel, controller: MarkController, case: Case
) -> None:
    doc = doc_id(case, "Complaint")
    note = case.marking.add_note(doc, "Point", page=1)
    panel.set_document(doc)
    assert panel.select_mark(note.id)
    resets, changed = _resets(panel), []
    panel.model.dataChanged.connect(lambda *args: changed.append(args))
    controller.tag_document(doc, ["Exhibit"])
    qtbot.wait(50)  # a refresh would come when the event loop comes round
    assert resets == [] and changed == []
    controller.set_tags(note.id, ["Exhibit"])
    qtbot.waitUntil(lambda: rows(panel)[0].tags == ("Exhibit",))
    assert resets == [] and len(changed) == 1  # that one row
