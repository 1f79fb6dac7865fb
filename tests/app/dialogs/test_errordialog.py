"""Unexpected exceptions: logged with their traceback and shown, one dialog at a time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from docket.app.dialogs.errors import ErrorDialog, ErrorReporter, install_error_handler
from docket.logs import current_log_path, setup_logging, shutdown_logging

# pytest-qt would otherwise take over sys.excepthook and fail the test on purpose-made errors.
pytestmark = pytest.mark.qt_no_exception_capture


class Boom(RuntimeError):
    pass


@pytest.fixture
def reporter(qapp: QApplication, isolated_user_dirs: Path) -> Iterator[ErrorReporter]:
    log_path = setup_logging()
    assert log_path.is_relative_to(isolated_user_dirs)
    installed = install_error_handler(qapp)
    yield installed
    installed.uninstall()
    for dialog in error_dialogs():
        dialog.close()
    shutdown_logging()


def error_dialogs() -> list[ErrorDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()
    ]


def log_text(reporter: ErrorReporter) -> str:
    return reporter.log_path.read_text(encoding="utf-8")


def test_an_exception_in_a_slot_is_logged_and_shown(qtbot, reporter: ErrorReporter) -> None:
    button = QPushButton("Go")
    qtbot.addWidget(button)

    def fail() -> None:
        raise Boom("the slot failed")

    button.clicked.connect(fail)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    text = log_text(reporter)
    assert "Traceback (most recent call last)" in text
    assert "Boom: the slot failed" in text and "in fail" in text
    dialog = error_dialogs()[0]
    assert "Boom: the slot failed" in dialog.summary.text()
    assert "in fail" in dialog.details.toPlainText()
    assert not dialog.details.isVisible()
    dialog.details_button.click()
    assert dialog.details.isVisible()
    dialog.copy_button.click()
    assert "Boom: the slot failed" in QGuiApplication.clipboard().text()
    dialog.close()
    qtbot.waitUntil(lambda: reporter.dialog is None)


def test_repeated_errors_show_one_dialog_and_are_counted(
    qtbot,
    reporter: ErrorReporter,
) -> None:
    for number in range(3):
        try:
            raise Boom(f"number {number}")
        except Boom as error:
            reporter.excepthook(Boom, error, error.__traceback__)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.repeats == 2)
    assert len(error_dialogs()) == 1
    assert "number 0" in error_dialogs()[0].summary.text()
    assert "2 more errors" in reporter.dialog.repeat_label.text()
    assert log_text(reporter).count("Traceback") == 3  # every one is in the log
    error_dialogs()[0].close()
    qtbot.waitUntil(lambda: reporter.dialog is None)
    try:
        raise Boom("after closing")
    except Boom as error:
        reporter.excepthook(Boom, error, error.__traceback__)
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)  # a new error, a new dialog
    assert "after closing" in error_dialogs()[0].summary.text()


def test_an_exception_in_another_thread_is_logged_and_shown_in_the_gui_thread(
    qtbot,
    reporter: ErrorReporter,
) -> None:
    def work() -> None:
        raise Boom("worker failed")

    thread = threading.Thread(target=work, name="import-worker")
    thread.start()
    thread.join()
    assert "Boom: worker failed" in log_text(reporter)
    assert "import-worker" in log_text(reporter)
    qtbot.waitUntil(lambda: len(error_dialogs()) == 1)
    dialog = error_dialogs()[0]
    assert dialog.thread() is QApplication.instance().thread()
    assert "Thread: import-worker" in dialog.details.toPlainText()


def test_open_log_folder_opens_the_folder_of_the_log(
    qtbot,
    reporter: ErrorReporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = ErrorDialog("Boom", "details", reporter.log_path)
    qtbot.addWidget(dialog)
    dialog.folder_button.click()
    assert [url.toLocalFile() for url in opened] == [str(reporter.log_path.parent)]


def test_installing_twice_keeps_one_handler(qapp: QApplication, reporter: ErrorReporter) -> None:
    assert install_error_handler(qapp) is reporter
    assert setup_logging() == reporter.log_path
    assert current_log_path() == reporter.log_path
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.FileHandler) and h.baseFilename == str(reporter.log_path)
    ]
    assert len(handlers) == 1


def test_an_error_before_the_log_is_started_starts_it_and_is_written_in_it(
    qtbot, qapp: QApplication, isolated_user_dirs: Path
) -> None:
    """The window starts the log once its frame is mapped (logging.handlers need not
    load before): an error in the start before that still lands in the log."""
    shutdown_logging()
    assert current_log_path() is None
    reporter = install_error_handler(qapp)
    try:
        try:
            raise Boom("before the frame")
        except Boom as error:
            reporter.report(Boom, error, error.__traceback__, "MainThread")
        assert current_log_path() == reporter.log_path
        assert reporter.log_path.is_relative_to(isolated_user_dirs)
        assert "Boom: before the frame" in log_text(reporter)
        qtbot.waitUntil(lambda: len(error_dialogs()) == 1)  # shown, then closed below
    finally:
        reporter.uninstall()
        for dialog in error_dialogs():
            dialog.close()
        shutdown_logging()
