"""All SQL over transcripts: documents.transcript(_set) and page_lines. Callers own
the transactions. Line maps are read back by storage/citing.line_maps (pin cites)
and by `line_maps_at` here (search results, marks lists)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from docket.core.storage.citing import LineMap, line_maps

_KEYS_PER_QUERY = 400


def store_line_maps(
    connection: sqlite3.Connection,
    doc_id: int,
    maps: Mapping[int, LineMap],
    *,
    by_hand: bool = False,
) -> None:
    """Replace a document's line maps; it is a transcript when it has any."""
    connection.execute("DELETE FROM page_lines WHERE doc_id = ?", (doc_id,))
    connection.executemany(
        "INSERT INTO page_lines (doc_id, number, lines) VALUES (?, ?, ?)",
        [
            (doc_id, number, json.dumps([list(line) for line in lines]))
            for number, lines in sorted(maps.items())
        ],
    )
    connection.execute(
        "UPDATE documents SET transcript = ?, transcript_set = ? WHERE id = ?",
        (1 if maps else 0, 1 if by_hand else 0, doc_id),
    )


def transcript_state(connection: sqlite3.Connection, doc_id: int) -> tuple[bool, bool] | None:
    """(a transcript, set by hand), or None when there is no such document."""
    row = connection.execute(
        "SELECT transcript, transcript_set FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    return None if row is None else (bool(row[0]), bool(row[1]))


def transcripts(connection: sqlite3.Connection) -> set[int]:
    """The ids of the documents that are transcripts."""
    return {int(row[0]) for row in connection.execute("SELECT id FROM documents WHERE transcript")}


def line_maps_at(
    connection: sqlite3.Connection, keys: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], LineMap]:
    """The line maps of these (document, page) pairs that have one."""
    by_doc: dict[int, set[int]] = {}
    for doc, page in keys:
        by_doc.setdefault(doc, set()).add(page)
    found: dict[tuple[int, int], LineMap] = {}
    wanted = transcripts(connection) & by_doc.keys()
    for doc in sorted(wanted):
        pages = sorted(by_doc[doc])
        for at in range(0, len(pages), _KEYS_PER_QUERY):
            for number, lines in line_maps(
                connection, doc, pages[at : at + _KEYS_PER_QUERY]
            ).items():
                found[(doc, number)] = lines
    return found
