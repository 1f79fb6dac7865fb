"""An import leaves a segment per commit; the case merges them in the background."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as windex

from docket.core.case import Case
from docket.core.search import feed
from docket.core.search.whoosh import index as index_module
from docket.core.search.whoosh.merging import MIN_SMALL_SEGMENTS


def _segment_count(index_dir: Path) -> int:
    ix = windex.open_dir(str(index_dir))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def test_an_import_of_many_commits_is_merged_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed, "COMMIT_EVERY_PAGES", 1)  # a commit, so a segment, a file
    monkeypatch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)  # commits merge none
    documents = tmp_path / "documents"
    documents.mkdir()
    count = MIN_SMALL_SEGMENTS + 2
    for n in range(count):
        (documents / f"statement{n}.txt").write_text(
            f"Statement {n}. The police fired on the strikers in the square; witness {n}.\n"
        )
    case = Case.create(tmp_path / "case")
    try:
        report = case.import_paths([documents])
        assert report.pages == count
        case.index.wait_for_merge()  # type: ignore[attr-defined]  # the Whoosh engine's

        assert _segment_count(case.layout.index) == 1
        case.index.refresh()
        results = case.search('"police fired"')
        assert results.total == count
        assert all(hit.hits for hit in results.results)
    finally:
        case.close()
