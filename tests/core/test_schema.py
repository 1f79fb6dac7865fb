"""Schema migrations: a case written by an older Docket opens, upgraded, with its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docket.core.case import Case
from docket.core.storage.schema import MIGRATIONS, SCHEMA_VERSION, connect, migrate
from tests.core.case_factory import write_matter


def _downgrade_to_version_2(database: Path) -> None:
    """What a case looked like before schema 3: no language, no form fields."""
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
        case.import_paths([files])
        titles = sorted(d.title for d in case.documents())
    _downgrade_to_version_2(tmp_path / "case" / "case.sqlite")

    with Case.open(tmp_path / "case") as case:
        assert sorted(d.title for d in case.documents()) == titles
    connection = sqlite3.connect(tmp_path / "case" / "case.sqlite")
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    languages = connection.execute("SELECT DISTINCT language, language_set FROM documents")
    assert languages.fetchall() == [("", 0)]
    assert connection.execute("SELECT count(*) FROM form_fields").fetchone() == (0,)


def test_every_migration_runs_in_order_on_an_empty_database(tmp_path: Path) -> None:
    connection = connect(tmp_path / "case.sqlite")
    migrate(connection)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(documents)")}
    assert {"encoding", "flags", "language", "language_set"} <= columns
