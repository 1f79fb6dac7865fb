"""History… in the window: the Marks panel's menu opens the mark's history over the window."""

from __future__ import annotations

from pathlib import Path

from docket.app.dialogs.markhistory import Column, MarkHistoryDialog
from docket.app.window.mainwindow import MainWindow
from tests.app.window.test_marking_window import _doc, open_pdf_page, opened, word_box

__all__ = ["opened"]  # the fixture, used by name


def test_history_from_the_marks_panel_shows_the_marks_changes(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    span, _ = word_box(window, 1, "crowd")
    window.reader.select([span])
    mark = window.marking.highlight("pink")
    window.mark_panels.select_mark(mark)
    panel = window.mark_panels.document_marks
    qtbot.waitUntil(lambda: panel.model.row_of(mark.id) >= 0, timeout=5_000)
    menu = panel.context_menu(panel.model.index(panel.model.row_of(mark.id)))
    assert menu is not None
    menu.actions()[0].trigger()

    def shown() -> MarkHistoryDialog | None:
        dialogs = [d for d in window.findChildren(MarkHistoryDialog) if d.isVisible()]
        return dialogs[0] if dialogs else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=5_000)
    dialog = shown()
    assert dialog is not None and dialog.mark_id == mark.id
    item = dialog.entries.topLevelItem(0)
    assert dialog.entries.topLevelItemCount() == 1 and item is not None
    assert item.text(Column.ACTION) == "Added" and "“crowd”" in item.text(Column.CHANGE)
    dialog.close()
