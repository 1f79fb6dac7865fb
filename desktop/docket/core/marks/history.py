"""Undo and redo for marks: a stack of done changes, each knowing how to go back.

Commands hold whole marks (not widgets or rows), so a deleted highlight can
be put back long after the panel that showed it has moved on, under its old
id. A command whose mark vanished meanwhile (its document removed) says so
with a DocketError instead of undoing something else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docket.core.marks.marking import Marking
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
