"""OCR storing new text for the document being read reloads it in place: a find the
reader has open stays open, on the match it was on, and the reader stays where it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pytestqt.qtbot import QtBot

from docket.app.kit import tasks
from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from tests.app.test_ocr_window import OCR_TIMEOUT_MS
from tests.cli.test_ocr_cli import LETTER, write_scan
from tests.core.pdf_factory import write_pdf

TYPED = "Statement of the police officer on duty that night, taken down in writing."


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert tasks.wait_for_idle(30_000), "background work still running after the test"


def write_typed_then_scanned(path: Path) -> Path:
    """Page 1 typed (its own text), page 2 a scan of LETTER (no text until OCR)."""
    typed = write_pdf(path.with_name("typed.pdf"), [TYPED])
    scanned = write_scan(path.with_name("scanned.pdf"), [LETTER])
    writer = PdfWriter()
    for source in (typed, scanned):
        for page in PdfReader(source).pages:
            writer.add_page(page)
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_a_reload_by_ocr_keeps_the_find_and_the_place(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    mixed = write_typed_then_scanned(tmp_path / "mixed.pdf")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([mixed], workers=0)
        doc = case.documents()[0].id
        case.skip_ocr([doc])  # read below, when the test says so
    assert window.open_case(tmp_path / "case")
    window.open_document(doc, 1)
    reader = window.reader

    window.actions_["find"].trigger()
    qtbot.keyClicks(reader.find_bar.edit, "police")
    qtbot.waitUntil(lambda: reader.find_bar.count.text() == "1 of 1", timeout=5000)
    found = reader.find_bar.current_match()
    assert found is not None and found.page == 1
    reader.go_to_page(2)  # reading on, the find bar still open
    qtbot.waitUntil(lambda: reader.current_page() == 2, timeout=5000)

    with qtbot.waitSignal(window.ocr.finished, timeout=OCR_TIMEOUT_MS):
        window.ocr.read_again([doc])
    qtbot.waitUntil(lambda: "convoy" in reader.page_text(2), timeout=10_000)

    assert reader.document is not None and reader.document.id == doc
    assert reader.find_bar.isVisible() and reader.find_bar.edit.text() == "police"
    assert reader.find_bar.count.text() == "1 of 2"  # the scan's "police" found as well
    assert reader.find_bar.current_match() == found
    assert reader.current_page() == 2  # not taken back to the match
