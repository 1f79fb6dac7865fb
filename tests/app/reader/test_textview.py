"""The text reader view: pages, separators, marks, reveal, keys and zoom."""

from __future__ import annotations

import textwrap
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTextEdit
from pytestqt.qtbot import QtBot

from docket.app.reader.overlays import MarkStyle
from docket.app.reader.textview import TextPageView
from docket.core.model.records import TextRange
from docket.core.text.find import display_text, find_in_pages


def long_page(name: str, paragraphs: int = 30) -> str:
    para = f"This is {name}. The court heard the witness about the police and the strike.\n\n"
    return para * paragraphs


PAGES = [long_page("page one"), long_page("page two"), long_page("page three")]


@pytest.fixture
def view(qtbot: QtBot) -> TextPageView:
    widget = TextPageView()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_pages(PAGES, ["1", "2", "3"])
    return widget


def selected(cursor_text: str) -> str:
    """QTextCursor.selectedText() writes a block break as U+2029."""
    return cursor_text.replace("\u2029", "\n")


def test_pages_are_shown_with_separators_outside_their_offsets(view: TextPageView) -> None:
    assert view.page_count() == 3
    assert "— page 2 —" in view.toPlainText() and "— page 3 —" in view.toPlainText()
    for number, text in enumerate(PAGES, 1):
        whole = view.range_cursor(TextRange(number, 0, len(text)))
        assert selected(whole.selectedText()) == text


def test_go_to_page_scrolls_there_and_says_so(view: TextPageView, qtbot: QtBot) -> None:
    assert view.current_page() == 1
    with qtbot.waitSignal(view.pageChanged) as signal:
        view.go_to_page(3)
    assert signal.args == [3]
    assert view.current_page() == 3
    with qtbot.waitSignal(view.pageChanged) as signal:
        view.go_to_page(2)
    assert signal.args == [2] and view.current_page() == 2
    # Page 2's separator heads the viewport, its first line right below.
    assert view.firstVisibleBlock().text() == "— page 2 —"
    assert 0 < view.cursorRect(view.range_cursor(TextRange(2, 0, 0))).top() < 150


def test_a_short_last_page_still_counts_as_the_page_asked_for(qtbot: QtBot) -> None:
    view = TextPageView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.set_pages(["one\n", "two\n", "three\n"], ["i", "ii", "iii"])
    assert "— page ii —" in view.toPlainText()  # separators show the page labels
    with qtbot.waitSignal(view.pageChanged) as signal:
        view.go_to_page(3)
    assert signal.args == [3] and view.current_page() == 3


def test_marks_select_exactly_the_ranged_text(qtbot: QtBot) -> None:
    pdf_like = "Interven\ufffe\r\ntion in Zhanaözen\r\nby 🚓 police 🚓 units.\r\n"
    pages = ["first page with police\n", pdf_like, "police 𝐀 police"]
    view = TextPageView()
    qtbot.addWidget(view)
    view.set_pages(pages, ["1", "2", "3"])
    ranges = find_in_pages(pages, "intervention") + find_in_pages(pages, "police")
    view.set_marks([(r, MarkStyle.FIND_MATCH) for r in ranges])
    selections = view.extraSelections()  # in document order
    ranges.sort()
    assert len(selections) == len(ranges) == 5
    for selection, text_range in zip(selections, ranges, strict=True):
        shown = display_text(pages[text_range.page - 1])[text_range.start : text_range.end]
        assert selected(selection.cursor.selectedText()) == shown
    # astral characters (two UTF-16 units in Qt) do not shift later offsets
    assert [selected(s.cursor.selectedText()) for s in selections[-3:]] == ["police"] * 3


def test_marks_use_their_style_colour(view: TextPageView) -> None:
    hit = TextRange(1, 0, 4)
    view.set_marks([(hit, MarkStyle.SEARCH_HIT), (TextRange(1, 8, 12), MarkStyle.FIND_MATCH)])
    colours = [s.format.background().color() for s in view.extraSelections()]
    assert colours[0] != colours[1]


def test_reveal_scrolls_to_the_range_and_marks_it_current(view: TextPageView) -> None:
    target = find_in_pages(PAGES, "page three")[10]
    view.set_marks([(target, MarkStyle.FIND_MATCH)])
    view.reveal(target)
    rect = view.cursorRect(view.range_cursor(target))
    assert view.verticalScrollBar().value() > 0
    assert 0 < rect.top() < view.viewport().height()
    assert abs(rect.center().y() - view.viewport().height() / 2) < 60  # centred
    assert len(view.extraSelections()) == 2  # the mark, and the current one over it
    view.grab()  # paints the outline without error


def test_new_marks_without_the_current_range_drop_it(view: TextPageView) -> None:
    target = TextRange(2, 0, 4)
    view.set_marks([(target, MarkStyle.FIND_MATCH)])
    view.reveal(target)
    view.set_marks([])
    assert view.extraSelections() == []


def test_keys_scroll_like_a_reader(view: TextPageView, qtbot: QtBot) -> None:
    bar = view.verticalScrollBar()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    one_page = bar.value()
    assert one_page > 0
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert bar.value() > one_page
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert bar.value() == bar.maximum() and view.current_page() == 3
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert bar.value() < bar.maximum()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert bar.value() == 0 and view.current_page() == 1


def test_zoom_changes_the_font_and_keeps_the_place(view: TextPageView, qtbot: QtBot) -> None:
    view.go_to_page(2)
    size = view.font().pointSizeF()
    with qtbot.waitSignal(view.zoomChanged) as signal:
        view.zoom_in()
    assert signal.args[0] == pytest.approx(view.zoom()) and view.zoom() > 1
    assert view.font().pointSizeF() > size
    assert view.current_page() == 2
    view.set_zoom(100)
    assert view.zoom() == 4.0  # clamped
    view.zoom_out()
    assert view.zoom() < 4.0


def test_set_pages_replaces_everything(view: TextPageView) -> None:
    view.set_marks([(TextRange(1, 0, 4), MarkStyle.FIND_MATCH)])
    view.set_pages([], [])
    assert view.page_count() == 0 and view.current_page() == 0
    assert view.extraSelections() == []
    view.go_to_page(2)  # nothing to go to: no error
    view.reveal(TextRange(1, 0, 1))


def test_a_5_mb_document_opens_without_freezing(qtbot: QtBot) -> None:
    view = TextPageView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    para = "The court held that the police fired upon the striking oil workers. " * 8 + "\n\n"
    pages = [para * (50_000 // len(para))] * 100  # ~5 MB
    began = time.process_time()  # CPU: the wall clock counts other processes on a busy CI
    view.set_pages(pages, [str(n) for n in range(1, 101)])
    view.go_to_page(60)
    view.grab()
    assert time.process_time() - began < 1.5  # measured ~0.1 s
    assert view.current_page() == 60


def test_extra_selection_type_is_the_text_edit_one(view: TextPageView) -> None:
    view.set_marks([(TextRange(1, 0, 4), MarkStyle.SEARCH_HIT)])
    assert isinstance(view.extraSelections()[0], QTextEdit.ExtraSelection)


def test_only_marks_near_the_view_are_drawn_and_scrolling_brings_the_rest(
    qtbot: QtBot,
) -> None:
    view = TextPageView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    pages = [long_page(f"page {n}", paragraphs=60) for n in range(1, 21)]
    view.set_pages(pages, [str(n) for n in range(1, 21)])
    marks = find_in_pages(pages, "court")
    view.set_marks([(r, MarkStyle.FIND_MATCH) for r in marks])

    def drawn_pages() -> set[int]:
        return {view._map.page_at(s.cursor.selectionStart()) for s in view.extraSelections()}

    assert drawn_pages() == {1}
    view.go_to_page(20)
    assert 20 in drawn_pages() and 1 not in drawn_pages()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert drawn_pages() == {1}


def test_a_hand_wrapped_text_keeps_its_lines(qtbot: QtBot) -> None:
    """A memo wrapped at 78 columns must not spill one word onto a line of its own."""
    prose = "The court will accept them as a measure of what is reasonable and fair. " * 40
    lines = textwrap.wrap(prose, 78)
    view = TextPageView()
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    view.set_pages(["\n".join(lines)], ["1"])
    block = view.firstVisibleBlock()
    view.grab()  # lays out what is shown
    assert block.layout().lineCount() == 1 and block.next().layout().lineCount() == 1
