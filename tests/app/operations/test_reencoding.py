"""Document → Re-read as Encoding… in the window: the dialog lists encodings, the
document is read again on the writer thread, the reader shows the new text and
the session announces the change."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.app.dialogs.encoding import EncodingDialog
from docket.app.dialogs.importsummary import ImportSummaryDialog
from docket.app.operations.reencoding import summary
from docket.app.panels.library.model import Column
from docket.app.window.mainwindow import MainWindow
from docket.core.model.changes import Changes
from docket.core.model.records import Flag
from tests.app.window.test_mainwindow import import_through_window, open_new_case


def _guessed_document(qtbot, window: MainWindow, tmp_path: Path) -> int:
    open_new_case(window, tmp_path)
    path = tmp_path / "note.txt"
    path.write_bytes("Witness: Петров.\n".encode("koi8-r"))
    assert import_through_window(qtbot, window, [path]).count("imported") == 1
    (document,) = window.session.require_case().documents()
    assert Flag.ENCODING_GUESSED in document.flags
    window.open_document(document.id)
    return document.id


def test_the_import_summary_says_which_encoding_was_guessed(qtbot, window, tmp_path):
    open_new_case(window, tmp_path)
    path = tmp_path / "note.txt"
    path.write_bytes("Witness: Петров.\n".encode("koi8-r"))
    report = import_through_window(qtbot, window, [path])
    dialog = ImportSummaryDialog(report)
    qtbot.addWidget(dialog)
    ((name, outcome, reason),) = dialog.rows()
    assert (name, outcome) == ("note.txt", "imported")
    assert reason.startswith("encoding guessed: ")


def test_the_library_says_which_encoding_was_guessed(qtbot, window, tmp_path):
    _guessed_document(qtbot, window, tmp_path)
    model = window.library.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    flags = model.data(model.index(0, Column.FLAGS))
    assert isinstance(flags, str) and flags.startswith("encoding guessed: ")


def test_the_dialog_lists_encodings_with_the_current_one_selected(qtbot, window, tmp_path):
    doc = _guessed_document(qtbot, window, tmp_path)
    document = window.session.require_case().document(doc)
    dialog = EncodingDialog(document, window)
    qtbot.addWidget(dialog)
    assert dialog.list.count() > 30
    assert dialog.chosen() is not None
    dialog.other.setText("koi8-r")
    assert dialog.chosen() == "koi8-r"


def test_the_menu_entry_rereads_and_the_reader_shows_the_new_text(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    doc = _guessed_document(qtbot, window, tmp_path)
    monkeypatch.setattr("docket.app.dialogs.encoding.ask_encoding", lambda *args: "koi8-r")
    announced: list[Changes] = []
    window.session.changed.connect(announced.append)
    with qtbot.waitSignal(window.reencoder.reencoded, timeout=10000) as signal:
        window.actions_["reencode"].trigger()
    assert signal.args[0].encoding == "koi8-r"
    qtbot.waitUntil(lambda: window.reader.page_text(1) == "Witness: Петров.\n")
    case = window.session.require_case()
    assert case.document(doc).encoding == "koi8-r"
    assert Flag.ENCODING_GUESSED not in case.document(doc).flags
    assert any(doc in changes.documents.changed for changes in announced)
    assert "Re-read as koi8-r" in window.statusBar().currentMessage()


def test_an_encoding_that_does_not_fit_leaves_the_document(qtbot, window, tmp_path):
    doc = _guessed_document(qtbot, window, tmp_path)
    before = window.session.require_case().pages(doc)
    with qtbot.waitSignal(window.reencoder.failed, timeout=10000) as signal:
        window.reencoder.reencode(doc, "utf-8")
    assert "unchanged" in signal.args[0]
    assert window.session.require_case().pages(doc) == before


def test_summary_names_the_orphans():
    from docket.core.ingest.reencode import Orphan, Reencoded

    result = Reencoded(1, "cp1251", 2, (4,), (Orphan(5, 1, "Протокол"),), False)
    assert summary(result) == (
        "Re-read as cp1251; 1 of 2 highlights kept; 1 orphaned, now page notes: “Протокол”"
    )
