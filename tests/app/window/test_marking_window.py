"""Highlighting in the real window: drag across words, keys, menus, undo, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QWidget

from docket.app.window.mainwindow import MainWindow
from docket.core.model.records import TextRange
from tests.app.window.test_mainwindow import import_through_window, open_new_case, search
from tests.core.pdf_factory import write_pdf

PAGES = [
    "Statement of facts\nOn 16 December the police fired at the crowd\n"
    "without any warning to the striking workers.",
    "Nobody was warned.\nThe police fired again later that day.",
]
MEMO = "Memo on the firing\n\nThe police fired without warning, say three witnesses.\n"


@pytest.fixture
def opened(qtbot, window: MainWindow, tmp_path: Path) -> Path:
    folder = tmp_path / "matter"
    folder.mkdir()
    pdf = write_pdf(folder / "statement.pdf", PAGES, title="Statement")
    memo = folder / "memo.txt"
    memo.write_text(MEMO, encoding="utf-8")
    path = open_new_case(window, tmp_path)
    import_through_window(qtbot, window, [pdf, memo])
    return path


def _doc(window: MainWindow, title: str) -> int:
    assert window.case is not None
    return next(d.id for d in window.case.documents() if d.title == title)


def _mouse(
    widget: QWidget,
    kind: QEvent.Type,
    position: QPointF,
    buttons: Qt.MouseButton,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
) -> None:
    event = QMouseEvent(
        kind,
        position,
        widget.mapToGlobal(position.toPoint()).toPointF(),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def drag(widget: QWidget, start: QPointF, end: QPointF) -> None:
    """A real left-button drag, in small steps, as a hand makes it."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _mouse(widget, QEvent.Type.MouseButtonPress, start, left)
    for step in range(1, 6):
        _mouse(widget, QEvent.Type.MouseMove, start + (end - start) * (step / 5), left)
    _mouse(widget, QEvent.Type.MouseButtonRelease, end, none)


def open_pdf_page(qtbot, window: MainWindow, doc: int) -> None:
    window.open_document(doc)
    view = window.reader.pdf_view
    with qtbot.waitSignal(view.pagePainted, timeout=10_000, raising=False):
        pass
    qtbot.waitUntil(lambda: 1 in view._painted, timeout=10_000)


def word_box(window: MainWindow, page: int, word: str) -> tuple[TextRange, list]:
    text = window.reader.page_text(page)
    start = text.index(word)
    span = TextRange(page, start, start + len(word))
    return span, window.reader.pdf_view.mark_rects_in_viewport(span)


def test_dragging_across_words_on_a_pdf_and_pressing_h_highlights_exactly_them(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    first, first_rects = word_box(window, 1, "police")
    last, last_rects = word_box(window, 1, "crowd")
    # From inside "police" to inside "crowd": the selection snaps to whole words.
    start = QPointF(first_rects[0].left() + 3, first_rects[0].center().y())
    end = QPointF(last_rects[0].right() - 3, last_rects[0].center().y())
    drag(window.reader.pdf_view.viewport(), start, end)
    assert window.reader.selection() == [TextRange(1, first.start, last.end)]
    qtbot.keyClick(window.reader.pdf_view, Qt.Key.Key_H)

    marks = window.case.marking.marks()
    assert [m.quote for m in marks] == ["police fired at the crowd"]
    mark = marks[0]
    assert (mark.anchor.start, mark.anchor.end) == (first.start, last.end)
    assert mark.colour == "yellow" and window.reader.selection() == []
    covered = window.reader.pdf_view.mark_rects_in_viewport(TextRange(1, first.start, last.end))
    stored = [r for r in mark.rects if r.page == 1]
    assert len(stored) == len(covered) == 1
    # The stored rectangle covers both words as drawn.
    for rect in (first_rects[0], last_rects[0]):
        assert covered[0].contains(rect.center())


def test_a_highlight_is_drawn_where_it_was_after_reopening(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    span, rects = word_box(window, 1, "December")
    window.reader.select([span])
    window.marking.highlight("green")
    window.close_case()
    assert window.open_case(opened)
    open_pdf_page(qtbot, window, doc)
    drawn = window.reader.highlights.marks
    assert [m.quote for m in drawn] == ["December"]
    again = window.reader.pdf_view.mark_rects_in_viewport(span)
    assert [r.toRect() for r in again] == [r.toRect() for r in rects]
    image = window.reader.pdf_view.viewport().grab().toImage()
    centre = image.pixelColor(again[0].center().toPoint() + QPoint(0, 0))
    # Green highlighter over white paper (or black ink): more green than red and blue.
    assert centre.green() > centre.red() and centre.green() > centre.blue()


def test_selecting_in_a_text_document_and_highlighting(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = next(d.id for d in window.case.documents() if str(d.kind) == "text")
    window.open_document(doc)
    view = window.reader.text_view
    text = window.reader.page_text(1)
    start = text.index("police fired")
    cursor = view.range_cursor(TextRange(1, start, start + len("police fired")))
    begin = QTextCursor(cursor)
    begin.setPosition(cursor.selectionStart())
    finish = QTextCursor(cursor)
    finish.setPosition(cursor.selectionEnd())
    a = QPointF(view.cursorRect(begin).center()) + QPointF(1, 0)
    b = QPointF(view.cursorRect(finish).center())
    drag(view.viewport(), a, b)
    assert window.reader.selection() == [TextRange(1, start, start + len("police fired"))]
    window.actions_["highlight_pink"].trigger()
    [mark] = window.case.marking.marks()
    assert (mark.quote, mark.colour, mark.rects) == ("police fired", "pink", ())
    assert [m.id for m in window.reader.highlights.marks] == [mark.id]


def test_undo_and_redo_with_the_keys(qtbot, window: MainWindow, opened: Path) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    span, _ = word_box(window, 2, "warned")
    window.reader.select([span])
    mark = window.marking.highlight()
    assert window.actions_["undo"].text() == "&Undo Highlight"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.case.marking.find(mark.id) is None
    assert window.reader.highlights.marks == []
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.case.marking.get(mark.id).quote == "warned"
    assert [m.id for m in window.reader.highlights.marks] == [mark.id]
    window.marking.controller.recolour(mark.id, "blue")
    window.marking.controller.delete(mark.id)
    window.actions_["undo"].trigger()
    window.actions_["undo"].trigger()
    assert window.case.marking.get(mark.id).colour == "yellow"


def test_a_note_found_by_search_opens_its_mark(qtbot, window: MainWindow, opened: Path) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    span, _ = word_box(window, 2, "again")
    window.reader.select([span])
    mark = window.marking.highlight()
    window.marking.controller.set_note(mark.id, "second volley")
    window.marking.controller.set_tags(mark.id, ["Issue/Torture"])
    window.open_document(doc, 1)
    qtbot.waitUntil(lambda: window.case.search("tag:Issue").total == 1, timeout=10_000)
    search(qtbot, window, "tag:Issue")
    [hit] = window.search.hits()
    assert hit.mark == mark.id
    window.open_hit(hit)
    assert window.reader.current_page() == 2
    assert window.reader.pdf_view._current_range == span


def test_the_context_menu_offers_highlight_colours_and_mark_actions(
    qtbot, window: MainWindow, opened: Path, monkeypatch
) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    span, rects = word_box(window, 1, "crowd")
    window.reader.select([span])
    window.marking.highlight()
    viewport = window.reader.pdf_view.viewport()
    right = Qt.MouseButton.RightButton
    _mouse(viewport, QEvent.Type.MouseButtonPress, rects[0].center(), right, right)
    menu = window.marking.context_menu
    texts = [a.text() for a in menu.actions()]
    assert "Edit &Note…" in texts and "&Delete Highlight" in texts
    menu.close()
    monkeypatch.setattr(
        "PySide6.QtWidgets.QInputDialog.getMultiLineText",
        lambda *args, **kwargs: ("Shots without warning", True),
    )
    next(a for a in menu.actions() if a.text() == "Edit &Note…").trigger()
    assert window.case.marking.marks()[0].note == "Shots without warning"


def test_highlights_a_pdf_brings_become_marks_when_the_window_imports_it(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    from tests.core.pdf.test_pdfannotations import add_annotations, highlight

    pdf = write_pdf(tmp_path / "annotated.pdf", PAGES, title="Annotated")
    add_annotations(pdf, 1, [highlight(pdf, 1, "police fired", Contents="from Okular")])
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, [pdf])
    qtbot.waitUntil(lambda: len(window.case.marking.marks()) == 1, timeout=10_000)
    window.open_document(_doc(window, "Annotated"))
    qtbot.waitUntil(
        lambda: [m.quote for m in window.reader.highlights.marks] == ["police fired"],
        timeout=10_000,
    )
    # Made on the import's thread, announced on the window's, then indexed.
    qtbot.waitUntil(lambda: window.case.search("note:okular").total == 1, timeout=10_000)


def test_new_preferences_name_the_author_of_new_marks_and_the_colours(
    qtbot, window: MainWindow, opened: Path
) -> None:
    from docket.app.dialogs.preferences import PreferencesDialog

    window.actions_["preferences"].trigger()
    dialog = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PreferencesDialog) and w.isVisible()
    )
    dialog.author.setText("Jane Counsel")
    dialog.colour_edits["pink"].setText("Inconsistency")
    dialog.accept()
    assert window.actions_["highlight_pink"].text() == "Inconsistency"
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    span, _ = word_box(window, 1, "crowd")
    window.reader.select([span])
    mark = window.marking.highlight("pink")
    assert mark.author == "Jane Counsel"


def test_a_drag_across_a_page_break_makes_one_highlight_on_both_pages(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    window.reader.pdf_view.set_zoom(0.3)  # both pages in view
    qtbot.waitUntil(
        lambda: (
            window.reader.pdf_view.page_rect_in_viewport(2).bottom()
            < window.reader.pdf_view.viewport().height()
        ),
        timeout=5_000,
    )
    first, first_rects = word_box(window, 1, "striking")
    last, last_rects = word_box(window, 2, "Nobody")
    start = QPointF(first_rects[0].left() + 1, first_rects[0].center().y())
    end = QPointF(last_rects[0].right() - 1, last_rects[0].center().y())
    drag(window.reader.pdf_view.viewport(), start, end)
    selection = window.reader.selection()
    assert [r.page for r in selection] == [1, 2]
    assert (selection[0].start, selection[-1].end) == (first.start, last.end)
    mark = window.marking.highlight()
    assert mark.quote == "striking workers. Nobody"  # the page break reads as a space
    assert {r.page for r in mark.rects} == {1, 2}


def test_panels_behind_other_tabs_catch_up_when_their_tab_is_chosen(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    window.docks["search"].raise_()
    browser = window.mark_panels.browser
    qtbot.waitUntil(lambda: not browser.on_screen(), timeout=5_000)
    span, _ = word_box(window, 1, "crowd")
    window.reader.select([span])
    mark = window.marking.highlight()
    qtbot.wait(50)
    assert browser.model.rowCount() == 0  # out of sight: no work done
    window.docks["all-marks"].raise_()
    qtbot.waitUntil(lambda: [m.id for m in browser.model.marks()] == [mark.id], timeout=5_000)


def test_a_document_with_many_marks_shows_its_page_first_and_its_highlights_soon(
    qtbot, window: MainWindow, opened: Path
) -> None:
    from docket.app.window.marking import READ_IN_BACKGROUND
    from docket.core.model.marks import Anchor

    doc = _doc(window, "Statement")
    text = window.case.page(doc, 1).text
    start = text.index("police")
    marking = window.case.marking
    marking.index_at_once = False
    for _ in range(READ_IN_BACKGROUND + 1):
        marking.highlight(doc, Anchor(1, start, 1, start + 6), rects=())
    window.open_document(doc)
    qtbot.waitUntil(
        lambda: len(window.reader.highlights.marks) == READ_IN_BACKGROUND + 1, timeout=10_000
    )


def test_h_highlights_a_selection_in_a_text_document(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = next(d.id for d in window.case.documents() if str(d.kind) == "text")
    window.open_document(doc)
    view = window.reader.text_view
    text = window.reader.page_text(1)
    start = text.index("three witnesses")
    view.setTextCursor(view.range_cursor(TextRange(1, start, start + len("three witnesses"))))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_H)
    assert [m.quote for m in window.case.marking.marks()] == ["three witnesses"]


def test_delete_in_the_marks_panel_removes_the_mark_and_undo_brings_it_back(
    qtbot, window: MainWindow, opened: Path
) -> None:
    doc = _doc(window, "Statement")
    open_pdf_page(qtbot, window, doc)
    span, _ = word_box(window, 1, "crowd")
    window.reader.select([span])
    mark = window.marking.highlight()
    window.mark_panels.select_mark(mark)
    panel = window.mark_panels.document_marks
    qtbot.waitUntil(lambda: panel.selected_mark() is not None, timeout=5_000)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert window.case.marking.find(mark.id) is None
    window.actions_["undo"].trigger()
    assert window.case.marking.get(mark.id).quote == "crowd"
