"""All SQL over the audit log (schema 4's `audit_log`): appended to, never updated.

Callers append inside the transaction of the change they record (Database.write),
so the entry and the change reach the disk together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from docket.core.model.audit import AuditEntry, mark_state
from docket.core.model.marks import Mark

_COLUMNS = "id, at, author, action, mark_id, doc_id, before, after"
_INSERT = f"INSERT INTO audit_log ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)"


def append(
    connection: sqlite3.Connection,
    action: str,
    author: str,
    *,
    mark: int | None = None,
    doc: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> int:
    """Add one entry, stamped now (UTC); returns its id."""
    cursor = connection.execute(
        _INSERT, (_now(), author, action, mark, doc, _json(before), _json(after))
    )
    return int(cursor.lastrowid or 0)


def append_mark(
    connection: sqlite3.Connection,
    action: str,
    author: str,
    before: Mark | None,
    after: Mark | None,
) -> int:
    """An entry for one mark: added (no before), removed (no after) or changed."""
    either = after or before
    assert either is not None, "an entry is about a mark"
    return append(
        connection,
        action,
        author,
        mark=either.id,
        doc=either.doc,
        before=mark_state(before) if before else None,
        after=mark_state(after) if after else None,
    )


def append_marks(
    connection: sqlite3.Connection,
    action: str,
    author: str,
    before: Mapping[int, Mark],
    after: Mapping[int, Mark],
) -> int:
    """One entry per mark that differs between `before` and `after` (by id); how many.
    (A tag renamed on 2,000 marks writes 2,000 entries: in one statement.)"""
    at = _now()
    rows: list[tuple[object, ...]] = []
    for mark_id in sorted(before.keys() | after.keys()):
        old, new = before.get(mark_id), after.get(mark_id)
        old_state = mark_state(old) if old is not None else None
        new_state = mark_state(new) if new is not None else None
        if old_state == new_state:
            continue
        either = new if new is not None else old
        assert either is not None  # the id came from one of them
        rows.append((at, author, action, mark_id, either.doc, _json(old_state), _json(new_state)))
    connection.executemany(_INSERT, rows)
    return len(rows)


def append_document_tags(
    connection: sqlite3.Connection,
    action: str,
    author: str,
    before: Mapping[int, Sequence[str]],
    after: Mapping[int, Sequence[str]],
) -> None:
    """One entry per document whose own tags differ."""
    for doc in sorted(before.keys() | after.keys()):
        old, new = list(before.get(doc, ())), list(after.get(doc, ()))
        if old != new:
            append(
                connection,
                action,
                author,
                doc=doc,
                before={"doc": doc, "tags": old},
                after={"doc": doc, "tags": new},
            )


def entries(
    connection: sqlite3.Connection, *, mark: int | None = None, doc: int | None = None
) -> list[AuditEntry]:
    """Entries oldest first; only those about mark `mark`, or document `doc` (its
    marks' entries and its own tags'), when given. None in a case from before the
    log (schema 3, opened read-only, so not yet migrated)."""
    if not _has_log(connection):
        return []
    where: list[str] = []
    params: list[object] = []
    if mark is not None:
        where.append("mark_id = ?")
        params.append(mark)
    if doc is not None:
        where.append("doc_id = ?")
        params.append(doc)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = connection.execute(f"SELECT {_COLUMNS} FROM audit_log {clause} ORDER BY id", params)
    return [_entry(row) for row in rows]


def entry(connection: sqlite3.Connection, entry_id: int) -> AuditEntry | None:
    if not _has_log(connection):
        return None
    row = connection.execute(
        f"SELECT {_COLUMNS} FROM audit_log WHERE id = ?", (entry_id,)
    ).fetchone()
    return _entry(row) if row else None


def _has_log(connection: sqlite3.Connection) -> bool:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'"
    ).fetchone()
    return row is not None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _json(record: Mapping[str, Any] | None) -> str:
    return "" if record is None else json.dumps(record, ensure_ascii=False)


def _record(text: str) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        record = json.loads(text)
    except ValueError:  # a damaged entry is shown as nothing, never fatal to the list
        return None
    return record if isinstance(record, dict) else None


def _entry(row: Sequence[Any]) -> AuditEntry:
    entry_id, at, author, action, mark_id, doc_id, before, after = row
    return AuditEntry(
        id=int(entry_id),
        at=datetime.fromisoformat(str(at)),
        author=str(author),
        action=str(action),
        mark=int(mark_id) if mark_id is not None else None,
        doc=int(doc_id) if doc_id is not None else None,
        before=_record(str(before)),
        after=_record(str(after)),
    )
