"""Starting the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from docket import APP_ID, APP_NAME, __version__


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
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
    return app


def run_window(case: Path | None = None, *, sample_if_new: bool = True) -> int:
    """Open the window on `case`, else the last case, else the welcome page.

    On the very first run (no case ever opened) the sample case is shown, so a
    new user sees a working case at once.
    """
    app = make_application()
    from docket.app.mainwindow import MainWindow

    window = MainWindow()
    window.show()
    target = case or window.settings.last_case()
    if target is not None:
        window.open_case(target)
    elif sample_if_new and not window.settings.recent_cases():
        window.open_sample_case()
    return app.exec()
