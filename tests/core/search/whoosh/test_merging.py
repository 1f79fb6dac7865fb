"""Merging an import's segments in the background (issue 16): the same results from
fewer segments, and neither searches nor writers wait for it or fail meanwhile."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh import query as wq

from docket.core.model.records import DocumentKind, IndexedPage, SearchResults
from docket.core.search.parser import parse
from docket.core.search.whoosh import index as index_module
from docket.core.search.whoosh import merging
from docket.core.search.whoosh.fastboolean import top_documents
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.termarrays import MIN_POSTINGS, open_term_arrays

WORDS = ["police", "fired", "crowd", "witness", "torture", "tortured"]
WORDS += [f"word{n}" for n in range(300)]
QUERIES = [
    "police",
    "word1",
    "police AND fired",
    "crowd OR witness",
    "police AND NOT crowd",
    '"police fired"',
    '"police crowd"~5',
    "word2*",
    "tortur*",
    "witnes~",
    "title:exhibit",
]
PAGES_PER_DOC = 60


def _page_text(rng: random.Random) -> str:
    # Zipf-like: a few words on nearly every page (term arrays, several blocks), most rare
    count = rng.choice([5, 20, 120, 400])
    return " ".join(
        WORDS[min(int(rng.paretovariate(0.6)) - 1, len(WORDS) - 1)] for _ in range(count)
    )


def _pages(doc: int, seed: int, count: int = PAGES_PER_DOC) -> list[IndexedPage]:
    rng = random.Random(seed)
    return [
        IndexedPage(
            doc,
            n,
            str(n),
            _page_text(rng),
            f"Exhibit {doc}",
            "",
            DocumentKind.PDF,
            f"exhibit{doc}.pdf",
            None,
        )
        for n in range(1, count + 1)
    ]


def _texts(index: SearchIndex) -> Any:
    """The page texts a search asks for, from the pages the test added."""

    def page_texts(keys: Any) -> dict[tuple[int, int], str]:
        return {key: index._test_texts[key] for key in keys}  # type: ignore[attr-defined]

    return page_texts


def _add(index: SearchIndex, doc: int, seed: int, count: int = PAGES_PER_DOC) -> None:
    pages = _pages(doc, seed, count)
    texts = index.__dict__.setdefault("_test_texts", {})
    texts.update({(p.doc, p.page): p.text for p in pages})
    index.add_pages(pages)


def _all_results(index: SearchIndex) -> dict[str, tuple[object, ...]]:
    """Each query's total, order (with scores) and hits: what a reader sees."""
    found: dict[str, tuple[object, ...]] = {}
    for query in QUERIES:
        results: SearchResults = index.search(parse(query), _texts(index), limit=500)
        found[query] = (
            results.total,
            results.notes,
            [(h.doc, h.page, round(h.score, 9), h.hits, h.snippet) for h in results.results],
        )
    return found


def _segments(index_dir: Path) -> list[Any]:
    ix = windex.open_dir(str(index_dir))
    try:
        return list(ix._segments())
    finally:
        ix.close()


@pytest.fixture
def index_of_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SearchIndex:
    """Six segments, as six import commits leave them (commits merge none of them)."""
    monkeypatch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)
    index = SearchIndex.open(tmp_path / "index")
    for doc in range(1, 7):
        _add(index, doc, seed=doc)
    assert len(_segments(tmp_path / "index")) == 6
    return index


def _found(results: dict[str, tuple[object, ...]]) -> dict[str, tuple[object, ...]]:
    """Each query's total and the pages with their hits, scores aside: a deleted page
    counts in Whoosh's statistics (BM25's idf, mean length) until a merge drops it."""
    return {
        query: (total, notes, sorted((doc, page, spans) for doc, page, _, spans, _ in hits))
        for query, (total, notes, hits) in results.items()  # type: ignore[misc]
    }


def test_merging_gives_the_same_results_from_fewer_segments(
    index_of_imports: SearchIndex, tmp_path: Path
) -> None:
    index = index_of_imports
    before = _all_results(index)
    assert before["police"][0] > MIN_POSTINGS and before["tortur*"][0] > 0  # they find things
    assert any(hits for *_, hits, _ in before["police AND fired"][2])

    merged = merging.merge_index(tmp_path / "index")

    assert merged == 5  # six segments into one
    segments = _segments(tmp_path / "index")
    assert len(segments) == 1
    index.refresh()
    assert _all_results(index) == before  # scores and their order too
    assert index.page_count() == 6 * PAGES_PER_DOC
    assert sorted(p.name for p in (tmp_path / "index").iterdir() if p.suffix == ".seg") == [
        f"{segments[0].segment_id()}.seg"  # the old segments' files are gone
    ]
    assert not (tmp_path / "index" / merging.MERGE_FOLDER).exists()
    index.close()


def test_the_merged_segment_has_term_arrays_for_fast_boolean_queries(
    index_of_imports: SearchIndex, tmp_path: Path
) -> None:
    index = index_of_imports
    merging.merge_index(tmp_path / "index")
    index.refresh()
    searcher = index._current()
    reader = searcher.reader()
    arrays = open_term_arrays(reader)
    assert arrays is not None
    (police,) = [token.text for token in reader.schema["text"].analyzer("police")]  # stemmed
    ids, _ = arrays.get("text", police.encode()) or ((), ())
    assert len(ids) >= MIN_POSTINGS
    postings = reader.postings("text", police.encode())
    assert list(ids) == list(postings.all_ids())
    arrays.close()
    total, best = top_documents(wq.Term("text", police), searcher, 5)
    assert total == len(ids) and len(best) == 5
    index.close()


def test_a_page_deleted_before_the_merge_is_dropped_from_it(
    index_of_imports: SearchIndex, tmp_path: Path
) -> None:
    index = index_of_imports
    _add(index, 1, seed=99, count=1)  # page 1 of document 1 again: replaced, so deleted
    before = _found(_all_results(index))

    merging.merge_index(tmp_path / "index")

    segments = _segments(tmp_path / "index")
    assert len(segments) == 1 and segments[0].deleted_count() == 0
    index.refresh()
    assert _found(_all_results(index)) == before
    assert index.page_count() == 6 * PAGES_PER_DOC


def test_pages_deleted_while_the_merge_was_written_stay_deleted(
    index_of_imports: SearchIndex, tmp_path: Path
) -> None:
    index = index_of_imports
    folder = tmp_path / "index"
    ix = windex.open_dir(str(folder))
    toc = ix._read_toc()
    run = list(toc.segments)
    target_dir = folder / merging.MERGE_FOLDER
    target_dir.mkdir()
    from whoosh.filedb.filestore import FileStorage

    target = FileStorage(str(target_dir))
    segment, docmaps = merging.write_merged(ix.storage, ix.indexname, toc.schema, run, target)

    index.delete_documents([3])  # a commit while the merged segment was being written
    before = _all_results(index)
    assert all(hit[0] != 3 for hit in before["police"][2])  # type: ignore[index]

    assert merging._swap(ix, run, segment, docmaps, target)
    ix.close()
    index.refresh()
    assert len(_segments(folder)) == 1
    assert _all_results(index) == before  # still counted in the statistics: the same scores
    assert index.indexed_doc_ids() == {1, 2, 4, 5, 6}
    index.close()


def test_a_merge_whose_segments_went_meanwhile_changes_nothing(
    index_of_imports: SearchIndex, tmp_path: Path
) -> None:
    index = index_of_imports
    folder = tmp_path / "index"
    ix = windex.open_dir(str(folder))
    toc = ix._read_toc()
    run = list(toc.segments)
    (folder / merging.MERGE_FOLDER).mkdir()
    from whoosh.filedb.filestore import FileStorage

    target = FileStorage(str(folder / merging.MERGE_FOLDER))
    segment, docmaps = merging.write_merged(ix.storage, ix.indexname, toc.schema, run, target)

    index.clear()  # a rebuild began: the run's segments are gone
    _add(index, 9, seed=9)

    assert not merging._swap(ix, run, segment, docmaps, target)
    ix.close()
    index.refresh()
    assert index.indexed_doc_ids() == {9}
    index.close()


def test_searches_and_writers_go_on_during_a_background_merge(
    index_of_imports: SearchIndex, tmp_path: Path
) -> None:
    index = index_of_imports
    before = _all_results(index)
    finished = threading.Event()
    merge = merging.start_merge(tmp_path / "index", finished.set)
    assert merge is not None

    # While the other process merges: searches give what they gave, and a
    # writer commits (waiting at most for the swap, never failing).
    searched = 0
    while not finished.is_set() or searched < 3:
        assert _all_results(index) == before
        searched += 1
        if searched == 2:
            _add(index, 7, seed=7)
            before = _all_results(index)
    merge.join()
    assert merge.exitcode == 0

    index.refresh()
    assert _found(_all_results(index)) == _found(before)
    assert index.indexed_doc_ids() == {1, 2, 3, 4, 5, 6, 7}
    assert len(_segments(tmp_path / "index")) < 6
    index.close()


def test_the_index_starts_a_merge_only_when_it_has_many_small_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)
    index = SearchIndex.open(tmp_path / "index")
    for doc in range(1, merging.MIN_SMALL_SEGMENTS):  # one segment fewer than a merge needs
        _add(index, doc, seed=doc)
    assert not index.merge_in_background()
    _add(index, merging.MIN_SMALL_SEGMENTS, seed=0)
    assert index.merge_in_background()
    index.wait_for_merge()
    index.refresh()  # as the merge's watcher does, perhaps not yet
    assert len(_segments(tmp_path / "index")) == 1
    assert index.indexed_doc_ids() == set(range(1, merging.MIN_SMALL_SEGMENTS + 1))
    index.close()


def test_plan_gathers_neighbouring_small_segments_up_to_the_merged_size() -> None:
    class Segment:
        def __init__(self, records: int) -> None:
            self.records = records

        def doc_count(self) -> int:
            return self.records

    small, big = 3000, merging.SMALL_RECORDS
    fit = merging.MERGED_RECORDS // small  # small segments that fit one merged segment
    sizes = [big, *[small] * (fit + 2), big, small, small]
    runs = merging.plan([Segment(n) for n in sizes])
    assert runs == [range(1, 1 + fit), range(1 + fit, 3 + fit), range(4 + fit, 6 + fit)]
    few = [Segment(small)] * (merging.MIN_SMALL_SEGMENTS - 1)
    assert merging.plan([Segment(big), *few]) == []


def test_a_swap_waits_for_a_writer_and_keeps_what_it_committed(
    index_of_imports: SearchIndex, tmp_path: Path
) -> None:
    from whoosh.filedb.filestore import FileStorage

    index = index_of_imports
    folder = tmp_path / "index"
    ix = windex.open_dir(str(folder))
    toc = ix._read_toc()
    run = list(toc.segments)
    (folder / merging.MERGE_FOLDER).mkdir()
    target = FileStorage(str(folder / merging.MERGE_FOLDER))
    segment, docmaps = merging.write_merged(ix.storage, ix.indexname, toc.schema, run, target)

    writer = index.writer().__enter__()  # holds the index's write lock until it commits
    pages = _pages(8, seed=8)
    index._test_texts.update({(p.doc, p.page): p.text for p in pages})  # type: ignore[attr-defined]
    for page in pages:
        writer.add_page(page)
    swapped: list[bool] = []
    swap = threading.Thread(
        target=lambda: swapped.append(merging._swap(ix, run, segment, docmaps, target))
    )
    swap.start()
    swap.join(0.5)
    assert swap.is_alive() and not swapped  # waiting for the writer's lock
    writer.__exit__(None, None, None)
    swap.join(30)
    assert swapped == [True]
    ix.close()

    index.refresh()
    assert len(_segments(folder)) == 2  # the merged one, and the writer's
    assert index.indexed_doc_ids() == {1, 2, 3, 4, 5, 6, 8}
    assert index.page_count() == 7 * PAGES_PER_DOC
    index.close()
