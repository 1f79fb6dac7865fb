"""A PDF's filled form fields in case.sqlite (`form_fields`), apart from its pages."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from docket.core.errors import CaseError
from docket.core.model.records import FormField


def insert_fields(connection: sqlite3.Connection, doc_id: int, fields: Sequence[FormField]) -> None:
    """Store a document's fields; call inside the transaction that stores its pages
    (a failure here undoes the document: CaseError says why)."""
    try:
        connection.executemany(
            "INSERT INTO form_fields (doc_id, position, page, name, kind, value, rect)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, position, f.page, f.name, f.kind, f.value, json.dumps(list(f.rect)))
                for position, f in enumerate(fields)
            ],
        )
    except sqlite3.Error as error:
        raise CaseError(f"its form fields could not be stored: {error}") from error


def fields(connection: sqlite3.Connection, doc_id: int) -> list[FormField]:
    """A document's fields in the form's order."""
    rows = connection.execute(
        "SELECT page, name, kind, value, rect FROM form_fields WHERE doc_id = ? ORDER BY position",
        (doc_id,),
    ).fetchall()
    return [
        FormField(page=page, name=name, kind=kind, value=value, rect=_rect(rect))
        for page, name, kind, value, rect in rows
    ]


def _rect(text: str) -> tuple[float, float, float, float]:
    try:
        x, y, w, h = (float(v) for v in json.loads(text))
    except (ValueError, TypeError):
        return (0.0, 0.0, 0.0, 0.0)
    return (x, y, w, h)
