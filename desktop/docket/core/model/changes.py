"""What one change to a case did: the change-set every mutation returns.

A user action (highlight, delete a mark, rename a tag, import a folder…) runs as
one core function on the case's one writer and returns a `Changes`. Panels
apply it to their models instead of reloading everything, the undo history
records it, and the search index is told what to refresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Key = TypeVar("Key", int, str)
Tags = tuple[str, ...]


@dataclass(frozen=True)
class Delta(Generic[Key]):
    """Keys of one kind of thing (mark ids, document ids, tag names) by what happened to them."""

    added: frozenset[Key] = frozenset()
    changed: frozenset[Key] = frozenset()
    removed: frozenset[Key] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __or__(self, other: Delta[Key]) -> Delta[Key]:
        """Both deltas as one: added then removed is gone, removed then added is changed."""
        added = (self.added - other.removed) | (other.added - self.removed)
        removed = (self.removed - other.added) | (other.removed - self.added)
        changed = (self.changed | other.changed | (self.removed & other.added)) - added - removed
        return Delta(frozenset(added), frozenset(changed), frozenset(removed))

    @property
    def touched(self) -> frozenset[Key]:
        return self.added | self.changed | self.removed

    @classmethod
    def of(
        cls,
        *,
        added: Iterable[Key] = (),
        changed: Iterable[Key] = (),
        removed: Iterable[Key] = (),
    ) -> Delta[Key]:
        return cls(frozenset(added), frozenset(changed), frozenset(removed))

    @classmethod
    def between(cls, before: Mapping[Key, object], after: Mapping[Key, object]) -> Delta[Key]:
        """What became of each key from `before` to `after`: new, gone, or a new value."""
        return cls.of(
            added=after.keys() - before.keys(),
            changed=(key for key in before.keys() & after.keys() if before[key] != after[key]),
            removed=before.keys() - after.keys(),
        )


@dataclass(frozen=True)
class Changes:
    """One action's effect on a case.

    `documents` and `marks` hold ids; `tags` holds tag names (a rename is the
    old name removed and the new one added); `document_tags` holds the ids of
    documents whose own tags changed.
    """

    documents: Delta[int] = field(default_factory=Delta)
    marks: Delta[int] = field(default_factory=Delta)
    tags: Delta[str] = field(default_factory=Delta)
    document_tags: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.documents or self.marks or self.tags or self.document_tags)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            documents=self.documents | other.documents,
            marks=self.marks | other.marks,
            tags=self.tags | other.tags,
            document_tags=self.document_tags | other.document_tags,
        )


NO_CHANGES = Changes()


@dataclass(frozen=True)
class TagEdit:
    """What a tag action (rename, merge, delete, tagging a document) did.

    Besides its change-set it keeps the tags that every mark and document it
    touched carried before, with their spelling: putting those back is the
    exact undo, even of a merge into a tag that other marks carry too.
    """

    changes: Changes
    marks_before: Mapping[int, Tags] = field(default_factory=dict)
    documents_before: Mapping[int, Tags] = field(default_factory=dict)

    @property
    def marks(self) -> int:
        """How many marks carried a tag that moved or went."""
        return len(self.changes.marks.changed)

    @property
    def documents(self) -> int:
        """How many documents' own tags changed."""
        return len(self.changes.document_tags)

    @property
    def merged(self) -> bool:
        """Whether a tag in use already took in another's marks or documents."""
        return bool(self.changes.tags.changed)
