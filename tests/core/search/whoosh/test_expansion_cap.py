"""A wildcard or fuzzy term standing for too many words keeps the most frequent, and says so.

The index is built here, with words sharing a head in known numbers of pages,
and the cap lowered so that a handful of words is already too many.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.parser import parse
from docket.core.search.whoosh import matching
from docket.core.search.whoosh.index import SearchIndex

# word -> how many pages carry it: zebrafoo is the most frequent, zebrazap the rarest
PAGES_WITH = {"zebrafoo": 4, "zebrabar": 3, "zebrabaz": 2, "zebraqux": 1}
KITTENS = ["kitten", "kitten", "kitten", "kitteq", "kitteq", "kitter"]  # one a page

TEXTS: dict[tuple[int, int], str] = {}
for number, (word, pages) in enumerate(PAGES_WITH.items(), start=1):
    for page in range(1, pages + 1):
        TEXTS[number, page] = f"The witness wrote {word} on page {page}."
for page, word in enumerate(KITTENS, start=1):
    TEXTS[9, page] = f"A {word} sat by the door."


def page_texts(keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    return {key: TEXTS[key] for key in keys}


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    ix = SearchIndex.open(tmp_path / "index")
    ix.add_pages(
        IndexedPage(doc=doc, page=page, label=str(page), text=text, title=f"Doc {doc}",
                    author="", kind=DocumentKind.TEXT, source_name=f"{doc}.txt", date=None,
                    language="en")
        for (doc, page), text in TEXTS.items()
    )  # fmt: skip
    yield ix
    ix.close()


def words_hit(index: SearchIndex, query: str) -> tuple[set[str], tuple[str, ...], int]:
    results = index.search(parse(query), page_texts, limit=100)
    marked = {TEXTS[h.doc, h.page][s:e].lower() for h in results.results for s, e in h.hits}
    return marked, results.notes, results.total


def test_a_wildcard_within_the_cap_has_no_note(index: SearchIndex) -> None:
    marked, notes, total = words_hit(index, "zebra*")
    assert marked == set(PAGES_WITH) and total == 10
    assert notes == ()


def test_a_wide_wildcard_keeps_its_most_frequent_words_and_says_so(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "MAX_EXPANSION", 2)
    results = index.search(parse("zebra*"), page_texts, limit=100)
    marked = {TEXTS[h.doc, h.page][s:e] for h in results.results for s, e in h.hits}
    assert marked == {"zebrafoo", "zebrabar"}  # the two in most pages
    assert results.total == 4 + 3
    assert results.notes == (
        "zebra* matched 4 words; showing the 2 most frequent (add letters to narrow it)",
    )
    assert results.as_json()["notes"] == list(results.notes)


def test_a_wildcard_walked_only_so_far_says_plus(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "MAX_EXPANSION", 1)
    monkeypatch.setattr(matching, "MAX_SCANNED", 3)
    _, notes, total = words_hit(index, "zebra*")
    assert notes == (
        "zebra* matched 3+ words; showing the 1 most frequent (add letters to narrow it)",
    )
    assert total == 4  # zebrafoo: the most frequent of the 3 walked (bar, baz, foo)


def test_a_wide_fuzzy_term_keeps_its_most_frequent_words(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "MAX_EXPANSION", 2)
    marked, notes, total = words_hit(index, "kittes~")
    assert marked == {"kitten", "kitteq"} and total == 5
    assert len(notes) == 1 and notes[0].startswith("kittes~ matched 3 words")


def test_the_most_frequent_words_are_counted_over_every_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zebraqux is on one page of the first segment but four of the second: five in
    all, more than zebrafoo's four, so it is kept when only one word may be."""
    from docket.core.search.whoosh import index as index_module

    monkeypatch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)  # keep both segments
    monkeypatch.setattr(matching, "MAX_EXPANSION", 1)
    texts = dict(TEXTS)
    later = {(20, page): f"Later the witness wrote zebraqux {page}." for page in range(1, 5)}
    texts.update(later)
    ix = SearchIndex.open(tmp_path / "index")
    for batch in (TEXTS, later):
        ix.add_pages(
            IndexedPage(doc=doc, page=page, label=str(page), text=text, title=f"Doc {doc}",
                        author="", kind=DocumentKind.TEXT, source_name=f"{doc}.txt",
                        date=None, language="en")
            for (doc, page), text in batch.items()
        )  # fmt: skip
    assert len(ix._current().leaf_searchers()) == 2
    results = ix.search(parse("zebra*"), lambda keys: {k: texts[k] for k in keys}, limit=100)
    assert results.total == 5
    assert {texts[h.doc, h.page][s:e] for h in results.results for s, e in h.hits} == {"zebraqux"}
    ix.close()
