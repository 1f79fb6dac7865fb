"""Big segments of random court words for the phrase tests (position keys, phrases
scored without numpy): pages made from a seed, an index whose first segment is
written as before position keys existed, and Whoosh's own answer to compare with."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from whoosh.collectors import TopCollector

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.parser import parse
from docket.core.search.whoosh.fastboolean import supported
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.matching import prepare
from docket.core.search.whoosh.positionkeys import PositionKeysWriter
from docket.core.search.whoosh.translate import to_whoosh

WORDS = ("police", "court", "witness", "order", "crowd", "fired", "shot", "custody")
PAGES = 1_100  # a segment of more than index.SMALL_SEGMENT_RECORDS: never merged by a commit


def random_page(doc: int, number: int, rng: random.Random, rare: bool = False) -> IndexedPage:
    """A page of 3 to 60 of WORDS, the first ones most often; with `rare`, now and then
    "zebra police" (a word too rare to be keyed) or a word for a wide wildcard (rar*)."""
    words = [
        WORDS[min(int(rng.paretovariate(0.9)) - 1, len(WORDS) - 1)]
        for _ in range(rng.randint(3, 60))
    ]
    if rare and rng.random() < 0.01:  # a word on a few pages: no keys in any segment
        words[rng.randrange(len(words))] = "zebra police"
    if rare and rng.random() < 0.05:  # words for a wide wildcard: rar*
        words.append("rar" + "".join(rng.choice("bdfgklmnpt") for _ in range(3)))
    return IndexedPage(
        doc, number, str(number), " ".join(words), f"Doc {doc}", "", DocumentKind.PDF, "d.pdf", None
    )


def page_batch(first_doc: int, seed: int, rare: bool = False) -> Iterator[IndexedPage]:
    """PAGES pages: ten each of PAGES // 10 documents from `first_doc` on."""
    rng = random.Random(seed)
    for doc in range(first_doc, first_doc + PAGES // 10):
        for number in range(1, 11):
            yield random_page(doc, number, rng, rare)


def partly_keyed_index(
    folder: Path, seeds: Sequence[int], deleted: Sequence[int], rare: bool = False
) -> SearchIndex:
    """A segment per seed (documents 0…, 1000…, 2000…), the first written as an older
    Docket wrote it, without position keys; then `deleted` documents deleted."""
    opened = SearchIndex.open(folder)
    with pytest.MonkeyPatch().context() as patched:
        patched.setattr(PositionKeysWriter, "add", lambda *args: None)  # an older Docket
        opened.add_pages(page_batch(0, seeds[0], rare))
    for n, seed in enumerate(seeds[1:], start=1):
        opened.add_pages(page_batch(1000 * n, seed, rare))
    opened.delete_documents(list(deleted))
    return opened


def prepared_query(index: SearchIndex, text: str) -> Any:
    """`text` as the engine hands it to fastboolean (parsed, translated, expanded)."""
    searcher = index._current()
    q, _ = prepare(to_whoosh(parse(text), searcher.schema), searcher.reader(), text)
    assert supported(q)
    return q


def whoosh_top(index: SearchIndex, q: Any, limit: int) -> tuple[int, list[tuple[float, int]]]:
    """Whoosh's own matchers' total and best `limit` (score, document number)."""
    collector = TopCollector(limit=limit, usequality=False, replace=0)
    index._current().search_with_collector(q, collector)
    return collector.count(), [(hit.score, hit.docnum) for hit in collector.results()]
