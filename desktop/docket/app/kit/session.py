"""What the window's helpers share: the open case, its one writer, the marks, the status line.

The window makes one `Session` and hands it to the helpers that work on the case
(importing, exporting, archiving, marking) instead of handing them itself, so a
helper sees only what it uses and a test can build one without a window.

A helper that changed the case says what changed with `announce(Changes)`, and
every change-set of the mark controller is announced too; so `changed` carries
each action's change-set once, and the panels listening to it apply it to their
models (the library adds rows, the search runs its query again) instead of
being told to reload by the helper that made the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar

from docket.app.kit.tasks import SerialExecutor
from docket.core.errors import DocketError
from docket.core.model.changes import Changes

if TYPE_CHECKING:
    from docket.app.operations.marks import MarkController
    from docket.core.case import Case


class Session(QObject):
    caseChanged = Signal(object)  # the Case just opened, or None once it closed
    changed = Signal(object)  # Changes: what one action did to the open case

    def __init__(
        self,
        writer: SerialExecutor,
        marks: MarkController,
        status_bar: QStatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.writer = writer  # everything that writes the case, in order
        self.marks = marks  # every change to marks and tags, undoable
        self.status_bar = status_bar  # messages, and the indicators of long work
        self._case: Case | None = None
        marks.marksChanged.connect(self._marks_changed)

    @property
    def case(self) -> Case | None:
        return self._case

    def require_case(self) -> Case:
        if self._case is None:
            raise DocketError("no case is open")
        return self._case

    def set_case(self, case: Case | None) -> None:
        """The case now open (None: none is); the caller opened it and closes it."""
        if case is self._case:
            return
        self._case = case
        self.caseChanged.emit(case)

    def announce(self, changes: Changes) -> None:
        """Tell every listener what an action changed (nothing is said for no change)."""
        if changes and self._case is not None:
            self.changed.emit(changes)

    def _marks_changed(self, changes: Changes | None) -> None:
        if changes is not None:  # None: the controller's case was opened or closed
            self.announce(changes)

    def say(self, message: str, milliseconds: int = 0) -> None:
        """A message in the status bar, for `milliseconds` (0: until the next one)."""
        self.status_bar.showMessage(message, milliseconds)
