"""The search panel says, under its count, when a wildcard was cut to its most frequent words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from docket.app.kit import tasks
from docket.app.panels.search.panel import SearchPanel
from docket.core.case import Case
from docket.core.search.whoosh import matching
from tests.core.case_factory import write_matter


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    case = Case.create(tmp_path / "case")
    case.import_paths([write_matter(tmp_path / "matter")], workers=0)
    yield case
    tasks.wait_for_idle(5000)  # no search may still read the case while it closes
    case.close()


def test_a_cut_wildcard_is_noted_under_the_count(
    qtbot: QtBot, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "MAX_EXPANSION", 1)
    panel = SearchPanel(lambda query, limit: case.search(query, limit=limit))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.query_box, "de*")  # searched as typed: "de" first, then "de*"
    qtbot.waitUntil(lambda: "de* matched" in panel.summary_label.text(), timeout=10000)
    count, note = panel.summary_label.text().split("\n")
    assert " in " in count  # "… in 2 documents": the count stays first
    assert note.startswith("de* matched 7 words") and "showing the 1 most frequent" in note
    assert tasks.wait_for_idle(5000)


def test_a_long_count_and_note_wrap_instead_of_widening_the_panel(
    qtbot: QtBot, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen at 200,000 pages: each search's longer summary pushed the dock wider,
    squeezing the page being read."""
    monkeypatch.setattr(matching, "MAX_EXPANSION", 1)
    panel = SearchPanel(lambda query, limit: case.search(query, limit=limit))
    qtbot.addWidget(panel)
    panel.resize(260, 500)
    panel.show()
    qtbot.keyClicks(panel.query_box, "de*")
    qtbot.waitUntil(lambda: "de* matched" in panel.summary_label.text(), timeout=10000)
    summary_width = panel.summary_label.fontMetrics().horizontalAdvance(
        panel.summary_label.text().split("\n")[1]
    )
    assert summary_width > 260  # the note is longer than the panel is wide…
    assert panel.minimumSizeHint().width() <= 260  # …and still asks for no more room
    assert tasks.wait_for_idle(5000)
