"""An index a read-only opener cannot use: the case still opens, reads and explains."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.engine import IndexRecord, MissingIndex, SearchEngine
from docket.core.search.parser import parse
from tests.core.case_factory import write_matter

REASON = "The search index in /case/index is missing."


def engine_of(engine: SearchEngine) -> SearchEngine:
    """Typed as the protocol, so mypy checks MissingIndex implements all of it."""
    return engine


def test_missing_index_reports_itself_empty() -> None:
    missing = engine_of(MissingIndex(REASON))
    assert (missing.page_count(), missing.indexed_doc_ids(), missing.was_reset) == (0, set(), False)
    missing.refresh()
    missing.close()  # nothing to let go of


def test_missing_index_says_to_reindex_when_searched() -> None:
    with pytest.raises(DocketError) as raised:
        MissingIndex(REASON).search(parse("police"), lambda keys: {})
    assert str(raised.value) == (
        "The search index in /case/index is missing; run `docket reindex` to rebuild it"
    )


@pytest.mark.parametrize("change", ["writer", "add_pages", "delete_documents", "clear"])
def test_missing_index_cannot_be_changed(change: str) -> None:
    missing = MissingIndex(REASON)
    page = IndexedPage(1, 1, "1", "police", "T", "", DocumentKind.TEXT, "a.txt", None)
    calls = {
        "writer": lambda: missing.writer(None),
        "add_pages": lambda: missing.add_pages([page]),
        "delete_documents": lambda: missing.delete_documents([1]),
        "clear": missing.clear,
    }
    with pytest.raises(DocketError, match="cannot be changed") as raised:
        calls[change]()
    assert "index in /case/index is missing" in str(raised.value)
    assert "run `docket reindex`" in str(raised.value)


def test_a_read_only_case_without_its_index(tmp_path: Path) -> None:
    path = tmp_path / "case"
    with Case.create(path) as case:
        case.import_paths([write_matter(tmp_path / "matter")])
        assert case.search("torture").total == 2  # "torture", "tortured"
    shutil.rmtree(path / "index")

    with Case.open(path, readonly=True) as reader:
        assert isinstance(reader.index, MissingIndex)
        assert len(reader.documents()) == 3  # reading and exporting still work
        with pytest.raises(DocketError, match=r"missing; run `docket reindex`"):
            reader.search("torture")
        assert reader.marking.sync_index() == 0  # nothing to write to, and no error
        report = reader.verify()
        assert any("pages indexed" in problem for problem in report.problems)

    with Case.open(path) as writer:  # a writer rebuilds it
        assert not isinstance(writer.index, MissingIndex)
        assert writer.search("torture").total == 2


def test_index_records_are_put_and_found(tmp_path: Path) -> None:
    """A record is what the engine indexes for a mark or a document's tags."""
    from docket.core.search.opener import open_engine

    engine = open_engine(tmp_path / "index")
    try:
        record = IndexRecord(
            kind="mark",
            key="mark:7",
            doc=1,
            page=2,
            label="ii",
            title="Complaint",
            name="complaint.pdf",
            type="pdf",
            text="the police fired",
            note="check the date",
            tags=("Issue/Torture",),
            mark=7,
            summary="the police fired",
            summary_spans=((4, 10),),
        )
        with engine.writer(None) as writer:
            writer.put(record)
        for query in ("police", "tag:Issue", "tag:Issue/Torture", "note:date"):
            (hit,) = engine.search(parse(query), lambda keys: {}).results
            assert (hit.doc, hit.page, hit.label, hit.mark, hit.source) == (1, 2, "ii", 7, "mark")
            assert hit.hits == ((4, 10),)
        assert engine.search(parse("tag:Torture"), lambda keys: {}).total == 0  # not a parent
        with engine.writer(None) as writer:
            writer.delete_key("mark:7")
        assert engine.search(parse("police"), lambda keys: {}).total == 0
    finally:
        engine.close()
