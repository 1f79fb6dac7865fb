"""The audit log's entries, and a mark as the log writes it (plain JSON, kept for ever).

An entry says who changed what, when, and holds the record before and after:
a mark as `mark_state` writes it, or a document's own tags (`{"doc", "tags"}`).
The state holds all a mark needs to be made again (its note, tags, place, quote
and the words around it), so a mark deleted long ago can come back from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from docket.core.model.marks import NO_FACT, Anchor, Mark, MarkFact, MarkKind, MarkRect

AUTOMATIC = "docket"  # the author of changes no person made (re-anchoring, a PDF's own marks)


class AuditAction(StrEnum):
    MARK_ADDED = "mark-added"
    MARK_CHANGED = "mark-changed"  # colour, note or tags
    MARK_REMOVED = "mark-removed"
    MARK_RESTORED = "mark-restored"  # an undone delete, or brought back from the log
    MARK_REANCHORED = "mark-reanchored"  # its document's text was read again
    TAG_RENAMED = "tag-renamed"
    TAG_MERGED = "tag-merged"
    TAG_DELETED = "tag-deleted"
    TAGS_RESTORED = "tags-restored"  # a tag action undone
    DOCUMENT_TAGGED = "document-tagged"  # a document's own tags changed


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime  # UTC
    author: str
    action: str  # an AuditAction (kept as text: a newer Docket may write others)
    mark: int | None
    doc: int | None
    before: dict[str, Any] | None  # None: there was nothing (a mark added)
    after: dict[str, Any] | None  # None: nothing is left (a mark removed)

    def as_json(self) -> dict[str, object]:
        """The shape of `docket history --json`."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "author": self.author,
            "action": self.action,
            "mark": self.mark,
            "doc": self.doc,
            "before": self.before,
            "after": self.after,
        }


def mark_state(mark: Mark) -> dict[str, Any]:
    """`mark` as the audit log keeps it (not `modified`: the entry's own time says that)."""
    anchor = mark.anchor
    return {
        "id": mark.id,
        "uuid": mark.uuid,
        "kind": str(mark.kind),
        "doc": mark.doc,
        "page": mark.page,
        "range": [anchor.page, anchor.start, anchor.end_page, anchor.end] if anchor else None,
        "quote": mark.quote,
        "prefix": mark.prefix,
        "suffix": mark.suffix,
        "note": mark.note,
        "colour": mark.colour,
        "tags": list(mark.tags),
        "rects": [[r.page, r.x, r.y, r.width, r.height] for r in mark.rects],
        "author": mark.author,
        "created": mark.created.isoformat(),
        # Only on facts, so the entries of every other mark keep their old shape.
        **({"fact": _fact_state(mark.fact)} if mark.fact.is_set else {}),
        **({"reason": mark.reason} if mark.reason else {}),  # a redaction's (schema 6)
    }


def _fact_state(fact: MarkFact) -> dict[str, Any]:
    return {
        "date": fact.date,
        "date_text": fact.date_text,
        "circa": fact.circa,
        "status": fact.status,
    }


def _fact_from_state(state: Any) -> MarkFact:
    if not isinstance(state, dict):
        return NO_FACT
    return MarkFact(
        date=str(state.get("date", "")),
        date_text=str(state.get("date_text", "")),
        circa=bool(state.get("circa", False)),
        status=str(state.get("status", "")),
    )


def mark_from_state(state: dict[str, Any], modified: datetime) -> Mark:
    """The mark a `mark_state` describes; ValueError (or KeyError, TypeError) if it
    is not one."""
    span = state["range"]
    anchor = Anchor(*(int(n) for n in span)) if span is not None else None
    page = state["page"]
    return Mark(
        id=int(state["id"]),
        uuid=str(state["uuid"]),
        doc=int(state["doc"]),
        kind=MarkKind(state["kind"]),
        anchor=anchor,
        page=int(page) if page is not None else None,
        quote=str(state["quote"]),
        prefix=str(state.get("prefix", "")),
        suffix=str(state.get("suffix", "")),
        rects=tuple(MarkRect(int(r[0]), *(float(n) for n in r[1:5])) for r in state["rects"]),
        colour=str(state["colour"]),
        note=str(state["note"]),
        tags=tuple(str(tag) for tag in state["tags"]),
        author=str(state.get("author", "")),
        created=datetime.fromisoformat(str(state["created"])),
        modified=modified,
        fact=_fact_from_state(state.get("fact")),
        reason=str(state.get("reason", "")),
    )
