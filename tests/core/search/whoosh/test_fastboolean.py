"""The fast path for AND / OR / NOT gives exactly Whoosh's results: totals, scores, order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.collectors import TopCollector

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.parser import parse
from docket.core.search.whoosh.fastboolean import supported, top_documents
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.matching import Expanded, prepare
from docket.core.search.whoosh.termarrays import MIN_POSTINGS, open_term_arrays
from docket.core.search.whoosh.translate import to_whoosh

WORDS = (
    "police",
    "court",
    "witness",
    "order",
    "article",
    "federal",
    "square",
    "crowd",
    "fired",
    "warning",
    "detention",
    "torture",
    "custody",
    "signature",
    "officer",
    "strike",
    "worker",
    "shot",
)


def _page(doc: int, number: int, rng: random.Random) -> IndexedPage:
    # Zipf-like: early words on most pages, late ones on few; lengths vary.
    words = [
        WORDS[min(int(rng.paretovariate(0.9)) - 1, len(WORDS) - 1)]
        for _ in range(rng.randint(5, 120))
    ]
    return IndexedPage(
        doc,
        number,
        str(number),
        " ".join(words),
        f"Doc {doc}",
        "",
        DocumentKind.PDF,
        f"doc{doc}.pdf",
        None,
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    rng = random.Random(11)
    opened = SearchIndex.open(Path(tmp_path_factory.mktemp("ix")))
    for batch in range(4):  # several segments, as incremental imports leave them
        opened.add_pages(
            _page(doc, n, rng) for doc in range(batch * 30, batch * 30 + 30) for n in range(1, 6)
        )
    opened.delete_documents([3, 41, 77])  # deletions inside segments
    yield opened
    opened.close()


QUERIES = [
    "police",
    "police court",
    "(order OR articl) AND feder",
    "police OR witness",
    "crowd NOT fired",
    "police AND (square OR crowd) NOT torture",
    "signature OR custody OR strike",
    "nothingatall",
    "police AND nothingatall",
    "shot OR nothingatall",
]


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """Segments big enough that common words have whole arrays beside them (termarrays)."""
    rng = random.Random(12)
    opened = SearchIndex.open(Path(tmp_path_factory.mktemp("big")))
    opened.add_pages(_page(doc, n, rng) for doc in range(100) for n in range(1, 8))
    opened.add_pages(_page(doc, n, rng) for doc in range(100, 160) for n in range(1, 8))
    opened.delete_documents([5, 120])
    yield opened
    opened.close()


def _agrees(index: SearchIndex, text: str, arrays: bool = False) -> None:
    searcher = index._current()
    q, _ = prepare(to_whoosh(parse(text), searcher.schema), searcher.reader(), text)
    assert supported(q)
    collector = TopCollector(limit=25, usequality=False, replace=0)
    searcher.search_with_collector(q, collector)
    expected = [(hit.score, hit.docnum) for hit in collector.results()]
    total, found = top_documents(q, searcher, 25, arrays)
    assert total == collector.count()
    assert [docnum for _, docnum in found] == [docnum for _, docnum in expected]
    assert [score for score, _ in found] == pytest.approx([s for s, _ in expected], rel=1e-12)


@pytest.mark.parametrize("text", QUERIES)
def test_the_fast_path_agrees_with_whoosh(index: SearchIndex, text: str) -> None:
    _agrees(index, text)


@pytest.mark.parametrize("text", QUERIES)
def test_numpy_scoring_agrees_with_whoosh(index: SearchIndex, text: str) -> None:
    _agrees(index, text, arrays=True)


@pytest.mark.parametrize("text", QUERIES)
def test_numpy_scoring_of_term_arrays_agrees_with_whoosh(big_index: SearchIndex, text: str) -> None:
    _agrees(big_index, text, arrays=True)


@pytest.mark.parametrize("text", QUERIES)
def test_term_arrays_agree_with_whooshs_blocks(big_index: SearchIndex, text: str) -> None:
    _agrees(big_index, text)


def test_common_words_are_read_from_term_arrays(big_index: SearchIndex) -> None:
    leaves = [leaf.reader() for leaf, _ in big_index._current().leaf_searchers()]
    arrays = [open_term_arrays(reader) for reader in leaves]
    # The two batches are small, so the deletion's commit merged them (index.py's
    # merge_small_segments); a merged segment has term arrays as well.
    assert arrays and all(a is not None for a in arrays)
    ids, weights = arrays[0].get("text", b"polic")
    assert len(ids) == leaves[0].doc_frequency("text", "polic") >= MIN_POSTINGS
    assert list(ids) == sorted(ids) and all(w >= 1 for w in weights)
    rare = [
        term
        for term in leaves[0].lexicon("text")
        if leaves[0].doc_frequency("text", term) < MIN_POSTINGS
    ]
    assert rare and all(arrays[0].get("text", term) is None for term in rare)  # Whoosh's blocks
    for found in arrays:
        found.close()


PHRASES = [
    '"police court"',
    '"police police"',
    '"court witness order"',
    '"police crowd"~4',
    '"police court" AND crowd',
    '"crowd fired" OR witness',
    '"police court" NOT torture',
    '"shot custody"',
    '"nothingatall police"',
]


@pytest.mark.parametrize("text", PHRASES)
def test_phrases_scored_with_numpy_agree_with_whoosh(index: SearchIndex, text: str) -> None:
    _agrees(index, text, arrays=True)


@pytest.mark.parametrize("text", PHRASES)
def test_phrases_over_term_arrays_agree_with_whoosh(big_index: SearchIndex, text: str) -> None:
    _agrees(big_index, text, arrays=True)


def test_boosted_words_and_phrases_stay_with_whoosh() -> None:
    from docket.core.search.whoosh.matching import FastPhrase

    assert supported(FastPhrase("text", ["polic", "court"]))
    assert not supported(FastPhrase("text", ["polic", "court"], boost=2.0))
    assert not supported(wq.Term("text", "polic", boost=2.0))


@pytest.fixture(scope="module")
def wildcard_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    rng = random.Random(13)
    extra = ["shot", "shooting", "shore", "shower", "polite", "policy"]
    opened = SearchIndex.open(Path(tmp_path_factory.mktemp("wild")))
    for batch in range(3):
        pages = []
        for doc in range(batch * 20, batch * 20 + 20):
            for n in range(1, 6):
                page = _page(doc, n, rng)
                pages.append(replace(page, text=f"{page.text} {' '.join(rng.sample(extra, 2))}"))
        opened.add_pages(pages)
    opened.delete_documents([7])
    yield opened
    opened.close()


WILDCARD_QUERIES = [
    "sho*",
    "polic*",
    "showr~",
    "shote~",
    "sho* AND police",
    "police OR sho*",
    "sho* NOT crowd",
    "(sho* OR witness) AND court",
]


@pytest.mark.parametrize("arrays", [False, True])
@pytest.mark.parametrize("text", WILDCARD_QUERIES)
def test_wildcards_and_fuzzy_terms_find_what_whoosh_finds_scored_flat(
    wildcard_index: SearchIndex, text: str, arrays: bool
) -> None:
    """A wildcard or fuzzy term standing for several words scores each page it finds
    1.0, as Whoosh's constant score means (Whoosh itself gives some of them BM25
    scores, depending on how many of the words its matcher tree holds per segment):
    the same pages and total as Whoosh, and alone, in page order."""
    searcher = wildcard_index._current()
    q, _ = prepare(to_whoosh(parse(text), searcher.schema), searcher.reader(), text)
    assert supported(q)
    collector = TopCollector(limit=10_000, usequality=False, replace=0)
    searcher.search_with_collector(q, collector)
    expected = {hit.docnum for hit in collector.results()}
    total, found = top_documents(q, searcher, 10_000, arrays)
    assert total == collector.count() == len(expected) > 0
    assert {docnum for _, docnum in found} == expected
    if type(q) is Expanded and len(q.btexts) > 1:
        assert [score for score, _ in found] == [1.0] * total
        assert [docnum for _, docnum in found] == sorted(expected)
    # The same numbers with numpy and without
    assert top_documents(q, searcher, 25, not arrays) == top_documents(q, searcher, 25, arrays)


@pytest.fixture(scope="module")
def rare_words_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """Two segments where zeta1..zeta5 stand on 1, 2, 3, 130 and 300 pages of each
    (the last with term arrays), no two on the same page, and a deleted document
    holds the second segment's zeta1 and zeta2 pages."""
    from docket.core.search.whoosh import index as index_module

    patch = pytest.MonkeyPatch()
    patch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)  # keep both segments
    opened = SearchIndex.open(Path(tmp_path_factory.mktemp("rare")))
    counts = {"zeta1": 1, "zeta2": 2, "zeta3": 3, "zeta4": 130, "zeta5": 300}
    starts = dict(zip(counts, accumulate(counts.values(), initial=0), strict=False))
    for batch in range(2):
        pages = []
        for n in range(450):
            doc, page = batch * 100 + n // 10, n % 10 + 1
            slot = (n + batch * 7) % 450  # the rare words' pages differ between segments
            words = [w for w, count in counts.items() if starts[w] <= slot < starts[w] + count]
            text = " ".join(["police", *words])
            pages.append(IndexedPage(doc, page, str(page), text, f"Doc {doc}", "",
                                     DocumentKind.PDF, f"doc{doc}.pdf", None))  # fmt: skip
        opened.add_pages(pages)
    opened.delete_documents([144])  # slots 0-2 of the second segment: pages 443-445
    assert len(opened._current().leaf_searchers()) == 2
    yield opened
    opened.close()
    patch.undo()


@pytest.mark.parametrize("arrays", [False, True])
@pytest.mark.parametrize("text", ["zeta*", "zeta? AND police", "zet~2", "zeta* NOT zeta5"])
def test_a_wide_wildcards_rare_words_are_read_from_term_infos_and_blocks(
    rare_words_index: SearchIndex, text: str, arrays: bool
) -> None:
    """A term on one or two pages of a segment is marked from its term info's first
    and last page, without reading its postings; the others' blocks (one, or two for
    zeta4) are read without Whoosh's matcher: the same pages as Whoosh's."""
    searcher = rare_words_index._current()
    q, _ = prepare(to_whoosh(parse(text), searcher.schema), searcher.reader(), text)
    assert supported(q)
    expected = set(searcher.docs_for_query(q))
    total, found = top_documents(q, searcher, 10_000, arrays)
    assert total == len(expected) > 0
    assert {docnum for _, docnum in found} == expected
