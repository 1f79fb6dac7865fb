"""Docket: an offline case-file reader and annotator."""

__version__ = "0.1.0"
APP_ID = "org.docket.Docket"
APP_NAME = "Docket"

# Before anything imports Qt: see _nonefix for the PySide6 bug this guards against.
from docket._nonefix import guard_none_refcount  # noqa: E402

guard_none_refcount()
