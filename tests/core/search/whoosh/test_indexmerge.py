"""Commits merge only small segments: a big case is never rewritten at once."""

from __future__ import annotations

from pathlib import Path

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.whoosh.index import SMALL_SEGMENT_RECORDS, SearchIndex


def pages(doc: int, count: int) -> list[IndexedPage]:
    return [
        IndexedPage(
            doc,
            n,
            str(n),
            f"Exhibit {doc} page {n} witness",
            "Title",
            "",
            DocumentKind.PDF,
            f"{doc}.pdf",
            None,
        )
        for n in range(1, count + 1)
    ]


def segment_names(index: SearchIndex) -> list[str]:
    return sorted(segment.segment_id() for segment in index._ix._segments())


def test_big_segments_stay_and_small_ones_are_merged(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    for doc in (1, 2, 3):  # three import batches, each its own segment
        index.add_pages(pages(doc, SMALL_SEGMENT_RECORDS))
    big = segment_names(index)
    assert len(big) == 3

    for doc in (4, 5):  # small commits, such as a mark edited
        index.add_pages(pages(doc, 1))
    assert len(segment_names(index)) == 5  # one small segment alone is not merged

    index.add_pages(pages(6, 1))  # the third: the two small ones go into its segment
    after = segment_names(index)
    assert len(after) == 4
    assert set(big) <= set(after)  # the big segments were not rewritten
    assert index.page_count() == 3 * SMALL_SEGMENT_RECORDS + 3
    index.close()
