"""Recovering a damaged case: a new case from the rows SQLite can still read, the
originals copied, the damaged case untouched, and a report of what was lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import CaseError
from docket.core.storage.recover import recover_case
from tests.core.case_factory import highlight_words
from tests.core.test_damaged_case import garble_pages, garble_table

DOCUMENTS = 24
PAGES_EACH = 5


def page_text(doc: int, page: int) -> str:
    line = f"Exhibit {doc:02} page {page}: the witness saw the police at the square. "
    return f"EXHIBIT-{doc:02}-PAGE-{page}\n" + line * 12


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case of text files whose pages fill many of the database's pages, with marks."""
    root = tmp_path_factory.mktemp("recover")
    folder = root / "exhibits"
    folder.mkdir()
    for doc in range(DOCUMENTS):
        pages = [page_text(doc, page) for page in range(1, PAGES_EACH + 1)]
        (folder / f"exhibit-{doc:02}.txt").write_text("\f".join(pages), encoding="utf-8")
    with Case.create(root / "case") as case:
        case.import_paths([folder], workers=0)
        for document in case.documents():
            highlight_words(case, document.id, 2, "the witness saw", "Witness/Seen")
            case.marking.tag_document(document.id, ["Exhibit"])
    return root / "case"


@pytest.fixture
def case_path(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "case"))


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        return [tuple(row) for row in connection.execute(sql)]
    finally:
        connection.close()


def leaf_pages(database: Path, table: str) -> list[int]:
    return [
        int(number)
        for (number,) in rows(
            database,
            f"SELECT pageno FROM dbstat WHERE name = '{table}' AND pagetype = 'leaf' "
            "ORDER BY pageno",
        )
    ]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


PAGES_SQL = "SELECT doc_id, number, label, text FROM pages ORDER BY doc_id, number"
MARKS_SQL = "SELECT id, doc_id, page, start, end, quote FROM marks ORDER BY id"


def test_garbage_in_the_middle_loses_only_the_rows_on_those_pages(
    case_path: Path, tmp_path: Path
) -> None:
    database = case_path / "case.sqlite"
    whole_pages, whole_marks = rows(database, PAGES_SQL), rows(database, MARKS_SQL)
    leaves = leaf_pages(database, "pages")
    assert len(leaves) >= 6  # the pages table spans many pages of the file
    middle = leaves[len(leaves) // 2]
    garble_pages(database, middle, 2)
    garble_table(database, "document_tags")
    damaged = folder_bytes(case_path)

    report = recover_case(case_path, tmp_path / "saved")

    assert folder_bytes(case_path) == damaged  # the damaged case is untouched
    new = tmp_path / "saved" / "case.sqlite"
    saved_pages = rows(new, PAGES_SQL)
    assert 0 < len(saved_pages) < len(whole_pages)
    assert set(saved_pages) <= set(whole_pages)  # every row saved is the row as it was
    assert len(saved_pages) >= len(whole_pages) - 2 * 20  # at most two pages' worth lost
    pages = report.tally("pages")
    assert pages.saved == pages.read == len(saved_pages)
    assert pages.damaged_spots >= 1
    assert report.tally("documents").saved == DOCUMENTS == report.originals
    assert rows(new, MARKS_SQL) == whole_marks  # the marks' own pages were whole
    assert report.tally("document_tags").damaged_spots >= 1
    assert report.incomplete  # the documents that lost pages are named
    assert all("of 5 pages saved" in line for line in report.incomplete)
    assert report.unclaimed == ()
    assert not report.complete

    with Case.open(tmp_path / "saved") as case:  # opens, and indexes what was saved
        assert case.index.page_count() == len(saved_pages)
        assert case.search('"the witness saw"').total >= len(saved_pages) - 1
        assert len(case.marking.marks()) == len(whole_marks)
        assert sorted(case.original_path(d.id).name for d in case.documents()) == sorted(
            path.name for path in (case_path / "files").rglob("*.txt")
        )


def test_a_truncated_file_gives_up_only_what_was_cut(case_path: Path, tmp_path: Path) -> None:
    database = case_path / "case.sqlite"
    whole_pages = rows(database, PAGES_SQL)
    size = database.stat().st_size
    with open(database, "r+b") as file:
        file.truncate(int(size * 0.8) + 123)  # mid-page, as an interrupted copy leaves it

    report = recover_case(case_path, tmp_path / "saved")

    assert report.unreadable == ""
    saved_pages = rows(tmp_path / "saved" / "case.sqlite", PAGES_SQL)
    assert saved_pages and set(saved_pages) <= set(whole_pages)
    assert report.tally("pages").saved == len(saved_pages)
    assert database.stat().st_size == int(size * 0.8) + 123
    Case.open(tmp_path / "saved").close()


def test_a_whole_case_is_recovered_whole(case_path: Path, tmp_path: Path) -> None:
    report = recover_case(case_path, tmp_path / "copy")
    assert report.complete
    assert rows(tmp_path / "copy" / "case.sqlite", PAGES_SQL) == rows(
        case_path / "case.sqlite", PAGES_SQL
    )
    with Case.open(tmp_path / "copy") as case:
        assert case.verify().ok
        new_mark = highlight_words(case, case.documents()[0].id, 3, "the police")
    last = max(row[0] for row in rows(case_path / "case.sqlite", MARKS_SQL))
    assert isinstance(last, int) and new_mark.id > last  # ids are never given twice


def test_the_destination_must_be_new_or_empty(case_path: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CaseError, match="not empty"):
        recover_case(case_path, full)
    with pytest.raises(CaseError, match="inside the damaged case"):
        recover_case(case_path, case_path / "exports" / "saved")
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    assert not list(tmp_path.glob(".*recovering*"))
    assert not (case_path / "exports" / "saved").exists()
    default = recover_case(case_path)
    assert default.path == tmp_path / "case (recovered)"


def every_table(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, without the index's bookkeeping (rebuilt on the first open)."""
    tables = [
        name
        for (name,) in rows(database, "SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(name).startswith(("sqlite_", "unindexed_"))
    ]
    found = {}
    for table in tables:
        columns = [
            f'"{column}"'
            for (_, column, *_) in rows(database, f'PRAGMA table_info("{table}")')
            if column != "indexed"
        ]
        found[str(table)] = sorted(
            rows(database, f'SELECT {", ".join(columns)} FROM "{table}"'), key=repr
        )
    return found


def test_tables_added_by_later_schemas_are_copied_too(case_path: Path, tmp_path: Path) -> None:
    """Whatever tables the schema has — reviewed pages, productions, a user's list of
    reasons — come across, not only the ones recover names."""
    database = case_path / "case.sqlite"
    connection = sqlite3.connect(database)
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    if "redaction_reasons" in tables:  # schema 6: a list the user edits, seeded by it
        connection.execute("UPDATE redaction_reasons SET label = 'Privileged' WHERE code = 'AC'")
        connection.execute("DELETE FROM redaction_reasons WHERE code = 'CONF'")
    if "page_views" in tables:
        connection.executemany(
            "INSERT INTO page_views (doc_id, number, reviewer, first_at) VALUES (1, 2, ?, ?)",
            [("Ann", "2026-01-01T00:00:00Z"), ("Bob", "2026-01-02T00:00:00Z")],
        )
    connection.commit()
    connection.close()
    before = every_table(database)

    recover_case(case_path, tmp_path / "copy")

    assert every_table(tmp_path / "copy" / "case.sqlite") == before
