"""SQL over the redaction reasons (schema 6). Callers own the transactions."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RedactionReason:
    code: str  # printed in the box: 'AC', 'PII'
    label: str  # 'Attorney-Client Privilege'


def reasons(connection: sqlite3.Connection) -> list[RedactionReason]:
    """The list in the order offered."""
    rows = connection.execute(
        "SELECT code, label FROM redaction_reasons ORDER BY position, code"
    ).fetchall()
    return [RedactionReason(str(code), str(label)) for code, label in rows]


def add_reason(connection: sqlite3.Connection, reason: RedactionReason) -> None:
    """Add `reason` at the end of the list, or give a code already there its new label."""
    connection.execute(
        "INSERT INTO redaction_reasons (code, label, position) "
        "VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM redaction_reasons)) "
        "ON CONFLICT (code) DO UPDATE SET label = excluded.label",
        (reason.code, reason.label),
    )


def remove_reason(connection: sqlite3.Connection, code: str) -> None:
    connection.execute("DELETE FROM redaction_reasons WHERE code = ?", (code,))


def redactions_giving(connection: sqlite3.Connection, code: str) -> int:
    """How many redactions give reason `code`."""
    row = connection.execute(
        "SELECT count(*) FROM marks WHERE kind = 'redaction' AND reason = ?", (code,)
    ).fetchone()
    return int(row[0])
