"""The term-pooling writer writes exactly the files Whoosh's own writer writes."""

from __future__ import annotations

import filecmp
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from docket.core.bulkwriter import BulkSegmentWriter, TermPool
from docket.core.index import SearchIndex, make_schema, prepare_postings
from docket.core.records import DocumentKind, IndexedPage

WORDS = [f"word{n}" for n in range(400)] + ["police", "fired", "crowd", "witness"]


def _text(rng: random.Random) -> str:
    # Zipf-like: a few words on nearly every page (many posting blocks), most on few.
    count = rng.choice([0, 3, 40, 300])  # a page with no words has a zero length
    return " ".join(WORDS[min(int(rng.paretovariate(0.7)) - 1, len(WORDS) - 1)]
                    for _ in range(count))


def _fill(writer: Any, pages: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    for n in range(pages):
        text = _text(rng)
        writer.update_document(
            kind="page", key=f"1:{n}", doc=1 + n // 40, page=n % 40 + 1,
            title=f"Exhibit {n // 40}", type="pdf",
            # half the pages come as postings prepared elsewhere, as from workers
            text=prepare_postings(text) if n % 2 else text,
        )


def _segment_files(folder: Path) -> dict[str, Path]:
    """A segment's files by extension (segment names are random)."""
    return {p.name.split(".", 1)[1]: p for p in folder.iterdir()
            if p.name.startswith("MAIN_") and "." in p.name}


def _write(folder: Path, make: Callable[..., Any], pages: int) -> dict[str, Path]:
    folder.mkdir()
    ix = windex.create_in(str(folder), make_schema())
    writer = make(ix, limitmb=64, compound=False)
    _fill(writer, pages)
    writer.commit(merge=False)
    ix.close()
    return _segment_files(folder)


@pytest.mark.parametrize("pages", [1, 129, 700])  # one posting, a block and one, many blocks
def test_files_are_byte_for_byte_whooshs(tmp_path: Path, pages: int) -> None:
    ours = _write(tmp_path / "bulk", BulkSegmentWriter, pages)
    whooshs = _write(tmp_path / "stock", SegmentWriter, pages)
    assert set(ours) == set(whooshs) and {"pst", "trm"} <= set(ours)
    for ext, path in whooshs.items():
        assert filecmp.cmp(path, ours[ext], shallow=False), ext


def test_a_term_with_exactly_a_block_of_postings(tmp_path: Path) -> None:
    for name, writer_class in (("bulk", BulkSegmentWriter), ("stock", SegmentWriter)):
        folder = tmp_path / name
        folder.mkdir()
        ix = windex.create_in(str(folder), make_schema())
        writer = writer_class(ix, compound=False)
        for n in range(256):  # "police" on exactly 2 × 128 pages
            writer.add_document(kind="page", key=f"1:{n}", doc=1, page=n + 1,
                                text="police " * (n % 7 + 1))
        writer.commit(merge=False)
        ix.close()
    ours, whooshs = _segment_files(tmp_path / "bulk"), _segment_files(tmp_path / "stock")
    assert all(filecmp.cmp(whooshs[ext], ours[ext], shallow=False) for ext in whooshs)


def test_a_batch_past_the_limit_moves_to_whooshs_pool(tmp_path: Path) -> None:
    def small_pool(ix: Any, **kwargs: Any) -> BulkSegmentWriter:
        writer = BulkSegmentWriter(ix, **kwargs)
        writer.pool._limit = 500
        return writer

    ours = _write(tmp_path / "bulk", small_pool, 300)
    whooshs = _write(tmp_path / "stock", SegmentWriter, 300)
    assert all(filecmp.cmp(whooshs[ext], ours[ext], shallow=False) for ext in whooshs)


def test_pool_keeps_order_or_hands_over() -> None:
    handed: list[Any] = []

    class Recorder:
        def add(self, item: Any) -> None:
            handed.append(item)

    pool = TermPool(Recorder)
    pool.add(("text", b"b", 0, 1.0, b""))
    pool.add(("text", b"a", 1, 1.0, b""))
    assert [term for _, term, _ in pool.groups()] == [b"a", b"b"]
    pool.add(("text", b"a", 0, 1.0, b""))  # a lower docnum, as a merge brings
    assert pool.overflow is not None and len(handed) == 3


def _page(doc: int, number: int, text: str) -> IndexedPage:
    return IndexedPage(doc, number, str(number), text, f"Doc {doc}", "", DocumentKind.PDF,
                       f"doc{doc}.pdf", None)


def test_merging_segments_finds_the_same_pages(tmp_path: Path) -> None:
    """A commit that merges segments (postings out of docnum order) still works."""
    index = SearchIndex.open(tmp_path / "ix")
    try:
        rng = random.Random(3)
        texts = {(doc, n): _text(rng) + " police" for doc in range(1, 13) for n in (1, 2)}
        for doc in range(1, 13):  # twelve small commits: Whoosh merges small segments
            index.add_pages(_page(doc, n, texts[doc, n]) for n in (1, 2))
        assert len(index._ix._segments()) < 12
        results = index.search("police", lambda keys: {k: texts[k] for k in keys}, limit=100)
        assert results.total == 24
        assert {(hit.doc, hit.page) for hit in results.results} == set(texts)
    finally:
        index.close()
