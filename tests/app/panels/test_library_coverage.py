"""The library's review coverage: the Reviewed column, its sort, "Not fully reviewed",
and the "Short Title…" entry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from docket.app.panels.library.model import Column
from docket.app.panels.library.panel import LibraryPanel
from tests.app.panels.test_library import column, document


def _panel(qtbot: QtBot) -> LibraryPanel:
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(640, 400)
    panel.show()
    panel.set_documents(
        [
            document(1, "Alpha", "a.pdf", pages=12),
            document(2, "Beta", "b.pdf", pages=2),
            document(3, "Gamma", "c.pdf", pages=4),
        ]
    )
    return panel


def test_reviewed_column_shows_pages_read_of_pages(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.set_coverage({1: 3, 2: 2})
    assert column(panel, Column.REVIEWED) == ["3/12", "2/2", "0/4"]
    panel.set_document_coverage(3, 1)
    assert column(panel, Column.REVIEWED) == ["3/12", "2/2", "1/4"]
    panel.view.sortByColumn(Column.REVIEWED, Qt.SortOrder.DescendingOrder)
    # 100%, then the two at 25% (ties go by id, descending too).
    assert column(panel, Column.TITLE) == ["Beta", "Gamma", "Alpha"]


def test_not_fully_reviewed_hides_finished_documents_and_follows_coverage(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.set_coverage({1: 3, 2: 2})
    panel.unreviewed_box.setChecked(True)
    assert column(panel, Column.TITLE) == ["Alpha", "Gamma"]
    panel.set_document_coverage(3, 4)  # Gamma read to the end
    assert column(panel, Column.TITLE) == ["Alpha"]
    assert panel.count_label.text() == "1 of 3 documents"
    panel.unreviewed_box.setChecked(False)
    assert len(column(panel, Column.TITLE)) == 3


def test_short_title_is_asked_for_from_the_menu(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    entry = next(a for a in panel.context_menu(2).actions() if a.text() == "Short Title…")
    with qtbot.waitSignal(panel.shortTitleRequested) as requested:
        entry.trigger()
    assert requested.args == [2]
