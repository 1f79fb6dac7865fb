"""Helpers shared by the marks panel, editor and browser tests."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from docket.app.panels.marks.panel import DocumentMarksPanel, MarkListPane
from docket.core.case import Case
from docket.core.model.marks import Anchor, Mark

ROMAN_PAGES = ["Preface", "Contents page", "The officers were firing without warning."]


def doc_id(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def highlight(case: Case, title: str, page: int, words: str, **options: object) -> Mark:
    doc = doc_id(case, title)
    text = case.page(doc, page).text
    start = text.index(words)
    return case.marking.highlight(doc, Anchor(page, start, page, start + len(words)), **options)  # type: ignore[arg-type]


def rows(pane: MarkListPane) -> list[Mark]:
    return pane.model.marks()


def index_of(pane: MarkListPane, mark_id: int) -> QModelIndex:
    return pane.model.index(pane.model.row_of(mark_id))


def click_row(qtbot: QtBot, pane: MarkListPane, mark_id: int) -> None:
    index = index_of(pane, mark_id)
    pane.view.scrollTo(index)
    qtbot.mouseClick(
        pane.view.viewport(), Qt.MouseButton.LeftButton, pos=pane.view.visualRect(index).center()
    )


def show(qtbot: QtBot, widget: DocumentMarksPanel | MarkListPane) -> None:
    qtbot.addWidget(widget)
    widget.resize(380, 640)
    widget.show()
    qtbot.waitExposed(widget)
