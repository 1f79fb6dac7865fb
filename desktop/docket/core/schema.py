"""The schema of case.sqlite, its version, and the migrations between versions.

`PRAGMA user_version` holds the schema version. Each migration runs in its own
transaction, so a case is either at the old version or the new, never between.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docket.core.errors import CaseError

_V1 = """
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'text')),
    title       TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    blob        TEXT NOT NULL,          -- path of the original, relative to the case
    size        INTEGER NOT NULL,
    page_count  INTEGER NOT NULL,
    created     TEXT,                   -- the document's own dates, ISO 8601
    modified    TEXT,
    imported_at TEXT NOT NULL,
    encoding    TEXT NOT NULL DEFAULT '',
    flags       TEXT NOT NULL DEFAULT '[]',  -- JSON array of Flag values
    password    TEXT,                   -- for encrypted PDFs, so the reader can open them
    indexed     INTEGER NOT NULL DEFAULT 0   -- 1 once its pages are committed to the index
);
CREATE TABLE pages (
    doc_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number  INTEGER NOT NULL,           -- 1-based
    label   TEXT NOT NULL,
    text    TEXT NOT NULL,              -- the canonical page text (QtPdf's, kept verbatim)
    width   REAL NOT NULL DEFAULT 0,
    height  REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, number)
) WITHOUT ROWID;
CREATE TABLE outline (
    doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    level    INTEGER NOT NULL,
    title    TEXT NOT NULL,
    page     INTEGER NOT NULL,
    PRIMARY KEY (doc_id, position)
) WITHOUT ROWID;
CREATE INDEX documents_unindexed ON documents(indexed) WHERE indexed = 0;
"""

# MIGRATIONS[n] takes a case from version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode; callers open explicit transactions."""
    uri = f"{path.as_uri()}?mode={'ro' if readonly else 'rwc'}"
    try:
        connection = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10
        )
        connection.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            connection.execute("PRAGMA journal_mode = WAL")
            # FULL: a change shown as made survives a power cut, not only a crash.
            connection.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as error:
        raise CaseError(f"cannot open the case database {path}: {error}") from error
    return connection


def migrate(connection: sqlite3.Connection) -> None:
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise CaseError(
            f"this case was written by a newer Docket (schema {version}, "
            f"this program knows up to {SCHEMA_VERSION}); update Docket to open it"
        )
    for target in range(version, SCHEMA_VERSION):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[target].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {target + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def schema_version(connection: sqlite3.Connection) -> int:
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise CaseError(f"the case database is damaged: {error}") from error
