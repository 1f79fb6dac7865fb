"""The schema of case.sqlite, its version, and the migrations between versions.

`PRAGMA user_version` holds the schema version. Each migration runs in its own
transaction, so a case is either at the old version or the new, never between.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docket.core.errors import CaseError
from docket.core.storage.damage import DamagedCaseError, is_damage

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

# Marks: highlights (a range of one or more pages' stored text), page notes and
# document notes; tags on marks and on documents. AUTOINCREMENT: a deleted
# mark's id is never given to a new one, so undoing the delete can put it back
# under the same id (exports and the index name marks by id).
_V2 = """
CREATE TABLE marks (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid      TEXT NOT NULL UNIQUE,      -- stable name for exports (W3C annotation ids)
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('highlight', 'page-note', 'document-note')),
    page      INTEGER,                   -- 1-based first page, NULL for a document note
    start     INTEGER,                   -- offset into that page's stored text
    end_page  INTEGER,                   -- last page (a highlight may cross page breaks)
    end       INTEGER,                   -- offset into end_page's stored text, exclusive
    quote     TEXT NOT NULL DEFAULT '',
    prefix    TEXT NOT NULL DEFAULT '',  -- text just before and after the quote, to
    suffix    TEXT NOT NULL DEFAULT '',  -- find it again if extraction ever changes
    rects     TEXT NOT NULL DEFAULT '[]',-- JSON [[page, x, y, w, h], ...] in points (PDFs)
    colour    TEXT NOT NULL DEFAULT 'yellow',
    note      TEXT NOT NULL DEFAULT '',
    author    TEXT NOT NULL DEFAULT '',
    created   TEXT NOT NULL,
    modified  TEXT NOT NULL,
    indexed   INTEGER NOT NULL DEFAULT 0 -- 1 once the index has this version of the mark
);
CREATE INDEX marks_by_document ON marks(doc_id, page, start);
CREATE INDEX marks_unindexed ON marks(indexed) WHERE indexed = 0;
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE   -- "Issue/Torture": '/' makes the tree
);
CREATE TABLE mark_tags (
    mark_id INTEGER NOT NULL REFERENCES marks(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (mark_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX mark_tags_by_tag ON mark_tags(tag_id);
CREATE TABLE document_tags (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (doc_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX document_tags_by_tag ON document_tags(tag_id);
-- Removed marks wait here until the index has forgotten them too.
CREATE TABLE unindexed_removals (mark_id INTEGER PRIMARY KEY);
-- Documents whose tags changed since the index last heard of them.
CREATE TABLE unindexed_document_tags (doc_id INTEGER PRIMARY KEY);
"""

# Issue 13: a document's language (stemming and stop words follow it), and the
# filled values of a PDF's form fields, kept apart from the page text so the
# page's offsets (the one coordinate system) do not move.
_V3 = """
ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT '';  -- ISO 639-1, '' unknown
ALTER TABLE documents ADD COLUMN language_set INTEGER NOT NULL DEFAULT 0;  -- 1: chosen by the user
CREATE TABLE form_fields (
    doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,          -- order in the document's form
    page     INTEGER NOT NULL,          -- 1-based page of the field's widget
    name     TEXT NOT NULL,             -- the fully qualified field name
    kind     TEXT NOT NULL,             -- 'text', 'choice', 'checkbox', 'radio'
    value    TEXT NOT NULL,             -- what is filled in, as a reader shows it
    rect     TEXT NOT NULL DEFAULT '[]',-- JSON [x, y, w, h] in points on that page
    PRIMARY KEY (doc_id, position)
) WITHOUT ROWID;
"""

# Issue 14: scanned pages read by OCR, and images as documents; issue 15: the
# audit log. SQLite cannot change a CHECK in place, so `documents` is rebuilt
# (the documented twelve-step way: new table, copy, drop, rename) to admit
# kind 'image'; `migrate` turns foreign keys off around it so the drop does not
# cascade to pages and marks.
_V4 = """
-- The columns of schema 3, then OCR's (no comments inside: ALTER TABLE DROP
-- COLUMN, used by the migration tests, trips over them):
-- ocr: '' nothing to read, 'pending' waiting or running, 'skipped' (import
-- --no-ocr), 'done', 'failed' or 'unavailable' (no Tesseract, no language pack);
-- ocr_note: why it failed or is unavailable; ocr_languages: Tesseract's
-- 'eng+rus' for this document, '' the default ones; ocr_version: +1 per stored
-- OCR, names the rendition.
CREATE TABLE documents_v4 (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'text', 'image')),
    title       TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    blob        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    page_count  INTEGER NOT NULL,
    created     TEXT,
    modified    TEXT,
    imported_at TEXT NOT NULL,
    encoding    TEXT NOT NULL DEFAULT '',
    flags       TEXT NOT NULL DEFAULT '[]',
    password    TEXT,
    indexed     INTEGER NOT NULL DEFAULT 0,
    language    TEXT NOT NULL DEFAULT '',
    language_set INTEGER NOT NULL DEFAULT 0,
    ocr           TEXT NOT NULL DEFAULT '',
    ocr_note      TEXT NOT NULL DEFAULT '',
    ocr_languages TEXT NOT NULL DEFAULT '',
    ocr_version   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO documents_v4 (id, sha256, kind, title, author, source_name, source_path, blob,
    size, page_count, created, modified, imported_at, encoding, flags, password, indexed,
    language, language_set)
  SELECT id, sha256, kind, title, author, source_name, source_path, blob,
    size, page_count, created, modified, imported_at, encoding, flags, password, indexed,
    language, language_set FROM documents;
DROP TABLE documents;
ALTER TABLE documents_v4 RENAME TO documents;
CREATE INDEX documents_unindexed ON documents(indexed) WHERE indexed = 0;
-- Pages read by OCR: the words Tesseract saw and the invisible text layer that
-- carries them. The page's canonical text (pages.text) is the text QtPdf reads
-- from the original page with this layer laid over it (the rendition).
CREATE TABLE ocr_pages (
    doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,          -- 1-based page
    languages  TEXT NOT NULL,             -- 'eng+rus' as Tesseract was asked
    confidence REAL NOT NULL,             -- mean word confidence 0-100; -1 no words
    rotation   INTEGER NOT NULL DEFAULT 0,-- degrees clockwise turned to read it upright
    words      TEXT NOT NULL DEFAULT '[]',-- JSON [[text, x, y, w, h, conf], ...], points
    layer      BLOB NOT NULL,             -- one-page text-only PDF (Tesseract's), upright page
    engine     TEXT NOT NULL DEFAULT '',  -- 'tesseract 5.3.0'
    created    TEXT NOT NULL,
    PRIMARY KEY (doc_id, number)
) WITHOUT ROWID;
-- Every change to a mark, a tag or a note, appended in the change's own
-- transaction and never updated: who, when, what before and after.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,               -- ISO 8601, UTC
    author  TEXT NOT NULL DEFAULT '',
    action  TEXT NOT NULL,               -- 'mark-added', 'mark-changed', 'mark-removed', ...
    mark_id INTEGER,                     -- no foreign key: the entry outlives the mark
    doc_id  INTEGER,
    before  TEXT NOT NULL DEFAULT '',    -- JSON of the record before ('' none)
    after   TEXT NOT NULL DEFAULT ''     -- JSON of the record after ('' none)
);
CREATE INDEX audit_by_mark ON audit_log(mark_id);
"""

# Issue 17, the lawyer's work product: a document's short title for pin cites,
# transcripts' line maps (page:line cites), a mark's fact date for the
# chronology, and which pages a reviewer has had in view.
_V5 = """
ALTER TABLE documents ADD COLUMN short_title TEXT NOT NULL DEFAULT '';  -- '' the title
ALTER TABLE documents ADD COLUMN transcript INTEGER NOT NULL DEFAULT 0;  -- 1: numbered lines
ALTER TABLE documents ADD COLUMN transcript_set INTEGER NOT NULL DEFAULT 0;  -- 1: set by hand
-- A transcript page's numbered lines: JSON [[line number, start, end], ...], offsets
-- into the page's stored text (the one coordinate system).
CREATE TABLE page_lines (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    lines  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, number)
) WITHOUT ROWID;
-- A mark that carries a date is a fact of the chronology. fact_date is ISO and sorts:
-- '2011', '2011-12', '2011-12-16', or a range 'FROM/TO' of those; '' no date.
ALTER TABLE marks ADD COLUMN fact_date TEXT NOT NULL DEFAULT '';
ALTER TABLE marks ADD COLUMN fact_date_text TEXT NOT NULL DEFAULT '';  -- as the user wrote it
ALTER TABLE marks ADD COLUMN fact_circa INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marks ADD COLUMN fact_status TEXT NOT NULL DEFAULT '';  -- undisputed|disputed|unknown
CREATE INDEX marks_by_fact_date ON marks(fact_date) WHERE fact_date != '';
-- Review coverage: a page counts as reviewed by a reader once it was in view long enough.
CREATE TABLE page_views (
    doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number   INTEGER NOT NULL,
    reviewer TEXT NOT NULL,
    first_at TEXT NOT NULL,          -- ISO 8601 UTC, when it first counted
    how      TEXT NOT NULL DEFAULT 'viewed',  -- 'viewed' in the reader, 'marked' by hand
    PRIMARY KEY (doc_id, number, reviewer)
) WITHOUT ROWID;
"""

# Issue 18, productions: a redaction is a kind of mark (with a reason code from an
# editable list), so `marks` is rebuilt for its CHECK like `documents` in schema 4
# (its AUTOINCREMENT counter carried over: a deleted mark's id is never reused);
# each production and the Bates number of every page it numbered; numbers printed
# on pages received from others are kept too (production_id NULL).
_V6 = """
CREATE TABLE marks_v6 (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid      TEXT NOT NULL UNIQUE,
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL
        CHECK (kind IN ('highlight', 'page-note', 'document-note', 'redaction')),
    page      INTEGER,
    start     INTEGER,
    end_page  INTEGER,
    end       INTEGER,
    quote     TEXT NOT NULL DEFAULT '',
    prefix    TEXT NOT NULL DEFAULT '',
    suffix    TEXT NOT NULL DEFAULT '',
    rects     TEXT NOT NULL DEFAULT '[]',
    colour    TEXT NOT NULL DEFAULT 'yellow',
    note      TEXT NOT NULL DEFAULT '',
    author    TEXT NOT NULL DEFAULT '',
    created   TEXT NOT NULL,
    modified  TEXT NOT NULL,
    indexed   INTEGER NOT NULL DEFAULT 0,
    fact_date TEXT NOT NULL DEFAULT '',
    fact_date_text TEXT NOT NULL DEFAULT '',
    fact_circa INTEGER NOT NULL DEFAULT 0,
    fact_status TEXT NOT NULL DEFAULT '',
    reason    TEXT NOT NULL DEFAULT ''
);
INSERT INTO marks_v6 (id, uuid, doc_id, kind, page, start, end_page, end, quote, prefix, suffix,
    rects, colour, note, author, created, modified, indexed, fact_date, fact_date_text,
    fact_circa, fact_status)
  SELECT id, uuid, doc_id, kind, page, start, end_page, end, quote, prefix, suffix,
    rects, colour, note, author, created, modified, indexed, fact_date, fact_date_text,
    fact_circa, fact_status
  FROM marks;
DELETE FROM sqlite_sequence WHERE name = 'marks_v6';
INSERT INTO sqlite_sequence (name, seq) SELECT 'marks_v6', seq FROM sqlite_sequence
  WHERE name = 'marks';
DROP TABLE marks;
ALTER TABLE marks_v6 RENAME TO marks;
CREATE INDEX marks_by_document ON marks(doc_id, page, start);
CREATE INDEX marks_unindexed ON marks(indexed) WHERE indexed = 0;
CREATE INDEX marks_by_fact_date ON marks(fact_date) WHERE fact_date != '';
-- The reasons a redaction can give, in the order offered; the user edits the list.
CREATE TABLE redaction_reasons (
    code     TEXT PRIMARY KEY,            -- printed in the box: 'AC', 'WP', 'PII'
    label    TEXT NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO redaction_reasons (code, label, position) VALUES
  ('AC', 'Attorney-Client Privilege', 1),
  ('WP', 'Attorney Work Product', 2),
  ('PII', 'Personal Data', 3),
  ('CONF', 'Confidential Business Information', 4);
CREATE TABLE productions (
    id           INTEGER PRIMARY KEY,
    prefix       TEXT NOT NULL,
    digits       INTEGER NOT NULL,
    first_number INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    produced_at  TEXT NOT NULL,           -- ISO 8601 UTC
    legend       TEXT NOT NULL DEFAULT '',
    folder       TEXT NOT NULL DEFAULT '',-- where the set was written
    documents    INTEGER NOT NULL
);
CREATE TABLE bates_pages (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,       -- the page, 1-based
    prefix        TEXT NOT NULL,
    bates_number  INTEGER NOT NULL,
    label         TEXT NOT NULL,          -- as stamped: 'ABC000042'
    production_id INTEGER REFERENCES productions(id) ON DELETE CASCADE,  -- NULL: printed on it
    PRIMARY KEY (doc_id, number, prefix, bates_number)
) WITHOUT ROWID;
CREATE INDEX bates_by_number ON bates_pages(prefix, bates_number);
"""

# MIGRATIONS[n] takes a case from version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6)
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
        if is_damage(error):
            raise DamagedCaseError(str(error), path.parent) from error
        raise CaseError(f"cannot open the case database {path}: {error}") from error
    return connection


def check_openable(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse, at open, a case this program cannot read: one from a newer Docket (for
    reading too: its tables may mean something else), or one whose header or table
    of contents is damaged. Cheap: the header and sqlite_master, not the data."""
    check_version(schema_version(connection, path))
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            raise DamagedCaseError(str(error), path.parent) from error
        raise


def check_version(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise CaseError(
            f"this case was written by a newer Docket (schema {version}, "
            f"this program knows up to {SCHEMA_VERSION}); update Docket to open it"
        )


def migrate(connection: sqlite3.Connection) -> None:
    version = schema_version(connection)
    check_version(version)
    # Off while tables are rebuilt (a pragma that is ignored inside a transaction);
    # the foreign key check before each commit keeps the rebuild honest.
    connection.execute("PRAGMA foreign_keys = OFF")
    try:
        for target in range(version, SCHEMA_VERSION):
            connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[target]):
                    connection.execute(statement)
                broken = connection.execute("PRAGMA foreign_key_check").fetchone()
                if broken is not None:
                    raise CaseError(f"migration to schema {target + 1} broke a reference: {broken}")
                connection.execute(f"PRAGMA user_version = {target + 1}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
    finally:
        connection.execute("PRAGMA foreign_keys = ON")


def _statements(script: str) -> list[str]:
    """The statements of a script; a ';' inside a comment or a string does not split."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete statement in a migration: {pending[:80]!r}")
    return statements


def schema_version(connection: sqlite3.Connection, path: Path | None = None) -> int:
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise DamagedCaseError(str(error), path.parent if path else None) from error
