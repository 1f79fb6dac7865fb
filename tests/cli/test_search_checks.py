"""What `docket search` checks before it searches: cheap checks only, run on every query.

A script loops over searches, so each one pays for whatever the command does
besides the query. A killed import and a deleted index/ are still caught and
repaired; counting every page of the index against the case's is left to the
window's writable open and `docket verify`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from docket.cli.main import main
from docket.core.case import Case
from docket.core.search.whoosh.index import SearchIndex
from docket.core.storage import documents as store
from tests.cli.runner import run
from tests.core.case_factory import write_matter
from tests.core.pdf_factory import qt_app


@pytest.fixture
def matter_case(tmp_path: Path) -> Path:
    qt_app()
    case = tmp_path / "case"
    assert main(["new", str(case)]) == 0
    assert main(["import", str(case), str(write_matter(tmp_path / "matter")), "--quiet"]) == 0
    return case


def test_a_search_counts_no_pages(
    matter_case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def counted(*args: object) -> int:
        raise AssertionError("a search counted the case's pages")

    monkeypatch.setattr(SearchIndex, "page_count", counted)
    monkeypatch.setattr(store, "page_counts", counted)
    capsys.readouterr()
    code, out, err = run(capsys, "search", str(matter_case), "Zhanaozen", "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["total"] == 2


def test_a_search_after_a_killed_import_indexes_the_document_first(
    matter_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What an import killed between storing a document and indexing it leaves:
    # the document stored, flagged unindexed, none of its pages in the index.
    with Case.open(matter_case) as case:
        letter = next(d.id for d in case.documents() if d.kind == "text")
        case.index.delete_documents([letter])
    with sqlite3.connect(matter_case / "case.sqlite") as connection:
        connection.execute("UPDATE documents SET indexed = 0 WHERE id = ?", (letter,))
    connection.close()
    capsys.readouterr()

    code, out, err = run(capsys, "search", str(matter_case), "Nazarbayev", "--json")
    assert code == 0 and "bringing the search index up to date" in err
    assert [hit["doc"] for hit in json.loads(out)["results"]] == [letter]
    with Case.open(matter_case, readonly=True) as case:
        assert case.index_is_current()  # counted here: every page is in the index again
