"""A damaged case.sqlite, as real damage looks: pages of garbage in the middle of the
file, a file cut short, a header overwritten. Opening, reading, writing and
verifying each answer with one DamagedCaseError that names the way out."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import CaseError
from docket.core.storage.damage import DamagedCaseError, as_damage, is_damage
from docket.core.storage.schema import SCHEMA_VERSION
from tests.core.mark_factory import marked_case
from tests.core.pdf_factory import qt_app

PAGE = 4096  # SQLite's default page size, which cases use


def page_size(database: Path) -> int:
    size = int.from_bytes(database.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def root_page(database: Path, table: str) -> int:
    """The 1-based number of a table's root page in the file."""
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        found = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    finally:
        connection.close()
    assert found is not None, table
    return int(found[0])


def garble_pages(database: Path, first: int, count: int = 1, *, seed: int = 15) -> None:
    """Overwrite `count` pages from page `first` (1-based) with random bytes, as a bad
    sector or a half-written block leaves them."""
    size = page_size(database)
    noise = random.Random(seed).randbytes(size * count)
    with open(database, "r+b") as file:
        file.seek((first - 1) * size)
        file.write(noise)


def garble_table(database: Path, table: str) -> None:
    garble_pages(database, root_page(database, table))


def truncate(database: Path, fraction: float = 0.4) -> None:
    """Cut the file short, as a copy interrupted half-way does."""
    size = database.stat().st_size
    with open(database, "r+b") as file:
        file.truncate(int(size * fraction) // PAGE * PAGE + 100)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed case with documents, marks and tags, built once."""
    qt_app()
    root = tmp_path_factory.mktemp("damage")
    case, _ = marked_case(root)
    case.close()
    return root / "case"


@pytest.fixture
def case_path(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "case"))


def test_a_whole_case_is_not_damaged(case_path: Path) -> None:
    with Case.open(case_path, readonly=True) as case:
        report = case.verify()
        assert report.ok and not report.database_damaged
        assert case.database.integrity_problems() == []


def test_garbage_in_the_marks_pages_is_damage_on_reading_them(case_path: Path) -> None:
    garble_table(case_path / "case.sqlite", "marks")
    with Case.open(case_path, readonly=True) as case:  # the header and schema are whole
        assert case.documents()  # and the documents' own pages can still be read
        with pytest.raises(sqlite3.DatabaseError) as met:
            case.marking.marks()
        damage = as_damage(met.value, case_path)
        assert damage is not None
        assert str(damage).startswith("the case database is damaged: ")
        assert f"`docket recover {case_path}` can save what is left" in str(damage)


def test_a_write_that_meets_damage_raises_damaged_case_error(case_path: Path) -> None:
    with Case.open(case_path) as case:
        doc = case.documents()[0].id
    garble_table(case_path / "case.sqlite", "tags")
    with Case.open(case_path, catch_up=False) as case:
        with pytest.raises(DamagedCaseError, match="the case database is damaged"):
            case.marking.tag_document(doc, ["Issue/New"])
        assert isinstance(DamagedCaseError("x"), CaseError)  # exit 3 on the command line


@pytest.mark.parametrize("readonly", [True, False])
def test_a_truncated_file_is_refused_or_damage_on_first_read(
    case_path: Path, readonly: bool
) -> None:
    truncate(case_path / "case.sqlite")
    with (
        pytest.raises((DamagedCaseError, sqlite3.DatabaseError)) as met,
        Case.open(case_path, readonly=readonly, catch_up=False) as case,
    ):
        case.documents()
        case.marking.marks()
    assert is_damage(met.value)


@pytest.mark.parametrize("readonly", [True, False])
def test_a_garbage_header_is_refused_at_open(case_path: Path, readonly: bool) -> None:
    garble_pages(case_path / "case.sqlite", 1)
    with pytest.raises(DamagedCaseError, match="the case database is damaged"):
        Case.open(case_path, readonly=readonly)


def test_verify_reports_a_damaged_database(case_path: Path) -> None:
    garble_table(case_path / "case.sqlite", "pages")
    with Case.open(case_path, readonly=True) as case:
        report = case.verify()
    assert report.database_damaged and not report.ok
    assert report.problems[0].startswith("case.sqlite: ")
    assert report.damage


def test_the_damaged_file_is_left_as_it_was(case_path: Path) -> None:
    database = case_path / "case.sqlite"
    garble_table(database, "marks")
    before = database.read_bytes()
    with Case.open(case_path, readonly=True) as case, pytest.raises(sqlite3.DatabaseError):
        case.marking.marks()
    assert database.read_bytes() == before


def test_a_case_from_a_newer_docket_is_refused_for_reading_too(case_path: Path) -> None:
    connection = sqlite3.connect(case_path / "case.sqlite")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    for readonly in (True, False):
        with pytest.raises(CaseError, match="newer Docket"):
            Case.open(case_path, readonly=readonly)
