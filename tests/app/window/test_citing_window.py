"""Copy with Citation and review coverage in the window, driven as a user drives them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from docket.app.reader import reviewtracker
from docket.app.reader.thumbnails import UNREAD_ROLE
from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from docket.core.model.marks import Anchor
from docket.core.model.records import DocumentKind, TextRange
from tests.core.pdf_factory import write_labelled_pdf, write_pdf

SMITH = [
    "Preface\nThe witness said \u201cthe police\nfired first\u201d that day.",
    "Roman two page",
    "The officers began the interven-\ntion at noon and kept",
    "firing without warning until dusk.",
]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    folder = tmp_path / "matter"
    folder.mkdir()
    write_labelled_pdf(
        folder / "smith.pdf",
        SMITH,
        labels=[(1, "r", "", 1), (3, "D", "Dep. ", 12)],
        title="Deposition of John Smith",
    )
    write_pdf(folder / "exhibit.pdf", ["Exhibit text on page one"], title="Exhibit Four")
    (folder / "memo.txt").write_text("Memo\n\nThe police fired.\n\fPage two.\n", encoding="utf-8")
    with Case.create(tmp_path / "case") as case:
        case.import_paths(sorted(folder.iterdir()), workers=1)
        smith = next(d.id for d in case.documents() if d.title.startswith("Deposition"))
        case.citing.set_short_title(smith, "Smith Dep.")
        text = case.page(smith, 4).text
        start = text.index("until dusk")
        case.marking.highlight(smith, Anchor(4, start, 4, start + len("until dusk")))
    return tmp_path / "case"


def _open(window: MainWindow, case_path: Path, title: str) -> int:
    assert window.open_case(case_path)
    assert window.case is not None
    doc = next(d.id for d in window.case.documents() if d.title == title)
    window.open_document(doc)
    return doc


def _select(window: MainWindow, page: int, words: str, end_page: int = 0, end: str = "") -> None:
    assert window.case is not None and window.reader.document is not None
    doc = window.reader.document.id
    text = window.case.page(doc, page).text
    start = text.index(words)
    if not end_page:
        window.reader.select([TextRange(page, start, start + len(words))])
        return
    last = window.case.page(doc, end_page).text
    stop = last.index(end) + len(end)
    window.reader.select([TextRange(page, start, len(text)), TextRange(end_page, 0, stop)])


def test_ctrl_shift_c_copies_the_quote_with_its_cite_then_id(qtbot, window: MainWindow, case_path):
    _open(window, case_path, "Deposition of John Smith")
    _select(window, 3, "began", 4, "warning")
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_C, CTRL_SHIFT)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == (
        "\u201cbegan the intervention at noon and kept firing without warning\u201d "
        "(Deposition of John Smith (\u201cSmith Dep.\u201d), at Dep. 12\u201313)"
    )
    assert "Smith Dep." in clipboard.mimeData().html()
    # The next cite of the same document is Id.; after another document's, short.
    _select(window, 2, "Roman two")
    qtbot.keyClick(window.reader.view, Qt.Key.Key_C, CTRL_SHIFT)
    assert clipboard.text() == "\u201cRoman two\u201d (Id. at ii)"
    assert "<i>Id.</i>" in clipboard.mimeData().html()


def test_a_mark_selected_in_the_marks_panel_is_cited(qtbot, window: MainWindow, case_path):
    _open(window, case_path, "Deposition of John Smith")
    panel = window.mark_panels.document_marks
    window.docks.bring_forward("marks")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    assert window.case is not None
    mark = window.case.marking.marks()[0]
    assert panel.select_mark(mark.id)
    panel.view.setFocus()
    window.citing.copy_citation()
    assert QGuiApplication.clipboard().text() == (
        "\u201cuntil dusk\u201d (Deposition of John Smith (\u201cSmith Dep.\u201d), at Dep. 13)"
    )
    assert window.citing.last is not None and window.citing.last.mark == mark.id


def test_nothing_selected_says_what_to_do(window: MainWindow, case_path):
    _open(window, case_path, "Exhibit Four")
    window.reader.clear_selection()
    assert window.citing.copy_citation() is None
    assert "Select some words or a mark" in window.statusBar().currentMessage()


def test_a_page_in_view_long_enough_is_recorded(
    qtbot, window: MainWindow, case_path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(reviewtracker, "DWELL_SECONDS", 0.2)
    monkeypatch.setattr(reviewtracker, "POLL_MS", 20)
    from docket.core.preferences import Preferences, save_preferences

    save_preferences(Preferences(author="Dana Reviewer"))
    doc = _open(window, case_path, "Deposition of John Smith")
    with qtbot.waitSignal(window.review.recorded, timeout=5000) as recorded:
        pass
    assert recorded.args == [doc, 1]
    assert window.case is not None
    assert window.case.review.reviewed_pages(doc, "Dana Reviewer") == {1}
    assert window.library.model.reviewed_pages(doc) >= 1
    model = window.thumbnails.model()
    assert model.index(0).data(UNREAD_ROLE) is False
    assert model.index(3).data(UNREAD_ROLE) is True
    # "Not fully reviewed" keeps the deposition (three pages unread) in the list.
    window.library.unreviewed_box.setChecked(True)
    shown = {
        window.library.proxy.index(row, 0).data() for row in range(window.library.proxy.rowCount())
    }
    assert "Deposition of John Smith" in shown


def test_the_tracker_counts_a_page_only_after_the_dwell(
    window: MainWindow, case_path, monkeypatch: pytest.MonkeyPatch
):
    clock = [100.0]
    monkeypatch.setattr(reviewtracker.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(reviewtracker, "POLL_MS", 60_000)  # polled by hand below
    doc = _open(window, case_path, "Deposition of John Smith")
    tracker = window.review.tracker
    told: list[tuple[int, int]] = []
    tracker.pageDwelled.connect(lambda d, p: told.append((d, p)))
    window.reader.go_to_page(3)
    tracker.poll()
    assert 3 in tracker.pages_in_view()
    clock[0] += reviewtracker.DWELL_SECONDS - 0.5
    tracker.poll()
    assert told == []  # not long enough yet
    window.reader.go_to_page(1)  # away, then back: the wait starts again
    tracker.poll()
    window.reader.go_to_page(3)
    tracker.poll()
    clock[0] += reviewtracker.DWELL_SECONDS - 0.5
    tracker.poll()
    assert (doc, 3) not in told
    clock[0] += 1.0
    tracker.poll()
    assert (doc, 3) in told
    tracker.poll()
    assert told.count((doc, 3)) == 1  # once


def test_the_reader_menu_copies_a_right_clicked_highlight(window: MainWindow, case_path):
    _open(window, case_path, "Deposition of John Smith")
    window.reader.clear_selection()
    assert window.case is not None
    mark = window.case.marking.marks()[0]
    window.reader.contextMenuWanted.emit(QPoint(20, 20), mark, 4)
    menu = window.marking.context_menu
    entry = next(a for a in menu.actions() if a.text() == "Copy with &Citation")
    menu.close()
    entry.trigger()
    assert QGuiApplication.clipboard().text().startswith("\u201cuntil dusk\u201d (")


def test_a_marks_panel_row_menu_copies_its_mark(qtbot, window: MainWindow, case_path):
    _open(window, case_path, "Deposition of John Smith")
    panel = window.mark_panels.document_marks
    window.docks.bring_forward("marks")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    menu = panel.context_menu(panel.model.index(0))
    assert menu is not None
    entry = next(a for a in menu.actions() if a.text() == "Copy with &Citation")
    entry.trigger()
    assert QGuiApplication.clipboard().text().startswith("\u201cuntil dusk\u201d (")


def test_a_text_document_counts_the_page_in_view(
    window: MainWindow, case_path, monkeypatch: pytest.MonkeyPatch
):
    clock = [50.0]
    monkeypatch.setattr(reviewtracker.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(reviewtracker, "POLL_MS", 60_000)  # polled by hand below
    assert window.open_case(case_path) and window.case is not None
    memo = next(d for d in window.case.documents() if d.kind is DocumentKind.TEXT)
    window.open_document(memo.id)
    tracker = window.review.tracker
    told: list[tuple[int, int]] = []
    tracker.pageDwelled.connect(lambda d, p: told.append((d, p)))
    tracker.poll()
    clock[0] += reviewtracker.DWELL_SECONDS
    tracker.poll()
    assert told == [(memo.id, 1)]
