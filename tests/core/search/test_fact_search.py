"""`fact:[2011-12 TO 2012-04]`: facts (marks with a date) whose period overlaps, in both engines."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.fields import ID, Schema

from docket.core.chronology.dates import parse_fact_date
from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.engine import IndexRecord, SearchEngine
from docket.core.search.nodes import DateRange
from docket.core.search.parser import parse
from docket.core.search.query import QuerySyntaxError
from docket.core.search.whoosh.index import SearchIndex
from tests.core.chronology.chronology_factory import chronology_case
from tests.core.search.memory_engine import MemoryEngine

PAGE = IndexedPage(
    1, 1, "1", "the police fired on the crowd", "Report", "", DocumentKind.PDF, "r.pdf", None
)
FACTS = {1: "May 2011", 2: "2011-12-16", 3: "2011-12 to 2012-04", 4: "c. 2012", 5: "2013-01-05"}


def _period(typed: str) -> tuple[datetime, datetime]:
    when = parse_fact_date(typed)
    return datetime.combine(when.start, time.min), datetime.combine(when.end, time.max)


def _record(number: int, fact: tuple[datetime, datetime] | None) -> IndexRecord:
    return IndexRecord(
        kind="mark", key=f"mark:{number}", doc=1, page=1, label="1", title="Report",
        name="r.pdf", type="pdf", text="police", mark=number, summary="police", fact=fact,
    )  # fmt: skip


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SearchEngine]:
    found: dict[str, SearchEngine] = {
        "whoosh": SearchIndex.open(tmp_path_factory.mktemp("facts") / "index"),
        "memory": MemoryEngine(),
    }
    for engine in found.values():
        engine.add_pages([PAGE])
        with engine.writer(flush_pages=None) as writer:
            for number, typed in FACTS.items():
                writer.put(_record(number, _period(typed)))
            writer.put(_record(9, None))  # a mark that is no fact
    return found


def _marks(engine: SearchEngine, query: str) -> list[int]:
    results = engine.search(parse(query), lambda keys: {k: PAGE.text for k in keys}, limit=50)
    return sorted(hit.mark for hit in results.results if hit.mark is not None)


@pytest.mark.parametrize("kind", ["whoosh", "memory"])
@pytest.mark.parametrize(
    ("query", "marks"),
    [
        ("fact:[2011-12 TO 2012-04]", [2, 3, 4]),  # c. 2012 overlaps; May 2011 does not
        ("fact:2011", [1, 2, 3]),
        ("fact:2012-02", [3, 4]),  # inside the range Dec 2011 – Apr 2012, and c. 2012
        ("fact:[2012-05 TO]", [4, 5]),
        ("fact:[TO 2011-06]", [1]),
        ('fact:"16 December 2011"', [2, 3]),
        ("fact:[2011 TO 2013] AND NOT fact:2012", [1, 2, 5]),
        ("police AND fact:2013", [5]),
        ("fact:2010", []),
    ],
)
def test_facts_by_overlapping_dates(
    engines: dict[str, SearchEngine], kind: str, query: str, marks: list[int]
) -> None:
    assert _marks(engines[kind], query) == marks


def test_fact_ranges_parse_like_date_ranges() -> None:
    node = parse("fact:[2011-12 TO 2012-04]").root
    assert isinstance(node, DateRange) and node.field == "fact"
    assert (node.first, node.last) == (
        datetime(2011, 12, 1),
        datetime(2012, 4, 30, 23, 59, 59, 999999),
    )
    with pytest.raises(QuerySyntaxError, match="write fact:2012"):
        parse("fact:someday")


def test_an_index_without_fact_fields_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    windex.create_in(str(folder), Schema(key=ID(unique=True)))  # an older Docket's index
    index = SearchIndex.open(folder)
    try:
        assert index.was_reset
    finally:
        index.close()


def test_a_case_finds_its_facts_and_follows_a_new_date(tmp_path: Path) -> None:
    case, marks = chronology_case(tmp_path)
    with case:

        def found(query: str) -> set[int]:
            return {hit.mark for hit in case.search(query, limit=50).results if hit.mark}

        assert found("fact:[2012-01 TO 2012-04]") == {
            marks["questioned"].id,
            marks["released"].id,
        }
        case.chronology.set_date(marks["undated"].id, "February 2012")
        assert marks["undated"].id in found("fact:[2012-01 TO 2012-04]")
        case.chronology.set_date(marks["undated"].id, "")
        assert marks["undated"].id not in found("fact:2012")
