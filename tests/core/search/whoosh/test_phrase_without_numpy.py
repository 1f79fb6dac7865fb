"""Phrases scored in dicts (fastboolean `_Scorer._phrase`, no numpy): the same pages,
the same exact scores and the same order as the numpy scorer (`_dense_phrase`)
and as Whoosh, on segments with position keys, without them (written before
them), with a word too rare to be keyed, and with deleted pages."""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docket.core.search.whoosh import fastboolean, phrasepages
from docket.core.search.whoosh.fastboolean import top_documents
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.matching import Expanded, FastPhrase
from docket.core.search.whoosh.positionkeys import open_position_keys
from tests.core.search.whoosh.phraseindex import (
    PAGES,
    partly_keyed_index,
    prepared_query,
    whoosh_top,
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """Three big segments, the first written as before keys existed; pages deleted
    from each after indexing."""
    folder = Path(tmp_path_factory.mktemp("nonumpy"))
    opened = partly_keyed_index(folder, [21, 22, 23], [7, 1003, 2050], rare=True)
    yield opened
    opened.close()


PHRASES = [
    '"police court"',
    '"police police"',
    '"court police witness"',
    '"police court order"',
    '"police court order crowd"',
    '"zebra police"',
    '"zebra police court"',
    '"police crowd"~3',
    '"court witness order"~2',
    '"court witness"~8',
    '"police court" AND crowd',
    '"crowd fired" OR witness',
    '"police court" NOT custody',
    '"custody shot"',
    '"nothingatall police"',
]


def test_the_segments_are_keyed_partly(index: SearchIndex) -> None:
    readers = [leaf.reader() for leaf, _ in index._current().leaf_searchers()]
    assert [r.doc_count_all() for r in readers] == [PAGES] * 3
    assert all(r.has_deletions() for r in readers)
    keys = [open_position_keys(reader) for reader in readers]
    assert keys[0] is None
    for found in keys[1:]:
        assert found is not None
        assert found.get_view("text", b"polic") is not None
        assert found.get_view("text", b"zebra") is None  # too rare to be keyed
        found.close()


@pytest.mark.parametrize("text", PHRASES)
def test_dicts_give_numpys_pages_scores_and_order(index: SearchIndex, text: str) -> None:
    q = prepared_query(index, text)
    searcher = index._current()
    in_dicts = top_documents(q, searcher, 10_000, False)
    with_numpy = top_documents(q, searcher, 10_000, True)
    assert in_dicts == with_numpy  # exactly: the same doubles added in the same order
    count, expected = whoosh_top(index, q, 40)
    assert in_dicts[0] == count
    assert [d for _, d in in_dicts[1][:40]] == [d for _, d in expected]
    assert [s for s, _ in in_dicts[1][:40]] == pytest.approx([s for s, _ in expected], rel=1e-12)


@pytest.mark.parametrize("slop", [0, 1, 2, 4])
def test_any_slop_finds_what_numpy_finds(index: SearchIndex, slop: int) -> None:
    q = copy.copy(prepared_query(index, '"court witness order"'))
    assert type(q) is FastPhrase
    q.slop = slop
    searcher = index._current()
    found = top_documents(q, searcher, 10_000, False)
    assert found == top_documents(q, searcher, 10_000, True)
    assert (found[0] == 0) is (slop == 0)  # no word stands 0 positions after another


def test_decoded_positions_find_what_keys_find(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher = index._current()
    queries = [prepared_query(index, text) for text in PHRASES]
    with_keys = [top_documents(q, searcher, 10_000, False) for q in queries]
    monkeypatch.setattr(fastboolean, "open_position_keys", lambda reader: None)
    searcher.__dict__.pop("_docket_position_keys", None)
    try:
        assert [top_documents(q, searcher, 10_000, False) for q in queries] == with_keys
    finally:
        searcher.__dict__.pop("_docket_position_keys", None)


def test_keys_of_the_other_byte_order_are_read_swapped(index: SearchIndex) -> None:
    reader = index._current().leaf_searchers()[1][0].reader()
    keys = open_position_keys(reader)
    assert keys is not None
    try:
        native, shift = keys.get("text", b"polic")  # type: ignore[misc]
        view, view_shift = keys.get_view("text", b"polic")  # type: ignore[misc]
        assert view_shift == shift and list(view) == native.tolist()
        keys._swap = True  # as if the file came from a machine of the other byte order
        swapped, _ = keys.get("text", b"polic")  # type: ignore[misc]
        view, _ = keys.get_view("text", b"polic")  # type: ignore[misc]
        assert list(view) == swapped.tolist() != native.tolist()
    finally:
        keys.close()


def test_without_numpy_loaded_a_small_cases_phrase_is_scored_in_dicts(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = prepared_query(index, '"police court"')
    searcher = index._current()
    expected = top_documents(q, searcher, 20, True)

    def no_arrays(*args: Any) -> None:
        raise AssertionError("numpy scorer used")

    monkeypatch.setattr(fastboolean, "_ArrayScorer", no_arrays)
    monkeypatch.delitem(sys.modules, "numpy")  # as in a fresh `docket search` process
    assert top_documents(q, searcher, 20) == expected


def test_a_wide_wildcards_postings_are_counted_not_assumed_big(index: SearchIndex) -> None:
    searcher = index._current()
    reader = searcher.reader()
    words = sorted(b for field, b in reader.all_terms() if field == "text" and b[:3] == b"rar")
    assert len(words) > 20  # more than a wildcard once taken to need numpy
    q = Expanded("text", "rar*", words)
    counted = fastboolean._postings_count(q, searcher)
    assert counted == sum(reader.doc_frequency("text", b) for b in words)
    assert counted < fastboolean.ARRAY_FROM_POSTINGS
    assert top_documents(q, searcher, 10_000, False) == top_documents(q, searcher, 10_000, True)


@pytest.mark.parametrize("keys_per_page", [0, 10**9])
def test_keys_alone_and_pages_sliced_find_the_same(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch, keys_per_page: int
) -> None:
    # 0: every candidate page sliced; 10**9: slop-1 phrases of keyed words by keys alone.
    searcher = index._current()
    queries = [prepared_query(index, text) for text in PHRASES]
    expected = [top_documents(q, searcher, 10_000, True) for q in queries]
    monkeypatch.setattr(phrasepages, "KEYS_PER_PAGE", keys_per_page)
    assert [top_documents(q, searcher, 10_000, False) for q in queries] == expected
