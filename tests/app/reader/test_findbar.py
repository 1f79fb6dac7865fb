"""The find bar: typing finds, Enter moves, Esc closes, and the signals say so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from docket.app.reader.findbar import FindBar
from docket.core.model.records import TextRange

PAGES = [
    "The police fired on the crowd.\r\n",
    "Nothing here.",
    "Later the Police\r\nsaid it was an interven\ufffe\r\ntion.",
]
FIRST, SECOND = TextRange(1, 4, 10), TextRange(3, 10, 16)


@pytest.fixture
def bar(qtbot: QtBot) -> FindBar:
    widget = FindBar()
    qtbot.addWidget(widget)
    widget.set_pages(PAGES)
    widget.open_bar()
    qtbot.waitExposed(widget)
    return widget


def type_needle(bar: FindBar, qtbot: QtBot, needle: str) -> None:
    with qtbot.waitSignal(bar.matchesChanged):
        qtbot.keyClicks(bar.edit, needle)
    qtbot.waitUntil(lambda: bar._needle == needle)  # the last keystroke's find ran


def test_typing_finds_and_moves_to_the_first_match(bar: FindBar, qtbot: QtBot) -> None:
    matches: list[list[TextRange]] = []
    current: list[TextRange | None] = []
    bar.matchesChanged.connect(matches.append)
    bar.currentMatchChanged.connect(current.append)
    type_needle(bar, qtbot, "police")
    assert bar.count.text() == "1 of 2"
    assert matches[-1] == [FIRST, SECOND]
    assert current[-1] == FIRST


def test_enter_moves_to_the_next_match_and_wraps(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "police")
    with qtbot.waitSignal(bar.currentMatchChanged) as signal:
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert signal.args == [SECOND] and bar.count.text() == "2 of 2"
    with qtbot.waitSignal(bar.currentMatchChanged) as signal:
        qtbot.keyClick(bar.edit, Qt.Key.Key_Enter)
    assert signal.args == [FIRST] and bar.count.text() == "1 of 2"


def test_shift_enter_and_previous_go_back_and_wrap(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "police")
    with qtbot.waitSignal(bar.currentMatchChanged) as signal:
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert signal.args == [SECOND] and bar.count.text() == "2 of 2"
    bar.find_previous()
    assert bar.current_match() == FIRST


def test_buttons_move_too(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "police")
    qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    assert bar.current_match() == SECOND
    qtbot.mouseClick(bar.previous_button, Qt.MouseButton.LeftButton)
    assert bar.current_match() == FIRST


def test_a_word_split_by_a_pdf_line_end_hyphen_is_found(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "intervention")
    match = bar.current_match()
    assert match is not None
    assert PAGES[2][match.start : match.end] == "interven\ufffe\r\ntion"


def test_no_matches_is_said_in_a_warning_colour(bar: FindBar, qtbot: QtBot) -> None:
    normal = bar.count.palette().color(bar.count.foregroundRole())
    current: list[TextRange | None] = []
    bar.currentMatchChanged.connect(current.append)
    type_needle(bar, qtbot, "tank")
    assert bar.count.text() == "No matches"
    assert bar.count.palette().color(bar.count.foregroundRole()) != normal
    assert current[-1] is None
    assert not bar.next_button.isEnabled()
    bar.find_next()  # nothing to move to: no error, no signal
    assert current[-1] is None


def test_escape_closes_and_clears_the_marks(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "police")
    with (
        qtbot.waitSignal(bar.closed),
        qtbot.waitSignal(bar.matchesChanged) as cleared,
    ):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert cleared.args == [[]]
    assert not bar.isVisible()


def test_reopening_selects_the_needle_and_marks_again(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "police")
    bar.close_bar()
    with qtbot.waitSignal(bar.matchesChanged) as signal:
        bar.open_bar()
    assert signal.args == [[FIRST, SECOND]]
    assert bar.isVisible() and bar.edit.selectedText() == "police"


def test_a_new_document_is_searched_without_jumping(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "police")
    current: list[TextRange | None] = []
    bar.currentMatchChanged.connect(current.append)
    with qtbot.waitSignal(bar.matchesChanged) as signal:
        bar.set_pages(["police, police, police"])
    assert len(signal.args[0]) == 3 and current == []
    assert bar.count.text() == "3 matches"
    bar.find_next()
    assert bar.count.text() == "1 of 3"


def test_enter_before_the_typing_pause_finds_at_once(bar: FindBar, qtbot: QtBot) -> None:
    bar._delay = 10_000  # as on a huge document
    qtbot.keyClicks(bar.edit, "police")
    assert bar._timer.isActive()
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.current_match() == FIRST and bar.count.text() == "1 of 2"


def test_clearing_the_field_clears_the_marks(bar: FindBar, qtbot: QtBot) -> None:
    type_needle(bar, qtbot, "police")
    with qtbot.waitSignal(bar.matchesChanged) as signal:
        bar.edit.clear()
    assert signal.args == [[]] and bar.count.text() == ""
