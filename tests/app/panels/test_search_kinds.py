"""The search panel counts pages and marks apart: a hit on a mark is not a matching page."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from docket.app.panels.search.model import Role
from docket.core.model.records import SearchHit, SearchResults
from tests.app.panels.test_searchpanel import make_panel, type_query


def _hit(doc: int, page: int, source: str = "page", mark: int | None = None) -> SearchHit:
    return SearchHit(
        doc, f"Exhibit {doc}", page, str(page), 1.0, "<b>police</b>", ((0, 6),), source, mark
    )


def test_marks_and_pages_are_counted_apart(qtbot: QtBot) -> None:
    hits = (_hit(1, 1), _hit(1, 1, "mark", 7), _hit(1, 2, "mark", 8), _hit(2, 3))

    def search(query: str, limit: int) -> SearchResults:
        return SearchResults(query, len(hits), hits)

    panel = make_panel(qtbot, search)
    type_query(qtbot, panel, "police")
    assert panel.summary_label.text() == "2 pages, 2 marks in 2 documents"
    counts = sorted(panel.model.index(row, 0).data(Role.COUNTS) for row in range(2))
    assert counts == ["1 hit on 1 page", "1 page, 2 marks"]


def test_one_of_each_is_singular(qtbot: QtBot) -> None:
    hits = (_hit(1, 1, "mark", 3),)
    panel = make_panel(qtbot, lambda query, limit: SearchResults(query, 1, hits))
    type_query(qtbot, panel, "police")
    assert panel.summary_label.text() == "1 mark in 1 document"
