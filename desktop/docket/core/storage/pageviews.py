"""Review coverage in case.sqlite: which pages each reviewer has had in view (page_views).

A page counts once per reviewer: the first time is kept (INSERT OR IGNORE), so
looking at a page again, or marking it by hand after, changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def record(
    connection: sqlite3.Connection,
    doc_id: int,
    numbers: Iterable[int],
    reviewer: str,
    at: str,
    how: str,
) -> int:
    """Record the pages; how many were new for this reviewer."""
    before = connection.total_changes
    connection.executemany(
        "INSERT OR IGNORE INTO page_views (doc_id, number, reviewer, first_at, how)"
        " VALUES (?, ?, ?, ?, ?)",
        [(doc_id, number, reviewer, at, how) for number in sorted(set(numbers))],
    )
    return connection.total_changes - before


def reviewed_pages(
    connection: sqlite3.Connection, doc_id: int, reviewer: str | None = None
) -> frozenset[int]:
    """The pages of a document anyone (or `reviewer`) has reviewed."""
    if reviewer is None:
        rows = connection.execute(
            "SELECT DISTINCT number FROM page_views WHERE doc_id = ?", (doc_id,)
        )
    else:
        rows = connection.execute(
            "SELECT number FROM page_views WHERE doc_id = ? AND reviewer = ?", (doc_id, reviewer)
        )
    return frozenset(int(number) for (number,) in rows)


def counts(connection: sqlite3.Connection) -> dict[int, int]:
    """Reviewed pages per document, by anyone."""
    rows = connection.execute(
        "SELECT doc_id, count(DISTINCT number) FROM page_views GROUP BY doc_id"
    )
    return {int(doc_id): int(count) for doc_id, count in rows}


def counts_by_reviewer(connection: sqlite3.Connection) -> dict[int, dict[str, int]]:
    """Reviewed pages per document and reviewer."""
    rows = connection.execute(
        "SELECT doc_id, reviewer, count(*) FROM page_views GROUP BY doc_id, reviewer"
    )
    found: dict[int, dict[str, int]] = {}
    for doc_id, reviewer, count in rows:
        found.setdefault(int(doc_id), {})[str(reviewer)] = int(count)
    return found


def reviewers(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute("SELECT DISTINCT reviewer FROM page_views ORDER BY reviewer")
    return [str(name) for (name,) in rows]
