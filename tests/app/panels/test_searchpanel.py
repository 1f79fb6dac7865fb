"""The search panel over a real case: typing, grouping, errors, latest wins, activation."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from docket.app.kit import tasks
from docket.app.panels.search.model import Role, parse_snippet
from docket.app.panels.search.panel import RESULT_LIMIT, SearchPanel
from docket.core.case import Case
from docket.core.model.changes import Changes, Delta
from docket.core.model.records import SearchHit, SearchResults
from tests.core.case_factory import write_matter


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert tasks.wait_for_idle(5000), "background work still running after the test"


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    case = Case.create(tmp_path / "case")
    case.import_paths([write_matter(tmp_path / "matter")], workers=0)
    yield case
    tasks.wait_for_idle(5000)  # no search may still read the case while it closes
    case.close()


def make_panel(qtbot: QtBot, search: Callable[[str, int], SearchResults]) -> SearchPanel:
    panel = SearchPanel(search)
    qtbot.addWidget(panel)
    panel.resize(420, 600)
    panel.show()
    return panel


@pytest.fixture
def panel(qtbot: QtBot, case: Case) -> SearchPanel:
    return make_panel(qtbot, lambda query, limit: case.search(query, limit=limit))


def type_query(qtbot: QtBot, panel: SearchPanel, text: str) -> None:
    panel.query_box.clear()
    with qtbot.waitSignal(panel.resultsChanged, timeout=10000):
        qtbot.keyClicks(panel.query_box, text)


def documents(panel: SearchPanel) -> list[str]:
    model = panel.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def page_rows(panel: SearchPanel, document_row: int) -> list[QModelIndex]:
    parent = panel.model.index(document_row, 0)
    return [panel.model.index(row, 0, parent) for row in range(panel.model.rowCount(parent))]


def test_typing_shows_results_grouped_by_document(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "fir*")
    assert sorted(documents(panel)) == ["Complaint", "Deposition of Batkanbayev"]
    deposition = documents(panel).index("Deposition of Batkanbayev")
    rows = page_rows(panel, deposition)
    assert [row.data(Role.PAGE_LABEL) for row in rows] == ["p. 1", "p. 2"]
    text, spans = rows[1].data(Role.SNIPPET)
    assert [text[start:end] for start, end in spans] == ["firing"]
    assert "<b>firing</b>" in rows[1].data(Role.HIT).snippet
    assert panel.summary_label.text() == "3 pages in 2 documents"
    assert panel.model.index(deposition, 0).data(Role.COUNTS) == "2 hits on 2 pages"
    assert panel.view.isExpanded(panel.model.index(deposition, 0))


def test_hits_come_in_display_order(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "fir* OR zhanaozen OR torture")
    hits = panel.hits()
    shown = [
        row.data(Role.HIT) for doc in range(panel.model.rowCount()) for row in page_rows(panel, doc)
    ]
    assert hits == shown
    for first, second in itertools.pairwise(hits):
        if first.doc == second.doc:
            assert first.page < second.page
    assert len({hit.doc for hit in hits}) == 3  # the letter found by accent-free Zhanaozen


def test_a_bad_query_shows_the_error_and_clears_old_results(
    qtbot: QtBot, panel: SearchPanel
) -> None:
    type_query(qtbot, panel, "police")
    assert panel.hits()
    type_query(qtbot, panel, '"police fired')
    assert panel.error_label.isVisible()
    assert "never closed" in panel.error_label.text()
    assert "character 1" in panel.error_label.text()
    assert panel.model.rowCount() == 0 and panel.hits() == []
    assert not panel.summary_label.isVisible()
    with qtbot.waitSignal(panel.resultsChanged, timeout=10000):
        qtbot.keyClicks(panel.query_box, '"~5')
    assert not panel.error_label.isVisible()
    assert documents(panel) == ["Complaint"]


def test_no_matches_says_so(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "habeas")
    assert panel.summary_label.text() == "No matches"


def test_only_the_last_query_typed_is_shown(qtbot: QtBot, case: Case) -> None:
    calls: list[str] = []
    first_started = threading.Event()
    release_first = threading.Event()

    def slow_search(query: str, limit: int) -> SearchResults:
        calls.append(query)
        if len(calls) == 1:  # the first search is still running while the user types on
            first_started.set()
            release_first.wait(5)
        assert threading.current_thread() is not threading.main_thread()
        return case.search(query, limit=limit)

    panel = make_panel(qtbot, slow_search)
    shown: list[str] = []
    panel.resultsChanged.connect(
        lambda: shown.append(panel.model.results.query if panel.model.results else "")
    )
    qtbot.keyClicks(panel.query_box, "police")
    qtbot.waitUntil(first_started.is_set)
    for query in ("tort", "torture", "zhanaozen"):  # each typed within the debounce
        panel.query_box.clear()
        qtbot.keyClicks(panel.query_box, query)
        qtbot.wait(20)
    qtbot.wait(400)  # the debounce has run out: "zhanaozen" waits for "police"
    release_first.set()
    qtbot.waitUntil(lambda: shown == ["zhanaozen"], timeout=10000)
    qtbot.wait(200)
    assert shown == ["zhanaozen"]
    assert calls == ["police", "zhanaozen"]  # the stale one finished, and was dropped
    assert sorted(documents(panel)) == ["Complaint", "Dear Counsel,"]


def test_enter_on_a_page_row_activates_its_hit(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "fir*")
    first = panel.hits()[0]
    qtbot.keyClick(panel.query_box, Qt.Key.Key_Down)  # into the results, on the first page
    assert panel.view.currentIndex().data(Role.HIT) == first
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    second = panel.hits()[1]
    with qtbot.waitSignal(panel.hitActivated) as activated:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    hit = activated.args[0]
    assert isinstance(hit, SearchHit)
    assert (hit.doc, hit.page) == (second.doc, second.page)


def test_clicking_rows_activates_pages(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "fir*")
    complaint = documents(panel).index("Complaint")
    page = page_rows(panel, complaint)[0]
    with qtbot.waitSignal(panel.hitActivated) as activated:
        qtbot.mouseClick(
            panel.view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=panel.view.visualRect(page).center(),
        )
    assert (activated.args[0].title, activated.args[0].page) == ("Complaint", 1)

    deposition = panel.model.index(documents(panel).index("Deposition of Batkanbayev"), 0)
    with qtbot.waitSignal(panel.hitActivated) as activated:  # a document row: its first page
        qtbot.mouseClick(
            panel.view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=panel.view.visualRect(deposition).center(),
        )
    assert (activated.args[0].title, activated.args[0].page) == ("Deposition of Batkanbayev", 1)
    assert panel.view.currentIndex().data(Role.HIT) == activated.args[0]


def test_select_hit_follows_the_reader(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "fir*")
    last = panel.hits()[-1]
    with qtbot.assertNotEmitted(panel.hitActivated):
        panel.select_hit(last)
    assert panel.view.currentIndex().data(Role.HIT) == last
    assert panel.view.selectionModel().isSelected(panel.view.currentIndex())


def test_focus_query_selects_the_box(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "police")
    panel.view.setFocus()
    panel.focus_query()
    assert panel.query_box.selectedText() == "police"


def test_clear_empties_everything(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "police")
    panel.clear()
    assert panel.query_box.text() == "" and panel.hits() == []
    assert not panel.summary_label.isVisible()
    type_query(qtbot, panel, "police")  # the same query again is searched again
    assert panel.hits()


def test_new_documents_run_the_query_again(
    qtbot: QtBot, panel: SearchPanel, case: Case, tmp_path: Path
) -> None:
    type_query(qtbot, panel, "fir*")
    assert sorted(documents(panel)) == ["Complaint", "Deposition of Batkanbayev"]
    memo = tmp_path / "later" / "memo.txt"
    memo.parent.mkdir()
    memo.write_text("Memo on the firing\n\nThe police fired twice.\n", encoding="utf-8")
    report = case.import_paths([memo], workers=0)
    added = Changes(documents=Delta.of(added=[o.doc for o in report.outcomes if o.doc]))

    with qtbot.waitSignal(panel.resultsChanged, timeout=10_000):
        panel.apply_changes(added)

    assert sorted(documents(panel)) == [
        "Complaint",
        "Deposition of Batkanbayev",
        "Memo on the firing",
    ]
    assert panel.query() == "fir*"


def test_mark_changes_leave_the_results_be(qtbot: QtBot, panel: SearchPanel) -> None:
    type_query(qtbot, panel, "police")
    shown = panel.hits()
    with qtbot.assertNotEmitted(panel.resultsChanged, wait=300):
        panel.apply_changes(Changes(marks=Delta.of(added=[1]), tags=Delta.of(added=["Exhibit"])))
    assert panel.hits() == shown


def test_the_summary_says_when_more_pages_match_than_are_shown(qtbot: QtBot) -> None:
    def many(query: str, limit: int) -> SearchResults:
        hits = tuple(
            SearchHit(
                doc % 7 + 1,
                f"Exhibit {doc % 7 + 1}",
                doc + 1,
                str(doc + 1),
                1.0,
                "the <b>police</b> at the square",
                ((4, 10),),
            )
            for doc in range(limit)
        )
        return SearchResults(query, 1234, hits)

    panel = make_panel(qtbot, many)
    type_query(qtbot, panel, "police")
    assert panel.summary_label.text() == (
        f"1,234 results — showing the best {RESULT_LIMIT} ({RESULT_LIMIT} pages), in 7 documents"
    )
    assert len(panel.hits()) == RESULT_LIMIT


def test_snippets_are_parsed_into_text_and_bold_spans() -> None:
    text, spans = parse_snippet("the <b>police</b>\r\nfired &amp; <b>fired</b>  again ")
    assert text == "the police fired & fired again"
    assert [text[s:e] for s, e in spans] == ["police", "fired"]
