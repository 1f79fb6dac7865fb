"""Term arrays give back exactly the document numbers and weights written."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from whoosh.filedb.filestore import RamStorage

from docket.core.search.whoosh.termarrays import MIN_POSTINGS, open_term_arrays, write_term_arrays


class _Segment:
    def create_file(self, storage: RamStorage, ext: str) -> object:
        return storage.create_file("seg" + ext)

    def open_file(self, storage: RamStorage, ext: str) -> object:
        return storage.open_file("seg" + ext)


def _postings(term: bytes, docnums: list[int], weights: list[float]) -> tuple[Any, ...]:
    return "text", term, docnums, weights


def test_round_trip_of_every_packing() -> None:
    n = MIN_POSTINGS
    groups = [
        _postings(b"near", list(range(0, 3 * n, 3)), [1.0 + i % 9 for i in range(n)]),
        _postings(b"far", [i * 70_000 for i in range(n)], [2.0] * n),  # gaps past two bytes
        _postings(b"many", list(range(n)), [float(300 + i) for i in range(n)]),  # tf > 255
        _postings(b"boosted", list(range(n)), [1.5] * n),  # not whole numbers
        _postings(b"rare", [1, 2, 3], [1.0, 1.0, 1.0]),  # too few: left to Whoosh's blocks
    ]
    storage, segment = RamStorage(), _Segment()
    write_term_arrays(segment, storage, groups)
    arrays = open_term_arrays(SimpleNamespace(_segment=segment, _storage=storage))
    assert arrays is not None
    for _, term, docnums, written in groups[:4]:
        ids, weights = arrays.get("text", term)
        assert list(ids) == docnums and list(weights) == written
    assert arrays.get("text", b"rare") is None
    assert arrays.get("title", b"near") is None
    arrays.close()


def test_no_common_terms_no_file_and_a_damaged_file_is_ignored() -> None:
    storage, segment = RamStorage(), _Segment()
    write_term_arrays(segment, storage, [_postings(b"rare", [1], [1.0])])
    reader = SimpleNamespace(_segment=segment, _storage=storage)
    assert open_term_arrays(reader) is None
    with storage.create_file("seg.dkt") as damaged:
        damaged.write(b"not arrays")
    assert open_term_arrays(reader) is None
