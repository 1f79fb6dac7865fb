"""Schema migrations: a case written by an older Docket opens, upgraded, with its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docket.core.case import Case
from docket.core.model.marks import MarkFilter
from docket.core.storage.schema import MIGRATIONS, SCHEMA_VERSION, connect, migrate
from tests.core.case_factory import write_matter


def _downgrade_to_version_5(database: Path) -> None:
    """What a case looked like before schema 6: no redactions, productions or Bates numbers."""
    connection = sqlite3.connect(database)
    connection.executescript(
        "DROP TABLE bates_pages;"
        "DROP TABLE productions;"
        "DROP TABLE redaction_reasons;"
        "ALTER TABLE marks DROP COLUMN reason;"
        "PRAGMA user_version = 5;"
    )
    connection.close()


def _downgrade_to_version_4(database: Path) -> None:
    """What a case looked like before schema 5: no short titles, transcripts, facts, views."""
    _downgrade_to_version_5(database)
    connection = sqlite3.connect(database)
    connection.executescript(
        "DROP TABLE page_lines;"
        "DROP TABLE page_views;"
        "DROP INDEX marks_by_fact_date;"
        "ALTER TABLE documents DROP COLUMN short_title;"
        "ALTER TABLE documents DROP COLUMN transcript;"
        "ALTER TABLE documents DROP COLUMN transcript_set;"
        "ALTER TABLE marks DROP COLUMN fact_date;"
        "ALTER TABLE marks DROP COLUMN fact_date_text;"
        "ALTER TABLE marks DROP COLUMN fact_circa;"
        "ALTER TABLE marks DROP COLUMN fact_status;"
        "PRAGMA user_version = 4;"
    )
    connection.close()


def _downgrade_to_version_3(database: Path) -> None:
    """What a case looked like before schema 4: no OCR, no images, no audit log."""
    _downgrade_to_version_4(database)
    connection = sqlite3.connect(database)
    connection.executescript(
        "DROP TABLE ocr_pages;"
        "DROP TABLE audit_log;"
        "ALTER TABLE documents DROP COLUMN ocr;"
        "ALTER TABLE documents DROP COLUMN ocr_note;"
        "ALTER TABLE documents DROP COLUMN ocr_languages;"
        "ALTER TABLE documents DROP COLUMN ocr_version;"
        "PRAGMA user_version = 3;"
    )
    connection.close()


def _downgrade_to_version_2(database: Path) -> None:
    """What a case looked like before schema 3: no language, no form fields."""
    _downgrade_to_version_3(database)
    connection = sqlite3.connect(database)
    connection.executescript(
        "DROP TABLE form_fields;"
        "ALTER TABLE documents DROP COLUMN language;"
        "ALTER TABLE documents DROP COLUMN language_set;"
        "PRAGMA user_version = 2;"
    )
    connection.close()


def test_a_version_2_case_gains_languages_and_form_fields_and_keeps_its_documents(
    tmp_path: Path,
) -> None:
    files = write_matter(tmp_path / "matter")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([files], workers=0)
        titles = sorted(d.title for d in case.documents())
    _downgrade_to_version_2(tmp_path / "case" / "case.sqlite")

    with Case.open(tmp_path / "case") as case:
        assert sorted(d.title for d in case.documents()) == titles
    connection = sqlite3.connect(tmp_path / "case" / "case.sqlite")
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    languages = connection.execute("SELECT DISTINCT language, language_set FROM documents")
    assert languages.fetchall() == [("", 0)]
    assert connection.execute("SELECT count(*) FROM form_fields").fetchone() == (0,)


def test_a_version_3_case_admits_images_and_keeps_its_pages_and_marks(tmp_path: Path) -> None:
    """Schema 4 rebuilds `documents` (a CHECK cannot change in place): the rebuild
    must not cascade to the pages and marks that refer to it."""
    files = write_matter(tmp_path / "matter")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([files], workers=0)
        doc = case.documents()[0].id
        page_text = case.page(doc, 1).text
        case.marking.add_note(doc, "read again", page=1)
    _downgrade_to_version_3(tmp_path / "case" / "case.sqlite")

    with Case.open(tmp_path / "case") as case:
        assert case.page(doc, 1).text == page_text
        assert [mark.note for mark in case.marking.marks(MarkFilter(doc=doc))] == ["read again"]
        assert case.document(doc).ocr == ""
    connection = sqlite3.connect(tmp_path / "case" / "case.sqlite")
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.execute(
        "INSERT INTO documents (sha256, kind, title, source_name, source_path, blob, size,"
        " page_count, imported_at) VALUES ('x', 'image', 't', 'n', 'p', 'b', 1, 1, 'now')"
    )


def test_a_version_5_case_admits_redactions_and_never_reuses_a_deleted_marks_id(
    tmp_path: Path,
) -> None:
    """Schema 6 rebuilds `marks`; its AUTOINCREMENT counter must survive the rebuild."""
    files = write_matter(tmp_path / "matter")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([files], workers=0)
        doc = case.documents()[0].id
        kept = case.marking.add_note(doc, "kept", page=1)
        gone = case.marking.add_note(doc, "gone", page=1)
        case.marking.delete(gone.id)
    _downgrade_to_version_5(tmp_path / "case" / "case.sqlite")

    with Case.open(tmp_path / "case") as case:
        assert [mark.note for mark in case.marking.marks(MarkFilter(doc=doc))] == ["kept"]
        assert case.marking.add_note(doc, "new", page=1).id > gone.id > kept.id
    connection = sqlite3.connect(tmp_path / "case" / "case.sqlite")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    reasons = connection.execute("SELECT code FROM redaction_reasons ORDER BY position")
    assert [code for (code,) in reasons] == ["AC", "WP", "PII", "CONF"]


def test_every_migration_runs_in_order_on_an_empty_database(tmp_path: Path) -> None:
    connection = connect(tmp_path / "case.sqlite")
    migrate(connection)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(documents)")}
    assert {"encoding", "flags", "language", "language_set"} <= columns
