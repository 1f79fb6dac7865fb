"""Starting the window: its frame on screen first, the case's page next, the rest after.

What loads before the frame is mapped is kept to Qt's own start and a few small
modules (the log, the preferences, the error handler, the frame): the window's
parts, the case's code and the document's page come after it (see
docket.app.window.mainwindow), the library, the search index and the OCR after
page 1 is painted. tests/benchmarks/bench_startup.py measures it against a bare
PySide6 window.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QWindow
from PySide6.QtWidgets import QApplication, QWidget

from docket import APP_ID, APP_NAME, __version__
from docket.app.dialogs.errors import install_error_handler
from docket.app.kit.theme import apply_start_theme
from docket.core.counts import count
from docket.core.preferences import load_preferences

if TYPE_CHECKING:
    from docket.app.window.mainwindow import MainWindow

# The longest wait for the window to be mapped before the case is opened anyway.
MAP_TIMEOUT_MS = 2000


def make_application(argv: list[str] | None = None) -> QApplication:
    """The application, with the error handler. The log is started after the window's
    first page (MainWindow's background work; open_window's start_log without a
    case), or by the first error reported before that, so that a start that fails
    is in the log too."""
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
    install_error_handler(app)
    apply_start_theme(app, load_preferences().theme)
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

    window = MainWindow(frame_only=True)  # an empty page while the rest is built
    target = case or window.settings.last_case()
    if target is None and import_files:
        target = next(iter(window.settings.recent_cases()), None)
    window.show()
    wait_until_mapped(window)  # the window first: its parts and the case come after
    window.build(panels=False)  # the panels come after page 1 (open_case's page_first)
    if target is not None:
        window.open_case(target, page_first=True)
    elif import_files or (sample_if_new and not window.settings.recent_cases()):
        window.open_sample_case()
    if window.case is None:
        start_log()  # else the case's background work starts it, after page 1
    if import_files and window.case is not None:
        window.importer.start(import_files)
    elif import_files:  # the case could not be opened; open_case has said why
        window.statusBar().showMessage(f"Not imported: {count(len(import_files), 'file')}", 10000)
    return window


def start_log() -> None:
    """The program's log started (calling it again changes nothing). Imported here:
    docket.logs loads logging.handlers, which the frame does not need."""
    from docket.logs import setup_logging

    setup_logging()


class _ExposeWatcher(QObject):
    """Ends `loop` when the window it watches is exposed (mapped and visible)."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self._loop = loop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        exposed = isinstance(watched, QWindow) and watched.isExposed()
        if event.type() == QEvent.Type.Expose and exposed:
            self._loop.quit()
        return False


def wait_until_mapped(window: QWidget, timeout_ms: int = MAP_TIMEOUT_MS) -> None:
    """Runs Qt's events (not the user's input) until `window`, shown, is on screen.

    So the window is mapped and painted before the case is opened on the UI
    thread, not after: a user sees it at once. The timeout covers a platform that
    never exposes a window (a minimised start, some remote displays).
    """
    handle = window.windowHandle()
    if handle is None or handle.isExposed():
        return
    loop = QEventLoop()
    watcher = _ExposeWatcher(loop)
    handle.installEventFilter(watcher)
    QTimer.singleShot(timeout_ms, loop, loop.quit)
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    handle.removeEventFilter(watcher)
    # The expose has queued the first paint; deliver it before the case's work starts.
    QApplication.sendPostedEvents()
