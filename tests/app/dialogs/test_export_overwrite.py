"""The Export dialog follows the command line's rules: it asks before replacing a file,
and a folder typed as the place gets a new file inside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from docket.app.dialogs.export import ExportDialog, show_export_dialog
from docket.app.operations.exporting import ExportRunner
from docket.app.window.mainwindow import MainWindow
from docket.core.export.formats import ExportFormat
from tests.core.mark_factory import marked_case


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    case, _ = marked_case(tmp_path)
    case.close()
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    assert main.open_case(tmp_path / "case")
    yield main
    main.close()


def _dialog(window: MainWindow, fmt: ExportFormat, path: str) -> ExportDialog:
    dialog = show_export_dialog(window.session, window.reader.document, window)
    assert dialog is not None
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.path.setText(path)
    return dialog


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *rest):  # type: ignore[no-untyped-def]
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_an_existing_file_is_replaced_only_when_the_user_agrees(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("my own notes", encoding="utf-8")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog = _dialog(window, ExportFormat.MARKDOWN, str(target))
    dialog.accept()
    assert asked and "“report.md” already exists" in asked[0]
    assert dialog.isVisible()  # stays open for another name
    assert target.read_text(encoding="utf-8") == "my own notes"
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    runner = ExportRunner(window.session, window)  # the one the dialog finds and uses
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked and "police fired" in target.read_text(encoding="utf-8")


def test_a_folder_gets_a_new_file_inside_it_without_asking(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "for court"
    folder.mkdir()
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog = _dialog(window, ExportFormat.CSV, str(folder))
    runner = ExportRunner(window.session, window)
    with qtbot.waitSignal(runner.finished, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    written = signal.args[0].path
    assert asked == [] and written.parent == folder and written.suffix == ".csv"
    assert [p.name for p in folder.iterdir()] == [written.name]
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_a_path_ending_in_a_separator_is_a_new_folder(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _dialog(window, ExportFormat.HTML, f"{tmp_path / 'new folder'}/")
    runner = ExportRunner(window.session, window)
    with qtbot.waitSignal(runner.finished, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    written = signal.args[0].path
    assert written.parent == tmp_path / "new folder" and written.suffix == ".html"
    assert written.is_file()


def test_copies_into_a_folder_keep_files_there_and_the_message_names_them(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    (folder / "Complaint (annotated).pdf").write_bytes(b"an older copy")
    dialog = _dialog(window, ExportFormat.ANNOTATED_PDF, str(folder))
    dialog.all_documents.setChecked(True)
    dialog.path.setText(str(folder))
    runner = ExportRunner(window.session, window)
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert (folder / "Complaint (annotated).pdf").read_bytes() == b"an older copy"
    assert runner.message is not None
    assert "Complaint (2) (annotated).pdf" in runner.message.detailedText()
    assert (folder / "Complaint (2) (annotated).pdf").is_file()
