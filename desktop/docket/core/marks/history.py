"""Undo and redo for marks and tags: a stack of done changes, each knowing how to go back.

Commands hold whole marks (not widgets or rows), so a deleted highlight can
be put back long after the panel that showed it has moved on, under its old
id. A command whose mark vanished meanwhile (its document removed) says so
with a DocketError instead of undoing something else.

Tag actions (rename, merge, delete, a document's tags) are undone from their
`TagEdit`: every mark and document they touched gets back exactly the tags
it had. That is also right where the reverse move would not be: after
merging A into B, renaming B back to A would take B's own marks along.
Redo makes the action again, from the state the undo restored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docket.core.marks.marking import Marking
from docket.core.model.changes import TagEdit
from docket.core.model.marks import Mark

UNDO_LIMIT = 1000


@dataclass(frozen=True)
class Command:
    label: str  # "Highlight", "Delete Note", "Recolour"…
    undo: Callable[[], object]
    redo: Callable[[], object]


def created(marking: Marking, mark: Mark, label: str = "Highlight") -> Command:
    return Command(label, lambda: marking.delete(mark.id), lambda: marking.restore(mark))


def deleted(marking: Marking, mark: Mark) -> Command:
    label = "Delete Highlight" if mark.anchor else "Delete Note"
    return Command(label, lambda: marking.restore(mark), lambda: marking.delete(mark.id))


def changed(marking: Marking, before: Mark, after: Mark, label: str) -> Command:
    return Command(label, lambda: marking.set_state(before), lambda: marking.set_state(after))


def tag_renamed(marking: Marking, old: str, new: str, edit: TagEdit) -> Command:
    """Renaming `old` to `new`; into a tag in use already, that is a merge."""
    label = "Merge Tag" if edit.merged else "Rename Tag"
    return _tag_command(marking, label, edit, lambda: marking.rename_tag(old, new))


def tag_merged(marking: Marking, source: str, target: str, edit: TagEdit) -> Command:
    return _tag_command(marking, "Merge Tag", edit, lambda: marking.merge_tag(source, target))


def tag_deleted(marking: Marking, tag: str, edit: TagEdit) -> Command:
    return _tag_command(marking, "Delete Tag", edit, lambda: marking.delete_tag(tag))


def document_tagged(marking: Marking, doc: int, tags: Sequence[str], edit: TagEdit) -> Command:
    return document_retagged(marking, doc, edit, add=tags)


def document_untagged(marking: Marking, doc: int, tags: Sequence[str], edit: TagEdit) -> Command:
    return document_retagged(marking, doc, edit, remove=tags)


def document_retagged(
    marking: Marking,
    doc: int,
    edit: TagEdit,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> Command:
    """Tags added to and removed from a document in one go (the Tag Document dialog)."""
    added, removed = tuple(add), tuple(remove)
    label = "Tag Document" if added else "Untag Document"
    return _tag_command(
        marking, label, edit, lambda: marking.retag_document(doc, add=added, remove=removed)
    )


def _tag_command(
    marking: Marking, label: str, edit: TagEdit, again: Callable[[], TagEdit]
) -> Command:
    return Command(label, lambda: marking.restore_tags(edit), again)


class History:
    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._limit = limit
        self.listeners: list[Callable[[], None]] = []

    def push(self, command: Command) -> None:
        """Record a change that has just been made."""
        self._done.append(command)
        del self._done[: -self._limit]
        self._undone.clear()
        self._announce()

    def undo(self) -> str | None:
        if not self._done:
            return None
        command = self._done.pop()
        try:
            command.undo()
            self._undone.append(command)
        finally:
            self._announce()
        return command.label

    def redo(self) -> str | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        try:
            command.redo()
            self._done.append(command)
        finally:
            self._announce()
        return command.label

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._announce()

    def _announce(self) -> None:
        for listener in list(self.listeners):
            listener()
