"""Starting the window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from docket import APP_ID, APP_NAME, __version__
from docket.app.dialogs.errors import install_error_handler
from docket.app.kit.theme import apply_theme
from docket.core.counts import count
from docket.core.preferences import load_preferences
from docket.logs import setup_logging

if TYPE_CHECKING:
    from docket.app.window.mainwindow import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    log_path = setup_logging()  # first, so that a start that fails is in the log too
    QGuiApplication.setApplicationName(APP_NAME)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    try:
        from docket.resources import resource

        icon = resource("icons/docket.svg")
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    except FileNotFoundError:
        pass
    install_error_handler(app, log_path)
    apply_theme(app, load_preferences().theme)
    return app


def run_window(
    case: Path | None = None, *, sample_if_new: bool = True, import_files: list[Path] | None = None
) -> int:
    """Open the window (see `open_window`) and run until it closes."""
    app = make_application()
    window = open_window(case, sample_if_new=sample_if_new, import_files=import_files)
    try:
        return app.exec()
    finally:
        del window  # kept alive while the event loop runs


def open_window(
    case: Path | None = None, *, sample_if_new: bool = True, import_files: list[Path] | None = None
) -> MainWindow:
    """Show the window on `case`, else the last case, else the welcome page.

    On the very first run (no case ever opened) the sample case is shown, so a
    new user sees a working case at once. `import_files` (documents opened with
    Docket from a file manager) are imported into the case that opens; with no
    case to hand that is the most recent one, else the sample case.
    """
    from docket.app.window.mainwindow import MainWindow

    window = MainWindow()
    window.show()
    target = case or window.settings.last_case()
    if target is None and import_files:
        target = next(iter(window.settings.recent_cases()), None)
    if target is not None:
        window.open_case(target)
    elif import_files or (sample_if_new and not window.settings.recent_cases()):
        window.open_sample_case()
    if import_files and window.case is not None:
        window.importer.start(import_files)
    elif import_files:  # the case could not be opened; open_case has said why
        window.statusBar().showMessage(f"Not imported: {count(len(import_files), 'file')}", 10000)
    return window
