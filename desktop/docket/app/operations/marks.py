"""The window's one way to change marks: every edit is saved at once and undoable.

Panels, the reader and menus call this, never `case.marking` directly for
changes, so that each change lands on the undo stack, the index hears of it
(on the writer thread, so typing a note never waits for Whoosh) and every
view is told once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal

from docket.app.kit.tasks import run_in_thread
from docket.core.errors import DocketError
from docket.core.marks.history import History, changed, created, deleted
from docket.core.model.marks import Anchor, Mark, MarkChange, MarkFilter, MarkRect

if TYPE_CHECKING:
    from docket.app.kit.tasks import SerialExecutor
    from docket.core.case import Case
    from docket.core.marks.marking import Marking

# Typing a note saves it when the typing pauses; a pause this long is one undo step.
NOTE_PAUSE_MS = 600


class MarkController(QObject):
    marksChanged = Signal()  # any mark or tag of the case changed (or the case did)
    historyChanged = Signal()
    markActivated = Signal(object)  # Mark: show it in the reader
    failed = Signal(str)  # a change that could not be made, said plainly
    _changed_elsewhere = Signal()  # marks changed on another thread (PDF marks at import)

    def __init__(self, writer: SerialExecutor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = writer
        self.case: Case | None = None
        self.history = History()
        self.history.listeners.append(self.historyChanged.emit)
        self.author = ""
        self.current_colour = "yellow"
        self._index_pending = False
        self._cache: dict[int | None, list[Mark]] = {}
        self._generation = 0  # bumped by every change: a late read is then dropped
        self._changed_elsewhere.connect(self._marking_changed, Qt.ConnectionType.QueuedConnection)

    # -- the case ------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        self._cache.clear()
        self._generation += 1
        if self.case is not None:
            self.case.marking.listeners.clear()
        self.case = case
        self.history.clear()
        if case is not None:
            case.marking.index_at_once = False
            case.marking.listeners.append(self._marking_changed)
        self.marksChanged.emit()

    @property
    def marking(self) -> Marking:
        if self.case is None:
            raise DocketError("no case is open")
        return self.case.marking

    def cached_marks(self, doc: int | None) -> list[Mark] | None:
        """A document's marks if read since the last change, else None (no query)."""
        cached = self._cache.get(doc)
        return list(cached) if cached is not None else None

    def load_marks(self, doc: int, done: Callable[[], object]) -> None:
        """Read a document's marks on a worker thread, then call `done` here.

        For documents with many marks (2,000: ~30 ms to read) when they open, so the
        page shows at once and its highlights a moment later."""
        case, generation = self.case, self._generation
        if case is None:
            return

        def read() -> list[Mark]:
            return case.marking.marks(MarkFilter(doc=doc))

        def arrived(marks: object) -> None:
            if self.case is case and self._generation == generation:
                self._cache[doc] = list(marks)  # type: ignore[call-overload]
                done()

        run_in_thread(read, on_result=arrived, context=self)

    def mark_count(self, doc: int) -> int:
        return self.case.marking.count(doc) if self.case is not None else 0

    def marks(self, doc: int | None = None) -> list[Mark]:
        """The marks of a document (or the case), read once per change: the reader
        and the Marks panel both ask after every change (2,000 marks: 40 ms a read)."""
        if self.case is None:
            return []
        cached = self._cache.get(doc)
        if cached is None:
            cached = self._cache[doc] = self.marking.marks(MarkFilter(doc=doc))
        return list(cached)

    # -- changes ----------------------------------------------------------------------

    def highlight(
        self,
        doc: int,
        anchor: Anchor,
        colour: str | None = None,
        rects: Sequence[MarkRect] | None = None,
    ) -> Mark | None:
        colour = colour or self.current_colour
        mark = self._attempt(
            lambda: self.marking.highlight(
                doc, anchor, colour=colour, author=self.author, rects=rects
            )
        )
        if mark is not None:
            self.current_colour = colour
            self.history.push(created(self.marking, mark, "Highlight"))
        return mark

    def add_note(self, doc: int, note: str, page: int | None = None) -> Mark | None:
        mark = self._attempt(
            lambda: self.marking.add_note(doc, note, page=page, author=self.author)
        )
        if mark is not None:
            label = "Page Note" if page is not None else "Document Note"
            self.history.push(created(self.marking, mark, label))
        return mark

    def recolour(self, mark_id: int, colour: str) -> None:
        self._change(mark_id, MarkChange(colour=colour), "Recolour")
        self.current_colour = colour

    def set_note(self, mark_id: int, note: str) -> None:
        self._change(mark_id, MarkChange(note=note), "Edit Note")

    def set_tags(self, mark_id: int, tags: Sequence[str]) -> None:
        self._change(mark_id, MarkChange(tags=tuple(tags)), "Tag")

    def delete(self, mark_id: int) -> None:
        mark = self._attempt(lambda: self.marking.delete(mark_id))
        if mark is not None:
            self.history.push(deleted(self.marking, mark))

    def open_mark(self, mark: Mark | int) -> None:
        if isinstance(mark, int):
            found = self.case.marking.find(mark) if self.case else None
            if found is None:
                return
            mark = found
        self.markActivated.emit(mark)

    def undo(self) -> None:
        self._attempt(self.history.undo)

    def redo(self) -> None:
        self._attempt(self.history.redo)

    # -- inside -------------------------------------------------------------------------

    def _change(self, mark_id: int, change: MarkChange, label: str) -> None:
        result = self._attempt(lambda: self.marking.change(mark_id, change))
        if result is None:
            return
        before, after = result
        if (before.colour, before.note, before.tags) == (after.colour, after.note, after.tags):
            return  # nothing changed: nothing to undo
        self.history.push(changed(self.marking, before, after, label))

    def _attempt(self, change):  # type: ignore[no-untyped-def]
        try:
            return change()
        except DocketError as problem:
            self.failed.emit(str(problem))
            return None

    def _marking_changed(self) -> None:
        if QThread.currentThread() is not self.thread():
            self._changed_elsewhere.emit()  # handled again, on this object's thread
            return
        self._cache.clear()
        self._generation += 1
        self.marksChanged.emit()
        if not self._index_pending:
            self._index_pending = True
            # Several changes in a row (undo of many, typing) make one index commit.
            QTimer.singleShot(300, self, self._sync_index)

    def _sync_index(self) -> None:
        self._index_pending = False
        case = self.case
        if case is None:
            return
        if self._writer is None:
            case.marking.sync_index()
        else:
            self._writer.submit(case.marking.sync_index, context=self)
