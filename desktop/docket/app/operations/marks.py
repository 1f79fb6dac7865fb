"""The window's one way to change marks and tags: every edit is saved at once and undoable.

Panels, the reader, menus and dialogs call this, never `case.marking`
directly for changes, so that each change lands on the undo stack, the index
hears of it and every view is told once, with the change-set (`Changes`) of
what the action did: `marksChanged(changes)`, or `marksChanged(None)` when
the case itself was opened or closed. The marks already read are updated
from the change-set (only the marks it names are read again).

How the writes are serialized with an import, and why marks are not put
behind it on the writer thread:

- case.sqlite has one writer: `Database.write()` is one connection behind one
  lock, and every write is one short transaction. An import takes it once per
  file (a few milliseconds to a few hundred for a 2,000-page PDF), never for
  the whole import. A mark or tag action runs its transaction here, on the UI
  thread, and waits at most for the import's current file; so the action is
  on disk, and its change-set in hand, when the call returns.
- Whoosh has one writer too, and an import holds it for its whole run. So the
  index is never written from here: each action queues what the index must
  learn in case.sqlite (in the same transaction), and `sync_index` works the
  queue off on the window's one writer thread (`SerialExecutor`), after the
  import when one runs, coalescing a burst of changes into one commit.
- Submitting the actions themselves to the writer would put a highlight
  behind a long import (minutes), and make every edit asynchronous; the
  database lock gives the same order without that wait.
"""

from __future__ import annotations

import functools
import operator
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal

from docket.app.kit.tasks import run_in_thread
from docket.core.errors import DocketError
from docket.core.marks.history import (
    History,
    changed,
    created,
    deleted,
    document_retagged,
    tag_deleted,
    tag_merged,
    tag_renamed,
)
from docket.core.model.changes import Changes, TagEdit
from docket.core.model.marks import Anchor, Mark, MarkChange, MarkFact, MarkFilter, MarkRect

if TYPE_CHECKING:
    from docket.app.kit.tasks import SerialExecutor
    from docket.core.case import Case
    from docket.core.marks.history import Command
    from docket.core.marks.marking import Marking

Result = TypeVar("Result")

# Typing a note saves it when the typing pauses; a pause this long is one undo step.
NOTE_PAUSE_MS = 600


def reading_order(mark: Mark) -> tuple[int, int, int, int]:
    """Where a mark stands in a list: by document, page (document notes first), start."""
    start = mark.anchor.start if mark.anchor is not None else -1
    return mark.doc, mark.page or 0, start, mark.id


class MarkController(QObject):
    # Changes: what one action did to marks, tags and documents' tags; None: the case
    # was opened or closed, so everything is new.
    marksChanged = Signal(object)
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
        # Change-sets heard on another thread wait here for the UI thread: a queued
        # signal carries no Python object (see kit/tasks).
        self._elsewhere: list[Changes] = []
        self._elsewhere_lock = threading.Lock()
        self._changed_elsewhere.connect(self._take_elsewhere, Qt.ConnectionType.QueuedConnection)

    # -- the case ------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        self._cache.clear()
        self._generation += 1
        if self.case is not None and self._heard in self.case.marking.listeners:
            self.case.marking.listeners.remove(self._heard)
        self.case = case
        self.history.clear()
        if case is not None:
            case.marking.index_at_once = False
            case.marking.listeners.append(self._heard)
        self.marksChanged.emit(None)

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

    def redact(
        self,
        doc: int,
        where: Anchor | MarkRect,
        reason: str,
        rects: Sequence[MarkRect] | None = None,
    ) -> Mark | None:
        """Redact the words of an anchor, or a box drawn, for `reason` (burned in when
        produced); undoable."""
        mark = self._attempt(
            lambda: self.marking.redact(doc, where, reason, author=self.author, rects=rects)
        )
        if mark is not None:
            self.history.push(created(self.marking, mark, "Redaction"))
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

    def set_fact(self, mark_id: int, fact: MarkFact) -> None:
        """Date a mark (a fact of the chronology), set its status, or with NO_FACT undate it."""
        self._change(mark_id, MarkChange(fact=fact), "Date Fact")

    def delete(self, mark_id: int) -> None:
        mark = self._attempt(lambda: self.marking.delete(mark_id))
        if mark is not None:
            self.history.push(deleted(self.marking, mark))

    # -- tags: each raises DocketError with the reason, for the panel to show --------------

    def rename_tag(self, old: str, new: str) -> TagEdit:
        """Rename a tag (a name in use already: merge into it)."""
        edit = self.marking.rename_tag(old, new)
        self._push_tag_edit(edit, tag_renamed(self.marking, old, new, edit))
        return edit

    def merge_tag(self, source: str, target: str) -> TagEdit:
        edit = self.marking.merge_tag(source, target)
        self._push_tag_edit(edit, tag_merged(self.marking, source, target, edit))
        return edit

    def delete_tag(self, tag: str) -> TagEdit:
        edit = self.marking.delete_tag(tag)
        self._push_tag_edit(edit, tag_deleted(self.marking, tag, edit))
        return edit

    def tag_document(self, doc: int, tags: Iterable[str]) -> TagEdit:
        return self.retag_document(doc, add=tags)

    def untag_document(self, doc: int, tags: Iterable[str]) -> TagEdit:
        return self.retag_document(doc, remove=tags)

    def retag_document(
        self, doc: int, *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> TagEdit:
        """Add and remove a document's tags as one undoable step."""
        added, removed = tuple(add), tuple(remove)
        edit = self.marking.retag_document(doc, add=added, remove=removed)
        command = document_retagged(self.marking, doc, edit, add=added, remove=removed)
        self._push_tag_edit(edit, command)
        return edit

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
        if (before.colour, before.note, before.tags, before.fact) == (
            after.colour,
            after.note,
            after.tags,
            after.fact,
        ):
            return  # nothing changed: nothing to undo
        self.history.push(changed(self.marking, before, after, label))

    def _push_tag_edit(self, edit: TagEdit, command: Command) -> None:
        if edit.changes:  # a tag a document had already, say: nothing to undo
            self.history.push(command)

    def _attempt(self, change: Callable[[], Result]) -> Result | None:
        """`change()`, or None when the case refused it (the reason goes to `failed`)."""
        try:
            return change()
        except DocketError as problem:
            self.failed.emit(str(problem))
            return None

    def _heard(self, changes: Changes) -> None:
        """A marking listener: called on the thread that made the change."""
        if QThread.currentThread() is self.thread():
            self._apply(changes)
            return
        with self._elsewhere_lock:
            self._elsewhere.append(changes)
        self._changed_elsewhere.emit()  # applied again, on this object's thread

    def _take_elsewhere(self) -> None:
        with self._elsewhere_lock:
            waiting, self._elsewhere = self._elsewhere, []
        if waiting:
            # An import's PDF marks come one change-set each: the views hear them as one.
            self._apply(functools.reduce(operator.or_, waiting))

    def _apply(self, changes: Changes) -> None:
        self._update_cache(changes)
        self._generation += 1
        self.marksChanged.emit(changes)
        if not self._index_pending:
            self._index_pending = True
            # Several changes in a row (undo of many, typing) make one index commit.
            QTimer.singleShot(300, self, self._sync_index)

    def _update_cache(self, changes: Changes) -> None:
        """Bring the marks read before up to date, reading only those the change names."""
        touched = changes.marks.touched
        if not touched or not self._cache or self.case is None:
            return
        fresh = self.case.marking.by_ids(changes.marks.added | changes.marks.changed)
        for doc, cached in self._cache.items():
            kept = [mark for mark in cached if mark.id not in touched]
            kept += [mark for mark in fresh.values() if doc is None or mark.doc == doc]
            kept.sort(key=reading_order)
            self._cache[doc] = kept

    def _sync_index(self) -> None:
        self._index_pending = False
        case = self.case
        if case is None:
            return
        if self._writer is None:
            case.marking.sync_index()
        else:
            self._writer.submit(case.marking.sync_index, context=self)
