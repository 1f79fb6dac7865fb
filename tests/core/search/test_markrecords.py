"""Marks and documents' tags reach the index, and a change made while a sync runs is not lost."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from docket.core.case import Case
from docket.core.search.engine import IndexWriter, SearchEngine
from docket.core.search.markrecords import sync_index
from docket.core.storage import marks as markstore
from tests.core.case_factory import highlight_words, write_matter


class _ChangeAtCommit:
    """An engine whose writers run `meanwhile` just after their commit: the moment a
    window's Ctrl+Z can land while the writer thread is still finishing a sync."""

    def __init__(self, engine: SearchEngine, meanwhile: object) -> None:
        self._engine = engine
        self._meanwhile = meanwhile

    def writer(self, flush_pages: int | None = None, *, new_pages: bool = False) -> IndexWriter:
        inner = self._engine.writer(flush_pages, new_pages=new_pages)
        meanwhile = self._meanwhile

        class Writer:
            added = 0

            def __getattr__(self, name: str) -> object:
                return getattr(inner, name)

            def __enter__(self) -> IndexWriter:
                inner.__enter__()
                return self  # type: ignore[return-value]

            def __exit__(
                self,
                exc_type: type[BaseException] | None,
                exc: BaseException | None,
                tb: TracebackType | None,
            ) -> None:
                inner.__exit__(exc_type, exc, tb)
                meanwhile()  # type: ignore[operator]

        return Writer()  # type: ignore[return-value]


def test_a_document_tagged_again_while_the_index_syncs_stays_queued(tmp_path: Path) -> None:
    files = write_matter(tmp_path / "matter")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([files])
        marking = case.marking
        marking.index_at_once = False  # the sync below is the one that runs
        doc = case.documents()[0].id
        marking.tag_document(doc, ["Issue/Torture"])

        def undo_meanwhile() -> None:  # what an undo on the UI thread does during the sync
            marking.untag_document(doc, ["Issue/Torture"])
            marking.tag_document(doc, ["Issue/Abuse"])

        racing = _ChangeAtCommit(case.index, undo_meanwhile)
        sync_index(case.database, racing)  # type: ignore[arg-type]
        _, _, queued = markstore.waiting_for_index(case.database.read())
        assert queued == [doc]  # the tags written are no longer the document's
        assert case.search('tag:"Issue/Torture"').total == 1  # what this sync wrote

        sync_index(case.database, case.index)
        assert markstore.waiting_for_index(case.database.read()) == ([], [], [])
        assert case.search('tag:"Issue/Torture"').total == 0
        assert case.search('tag:"Issue/Abuse"').total == 1


def test_a_mark_whose_tag_is_renamed_while_the_index_syncs_stays_queued(tmp_path: Path) -> None:
    files = write_matter(tmp_path / "matter")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([files])
        marking = case.marking
        marking.index_at_once = False
        doc = case.documents()[0].id
        mark = highlight_words(case, doc, 1, case.page(doc, 1).text.split()[0], "Issue/Torture")

        def rename_meanwhile() -> None:  # a rename leaves the mark's `modified` as it was
            marking.rename_tag("Issue/Torture", "Issue/Abuse")

        sync_index(case.database, _ChangeAtCommit(case.index, rename_meanwhile))  # type: ignore[arg-type]
        stale, _, _ = markstore.waiting_for_index(case.database.read())
        assert stale == [mark.id]

        sync_index(case.database, case.index)
        assert markstore.waiting_for_index(case.database.read()) == ([], [], [])
        assert case.search('tag:"Issue/Torture"').total == 0
        assert case.search('tag:"Issue/Abuse"').total == 1
