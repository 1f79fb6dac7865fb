"""Transcripts in the window: Ctrl+G to page:line, the margin's numbers shown as numbers,
the Marks panel's 2:4–3:2, and the library's Transcript tick."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from docket.core.model.marks import Anchor
from docket.core.model.records import TextRange
from tests.core.transcript_factory import line_words, write_pdf_transcript, write_text_transcript


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    with Case.create(tmp_path / "case") as case:  # one at a time: the text file is 1
        case.import_paths([write_text_transcript(tmp_path / "dep.txt")], workers=1)
        case.import_paths([write_pdf_transcript(tmp_path / "dep.pdf")], workers=1)
    return tmp_path / "case"


def _open(window: MainWindow, case_path: Path, doc: int) -> Case:
    assert window.open_case(case_path)
    assert window.case is not None
    window.open_document(doc)
    return window.case


def _go(qtbot, window: MainWindow, typed: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    box = window.toolbar.page_box
    assert box.hasFocus()
    box.setText(typed)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_ctrl_g_2_4_goes_to_the_line_in_a_text_transcript(qtbot, window: MainWindow, case_path):
    case = _open(window, case_path, 1)
    _go(qtbot, window, "2:4")
    view = window.reader.text_view
    page, offset = view._map.offset(view.textCursor().position())
    text = case.page(1, 2).text
    assert (page, offset) == (2, text.index(line_words(2, 4)))
    assert view.viewport().rect().contains(view.cursorRect().center())  # the line in view
    assert "Page 2, line 4" in window.statusBar().currentMessage()


def test_ctrl_g_3_2_on_a_pdf_transcript_and_a_line_not_there(qtbot, window, case_path):
    _open(window, case_path, 2)
    _go(qtbot, window, "3:2")
    assert "Page 3, line 2" in window.statusBar().currentMessage()
    # Line 2 sits near the page's top: centred, the view shows page 2's foot above it.
    qtbot.waitUntil(lambda: window.reader.current_page() in (2, 3), timeout=3000)
    _go(qtbot, window, "3:40")
    assert "No page “3:40”" in window.statusBar().currentMessage()


def test_the_margin_numbers_are_shown_as_numbers(window: MainWindow, case_path: Path) -> None:
    case = _open(window, case_path, 1)
    view = window.reader.text_view
    text = case.page(1, 2).text
    words = text.index(line_words(2, 4))
    number = view.range_cursor(TextRange(2, words - 3, words - 2))  # the "4" of " 4    Q."
    word = view.range_cursor(TextRange(2, words + 1, words + 2))
    grey = view.palette().color(QPalette.ColorRole.PlaceholderText)
    assert number.charFormat().foreground().color() == grey
    assert word.charFormat().foreground().color() != grey


def test_marks_panel_says_2_4_to_3_2(qtbot, window: MainWindow, case_path: Path) -> None:
    with Case.open(case_path) as case:
        start = case.page(1, 2).text.index(line_words(2, 4))
        last = case.page(1, 3).text
        end = last.index(line_words(3, 2)) + len(line_words(3, 2))
        case.marking.highlight(1, Anchor(2, start, 3, end))
    _open(window, case_path, 1)
    panel = window.mark_panels.document_marks
    window.docks.bring_forward("marks")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    from docket.app.panels.marks.model import Role

    assert panel.model.index(0).data(Role.WHERE) == "2:4–3:2"


def test_the_library_tick_sets_a_document_off_and_on(qtbot, window, case_path) -> None:
    case = _open(window, case_path, 1)
    tick = next(
        a for a in window.library.context_menu(1).actions() if a.text() == "Transcript (Page:Line)"
    )
    assert tick.isChecked()
    tick.trigger()
    qtbot.waitUntil(lambda: not case.transcripts.is_transcript(1), timeout=5000)
    qtbot.waitUntil(lambda: not window.reader.transcript.maps, timeout=5000)
    tick = next(
        a for a in window.library.context_menu(1).actions() if a.text() == "Transcript (Page:Line)"
    )
    assert not tick.isChecked()
    tick.trigger()
    qtbot.waitUntil(lambda: len(window.reader.transcript.maps) == 3, timeout=5000)


def test_search_results_on_a_transcript_say_page_and_line(window: MainWindow, case_path) -> None:
    from docket.app.panels.search.model import Role, SearchResultsModel

    case = _open(window, case_path, 1)
    model = SearchResultsModel()
    model.set_results(case.search('"page 2 line 4 words"'))
    labels = {
        model.index(row, 0, model.index(group, 0)).data(Role.PAGE_LABEL)
        for group in range(model.rowCount())
        for row in range(model.rowCount(model.index(group, 0)))
    }
    assert labels == {"2:4"}


def test_a_selection_on_a_transcript_is_named_by_its_lines(window: MainWindow, case_path) -> None:
    case = _open(window, case_path, 2)  # the PDF
    start = case.page(2, 2).text.index(line_words(2, 4))
    end = case.page(2, 3).text.index(line_words(3, 2)) + 5
    window.reader.select([TextRange(2, start, len(case.page(2, 2).text)), TextRange(3, 0, end)])
    assert window.transcripts.selected_lines() == "2:4–3:2"
    assert window.statusBar().currentMessage() == "Selected 2:4–3:2"
