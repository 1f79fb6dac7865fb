"""The whole window, driven as a user drives it: imports, search, reading, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from docket.core.model.records import DocumentKind
from docket.core.pdf.geometry import selection_rects
from tests.core.pdf_factory import write_labelled_pdf, write_pdf

POLICE_PAGES = [
    "Statement of facts\nOn 16 December the police fired at the crowd.",
    "Nobody was warned.\nThe police fired again later that day.",
]
WITNESS_PAGES = [
    "Cover page",
    "Contents",
    "The witness saw the police fire on the square.",
    "Cross-examination follows.",
]
MEMO = "Memo on the firing\n\nThe police fired without warning, say three witnesses.\n"


@pytest.fixture
def matter(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "matter"
    folder.mkdir()
    return [
        write_pdf(folder / "statement.pdf", POLICE_PAGES, title="Statement"),
        write_labelled_pdf(
            folder / "witness.pdf",
            WITNESS_PAGES,
            title="Witness",
            labels=[(1, "r", "", 1), (3, "D", "W-", 1)],
        ),
        _write(folder / "memo.txt", MEMO),
    ]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def open_new_case(window: MainWindow, tmp_path: Path) -> Path:
    path = tmp_path / "case"
    Case.create(path).close()
    assert window.open_case(path)
    return path


def drop_files(window: MainWindow, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def import_through_window(qtbot, window: MainWindow, paths: list[Path]):
    with qtbot.waitSignal(window.importer.finished, timeout=60_000) as finished:
        drop_files(window, paths)
    return finished.args[0]


def search(qtbot, window: MainWindow, query: str) -> None:
    window.focus_search()
    box = window.search.query_box
    box.clear()
    qtbot.keyClicks(box, query)
    qtbot.waitUntil(
        lambda: (
            (window.search.query() == query and bool(window.search.hits()))
            or window.search.error_label.isVisible()
        ),
        timeout=10_000,
    )


def test_welcome_page_offers_new_open_and_sample(qtbot, window: MainWindow) -> None:
    assert window.pages.currentWidget() is window.welcome
    assert not window.actions_["import_files"].isEnabled()
    qtbot.mouseClick(window.welcome.sample_button, Qt.MouseButton.LeftButton)
    assert window.case is not None
    assert window.pages.currentWidget() is window.reader
    assert window.library.model.rowCount() == 5  # the sample case's documents
    assert window.reader.document is not None  # the first document is open to read
    assert window.reader.document.id == window.case.documents()[0].id
    window.close_case()
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.recent_list.count() == 1


def test_import_search_open_and_walk_hits(qtbot, window: MainWindow, matter, tmp_path) -> None:
    open_new_case(window, tmp_path)
    report = import_through_window(qtbot, window, matter)
    assert report.count("imported") == 3
    assert window.library.model.rowCount() == 3

    search(qtbot, window, "police")
    hits = window.search.hits()
    assert {(hit.title, hit.page) for hit in hits} == {
        ("Statement", 1),
        ("Statement", 2),
        ("Witness", 3),
        ("Memo on the firing", 1),
    }
    groups = window.search.model.rowCount()
    assert groups == 3  # grouped by document

    first = hits[0]
    window.search.hitActivated.emit(first)
    reader = window.reader
    assert reader.document is not None and reader.document.id == first.doc
    assert reader.current_page() == first.page

    if reader.document.kind is DocumentKind.PDF:
        assert_hit_rects_cover_words(qtbot, window, first)

    documents_seen = {reader.document.id}
    for _ in range(len(window.hits)):
        qtbot.keyClick(window, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
        documents_seen.add(reader.document.id)
    assert len(documents_seen) == 3  # next-hit crossed into every document


def assert_hit_rects_cover_words(qtbot, window: MainWindow, hit) -> None:
    view = window.reader.pdf_view
    qtbot.waitUntil(lambda: view.current_page() == hit.page, timeout=5000)
    start, end = hit.hits[0]
    text = window.case.page(hit.doc, hit.page).text
    assert text[start:end].lower() == "police"
    from docket.core.model.records import TextRange

    drawn = view.mark_rects_in_viewport(TextRange(hit.page, start, end))
    expected = selection_rects(window.reader.pdf_document, hit.page, start, end)
    assert len(drawn) == len(expected) == 1
    page_rect = view.page_rect_in_viewport(hit.page)
    scale = page_rect.width() / window.reader.pdf_document.pagePointSize(hit.page - 1).width()
    x, y, w, h = expected[0]
    assert drawn[0].left() == pytest.approx(page_rect.left() + x * scale, abs=1.5)
    assert drawn[0].top() == pytest.approx(page_rect.top() + y * scale, abs=1.5)
    assert drawn[0].width() == pytest.approx(w * scale, abs=1.5)
    assert drawn[0].height() == pytest.approx(h * scale, abs=1.5)


def test_an_import_reaches_the_library_the_search_and_the_totals(
    qtbot, window: MainWindow, matter, tmp_path
) -> None:
    """The importer announces what it added; each panel applies it without being told to."""
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, matter[:2])
    search(qtbot, window, "police")
    assert {hit.title for hit in window.search.hits()} == {"Statement", "Witness"}
    statement = next(d.id for d in window.case.documents() if d.title == "Statement")
    assert window.library.select_document(statement)
    assert window.status_label.text() == "2 documents · 6 pages"

    import_through_window(qtbot, window, matter[2:])  # the memo: the police fired too

    # Not the next resultsChanged: OCR of the Witness's short pages, started by the first
    # import, may store meanwhile and run the query again too (as it should).
    qtbot.waitUntil(
        lambda: (
            {hit.title for hit in window.search.hits()}
            == {"Statement", "Witness", "Memo on the firing"}
        ),
        timeout=10_000,
    )
    assert window.search.query() == "police"  # the query ran again, as typed
    titles = [
        window.library.proxy.index(row, 0).data() for row in range(window.library.proxy.rowCount())
    ]
    assert sorted(titles) == ["Memo on the firing", "Statement", "Witness"]
    assert window.library.selected_documents() == [statement]
    assert window.status_label.text() == "3 documents · 7 pages"


def test_query_errors_show_under_the_box(qtbot, window: MainWindow, matter, tmp_path) -> None:
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, matter)
    search(qtbot, window, '"police fired')
    qtbot.waitUntil(window.search.error_label.isVisible, timeout=5000)
    assert "quote" in window.search.error_label.text().lower()
    assert window.search.hits() == []


def test_page_labels_zoom_find_and_history(qtbot, window: MainWindow, matter, tmp_path) -> None:
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, matter)
    witness = next(d for d in window.case.documents() if d.title == "Witness")
    window.open_document(witness.id)
    reader = window.reader
    assert window.toolbar.page_box.text() == "i"

    window.focus_page_box()
    qtbot.keyClicks(window.toolbar.page_box, "W-2")
    qtbot.keyClick(window.toolbar.page_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reader.current_page() == 4, timeout=5000)

    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Back
    qtbot.waitUntil(lambda: reader.current_page() == 1, timeout=5000)

    zoom = reader.pdf_view.zoom()
    window.actions_["zoom_in"].trigger()
    assert reader.pdf_view.zoom() > zoom
    window.actions_["fit_width"].trigger()
    page_width = reader.pdf_view.page_rect_in_viewport(1).width()
    assert page_width == pytest.approx(reader.pdf_view.viewport().width(), rel=0.1)

    window.actions_["find"].trigger()
    assert reader.find_bar.isVisible()
    qtbot.keyClicks(reader.find_bar.edit, "police")
    qtbot.waitUntil(lambda: reader.find_bar.count.text() == "1 of 1", timeout=5000)
    match = reader.find_bar.current_match()
    assert match.page == 3
    viewport = reader.pdf_view.viewport().rect()

    def match_in_view() -> bool:
        rects = reader.pdf_view.mark_rects_in_viewport(match)
        return bool(rects) and all(viewport.contains(r.toRect()) for r in rects)

    qtbot.waitUntil(match_in_view, timeout=5000)
    qtbot.keyClick(reader.find_bar.edit, Qt.Key.Key_Escape)
    assert not reader.find_bar.isVisible()


def test_text_documents_open_in_the_text_reader(qtbot, window, matter, tmp_path) -> None:
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, matter)
    memo = next(d for d in window.case.documents() if d.kind is DocumentKind.TEXT)
    window.library.select_document(memo.id)
    qtbot.keyClick(window.library.view, Qt.Key.Key_Return)
    assert window.reader.document.id == memo.id
    assert window.reader.stack.currentWidget() is window.reader.text_view
    assert "police fired" in window.reader.text_view.toPlainText()


def test_a_failed_file_is_listed_with_its_reason(qtbot, window, tmp_path) -> None:
    open_new_case(window, tmp_path)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n% nothing else")
    good = write_pdf(tmp_path / "good.pdf", ["A page about the police."])
    report = import_through_window(qtbot, window, [broken, good])
    assert report.count("failed") == 1
    summary = window.import_summaries.last
    assert summary is not None and summary.isVisible()
    rows = summary.rows()
    assert rows[0][0] == "broken.pdf" and rows[0][1] == "failed" and "damaged" in rows[0][2]
    summary.close()


def test_window_layout_and_last_case_are_remembered(qtbot, tmp_path) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    path = open_new_case(first, tmp_path)
    first.resize(first.width(), 540)  # the offscreen screen is only 800 × 600
    left = Qt.DockWidgetArea.LeftDockWidgetArea
    first.addDockWidget(left, first.docks["search"])  # the user moves Search to the left
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.settings.last_case() == path.resolve()
    assert second.height() == 540
    assert second.dockWidgetArea(second.docks["search"]) == left
    second.close()


def test_a_locked_case_gets_a_message(qtbot, window, tmp_path, monkeypatch) -> None:
    path = tmp_path / "case"
    Case.create(path).close()
    messages = []
    monkeypatch.setattr(
        "docket.app.window.mainwindow.QMessageBox.warning",
        lambda parent, title, text: messages.append(text),
    )
    with Case.open(path):
        assert not window.open_case(path)
    assert "open in another Docket" in messages[0]
    assert window.pages.currentWidget() is window.welcome


def test_a_lost_index_is_rebuilt_in_the_background(qtbot, window, matter, tmp_path) -> None:
    import shutil

    path = tmp_path / "case"
    with Case.create(path) as case:
        case.import_paths(matter)
    shutil.rmtree(path / "index")
    assert window.open_case(path)
    assert window.reader.document is not None  # readable at once, while the index rebuilds
    qtbot.waitUntil(lambda: window.case.index_is_current(), timeout=20_000)
    search(qtbot, window, "police")
    assert len(window.search.hits()) == 4
