"""An index whose stored schema names code Docket no longer has is from another version."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from whoosh import index as windex
from whoosh.analysis import Tokenizer
from whoosh.fields import TEXT, Schema

from docket.core.errors import DocketError
from docket.core.search.whoosh.index import SearchIndex

OLD_MODULE = "docket_old_analysis"  # where an older Docket kept its tokenizer


class DocketTokenizer(Tokenizer):  # type: ignore[misc]
    def __init__(self, version: int = 2) -> None:
        self.version = version


@pytest.fixture
def old_index(tmp_path: Path) -> Iterator[Path]:
    """An index saved while the tokenizer lived in a module that is gone since."""
    module = ModuleType(OLD_MODULE)
    DocketTokenizer.__module__ = OLD_MODULE
    module.DocketTokenizer = DocketTokenizer  # type: ignore[attr-defined]
    sys.modules[OLD_MODULE] = module
    folder = tmp_path / "index"
    folder.mkdir()
    try:
        writer = windex.create_in(
            str(folder), Schema(text=TEXT(analyzer=DocketTokenizer()))
        ).writer()
        writer.commit()
    finally:
        del sys.modules[OLD_MODULE]
    yield folder


def test_a_reader_is_told_it_is_from_another_version(old_index: Path) -> None:
    with pytest.raises(DocketError) as raised:
        SearchIndex.open(old_index, create=False)
    assert str(raised.value) == (
        f"The search index in {old_index} cannot be used "
        "(it was written by another version of Docket); rebuild it."
    )


def test_a_writer_makes_it_anew(old_index: Path) -> None:
    with SearchIndex.open(old_index) as index:
        assert index.was_reset
        assert index.page_count() == 0
    with SearchIndex.open(old_index, create=False) as index:  # now it is this version's
        assert not index.was_reset
