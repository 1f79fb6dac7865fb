"""The Export dialog and Import Marks, driven as a user drives them (file dialogs patched)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from docket.app.dialogs.export import ExportDialog, import_marks_dialog, show_export_dialog
from docket.app.operations.exporting import ExportRunner, MarksImporter
from docket.app.window.mainwindow import MainWindow
from docket.core.export.formats import ExportFormat
from docket.core.export.webannotation import write_web_annotations
from docket.core.preferences import Preferences, save_preferences
from tests.core.mark_factory import CYRILLIC, marked_case


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    save_preferences(Preferences(colour_names={"pink": "Admission"}))
    case, _ = marked_case(tmp_path)
    case.close()
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    assert main.open_case(tmp_path / "case")
    yield main
    main.close()


def _dialog(window: MainWindow) -> ExportDialog:
    dialog = show_export_dialog(window.session, window.reader.document, window)
    assert dialog is not None and dialog.isVisible()
    return dialog


def _choose(dialog: ExportDialog, fmt: ExportFormat) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))


def _export(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
    dialog: ExportDialog,
) -> ExportRunner:
    runner = ExportRunner(window.session, window)  # the one the dialog finds and uses
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return runner


def test_the_dialog_offers_formats_filters_and_a_path_that_follows_them(
    window: MainWindow,
) -> None:
    dialog = _dialog(window)
    exports = window.case.layout.exports
    assert Path(dialog.path.text()).parent == exports and dialog.path.text().endswith(".html")
    assert dialog.current_document.isEnabled() and window.reader.document is not None
    assert window.reader.document.title in dialog.current_document.text()
    tags = [dialog.tag.itemText(i) for i in range(dialog.tag.count())]
    assert tags == ["Any tag", "Issue", "Issue/Torture", "Witness", "Witness/Karimova"]
    assert dialog.colour.findText("Admission") > 0  # the user's own colour name
    _choose(dialog, ExportFormat.CSV)
    assert dialog.path.text().endswith(".csv") and not dialog.by_tag.isEnabled()
    _choose(dialog, ExportFormat.ANNOTATED_PDF)
    assert dialog.path.text().endswith("annotated")  # a folder for several documents
    dialog.current_document.setChecked(True)
    assert dialog.path.text().endswith("(annotated).pdf")
    dialog.reject()


def test_export_runs_in_the_background_then_offers_the_folder(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = _dialog(window)
    dialog.by_tag.setChecked(True)
    dialog.tag.setCurrentIndex(dialog.tag.findText("Issue"))
    target = Path(dialog.path.text())
    runner = _export(qtbot, window, dialog)
    text = target.read_text(encoding="utf-8")
    assert "Issue/Torture" in text and "Admission" in text and CYRILLIC not in text
    assert "Exported 3 marks" in window.statusBar().currentMessage()
    box = runner.message
    assert box is not None and box.isVisible()
    open_folder = next(b for b in box.buttons() if b.text() == "Open Folder")
    qtbot.mouseClick(open_folder, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(target.parent))]


def test_a_pdf_report_is_typeset_off_the_ui_thread(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtPdf import QPdfDocument

    dialog = _dialog(window)
    _choose(dialog, ExportFormat.REPORT_PDF)
    dialog.path.setText(str(tmp_path / "report.pdf"))
    _export(qtbot, window, dialog)
    document = QPdfDocument(None)
    assert document.load(str(tmp_path / "report.pdf")) == QPdfDocument.Error.None_
    text = " ".join(document.getAllText(n).text() for n in range(document.pageCount()))
    document.close()
    assert CYRILLIC in text


def test_browse_adds_the_suffix_and_a_chosen_path_stays(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(tmp_path / "for court"), "")
    )
    dialog = _dialog(window)
    _choose(dialog, ExportFormat.MARKDOWN)
    dialog.browse()
    assert dialog.path.text() == str(tmp_path / "for court.md")
    dialog.by_tag.setChecked(True)
    assert dialog.path.text() == str(tmp_path / "for court.md")
    dialog.reject()


def test_a_path_inside_the_cases_files_is_refused_and_the_dialog_stays(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text)
    )
    dialog = _dialog(window)
    dialog.path.setText(str(window.case.layout.files / "report.html"))
    dialog.accept()
    assert dialog.isVisible() and "files/ folder" in warnings[0]
    dialog.reject()


def test_import_marks_puts_them_back_and_lists_orphans(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = window.case
    path = tmp_path / "marks.jsonld"
    write_web_annotations(case, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["first"]["items"][1]["target"]["selector"][0]["exact"] = "words nobody wrote"
    path.write_text(json.dumps(data), encoding="utf-8")
    for mark in case.marking.marks():
        case.marking.delete(mark.id)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    importer = MarksImporter(window.session, window)  # the one import_marks_dialog finds and uses
    with qtbot.waitSignal(importer.finished, timeout=20_000) as signal:
        assert import_marks_dialog(window.session, window) is importer
    report = signal.args[0]
    assert (len(report.imported), len(report.orphans)) == (7, 1)
    assert len(case.marking.marks()) == 7
    box = importer.message
    assert box is not None and "Imported 7 marks" in box.text()
    assert "“words nobody wrote” — the quoted words are no longer anywhere" in box.detailedText()


def test_import_of_a_bad_file_says_why_and_changes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bad), ""))
    importer = MarksImporter(window.session, window)
    with qtbot.waitSignal(importer.failed, timeout=20_000) as signal:
        import_marks_dialog(window.session, window)
    assert "item 1 is not an Annotation" in signal.args[0]
    assert len(window.case.marking.marks()) == 8
