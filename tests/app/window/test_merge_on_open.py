"""A case whose index still needs a merge (a merge was killed, the machine shut
down) is merged again after the window opens it, in a process of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.app.window.mainwindow import MainWindow
from docket.core.search.whoosh import merging
from tests.app.window.test_mainwindow import search
from tests.core.search.whoosh.test_merging_detached import (
    DOCUMENTS,
    make_unmerged_case,
    segment_count,
)


def test_opening_a_case_left_unmerged_merges_it_in_the_background(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_unmerged_case(tmp_path, monkeypatch)
    assert merging.needs_merge(case / "index")

    assert window.open_case(case)

    # After the first paint, with the rest of the background work.
    qtbot.waitUntil(lambda: not merging.needs_merge(case / "index"), timeout=120_000)
    assert segment_count(case / "index") == 1
    search(qtbot, window, '"police fired"')
    assert len(window.search.hits()) == DOCUMENTS
