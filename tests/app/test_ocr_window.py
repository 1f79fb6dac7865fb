"""OCR in the window: it starts by itself after an import, runs beside a window that keeps
responding, feeds the search and the library as it goes, and Cancel stops it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from docket.app.dialogs.ocrlanguages import OcrLanguagesDialog
from docket.app.kit import tasks
from docket.app.panels.library.model import Column
from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from docket.core.model.records import OcrState
from tests.cli.test_ocr_cli import LETTER, SECOND_PAGE, write_scan

OCR_TIMEOUT_MS = 240_000  # two cores shared with other test runs: be generous


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert tasks.wait_for_idle(30_000), "background work still running after the test"


@pytest.fixture
def opened(window: MainWindow, tmp_path: Path) -> MainWindow:
    Case.create(tmp_path / "case").close()
    assert window.open_case(tmp_path / "case")
    return window


def ocr_state(window: MainWindow, doc: int) -> OcrState:
    assert window.case is not None
    return window.case.document(doc).ocr


def flags_of(window: MainWindow, title: str) -> str:
    proxy = window.library.proxy
    for row in range(proxy.rowCount()):
        if str(proxy.index(row, Column.TITLE).data()).startswith(title):
            return str(proxy.index(row, Column.FLAGS).data())
    raise AssertionError(f"no row {title!r} in the library")


def search(qtbot: QtBot, window: MainWindow, query: str) -> None:
    window.focus_search()
    box = window.search.query_box
    box.clear()
    qtbot.keyClicks(box, query)
    qtbot.waitUntil(lambda: window.search.query() == query, timeout=10_000)


def test_an_imported_scan_is_read_in_the_background_and_found(
    qtbot: QtBot, opened: MainWindow, tmp_path: Path
) -> None:
    window = opened
    scan = write_scan(tmp_path / "letter.pdf", [LETTER, SECOND_PAGE])
    ticks: list[float] = []
    timer = QTimer(window, interval=50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()

    with qtbot.waitSignal(window.ocr.finished, timeout=OCR_TIMEOUT_MS) as finished:
        with qtbot.waitSignal(window.importer.finished, timeout=60_000):
            window.importer.start([scan])
        started = time.monotonic()
        qtbot.waitUntil(lambda: window.ocr.running, timeout=10_000)  # by itself
        assert window.ocr.progress.isVisible()
        assert window.case is not None
        doc = window.case.documents()[0].id
        window.open_document(doc, 2)  # readable at once, before any text
        assert "timber" not in window.reader.page_text(2)
        qtbot.waitUntil(lambda: window.ocr.progress.label.text().startswith("OCR "), timeout=60_000)
    timer.stop()

    report = finished.args[0]
    assert not report.cancelled and [o.doc for o in report.documents] == [doc]
    assert ocr_state(window, doc) is OcrState.DONE
    # The window's own thread ran its timer all along: OCR never held it.
    assert len([tick for tick in ticks if tick > started]) >= 10
    assert not window.ocr.progress.isVisible()
    assert window.statusBar().currentMessage().startswith("OCR read 1 document (2 pages)")
    assert "OCR" not in flags_of(window, "letter")  # read well: nothing to warn of

    # The reader took the new text in place: same document, same page.
    qtbot.waitUntil(lambda: "timber" in window.reader.page_text(2), timeout=10_000)
    assert window.reader.document is not None and window.reader.document.id == doc
    assert window.reader.current_page() == 2

    search(qtbot, window, "Karimova")
    qtbot.waitUntil(lambda: bool(window.search.hits()), timeout=10_000)
    assert [(hit.doc, hit.page) for hit in window.search.hits()] == [(doc, 1)]


def test_cancel_stops_ocr_and_the_document_waits_for_the_next_run(
    qtbot: QtBot, opened: MainWindow, tmp_path: Path
) -> None:
    window = opened
    pages = [[*LETTER, f"Page {n} of the bundle"] for n in range(1, 9)]
    scan = write_scan(tmp_path / "bundle.pdf", pages)
    with qtbot.waitSignal(window.importer.finished, timeout=60_000):
        window.importer.start([scan])
    qtbot.waitUntil(lambda: window.ocr.running, timeout=10_000)
    assert window.case is not None
    doc = window.case.documents()[0].id
    qtbot.waitUntil(lambda: "OCR pending" in flags_of(window, "bundle"), timeout=10_000)

    qtbot.mouseClick(window.ocr.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.ocr.running, timeout=OCR_TIMEOUT_MS)
    assert not window.ocr.progress.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()
    assert ocr_state(window, doc) is OcrState.PENDING  # read the rest next time
    read = [page for page in window.case.ocr_pages(doc)]
    assert len(read) < len(pages)  # stopped before the end

    # Opening the case again goes on with what was left.
    path = window.case.path
    window.close_case()
    with qtbot.waitSignal(window.ocr.finished, timeout=OCR_TIMEOUT_MS) as finished:
        assert window.open_case(path)
    assert not finished.args[0].cancelled
    assert ocr_state(window, doc) is OcrState.DONE
    assert len(window.case.ocr_pages(doc)) == len(pages)


def test_without_tesseract_the_library_says_what_to_install(
    qtbot: QtBot, opened: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKET_TESSERACT", "/nonexistent/tesseract")
    window = opened
    scan = write_scan(tmp_path / "fax.pdf", [LETTER])
    with qtbot.waitSignal(window.importer.finished, timeout=60_000):
        window.importer.start([scan])
    assert window.case is not None and len(window.case.documents()) == 1  # imported
    qtbot.waitUntil(lambda: not window.ocr.running, timeout=60_000)
    qtbot.waitUntil(lambda: "install tesseract-ocr" in flags_of(window, "fax"), timeout=10_000)


def test_read_with_ocr_reads_again_in_the_languages_ticked(
    qtbot: QtBot, opened: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = opened
    scan = write_scan(tmp_path / "letter.pdf", [LETTER])
    with qtbot.waitSignal(window.ocr.finished, timeout=OCR_TIMEOUT_MS):
        window.importer.start([scan])
    assert window.case is not None
    doc = window.case.documents()[0].id
    assert {info.languages for info in window.case.ocr_pages(doc)} == {"eng+rus"}  # preferences'

    dialog = OcrLanguagesDialog(window.case.document(doc), ["eng", "kaz", "rus"], "eng+rus")
    qtbot.addWidget(dialog)
    ticked = [dialog.list.item(row) for row in range(dialog.list.count())]
    assert [item.text() for item in ticked] == ["English (eng)", "Russian (rus)", "Kazakh (kaz)"]
    assert dialog.languages() == "eng+rus"
    for item in ticked:
        item.setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    ticked[0].setCheckState(Qt.CheckState.Checked)
    assert dialog.languages() == "eng"

    from docket.app.dialogs import ocrlanguages

    monkeypatch.setattr(ocrlanguages, "ask_ocr_languages", lambda *_args: "eng")
    with qtbot.waitSignal(window.ocr.finished, timeout=OCR_TIMEOUT_MS) as finished:
        window.library.ocrRequested.emit(doc)  # the context menu's "Read with OCR…"
    assert [o.doc for o in finished.args[0].documents] == [doc]
    assert window.case.document(doc).ocr_languages == "eng"  # the document's own now
    assert {info.languages for info in window.case.ocr_pages(doc)} == {"eng"}
    assert window.case.document(doc).ocr is OcrState.DONE


def test_opening_another_case_during_ocr_stops_it_and_the_first_resumes_later(
    qtbot: QtBot, opened: MainWindow, tmp_path: Path
) -> None:
    window = opened
    assert window.case is not None
    first = window.case.path
    scan = write_scan(tmp_path / "bundle.pdf", [[*LETTER, f"Page {n}"] for n in range(6)])
    with qtbot.waitSignal(window.importer.finished, timeout=60_000):
        window.importer.start([scan])
    qtbot.waitUntil(lambda: window.ocr.running, timeout=10_000)
    doc = window.case.documents()[0].id

    Case.create(tmp_path / "other").close()
    assert window.open_case(tmp_path / "other")  # the run is stopped, its chunks kept
    qtbot.waitUntil(lambda: not window.ocr.running, timeout=OCR_TIMEOUT_MS)
    qtbot.wait(200)  # the stopped run's last news arrives: said to nobody
    assert window.library.totals() == (0, 0)
    assert not window.ocr.progress.isVisible()

    with qtbot.waitSignal(window.ocr.finished, timeout=OCR_TIMEOUT_MS) as finished:
        assert window.open_case(first)
    assert [o.doc for o in finished.args[0].documents] == [doc]
    assert ocr_state(window, doc) is OcrState.DONE
