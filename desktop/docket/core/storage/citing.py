"""What pin cites read from case.sqlite: documents' short titles and transcripts' line maps.

A short title ('' = cite by the title) lives in documents.short_title; a
transcript page's numbered lines in page_lines as JSON [[line, start, end], ...],
offsets into the page's stored text. Pages without a line map cite by page.
Cites quote only the text inside the spans, so a span should cover the line's
own words, after the number printed in the margin (a span that includes the
number quotes it too).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

LineMap = tuple[tuple[int, int, int], ...]  # (line number, start, end) in reading order


def short_title(connection: sqlite3.Connection, doc_id: int) -> str:
    row = connection.execute("SELECT short_title FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return str(row[0]) if row else ""


def short_titles(connection: sqlite3.Connection) -> dict[int, str]:
    """Every document's short title that is set, by id."""
    rows = connection.execute("SELECT id, short_title FROM documents WHERE short_title != ''")
    return {int(doc_id): str(title) for doc_id, title in rows}


def set_short_title(connection: sqlite3.Connection, doc_id: int, title: str) -> None:
    connection.execute("UPDATE documents SET short_title = ? WHERE id = ?", (title, doc_id))


def line_maps(
    connection: sqlite3.Connection, doc_id: int, numbers: Iterable[int]
) -> dict[int, LineMap]:
    """The line maps of those pages that have one (a map that cannot be read counts as none)."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    marks = ",".join("?" for _ in wanted)
    rows = connection.execute(
        f"SELECT number, lines FROM page_lines WHERE doc_id = ? AND number IN ({marks})",
        (doc_id, *wanted),
    )
    found: dict[int, LineMap] = {}
    for number, text in rows:
        lines = _parse(text)
        if lines:
            found[int(number)] = lines
    return found


def _parse(text: str) -> LineMap:
    try:
        raw = json.loads(text)
        lines = tuple((int(line), int(start), int(end)) for line, start, end in raw)
    except (ValueError, TypeError):
        return ()
    return tuple(sorted(lines, key=lambda entry: entry[1]))
