"""Opening a case whose case.sqlite is damaged: one clear message, the welcome page,
no unexpected-error dialog, and the damaged file left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docket.app.dialogs.errors import install_error_handler
from docket.app.window.mainwindow import MainWindow
from docket.logs import setup_logging, shutdown_logging
from tests.core.mark_factory import marked_case
from tests.core.test_damaged_case import garble_table, truncate


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    case, _ = marked_case(tmp_path)
    case.close()
    return tmp_path / "case"


@pytest.mark.parametrize("damage", ["documents", "truncated"])
def test_a_damaged_case_gets_a_message_not_a_traceback(
    qtbot, window: MainWindow, case_path: Path, damage: str, monkeypatch, tmp_path: Path
) -> None:
    database = case_path / "case.sqlite"
    if damage == "truncated":
        truncate(database)
    else:
        garble_table(database, damage)
    before = database.read_bytes()
    messages: list[str] = []
    monkeypatch.setattr(
        "docket.app.window.mainwindow.QMessageBox.warning",
        lambda parent, title, text: messages.append(text),
    )
    assert not window.open_case(case_path)
    assert len(messages) == 1
    assert messages[0].startswith("the case database is damaged: ")
    assert messages[0].endswith("can save what is left")
    assert "docket recover" in messages[0]
    assert window.case is None
    assert window.pages.currentWidget() is window.welcome
    assert window.settings.last_case() is None  # not offered again at the next start
    assert database.read_bytes() == before
    # The window goes on: a whole case opens after it.
    whole = tmp_path / "whole"
    shutil.rmtree(tmp_path / "documents")
    marked_case(whole)[0].close()
    assert window.open_case(whole / "case")
    assert window.case is not None


@pytest.mark.qt_no_exception_capture  # the error handler under test takes the exception
def test_damage_met_after_opening_is_named_not_called_a_bug(
    qtbot, window: MainWindow, case_path: Path, qapp, isolated_user_dirs: Path
) -> None:
    """The marks of the first page are read by a slot, after open_case returned: the
    error handler names the damage and the way out."""
    garble_table(case_path / "case.sqlite", "marks")
    setup_logging()
    reporter = install_error_handler(qapp)
    try:
        window.open_case(case_path)
        qtbot.waitUntil(lambda: reporter.dialog is not None)
        dialog = reporter.dialog
        assert dialog is not None
        assert dialog.windowTitle().endswith("The Case Is Damaged")
        assert dialog.summary.text().startswith("the case database is damaged: ")
        assert "`docket recover CASE` can save what is left" in dialog.summary.text()
        dialog.close()
    finally:
        reporter.uninstall()
        shutdown_logging()
