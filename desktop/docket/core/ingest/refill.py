"""Pages a recovered case lost, read again from their originals.

Page texts are most of a case's database, so most damage lands on them; the
originals are whole in files/. A document that lost pages is read again the way
it was imported (a PDF by QtPdf, a text file in the encoding it was stored in)
and its missing pages are filled in, but only where the reading gives the same
number of pages and exactly the texts of the pages that survived: marks are
offsets into those texts, so a page that would read differently is left out.
Documents whose text came from OCR are left as they are (their text is not the
original's to give).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from docket.core.errors import DocketError
from docket.core.ingest.jobs import extract_file
from docket.core.ingest.reencode import reread
from docket.core.model.records import ExtractedPage
from docket.core.storage.schema import connect


@dataclass(frozen=True)
class Refilled:
    pages: dict[int, int]  # document id → pages filled in
    left: tuple[str, ...]  # documents still missing pages, and why


def refill_missing_pages(database: Path, root: Path) -> Refilled:
    """Fill in the pages the documents of the case at `root` are missing, where they can."""
    connection = connect(database)
    try:
        filled: dict[int, int] = {}
        left = []
        for doc_id, title, kind, blob, encoding, password, ocr, count in _incomplete(connection):
            stored = dict(
                connection.execute("SELECT number, text FROM pages WHERE doc_id = ?", (doc_id,))
            )
            name = f"document {doc_id} ({title})"
            if ocr == "done" or kind not in ("pdf", "text"):
                left.append(f"{name}: {count - len(stored)} of {count} pages lost (read by OCR)")
                continue
            try:
                pages = _read_again(root / blob, kind, encoding, password)
            except (DocketError, OSError) as problem:
                left.append(f"{name}: {count - len(stored)} pages lost ({problem})")
                continue
            texts = {number: page.text for number, page in enumerate(pages, start=1)}
            if len(pages) != count or any(texts.get(n) != text for n, text in stored.items()):
                left.append(
                    f"{name}: {count - len(stored)} pages lost (its original reads differently now)"
                )
                continue
            missing = [n for n in range(1, count + 1) if n not in stored]
            with _transaction(connection):
                connection.executemany(
                    "INSERT INTO pages (doc_id, number, label, text, width, height) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(doc_id, n, *_columns(pages[n - 1])) for n in missing],
                )
                connection.execute("UPDATE documents SET indexed = 0 WHERE id = ?", (doc_id,))
            filled[doc_id] = len(missing)
        return Refilled(filled, tuple(left))
    finally:
        connection.close()


def _incomplete(
    connection: sqlite3.Connection,
) -> list[tuple[int, str, str, str, str, str | None, str, int]]:
    return list(
        connection.execute(
            "SELECT d.id, d.title, d.kind, d.blob, d.encoding, d.password, d.ocr, d.page_count "
            "FROM documents d WHERE d.page_count != "
            "(SELECT count(*) FROM pages p WHERE p.doc_id = d.id) ORDER BY d.id"
        )
    )


def _read_again(
    original: Path, kind: str, encoding: str, password: str | None
) -> tuple[ExtractedPage, ...]:
    if kind == "text" and encoding:  # as stored: the user may have chosen it (reencode)
        return reread(original, encoding)[1]
    return tuple(extract_file(original, password).pages)


def _columns(page: ExtractedPage) -> tuple[str, str, float, float]:
    return page.label, page.text, page.width, page.height


class _transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> None:
        self._connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._connection.execute("COMMIT" if kind is None else "ROLLBACK")
