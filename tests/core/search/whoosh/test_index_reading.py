"""Opening the index reads less: the same tables and searcher, fewer reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.filedb import filetables

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.parser import parse
from docket.core.search.whoosh import index as index_module
from docket.core.search.whoosh import indexmemory
from docket.core.search.whoosh.index import SearchIndex

WHOOSH_HASH_READER_INIT = filetables.HashReader.__init__  # replaced by install()


def _pages(doc: int) -> list[IndexedPage]:
    return [
        IndexedPage(doc, n, str(n), f"witness {doc} saw the police fire, page {n} of many words",
                    f"Exhibit {doc}", "", DocumentKind.PDF, f"{doc}.pdf", None)
        for n in range(1, 40)
    ]  # fmt: skip


def test_hash_tables_open_with_one_read_as_whoosh_opens_them(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    index.add_pages(_pages(1))
    index.close()
    ix = windex.open_dir(str(tmp_path / "index"))
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    name = segment.make_filename(".trm")
    ours = filetables.OrderedHashReader(storage.open_file(name), storage.file_length(name))
    theirs = filetables.OrderedHashReader.__new__(filetables.OrderedHashReader)
    WHOOSH_HASH_READER_INIT(theirs, storage.open_file(name), storage.file_length(name))
    assert filetables.HashReader.__init__ is indexmemory._hash_reader_init
    assert len(ours.tables) == 256 and ours.tables == theirs.tables
    assert (ours.startofdata, ours.endofdata, ours.hashtype) == (
        theirs.startofdata,
        theirs.endofdata,
        theirs.hashtype,
    )
    assert list(ours.keys()) == list(theirs.keys()) != []
    ix.close()


def test_an_index_opens_and_refreshes_on_one_read_of_its_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "SMALL_SEGMENT_RECORDS", 1)
    index = SearchIndex.open(tmp_path / "index")
    for doc in (1, 2, 3):
        index.add_pages(_pages(doc))
    index.close()

    unpickled: list[int] = []
    loads = windex.pickle.loads

    def counting(data: bytes) -> object:
        found = loads(data)
        unpickled.append(1 if type(found).__name__ == "Schema" else 0)
        return found

    monkeypatch.setattr(windex.pickle, "loads", counting)
    index = SearchIndex.open(tmp_path / "index")
    assert sum(unpickled) == 2  # open_dir's check, and the one read used for all else
    texts = {(d, p.page): p.text for d in (1, 2, 3) for p in _pages(d)}
    found = index.search(parse("police"), lambda keys: {k: texts[k] for k in keys})
    assert found.total == 3 * 39
    index.add_pages(_pages(4))  # a commit: the searcher is refreshed
    texts.update({(4, p.page): p.text for p in _pages(4)})
    assert index.search(parse("police"), lambda keys: {k: texts[k] for k in keys}).total == 4 * 39
    index.close()


def test_a_view_file_peeks_without_moving_so_pickles_load_from_it_in_one_read() -> None:
    import pickle

    data = pickle.dumps((3, 127, 2.0, 1, 8, 9), 2) + b"rest"
    view = indexmemory.ViewFile(data)
    assert view.peek(4) == data[:4] and view.tell() == 0
    assert len(view.peek(10_000)) == min(len(data), indexmemory.PEEK_BYTES)
    assert pickle.load(view) == (3, 127, 2.0, 1, 8, 9)  # type: ignore[arg-type]
    assert view.read() == b"rest"  # it read exactly the pickle


def test_term_tables_find_the_closest_key_as_whoosh_does(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    index.add_pages(_pages(1))
    index.close()
    ix = windex.open_dir(str(tmp_path / "index"))
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    name = segment.make_filename(".trm")
    table = filetables.OrderedHashReader(storage.open_file(name), storage.file_length(name))
    keys = list(table.keys())
    probes = [*keys, b"", b"\xff\xff", *(k[:-1] for k in keys), *(k + b"z" for k in keys)]
    for probe in probes * 2:  # the second time from what it remembered
        expected = indexmemory.WHOOSH_CLOSEST_KEY_POS(table, probe)
        assert table.closest_key_pos(probe) == expected, probe
    ix.close()
