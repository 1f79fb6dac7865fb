"""Unexpected exceptions: written to the log with their traceback, then shown to the user.

`install_error_handler` replaces `sys.excepthook` (exceptions in Qt slots and
virtual methods land there) and `threading.excepthook`. A report from any
thread reaches the GUI thread through a queued signal, because widgets may
only be made there. One dialog is shown at a time: while it is open, later
errors (often the same one, repeating on every paint) are only counted.

A damaged case.sqlite is no bug: wherever it is met (the marks of a page, a
search), the dialog says so in one line and names `docket recover`, instead of
promising that everything is saved.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QObject, QTimer, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from docket import APP_NAME, __version__

log = logging.getLogger(__name__)
_installed: ErrorReporter | None = None


def install_error_handler(app: QApplication, log_path: Path | None = None) -> ErrorReporter:
    """Routes unexpected exceptions to the log and a dialog; calling it again changes nothing.

    Without `log_path`, the log is the one started already, else it is started
    when the first error is reported (so that a start that fails is in it)."""
    global _installed
    if _installed is None:
        _installed = ErrorReporter(app, log_path)
        _installed.install()
    return _installed


def _started_log() -> Path:
    """The log's path, starting the log if nothing has yet.

    Imported here, not at the top: the log's module loads logging.handlers (with
    socket, pickle, queue: ~10 ms), which need not come before the window's frame."""
    from docket.logs import current_log_path, setup_logging

    return current_log_path() or setup_logging()


class ErrorReporter(QObject):
    _reported = Signal(str, str, bool)  # summary, details, damaged; emitted from any thread

    def __init__(self, app: QApplication, log_path: Path | None = None) -> None:
        super().__init__(app)  # lives in the GUI thread, so its slots run there
        self._log_path = log_path
        self.dialog: ErrorDialog | None = None
        self._failed = False  # the dialog itself failed: from then on, log only
        self._previous = (sys.excepthook, threading.excepthook)
        # Queued from any thread (a report from the GUI thread too: the dialog is not
        # made inside the paint or the slot that failed). By a zero timer, not by
        # Qt.ConnectionType: the error handler is installed before the window is on
        # screen, and Qt's namespace of enums costs 20-40 ms to load.
        self._reported.connect(self._queue_show)

    @property
    def log_path(self) -> Path:
        """The log errors are written to (started now if it was not yet)."""
        if self._log_path is None:
            self._log_path = _started_log()
        return self._log_path

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        global _installed
        sys.excepthook, threading.excepthook = self._previous
        if _installed is self:
            _installed = None

    def excepthook(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in a terminal is not a fault
            self._previous[0](kind, error, trace)
            return
        self.report(kind, error, trace, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return  # as the default hook: a thread may end itself with SystemExit
        name = args.thread.name if args.thread is not None else "unknown thread"
        self.report(args.exc_type, args.exc_value, args.exc_traceback, name)

    def report(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
        thread: str,
    ) -> None:
        try:
            log_path = self.log_path  # the log started, if the error came before it
            log.error("Unexpected error in thread %s", thread, exc_info=(kind, error, trace))
            if sys.stderr is not None:  # someone who started it in a terminal sees it too
                traceback.print_exception(kind, error, trace, file=sys.stderr)
            # Here, not at the top: sqlite3 need not load before the window is on screen.
            from docket.core.storage.damage import as_damage

            damage = as_damage(error)
            summary = (
                str(damage)
                if damage is not None
                else "".join(traceback.format_exception_only(kind, error)).strip()
            )
            details = "".join(traceback.format_exception(kind, error, trace))
            self._reported.emit(
                summary, f"{details}\n{_environment(thread, log_path)}", damage is not None
            )
        except Exception:  # a hook must never raise: fall back to the interpreter's own
            sys.__excepthook__(kind, error, trace)

    def _queue_show(self, summary: str, details: str, damaged: bool) -> None:
        QTimer.singleShot(0, self, lambda: self._show(summary, details, damaged))

    def _show(self, summary: str, details: str, damaged: bool = False) -> None:
        if self.dialog is not None:
            self.dialog.count_another()
            return
        if self._failed:
            return
        try:
            self.dialog = ErrorDialog(summary, details, self.log_path, damaged=damaged)
        except Exception:
            self._failed = True  # never loop: an error in here would be reported back here
            log.exception("Could not show the error dialog")
            return
        self.dialog.finished.connect(self._closed)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _closed(self) -> None:
        self.dialog = None


class ErrorDialog(QDialog):
    def __init__(
        self,
        summary: str,
        details: str,
        log_path: Path,
        parent: QWidget | None = None,
        *,
        damaged: bool = False,
    ) -> None:
        from PySide6.QtCore import Qt  # loaded when a dialog is shown, not at the start
        from PySide6.QtWidgets import QStyle

        super().__init__(parent)
        self.setWindowTitle(self.tr("{0}: Something Went Wrong").format(APP_NAME))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.log_path = log_path
        self.repeats = 0

        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        message = QLabel(
            "<p><b>"
            + self.tr("Something went wrong…")
            + "</b></p><p>"
            + self.tr(
                "Your marks and documents are saved: every change is written to the "
                "case as it is made."
            )
            + "</p><p>"
            + self.tr(
                "The details are in the log. You can go on working, or restart "
                "{0} if anything looks wrong."
            ).format(APP_NAME)
            + "</p>"
        )
        if damaged:  # not a bug, and not everything is safe: say what to do instead
            self.setWindowTitle(self.tr("{0}: The Case Is Damaged").format(APP_NAME))
            message.setText(
                "<p><b>"
                + self.tr("The case's database is damaged.")
                + "</b></p><p>"
                + self.tr(
                    "{0} cannot read all of its case.sqlite. Close the case; "
                    "<code>docket recover</code> builds a new case from what is left, "
                    "without touching this one."
                ).format(APP_NAME)
                + "</p>"
            )
        message.setWordWrap(True)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.repeat_label = QLabel()
        self.repeat_label.hide()
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # Fusion's stock Close icon is dark ink and vanishes on a dark palette.
        buttons.button(QDialogButtonBox.StandardButton.Close).setIcon(QIcon())
        role = QDialogButtonBox.ButtonRole.ActionRole
        self.details_button = buttons.addButton(self.tr("&Details"), role)
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = buttons.addButton(self.tr("&Copy Details"), role)
        self.copy_button.clicked.connect(self.copy_details)
        self.folder_button = buttons.addButton(self.tr("Open &Log Folder"), role)
        self.folder_button.clicked.connect(self.open_log_folder)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        for widget in (message, self.summary, self.repeat_label):
            text.addWidget(widget)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def count_another(self) -> None:
        self.repeats += 1
        # No English .qm is shipped to pluralise "%n error(s)", so English picks its own form.
        self.repeat_label.setText(
            self.tr("One more error since this one; it is in the log too.")
            if self.repeats == 1
            else self.tr(
                "%n more errors since this one; they are in the log too.", "", self.repeats
            )
        )
        self.repeat_label.show()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.adjustSize()


def _environment(thread: str, log_path: Path) -> str:
    """What a bug report needs besides the traceback; no case names, no document text."""
    import platform  # here: the handler is installed before the window shows, this is rare

    return (
        f"{APP_NAME} {__version__}, Python {platform.python_version()}, Qt {qVersion()}, "
        f"PySide6 {PySide6.__version__}, {platform.platform()}\n"
        f"Thread: {thread}\nLog: {log_path}"
    )
