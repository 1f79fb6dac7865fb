"""Wildcard and fuzzy words found by reading stretches of each segment's term list.

`matching` reads the words with a prefix (and where their term infos lie) in
one slice of the term file, and measures fuzzy distances itself; these tests
hold it to what Whoosh's own walks give on the same real index of several
segments: `expand_prefix`, `ranges_from`, and FuzzyTerm's automaton
(`terms_within`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from whoosh import query as wq

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.parser import parse
from docket.core.search.whoosh import index as index_module
from docket.core.search.whoosh import matching
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.matching import levenshtein, near, prefix_words, walk_terms

# Words close to one another, with shared heads, accents and a few long ones.
STEMS = [
    "hyphen", "hyphenation", "hyphenate", "hyphens", "typeface", "type", "typo", "typst",
    "font", "fonts", "fount", "front", "foot", "fast", "package", "packages", "pakage",
    "colour", "color", "collar", "cooler", "zebra", "über", "uber", "übung", "naïve",
    "naive", "résumé", "resume", "a", "ab", "abc", "abd", "abacus", "zz", "zzz",
]  # fmt: skip


def _pages(first_doc: int, rng: random.Random) -> Iterator[IndexedPage]:
    for doc in range(first_doc, first_doc + 6):
        for page in range(1, 4):
            words = rng.sample(STEMS, 8) + [f"word{rng.randint(0, 40)}" for _ in range(5)]
            yield IndexedPage(doc=doc, page=page, label=str(page), text=" ".join(words),
                              title=f"Doc {doc}", author="", kind=DocumentKind.TEXT,
                              source_name=f"{doc}.txt", date=None, language="en")  # fmt: skip


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """Three segments sharing most words, as a case's imports leave them."""
    rng = random.Random(5)
    patch = pytest.MonkeyPatch()
    patch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)  # no merging
    ix = SearchIndex.open(tmp_path_factory.mktemp("ix") / "index")
    for batch in range(3):
        ix.add_pages(_pages(batch * 10, rng))
    assert len(ix._current().leaf_searchers()) == 3
    yield ix
    ix.close()
    patch.undo()


def _segments(ix: SearchIndex) -> list[Any]:
    return [leaf.reader() for leaf, _ in ix._current().leaf_searchers()]


@pytest.mark.parametrize("with_numpy", [False, True])
@pytest.mark.parametrize("prefix", ["", "h", "hyph", "f", "fo", "ü", "über", "z", "zzz", "zzzz"])
def test_a_prefix_gives_the_words_whoosh_gives(
    index: SearchIndex, prefix: str, with_numpy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut out of the stretch record by record, or all at once with numpy (as a
    search does once numpy is imported, for stretches of any size here)."""
    if with_numpy:
        import numpy  # noqa: F401  # the numpy path is taken only once it is imported

        monkeypatch.setattr(matching, "ARRAY_FROM_BYTES", 0)
    else:
        monkeypatch.setattr(matching, "ARRAY_FROM_BYTES", 2**62)
    for sub in _segments(index):
        found = prefix_words(sub, "text", prefix.encode())
        assert found == list(sub.expand_prefix("text", prefix))
        assert found == sorted(found)


def test_words_holding_the_separator_are_cut_record_by_record(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """numpy joins the words with a byte UTF-8 never uses; a field whose terms hold it
    (stood in for here by "e") would split wrong, so the words are cut one by one."""
    import numpy  # noqa: F401

    monkeypatch.setattr(matching, "ARRAY_FROM_BYTES", 0)
    monkeypatch.setattr(matching, "_SEPARATOR", b"e")
    for sub in _segments(index):
        assert prefix_words(sub, "text", b"") == list(sub.expand_prefix("text", ""))


def test_a_field_the_segment_lacks_has_no_words(index: SearchIndex) -> None:
    for sub in _segments(index):
        assert prefix_words(sub, "no_such_field", b"a") == []


def test_the_walk_finds_each_term_info_where_whoosh_does(index: SearchIndex) -> None:
    for sub in _segments(index):
        everything = list(sub.expand_prefix("text", ""))
        wanted = sorted(random.Random(2).sample(everything, 12))
        walked = list(walk_terms(sub, "text", wanted) or [])
        assert [btext for btext, *_ in walked] == wanted
        for btext, dbfile, datapos, datalen in walked:
            info = sub._terms._tindex[sub._terms._keycoder("text", btext)]
            assert dbfile.get(datapos, datalen) == info


FUZZY = [("hyphenatoin", 2, 1), ("hyphenatoin", 2, 0), ("fonst", 1, 1), ("font", 2, 0),
         ("pakag", 1, 1), ("colour", 2, 1), ("uber", 1, 0), ("über", 1, 1), ("naive", 1, 2),
         ("resume", 2, 1), ("ab", 1, 1), ("ab", 2, 2), ("zz", 1, 1), ("typ", 1, 3)]  # fmt: skip


@pytest.mark.parametrize(("text", "maxdist", "prefix"), FUZZY)
def test_fuzzy_words_are_those_of_whooshs_automaton(
    index: SearchIndex, text: str, maxdist: int, prefix: int
) -> None:
    reader = index._current().reader()
    whoosh_words: set[str] = set()
    for sub, _ in reader.leaf_readers():
        whoosh_words.update(sub.terms_within("text", text, maxdist, prefix=prefix))
    leaf = wq.FuzzyTerm("text", text, maxdist=maxdist, prefixlength=prefix)
    assert matching._within(reader, leaf, {}) == whoosh_words


def test_a_prefix_longer_than_the_word_keeps_the_words_starting_with_it(
    index: SearchIndex,
) -> None:
    """Whoosh's automaton fails (IndexError) when the prefix is longer than the word;
    here the prefix is the whole word: `ab~1/5` finds ab, abc, abd."""
    leaf = wq.FuzzyTerm("text", "ab", maxdist=1, prefixlength=5)
    assert matching._within(index._current().reader(), leaf, {}) == {"ab", "abc", "abd"}


def test_python_and_rapidfuzz_measure_alike() -> None:
    rng = random.Random(7)
    words = ["".join(rng.choice("abcü") for _ in range(rng.randint(0, 7))) for _ in range(2000)]
    for text in ("abca", "üba", "", "cccccc"):
        for maxdist in (1, 2):
            by_rapidfuzz = sorted(near(text, words, maxdist))
            by_python = sorted(w for w in words if levenshtein(w, text, maxdist) <= maxdist)
            assert by_rapidfuzz == by_python


def test_levenshtein_counts_edits_and_stops_past_the_limit() -> None:
    assert levenshtein("kitten", "sitting", 5) == 3
    assert levenshtein("hyphenatoin", "hyphenation", 2) == 2  # a swap is two edits
    assert levenshtein("abc", "abc", 0) == 0
    assert levenshtein("abcdef", "uvwxyz", 2) == 3  # past the limit: limit + 1


def test_fuzzy_and_wildcard_queries_find_the_pages_whoosh_finds(index: SearchIndex) -> None:
    """The whole query through the engine against Whoosh's own FuzzyTerm and Wildcard."""
    searcher = index._current()
    for query, whoosh_query in [
        ("hyphenatoin~2", wq.FuzzyTerm("text", "hyphenatoin", maxdist=2, prefixlength=1)),
        ("fonst~", wq.FuzzyTerm("text", "fonst", maxdist=1, prefixlength=1)),
        ("hyph*", wq.Wildcard("text", "hyph*")),
        ("fo?t", wq.Wildcard("text", "fo?t")),
    ]:
        results = index.search(parse(query), lambda keys: dict.fromkeys(keys, ""), limit=1000)
        expected = {
            (fields["doc"], fields["page"])
            for fields in (searcher.stored_fields(n) for n in searcher.docs_for_query(whoosh_query))
        }
        assert {(hit.doc, hit.page) for hit in results.results} == expected, query
        assert results.total == len(expected)
