"""Progress reporting and cancellation for long work, without Qt.

Core functions take an optional `ProgressCallback` and `CancelToken`; the CLI
adapts them to a tqdm bar, the window to a progress bar and a Cancel button.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from docket.core.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    files_done: int
    files_total: int
    pages_done: int
    current: str = ""


ProgressCallback = Callable[[Progress], None]


class CancelToken:
    """Set from any thread; checked by the worker at each file and page."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")


def no_progress(_: Progress) -> None:
    """The default callback: report nothing."""
