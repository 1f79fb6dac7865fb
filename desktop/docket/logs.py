"""The program's log: a rotating `docket.log` in platformdirs' user log dir.

Kept free of Qt so that the CLI can log to the same place. The log holds
tracebacks and file paths, never document text, so it can be attached to a
bug report without leaking a case.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

from docket import APP_NAME, __version__

LOG_NAME = "docket.log"
MAX_BYTES = 1_000_000  # a few thousand lines; four files at most stay on disk
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


class _DocketHandler(logging.handlers.RotatingFileHandler):
    """Marks our handler so that setup_logging can find it again."""


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def setup_logging(level: int = logging.INFO) -> Path:
    """Starts logging to the file and returns its path; calling again adds no second handler.

    If the log dir has changed since (tests point it elsewhere each time), the
    old handler is closed and a new one opened in the new place.
    """
    path = log_dir() / LOG_NAME
    root = logging.getLogger()
    current = _handler()
    if current is not None and Path(current.baseFilename) == path.absolute():
        return path
    shutdown_logging()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _DocketHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.getLogger(__name__).info("%s %s started", APP_NAME, __version__)
    return path


def current_log_path() -> Path | None:
    handler = _handler()
    return Path(handler.baseFilename) if handler is not None else None


def shutdown_logging() -> None:
    """Closes and removes our handler (at exit, and between tests)."""
    handler = _handler()
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()


def _handler() -> _DocketHandler | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _DocketHandler):
            return handler
    return None
