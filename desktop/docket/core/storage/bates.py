"""All SQL over productions and bates_pages (schema 6). Callers own the transactions.

A page may carry several Bates numbers (produced twice, under two prefixes, or
received stamped and produced again); the one shown and cited is the latest
production's, else the number printed on it when received.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ProductionRow:
    id: int
    prefix: str
    digits: int
    first_number: int
    last_number: int
    produced_at: str
    legend: str
    folder: str
    documents: int


@dataclass(frozen=True)
class BatesPage:
    doc_id: int
    number: int  # the page, 1-based
    prefix: str
    bates_number: int
    label: str
    production_id: int | None  # None: printed on the page when received


def used_ranges(connection: sqlite3.Connection, prefix: str) -> list[tuple[int, int]]:
    """(first, last) of every production under `prefix`."""
    rows = connection.execute(
        "SELECT first_number, last_number FROM productions WHERE prefix = ? ORDER BY first_number",
        (prefix,),
    )
    return [(int(first), int(last)) for first, last in rows]


def insert_production(
    connection: sqlite3.Connection,
    *,
    prefix: str,
    digits: int,
    first_number: int,
    last_number: int,
    produced_at: str,
    legend: str,
    folder: str,
    documents: int,
) -> int:
    cursor = connection.execute(
        "INSERT INTO productions (prefix, digits, first_number, last_number, produced_at,"
        " legend, folder, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (prefix, digits, first_number, last_number, produced_at, legend, folder, documents),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def insert_pages(connection: sqlite3.Connection, pages: Iterable[BatesPage]) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO bates_pages"
        " (doc_id, number, prefix, bates_number, label, production_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(p.doc_id, p.number, p.prefix, p.bates_number, p.label, p.production_id) for p in pages],
    )


def productions(connection: sqlite3.Connection) -> list[ProductionRow]:
    rows = connection.execute(
        "SELECT id, prefix, digits, first_number, last_number, produced_at, legend, folder,"
        " documents FROM productions ORDER BY id"
    )
    return [ProductionRow(*row) for row in rows]


def _page(row: Sequence[object]) -> BatesPage:
    doc_id, number, prefix, bates_number, label, production_id = row
    return BatesPage(
        int(doc_id),  # type: ignore[call-overload]
        int(number),  # type: ignore[call-overload]
        str(prefix),
        int(bates_number),  # type: ignore[call-overload]
        str(label),
        None if production_id is None else int(production_id),  # type: ignore[call-overload]
    )


_COLUMNS = "doc_id, number, prefix, bates_number, label, production_id"
# The latest production first, then numbers printed on the page (production_id NULL).
_NEWEST_FIRST = "ORDER BY production_id IS NULL, production_id DESC, bates_number"


def document_pages(connection: sqlite3.Connection, doc_id: int) -> list[BatesPage]:
    """Every Bates number a document's pages carry, page by page (newest first)."""
    rows = connection.execute(
        f"SELECT {_COLUMNS} FROM bates_pages WHERE doc_id = ? ORDER BY number,"
        " production_id IS NULL, production_id DESC, bates_number",
        (doc_id,),
    )
    return [_page(row) for row in rows]


def page_label(connection: sqlite3.Connection, doc_id: int, number: int) -> str | None:
    """The page's Bates number as shown and cited: the latest production's, else
    the one printed on it when received; None when it has none."""
    row = connection.execute(
        f"SELECT label FROM bates_pages WHERE doc_id = ? AND number = ? {_NEWEST_FIRST} LIMIT 1",
        (doc_id, number),
    ).fetchone()
    return None if row is None else str(row[0])


def page_labels(connection: sqlite3.Connection, doc_id: int) -> dict[int, str]:
    """Each page's Bates number as page_label gives it (pages without one left out)."""
    labels: dict[int, str] = {}
    for page in document_pages(connection, doc_id):
        labels.setdefault(page.number, page.label)
    return labels


def replace_received(
    connection: sqlite3.Connection, doc_id: int, pages: Iterable[BatesPage]
) -> None:
    """The numbers found printed on a document's pages, instead of those found before
    (its text changed: OCR read its scanned pages)."""
    connection.execute(
        "DELETE FROM bates_pages WHERE doc_id = ? AND production_id IS NULL", (doc_id,)
    )
    insert_pages(connection, pages)


def has_received(connection: sqlite3.Connection, doc_id: int) -> bool:
    row = connection.execute(
        "SELECT 1 FROM bates_pages WHERE doc_id = ? AND production_id IS NULL LIMIT 1", (doc_id,)
    ).fetchone()
    return row is not None


def page_numbers(connection: sqlite3.Connection, doc_id: int) -> dict[int, list[str]]:
    """Every Bates number on each of a document's pages (for the search index)."""
    numbers: dict[int, list[str]] = {}
    for page in document_pages(connection, doc_id):
        numbers.setdefault(page.number, []).append(page.label)
    return numbers
