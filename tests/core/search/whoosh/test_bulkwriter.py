"""The term-pooling writer writes what Whoosh's own writer writes.

Column and stored-field files are compared byte for byte. Postings and term
statistics are compared as read back: our blocks are pickled with protocol 4
(postingblocks.py), so the postings file is smaller than Whoosh's, with the
same contents.
"""

from __future__ import annotations

import filecmp
import random
import zlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.analysis import page_term_positions
from docket.core.search.parser import parse
from docket.core.search.whoosh.bulkwriter import BulkSegmentWriter, TermPool
from docket.core.search.whoosh.index import SearchIndex, make_schema

WORDS = [f"word{n}" for n in range(400)] + ["police", "fired", "crowd", "witness"]


def _text(rng: random.Random) -> str:
    # Zipf-like: a few words on nearly every page (many posting blocks), most on few.
    count = rng.choice([0, 3, 40, 300])  # a page with no words has a zero length
    return " ".join(
        WORDS[min(int(rng.paretovariate(0.7)) - 1, len(WORDS) - 1)] for _ in range(count)
    )


def _fill(writer: Any, pages: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    for n in range(pages):
        text = _text(rng)
        writer.update_document(
            kind="page",
            key=f"1:{n}",
            doc=1 + n // 40,
            page=n % 40 + 1,
            title=f"Exhibit {n // 40}",
            type="pdf",
            author="A. Clerk" if n % 3 else None,
            date=datetime(2011, 12, 16 + n // 100),
            name=f"exhibit{n // 40}.pdf",
            # half the pages come as terms made elsewhere, as by the import's workers
            text=page_term_positions(text) if n % 2 else text,
        )


def _segment_files(folder: Path) -> dict[str, Path]:
    """A segment's files by extension (segment names are random)."""
    return {
        p.name.split(".", 1)[1]: p
        for p in folder.iterdir()
        if p.name.startswith("MAIN_") and "." in p.name
    }


def _write(folder: Path, make: Callable[..., Any], pages: int) -> Path:
    folder.mkdir()
    ix = windex.create_in(str(folder), make_schema())
    writer = make(ix, limitmb=64, compound=False)
    _fill(writer, pages)
    writer.commit(merge=False)
    ix.close()
    return folder


def _postings(folder: Path) -> dict[tuple[str, bytes], tuple[Any, ...]]:
    """Every term's statistics (all but where its postings lie) and postings."""
    ix = windex.open_dir(str(folder))
    reader = ix.reader()
    found = {}
    for fieldname, btext in reader.all_terms():
        info = vars(reader.term_info(fieldname, btext)).copy()
        del info["_offset"], info["_length"]  # the extent in the postings file
        found[fieldname, btext] = (sorted(info.items()), _read_postings(reader, fieldname, btext))
    reader.close()
    ix.close()
    return found


def _read_postings(reader: Any, fieldname: str, btext: bytes) -> list[tuple[int, float, bytes]]:
    matcher = reader.postings(fieldname, btext)
    postings = []
    while matcher.is_active():
        postings.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return postings


def assert_same_segment(ours: Path, whooshs: Path) -> None:
    our_files, their_files = _segment_files(ours), _segment_files(whooshs)
    # ours also has the common terms' arrays (termarrays) and position keys (positionkeys)
    # once a term has enough postings
    assert set(our_files) - {"dkt", "dkp"} == set(their_files) and {"pst", "trm"} <= set(our_files)
    for ext, path in their_files.items():
        if ext.endswith(".col"):  # stored fields, lengths, sortable columns
            assert filecmp.cmp(path, our_files[ext], shallow=False), ext
    assert _postings(ours) == _postings(whooshs)


@pytest.mark.parametrize("pages", [1, 129, 700])  # one posting, a block and one, many blocks
def test_segments_are_whooshs(tmp_path: Path, pages: int) -> None:
    assert_same_segment(
        _write(tmp_path / "bulk", BulkSegmentWriter, pages),
        _write(tmp_path / "stock", SegmentWriter, pages),
    )


def test_blocks_are_pickled_with_protocol_4(tmp_path: Path) -> None:
    folder = _write(tmp_path / "bulk", BulkSegmentWriter, 300)
    ix = windex.open_dir(str(folder))
    reader = ix.reader()
    matcher = reader.postings("text", b"word0")
    size = matcher._nextoffset - matcher._dataoffset  # the first block's data
    raw = zlib.decompress(matcher._postfile.get(matcher._dataoffset, size))
    assert raw[:2] == b"\x80\x04"
    assert matcher.value_as("positions")  # and Whoosh reads it as its own
    reader.close()
    ix.close()


def test_a_batch_past_the_limit_moves_to_whooshs_pool(tmp_path: Path) -> None:
    def small_pool(ix: Any, **kwargs: Any) -> BulkSegmentWriter:
        writer = BulkSegmentWriter(ix, **kwargs)
        writer.pool._limit = 500  # forcing the overflow
        return writer

    assert_same_segment(
        _write(tmp_path / "bulk", small_pool, 300), _write(tmp_path / "stock", SegmentWriter, 300)
    )


def test_boosts_take_whooshs_own_path(tmp_path: Path) -> None:
    folders = []
    for name, writer_class in (("bulk", BulkSegmentWriter), ("stock", SegmentWriter)):
        folder = tmp_path / name
        folder.mkdir()
        ix = windex.create_in(str(folder), make_schema())
        writer = writer_class(ix, compound=False)
        writer.add_document(kind="page", key="1:1", doc=1, page=1, text="police", _boost=2.0)
        writer.add_document(kind="page", key="1:2", doc=1, page=2, text="police fired")
        writer.commit(merge=False)
        ix.close()
        folders.append(folder)
    assert_same_segment(*folders)
    assert _postings(folders[0])["text", b"polic"][1][0][1] == 2.0  # the boosted weight


def test_pool_keeps_order_or_hands_over() -> None:
    handed: list[Any] = []

    class Recorder:
        def add(self, item: Any) -> None:
            handed.append(item)

    pool = TermPool(Recorder)
    pool.add(("text", b"b", 0, 1.0, b""))
    pool.add(("text", b"a", 1, 1.0, b""))
    pool.add(("text", b"b", 5, 1.0, b""))  # a merged segment's term, after all before it
    pool.add(("text", b"a", 6, 1.0, b""))
    assert [(term, len(group)) for _, term, group in pool.groups()] == [(b"a", 2), (b"b", 2)]
    assert pool.overflow is None
    pool.add(("text", b"a", 3, 1.0, b""))  # lower than that term's last: out of order
    assert pool.overflow is not None and len(handed) == 5


def _commits(folder: Path, writer_class: Any) -> Any:
    """Twelve commits of 50 pages: Whoosh's policy merges ten or more of the
    segments at once (their pages are few by its Fibonacci rule)."""
    folder.mkdir()
    ix = windex.create_in(str(folder), make_schema())
    rng = random.Random(9)
    for batch in range(12):
        writer = writer_class(ix, compound=False)
        for n in range(50):
            writer.add_document(
                kind="page",
                key=f"{batch}:{n}",
                doc=batch + 1,
                page=n + 1,
                title=f"Exhibit {batch}",
                text=_text(rng),
            )
        writer.commit()  # Whoosh's default: merge small segments
    return ix


def test_a_merge_writes_what_whooshs_merge_writes(tmp_path: Path) -> None:
    indexes = [
        _commits(tmp_path / "bulk", BulkSegmentWriter),
        _commits(tmp_path / "stock", SegmentWriter),
    ]
    contents = []
    for ix in indexes:
        assert len(ix._segments()) < 12  # small segments were merged
        reader = ix.reader()
        contents.append(
            {
                (field, term): _read_postings(reader, field, term)
                for field, term in reader.all_terms()
            }
        )
        reader.close()
    assert contents[0] == contents[1] and contents[0][("text", b"word0")]
    merged = max(indexes[0]._segments(), key=lambda segment: segment.doc_count_all())
    assert merged.doc_count_all() >= 500
    assert (tmp_path / "bulk" / merged.make_filename(".dkt")).exists()  # merged the fast way
    for ix in indexes:
        ix.close()


def _page(doc: int, number: int, text: str) -> IndexedPage:
    return IndexedPage(
        doc, number, str(number), text, f"Doc {doc}", "", DocumentKind.PDF, f"doc{doc}.pdf", None
    )


def test_merging_segments_finds_the_same_pages(tmp_path: Path) -> None:
    """A commit that merges segments (postings out of docnum order) still works."""
    index = SearchIndex.open(tmp_path / "ix")
    try:
        rng = random.Random(3)
        texts = {(doc, n): _text(rng) + " police" for doc in range(1, 13) for n in (1, 2)}
        for doc in range(1, 13):  # twelve small commits: Whoosh merges small segments
            index.add_pages(_page(doc, n, texts[doc, n]) for n in (1, 2))
        assert len(index._ix._segments()) < 12
        results = index.search(parse("police"), lambda keys: {k: texts[k] for k in keys}, limit=100)
        assert results.total == 24
        assert {(hit.doc, hit.page) for hit in results.results} == set(texts)
    finally:
        index.close()
