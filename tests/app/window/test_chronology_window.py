"""The Chronology dock in the window: a fact dated in the editor is listed, and a click on it
opens its source page in the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from docket.app.window.mainwindow import MainWindow
from docket.core.model.marks import MarkFact
from tests.app.window.test_mainwindow import import_through_window, open_new_case
from tests.core.pdf_factory import write_pdf

PAGES = [
    "Report\nThe strike began in May 2011.",
    "Nothing happened on this page.",
    "On December 16 the police fired on the strikers.",
]


@pytest.fixture
def opened(qtbot, window: MainWindow, tmp_path: Path) -> int:
    folder = tmp_path / "matter"
    folder.mkdir()
    pdf = write_pdf(folder / "report.pdf", PAGES, title="Report")
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, [pdf])
    assert window.case is not None
    return window.case.documents()[0].id


def test_a_click_on_a_fact_opens_its_page(qtbot, window: MainWindow, opened: int) -> None:
    case, controller = window.case, window.marking.controller
    assert case is not None
    fired = case.marking.highlight(opened, case.marking.anchor_for_quote(opened, 3, "police fired"))
    strike = case.marking.highlight(opened, case.marking.anchor_for_quote(opened, 1, "strike"))
    controller.set_fact(fired.id, MarkFact("2011-12-16", "16 Dec 2011"))
    controller.set_fact(strike.id, MarkFact("2011-05", "May 2011"))
    panel = window.mark_panels.chronology
    window.docks.bring_forward("chronology")
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 2, timeout=5_000)
    assert [panel.tree.topLevelItem(n).text(0) for n in range(2)] == ["May 2011", "16 Dec 2011"]
    item = panel.tree.topLevelItem(1)
    place = panel.tree.visualItemRect(item).center()
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(place))
    qtbot.waitUntil(lambda: window.reader.current_page() == 3, timeout=10_000)
    assert window.reader.document is not None and window.reader.document.id == opened
    controller.undo()  # the last date: the strike is no fact any more
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=5_000)
