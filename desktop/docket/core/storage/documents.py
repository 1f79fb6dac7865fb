"""All SQL over documents, pages and outlines. Callers own the transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from docket.core.model.records import (
    Document,
    DocumentKind,
    ExtractedDocument,
    IndexedPage,
    OcrState,
    OutlineEntry,
    Page,
)

# Two parameters a key: well inside old SQLite builds' limit of 999 per statement.
_KEYS_PER_QUERY = 400

_DOCUMENT_COLUMNS = (
    "id, kind, title, author, page_count, sha256, source_name, source_path, size, "
    "imported_at, created, modified, encoding, flags, language, language_set,"
    " ocr, ocr_note, ocr_languages"
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _document(row: sqlite3.Row | tuple[Any, ...]) -> Document:
    (
        doc_id,
        kind,
        title,
        author,
        pages,
        sha,
        name,
        path,
        size,
        imported,
        created,
        modified,
        encoding,
        flags,
        language,
        language_set,
        ocr,
        ocr_note,
        ocr_languages,
    ) = row
    return Document(
        id=doc_id,
        kind=DocumentKind(kind),
        title=title,
        author=author,
        page_count=pages,
        sha256=sha,
        source_name=name,
        source_path=path,
        size=size,
        imported_at=datetime.fromisoformat(imported),
        created=_parse(created),
        modified=_parse(modified),
        encoding=encoding,
        flags=tuple(json.loads(flags)),
        language=language,
        language_set=bool(language_set),
        ocr=OcrState(ocr),
        ocr_note=ocr_note,
        ocr_languages=ocr_languages,
    )


def insert_document(
    connection: sqlite3.Connection,
    extracted: ExtractedDocument,
    *,
    sha256: str,
    source_name: str,
    source_path: str,
    blob: str,
    size: int,
    password: str | None = None,
    imported_at: datetime | None = None,
) -> int:
    cursor = connection.execute(
        "INSERT INTO documents (sha256, kind, title, author, source_name, source_path, blob,"
        " size, page_count, created, modified, imported_at, encoding, flags, password, language)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            sha256,
            str(extracted.kind),
            extracted.title,
            extracted.author,
            source_name,
            source_path,
            blob,
            size,
            extracted.page_count,
            _iso(extracted.created),
            _iso(extracted.modified),
            (imported_at or datetime.now(UTC)).isoformat(timespec="seconds"),
            extracted.encoding,
            json.dumps([str(flag) for flag in extracted.flags]),
            password,
            extracted.language,
        ),
    )
    doc_id = int(cursor.lastrowid or 0)
    connection.executemany(
        "INSERT INTO pages (doc_id, number, label, text, width, height) VALUES (?, ?, ?, ?, ?, ?)",
        (
            (doc_id, number, page.label, page.text, page.width, page.height)
            for number, page in enumerate(extracted.pages, start=1)
        ),
    )
    connection.executemany(
        "INSERT INTO outline (doc_id, position, level, title, page) VALUES (?, ?, ?, ?, ?)",
        (
            (doc_id, position, entry.level, entry.title, entry.page)
            for position, entry in enumerate(extracted.outline)
        ),
    )
    return doc_id


def document_id_by_sha(connection: sqlite3.Connection, sha256: str) -> int | None:
    row = connection.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return int(row[0]) if row else None


def documents(connection: sqlite3.Connection) -> list[Document]:
    rows = connection.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY id")
    return [_document(row) for row in rows]


def first_document(connection: sqlite3.Connection) -> Document | None:
    """The document `documents` lists first, without reading the others (the window
    opens it at a start, before its library reads them all)."""
    row = connection.execute(
        f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY id LIMIT 1"
    ).fetchone()
    return _document(row) if row else None


def document(connection: sqlite3.Connection, doc_id: int) -> Document | None:
    row = connection.execute(
        f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    return _document(row) if row else None


def blob_and_password(connection: sqlite3.Connection, doc_id: int) -> tuple[str, str | None]:
    row = connection.execute(
        "SELECT blob, password FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    if row is None:
        raise KeyError(doc_id)
    return row[0], row[1]


def blobs(connection: sqlite3.Connection) -> list[tuple[int, str, str, int]]:
    """(id, sha256, blob, page_count) of every document, for verification."""
    return list(connection.execute("SELECT id, sha256, blob, page_count FROM documents"))


def page_labels(connection: sqlite3.Connection, doc_id: int) -> dict[int, str]:
    rows = connection.execute("SELECT number, label FROM pages WHERE doc_id = ?", (doc_id,))
    return {int(number): str(label) for number, label in rows}


def page_counts(connection: sqlite3.Connection) -> dict[int, int]:
    rows = connection.execute("SELECT doc_id, count(*) FROM pages GROUP BY doc_id")
    return {int(doc_id): int(count) for doc_id, count in rows}


def pages(connection: sqlite3.Connection, doc_id: int) -> list[Page]:
    rows = connection.execute(
        "SELECT number, label, text, width, height FROM pages WHERE doc_id = ? ORDER BY number",
        (doc_id,),
    )
    return [
        Page(doc_id, number, label, text, width, height)
        for number, label, text, width, height in rows
    ]


def page(connection: sqlite3.Connection, doc_id: int, number: int) -> Page | None:
    row = connection.execute(
        "SELECT label, text, width, height FROM pages WHERE doc_id = ? AND number = ?",
        (doc_id, number),
    ).fetchone()
    return Page(doc_id, number, *row) if row else None


def page_texts(
    connection: sqlite3.Connection, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """The stored texts of (doc, page) keys, a few hundred per query."""
    found: dict[tuple[int, int], str] = {}
    for first in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[first : first + _KEYS_PER_QUERY]
        pairs = ",".join("(?, ?)" for _ in chunk)
        # Joined from the keys: SQLite reads `(doc_id, number) IN (VALUES …)` by
        # scanning every page (67 ms for 20 pages of 100,000; more from disk), the
        # join by one primary-key look-up per key (0.2 ms).
        rows = connection.execute(
            f"SELECT page.doc_id, page.number, page.text FROM (VALUES {pairs}) AS wanted"
            " JOIN pages AS page ON page.doc_id = wanted.column1 AND page.number = wanted.column2",
            [value for key in chunk for value in key],
        )
        found.update(((doc_id, number), text) for doc_id, number, text in rows)
    return found


def outline(connection: sqlite3.Connection, doc_id: int) -> list[OutlineEntry]:
    rows = connection.execute(
        "SELECT title, page, level FROM outline WHERE doc_id = ? ORDER BY position", (doc_id,)
    )
    return [OutlineEntry(title, page_number, level) for title, page_number, level in rows]


def unindexed_document_ids(connection: sqlite3.Connection) -> list[int]:
    rows = connection.execute("SELECT id FROM documents WHERE indexed = 0 ORDER BY id")
    return [int(row[0]) for row in rows]


def set_indexed(connection: sqlite3.Connection, doc_ids: Iterable[int], indexed: bool) -> None:
    connection.executemany(
        "UPDATE documents SET indexed = ? WHERE id = ?", ((int(indexed), d) for d in doc_ids)
    )


def indexed_pages(
    connection: sqlite3.Connection, doc_ids: Sequence[int] | None = None
) -> Iterator[IndexedPage]:
    """Pages as the index receives them, read from the database alone."""
    query = (
        "SELECT d.id, p.number, p.label, p.text, d.title, d.author, d.kind, d.source_name,"
        " coalesce(d.created, d.imported_at), d.language"
        " FROM pages p JOIN documents d ON d.id = p.doc_id"
    )
    if doc_ids is None:
        rows = connection.execute(query + " ORDER BY d.id, p.number")
    else:
        marks = ",".join("?" * len(doc_ids))
        rows = connection.execute(
            query + f" WHERE d.id IN ({marks}) ORDER BY d.id, p.number", tuple(doc_ids)
        )
    for doc_id, number, label, text, title, author, kind, name, date, language in rows:
        yield IndexedPage(
            doc_id,
            number,
            label,
            text,
            title,
            author,
            DocumentKind(kind),
            name,
            _parse(date),
            language,
        )


def set_language(
    connection: sqlite3.Connection, doc_id: int, language: str, *, chosen: bool = True
) -> None:
    """Record a document's language; `chosen`: by the user (a later detection keeps it)."""
    connection.execute(
        "UPDATE documents SET language = ?, language_set = ? WHERE id = ?",
        (language, int(chosen), doc_id),
    )


def documents_without_language(connection: sqlite3.Connection) -> list[int]:
    """Documents never given a language (stored before languages, schema 2), to detect."""
    rows = connection.execute(
        "SELECT id FROM documents WHERE language = '' AND language_set = 0 ORDER BY id"
    )
    return [int(row[0]) for row in rows]
