"""Position keys (positionkeys.py): what the writer keys is what the pages hold, a
phrase found on them is the phrase Whoosh's matcher finds, and segments without
keys (written before them) still find it by decoding positions."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.reading import SegmentReader

from docket.core.search.analysis import page_term_positions
from docket.core.search.whoosh import fastboolean, merging
from docket.core.search.whoosh.fastboolean import top_documents
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.matching import phrase_start
from docket.core.search.whoosh.positionkeys import (
    NARROW_SHIFT,
    WIDE_SHIFT,
    PositionKeysWriter,
    make_keys,
    open_position_keys,
    phrase_documents,
)
from docket.core.search.whoosh.postings import PagePostings
from docket.core.search.whoosh.termarrays import MIN_POSTINGS
from tests.core.search.whoosh.phraseindex import (
    PAGES,
    page_batch,
    partly_keyed_index,
    prepared_query,
    whoosh_top,
)

# -- keys from encoded positions ------------------------------------------------------


def _encoded(text: str) -> dict[bytes, bytes]:
    """Each term of a page and its encoded positions, as the import writes them."""
    return {term: value for term, _, value in PagePostings(page_term_positions(text)).entries()}


def _positions(text: str) -> dict[bytes, list[int]]:
    found: dict[bytes, list[int]] = {}
    for position, word in enumerate(text.split()):
        found.setdefault(word.encode(), []).append(position)
    return found


def test_keys_are_each_document_and_position_in_order() -> None:
    texts = {0: "a b a c a", 3: "c a", 70: "b " * 300 + "a"}
    docnums = sorted(texts)
    values = [_encoded(texts[d])[b"a"] for d in docnums]
    made = make_keys(docnums, values)
    assert made is not None
    keys, shift = made
    assert shift == NARROW_SHIFT and keys.dtype == np.uint32
    expected = [(d << 16) | p for d in docnums for p in _positions(texts[d])[b"a"]]
    assert keys.tolist() == expected
    # Values as Whoosh's blocks keep them (the pickle's STOP dropped) key the same.
    assert make_keys(docnums, [value[:-1] for value in values])[0].tolist() == expected  # type: ignore[index]


def test_wide_keys_for_a_big_segment_or_a_long_page() -> None:
    long_page = " ".join(["x"] * 0xFFFF + ["a"])  # "a" at position 65,535
    for docnums, text in (([5, 70_000], "a b a"), ([2], long_page)):
        values = [_encoded(text)[b"a"]] * len(docnums)
        keys, shift = make_keys(docnums, values)  # type: ignore[misc]
        assert shift == WIDE_SHIFT and keys.dtype == np.uint64
        expected = [(d << 32) | p for d in docnums for p in _positions(text)[b"a"]]
        assert keys.tolist() == expected


def test_no_positions_no_keys() -> None:
    assert make_keys([1, 2], [None, None]) is None


# -- the phrase rule on keys is phrase_start's ---------------------------------------


def _random_pages(rng: random.Random, count: int) -> dict[int, str]:
    # "a" common, "d" rare: the shorter side of each step is looked up in the longer
    words = ["a", "b", "c", "d"]
    return {
        d: " ".join(rng.choices(words, [8, 4, 2, 1], k=rng.randint(1, 40))) for d in range(count)
    }


@pytest.mark.parametrize("slop", [1, 2, 5])
@pytest.mark.parametrize("phrase", ["a b", "b a", "a a", "d a", "a d", "b c d", "d a b c", "c"])
def test_phrase_documents_are_those_phrase_start_finds(phrase: str, slop: int) -> None:
    rng = random.Random(f"{phrase}/{slop}")
    pages = _random_pages(rng, 300)
    encoded = {d: _encoded(text) for d, text in pages.items()}
    words = [word.encode() for word in phrase.split()]
    keyed = []
    for word in words:
        docnums = [d for d in sorted(pages) if word in encoded[d]]
        keyed.append(make_keys(docnums, [encoded[d][word] for d in docnums]))
    expected = [
        d
        for d in sorted(pages)
        if all(w in encoded[d] for w in words)
        and phrase_start([encoded[d][w] for w in words], slop) is not None
    ]
    assert expected  # the test means something
    assert phrase_documents(keyed, slop).tolist() == expected  # type: ignore[arg-type]
    # 32- and 64-bit keys together (a rare word decoded wide, say) find the same pages
    widened = [(_wide(keys), WIDE_SHIFT) for keys, _ in keyed]  # type: ignore[misc]
    mixed = [widened[0], *keyed[1:]]
    assert phrase_documents(mixed, slop).tolist() == expected  # type: ignore[arg-type]


def _wide(keys: Any) -> Any:
    wide = keys.astype(np.uint64)
    return (wide >> np.uint64(16) << np.uint64(32)) | (wide & np.uint64(0xFFFF))


def test_a_phrase_never_spans_two_documents() -> None:
    # "a" ends page 0 and "b" starts page 1: adjacent keys' documents differ.
    pages = {0: "x a", 1: "b x", 2: "x " * 0xFFFD + "a", 3: "b"}
    encoded = {d: _encoded(text) for d, text in pages.items()}
    keyed = [
        make_keys([0, 2], [encoded[0][b"a"], encoded[2][b"a"]]),
        make_keys([1, 3], [encoded[1][b"b"], encoded[3][b"b"]]),
    ]
    for slop in (1, 3, 100_000):
        assert phrase_documents(keyed, slop).tolist() == []  # type: ignore[arg-type]


# -- the file --------------------------------------------------------------------------


class _Segment:
    def create_file(self, storage: RamStorage, ext: str) -> object:
        return storage.create_file("seg" + ext)

    def open_file(self, storage: RamStorage, ext: str) -> object:
        return storage.open_file("seg" + ext)


def test_the_file_gives_back_each_terms_keys() -> None:
    storage, segment = RamStorage(), _Segment()
    writer = PositionKeysWriter(segment, storage)
    texts = {1: "a b a", 2: "b", 80_000: "a"}
    written = {}
    for term, docnums in ((b"a", [1, 80_000]), (b"b", [1, 2])):
        values = [_encoded(texts[d])[term] for d in docnums]
        writer.add("text", term, docnums, values)
        written[term] = make_keys(docnums, values)
    writer.close()
    keys = open_position_keys(SimpleNamespace(_segment=segment, _storage=storage))
    assert keys is not None
    for term, (expected, shift) in written.items():  # type: ignore[misc]
        found, found_shift = keys.get("text", term)  # type: ignore[misc]
        assert found.tolist() == expected.tolist() and found_shift == shift
    assert keys.get("text", b"c") is None and keys.get("title", b"a") is None
    keys.close()


def test_no_terms_no_file_and_a_damaged_file_is_ignored() -> None:
    storage, segment = RamStorage(), _Segment()
    PositionKeysWriter(segment, storage).close()
    reader = SimpleNamespace(_segment=segment, _storage=storage)
    assert open_position_keys(reader) is None
    with storage.create_file("seg.dkp") as damaged:
        damaged.write(b"not keys at all, not at all")
    assert open_position_keys(reader) is None


# -- phrases on an index: keys, no keys, both ---------------------------------------------


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """Two big segments, the first written as before keys existed, the second with
    them; pages deleted after indexing from both."""
    opened = partly_keyed_index(Path(tmp_path_factory.mktemp("keys")), [1, 2], [7, 1003])
    yield opened
    opened.close()


PHRASES = [
    '"police court"',
    '"police police"',
    '"court police witness"',
    '"police court order crowd"',
    '"police crowd"~3',
    '"court witness"~8',
    '"police court" AND crowd',
    '"crowd fired" OR witness',
    '"police court" NOT custody',
    '"custody shot"',
    '"nothingatall police"',
]


def _whoosh_and_ours(index: SearchIndex, text: str) -> tuple[Any, Any]:
    q = prepared_query(index, text)
    return whoosh_top(index, q, 30), top_documents(q, index._current(), 30, True)


def test_one_segment_has_keys_the_other_not(mixed_index: SearchIndex) -> None:
    readers = [leaf.reader() for leaf, _ in mixed_index._current().leaf_searchers()]
    assert [r.doc_count_all() for r in readers] == [PAGES, PAGES]
    old, new = (open_position_keys(reader) for reader in readers)
    assert old is None and new is not None
    assert mixed_index._current().reader().doc_frequency("text", "polic") > 2 * MIN_POSTINGS
    assert new.get("text", b"polic") is not None and new.get("text", b"court") is not None
    new.close()


@pytest.fixture(scope="module")
def keyed_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """One big segment with keys and nothing deleted: phrases read keys alone."""
    opened = SearchIndex.open(Path(tmp_path_factory.mktemp("keyed")))
    opened.add_pages(page_batch(0, 3))
    yield opened
    opened.close()


def _agrees(index: SearchIndex, text: str) -> list[int]:
    (count, expected), (total, found) = _whoosh_and_ours(index, text)
    assert total == count
    assert [d for _, d in found] == [d for _, d in expected]
    assert [s for s, _ in found] == pytest.approx([s for s, _ in expected], rel=1e-12)
    return [d for _, d in found]


@pytest.mark.parametrize("text", PHRASES)
def test_phrases_agree_with_whoosh_across_old_and_new_segments(
    mixed_index: SearchIndex, text: str
) -> None:
    found = _agrees(mixed_index, text)
    deleted = {d for reader, offset in _segments(mixed_index) for d in _deleted(reader, offset)}
    assert deleted and not deleted & set(found)


@pytest.mark.parametrize("text", PHRASES)
def test_phrases_agree_with_whoosh_on_keys_alone(keyed_index: SearchIndex, text: str) -> None:
    reader = keyed_index._current().reader()
    assert not reader.has_deletions() and reader.doc_count_all() == PAGES
    _agrees(keyed_index, text)


def test_keys_and_decoded_positions_find_the_same_pages(
    mixed_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_keys = [_whoosh_and_ours(mixed_index, text)[1] for text in PHRASES]
    monkeypatch.setattr(fastboolean, "open_position_keys", lambda reader: None)
    mixed_index._current().__dict__.pop("_docket_position_keys", None)
    try:
        assert [_whoosh_and_ours(mixed_index, text)[1] for text in PHRASES] == with_keys
    finally:
        mixed_index._current().__dict__.pop("_docket_position_keys", None)


def _segments(index: SearchIndex) -> list[tuple[Any, int]]:
    return [(leaf.reader(), offset) for leaf, offset in index._current().leaf_searchers()]


def _deleted(reader: Any, offset: int) -> set[int]:
    return {offset + d for d in reader.deleted_docs_set} if reader.has_deletions() else set()


def test_a_merge_keys_every_common_word_even_from_segments_without_keys(
    mixed_index: SearchIndex, tmp_path: Path
) -> None:
    ix = mixed_index._ix
    toc = ix._read_toc()
    target = FileStorage(str(tmp_path))
    segment, _ = merging.write_merged(ix.storage, ix.indexname, toc.schema, toc.segments, target)
    reader = SegmentReader(target, toc.schema, segment)
    keys = open_position_keys(reader)
    assert keys is not None
    for btext in (b"polic", b"court", b"crowd"):
        matcher = reader._terms.matcher("text", btext, toc.schema["text"].format)
        docnums, values = [], []
        while matcher.is_active():
            docnums.append(matcher.id())
            values.append(matcher.value())
            matcher.next()
        expected, shift = make_keys(docnums, values)  # type: ignore[misc]
        found, found_shift = keys.get("text", btext)  # type: ignore[misc]
        assert len(docnums) >= MIN_POSTINGS and found.tolist() == expected.tolist()
        assert found_shift == shift == NARROW_SHIFT
    keys.close()
    reader.close()
