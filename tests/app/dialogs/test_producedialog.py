"""File → Produce…: the dialog driven as a user drives it, the production made on the
writer in the background, and the reader showing a produced page's Bates number."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from docket.app.dialogs.produce import ProduceDialog, show_produce_dialog
from docket.app.operations.producing import ProductionRunner
from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from tests.core.pdf_factory import qt_app, write_pdf


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    qt_app()
    sources = tmp_path / "sources"
    sources.mkdir()
    write_pdf(sources / "letter.pdf", ["Dear Sir.", "Yours."], title="Letter")
    write_pdf(sources / "reply.pdf", ["We disagree."], title="Reply")
    with Case.create(tmp_path / "case") as case:
        case.import_paths(sorted(sources.iterdir()), workers=0)
        reply = next(d.id for d in case.documents() if d.title == "Reply")
        case.marking.tag_document(reply, ["Produce/First"])
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    assert main.open_case(tmp_path / "case")
    yield main
    main.close()


def _dialog(window: MainWindow, selected: list[int]) -> ProduceDialog:
    dialog = show_produce_dialog(window.session, selected, window)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_a_production_is_made_in_the_background_and_shown_in_the_reader(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    case = window.case
    assert case is not None
    ids = {d.title: d.id for d in case.documents()}
    dialog = _dialog(window, [ids["Letter"]])
    assert dialog.from_selection.isChecked() and "(1)" in dialog.from_selection.text()
    dialog.prefix.setText("ABC")
    assert dialog.next_number.text() == "Next number: ABC000001"
    dialog.legend.setText("CONFIDENTIAL")
    dialog.exhibits.setChecked(True)
    dialog.folder.setText(str(tmp_path / "vol1"))
    runner = ProductionRunner(window.session, window)  # the one the dialog finds and uses
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    text = " ".join(PdfReader(tmp_path / "vol1" / "ABC000001.pdf").pages[1].extract_text().split())
    assert "ABC000002" in text and "CONFIDENTIAL" in text
    assert "Produced 1 document, 2 pages, ABC000001–ABC000002" in (
        window.statusBar().currentMessage()
    )
    assert runner.message is not None and runner.message.isVisible()
    runner.message.close()
    window.reader.open_document(case, ids["Letter"], 2)
    window._page_changed(2)
    assert "ABC000002" in window.toolbar.page_count_label.text()
    # By tag, continuing: the next number follows the first production's last.
    dialog = _dialog(window, [])
    assert dialog.from_tag.isChecked() and dialog.tag.currentText() == "Produce"
    dialog.prefix.setText("ABC")
    assert dialog.next_number.text().startswith("Next number: ABC000003")
    dialog.folder.setText(str(tmp_path / "vol2"))
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "vol2" / "ABC000003.pdf").is_file()


def test_bad_choices_are_said_in_the_dialog(window: MainWindow, tmp_path: Path) -> None:
    dialog = _dialog(window, [1])
    dialog.prefix.setText("A B")
    dialog.produce_button.click()
    assert "cannot be stamped" in dialog.problem.text() and dialog.isVisible()
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x.txt").write_text("x")
    dialog.prefix.setText("ABC")
    dialog.folder.setText(str(taken))
    dialog.produce_button.click()
    assert "already has files" in dialog.problem.text() and dialog.isVisible()
    dialog.reject()
