"""A mark's history in the window: History… in the Marks panels' menu, and its dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from docket.app.dialogs.markhistory import Column, MarkHistoryDialog
from docket.app.operations.marks import MarkController
from docket.app.panels.marks.browser import MarkBrowser
from docket.app.panels.marks.panel import DocumentMarksPanel
from docket.core.case import Case
from docket.core.preferences import Preferences, save_preferences
from tests.app.panels.marks_helpers import doc_id, highlight, index_of, show


def _rows(dialog: MarkHistoryDialog) -> list[list[str]]:
    items: list[QTreeWidgetItem | None] = [
        dialog.entries.topLevelItem(row) for row in range(dialog.entries.topLevelItemCount())
    ]
    return [
        [item.text(column) for column in (Column.WHO, Column.ACTION, Column.CHANGE)]
        for item in items
        if item is not None
    ]


def test_history_in_the_menu_of_a_row_asks_for_that_marks_history(
    qtbot: QtBot, case: Case, controller: MarkController
) -> None:
    first = highlight(case, "Complaint", 1, "police fired")
    second = highlight(case, "Complaint", 2, "torture in custody")
    for pane in (DocumentMarksPanel(controller), MarkBrowser(controller)):
        show(qtbot, pane)
        if isinstance(pane, DocumentMarksPanel):
            pane.set_document(doc_id(case, "Complaint"))
        else:
            pane.refresh()
        assert pane.view.model().index(0, 0).isValid()
        menu = pane.context_menu(index_of(pane, second.id))
        assert menu is not None
        assert [action.text() for action in menu.actions()] == ["History…"]
        assert pane.selected_mark() is not None and pane.selected_mark().id == second.id
        with qtbot.waitSignal(pane.historyRequested, timeout=1_000) as asked:
            menu.actions()[0].trigger()
        assert asked.args == [second.id]
        assert pane.context_menu(pane.view.model().index(99, 0)) is None  # off the rows
    assert first.id != second.id


def test_the_dialog_lists_who_did_what_and_follows_new_changes(
    qtbot: QtBot, case: Case, controller: MarkController
) -> None:
    save_preferences(Preferences(author="Dana Reviewer"))
    mark = highlight(case, "Complaint", 1, "police fired", author="Ann", tags=["Issue"])
    controller.recolour(mark.id, "pink")
    controller.set_note(mark.id, "the first volley")
    qtbot.waitUntil(lambda: case.marking.get(mark.id).note == "the first volley", timeout=5_000)

    dialog = MarkHistoryDialog(controller, mark.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == f"History of Mark {mark.id}"
    assert _rows(dialog) == [
        ["Ann", "Added", "highlight “police fired” tags Issue"],
        ["Dana Reviewer", "Changed", "colour yellow → pink"],
        ["Dana Reviewer", "Changed", "note “” → “the first volley”"],
    ]
    assert dialog.summary.text().startswith("3 changes recorded")

    controller.rename_tag("Issue", "Force")
    qtbot.waitUntil(lambda: len(_rows(dialog)) == 4, timeout=5_000)
    assert _rows(dialog)[-1] == ["Dana Reviewer", "Tag renamed", "tags +Force −Issue"]
    entry_id = dialog.entries.topLevelItem(3).data(Column.WHEN, Qt.ItemDataRole.UserRole)
    assert entry_id == case.marking.audit_entries(mark=mark.id)[-1].id

    dialog.close()  # stops listening: a change afterwards reaches no deleted dialog
    controller.recolour(mark.id, "green")
