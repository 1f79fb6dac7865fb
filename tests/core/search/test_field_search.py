"""Form-field records in both engines: found alike, never counted as pages, gone with
their document."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from docket.core.model.records import DocumentKind, FormField, IndexedPage
from docket.core.search.engine import SearchEngine
from docket.core.search.markrecords import FIELD_SUMMARY_CHARS, field_records
from docket.core.search.parser import parse
from docket.core.search.whoosh.index import SearchIndex
from tests.core.search.memory_engine import MemoryEngine

TEXT = "Application form\r\nName:"
PAGES = [
    IndexedPage(1, 1, "1", TEXT, "Form", "", DocumentKind.PDF, "form.pdf", None),
    IndexedPage(2, 1, "i", "Alice in a letter", "Letter", "", DocumentKind.PDF, "l.pdf", None),
]
FIELDS = [
    FormField(1, "Name", "text", "Alice Karimova", (72.0, 172.0, 200.0, 20.0)),
    FormField(1, "Essay", "text", "word " * 100 + "needle", (72.0, 300.0, 400.0, 100.0)),
]


@pytest.fixture(params=["whoosh", "memory"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    found: SearchEngine = (
        SearchIndex.open(tmp_path / "index") if request.param == "whoosh" else MemoryEngine()
    )
    with found.writer(flush_pages=None, new_pages=True) as writer:
        for page in PAGES:
            writer.add_page(page)
        for record in field_records(1, FIELDS, "Form", "form.pdf", "pdf", {1: "1"}):
            writer.put(record)
    yield found
    found.close()


def _texts(keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    return {key: page.text for key in keys for page in PAGES if (page.doc, page.page) == key}


def test_a_field_is_found_with_its_name_and_place(engine: SearchEngine) -> None:
    results = engine.search(parse("karimova"), _texts)
    [hit] = results.results
    assert (hit.doc, hit.page, hit.label, hit.title) == (1, 1, "1", "Form")
    assert (hit.source, hit.hits, hit.mark) == ("field", (), None)
    assert hit.snippet == "Field \u201cName\u201d: Alice <b>Karimova</b>"
    assert hit.rect == (72.0, 172.0, 200.0, 20.0)


def test_a_word_in_a_field_and_on_a_page_gives_both(engine: SearchEngine) -> None:
    results = engine.search(parse("alice"), _texts)
    assert sorted((h.doc, h.source) for h in results.results) == [(1, "field"), (2, "page")]
    assert results.total == 2


def test_a_long_value_keeps_the_field_name_in_its_snippet(engine: SearchEngine) -> None:
    [hit] = engine.search(parse("needle"), _texts).results
    assert hit.snippet.startswith("Field \u201cEssay\u201d: word word")
    assert hit.snippet.endswith("\u2026")
    assert len(hit.snippet) < FIELD_SUMMARY_CHARS + 40


def test_fields_are_not_pages_and_go_with_their_document(engine: SearchEngine) -> None:
    assert engine.page_count() == 2
    assert engine.indexed_doc_ids() == {1, 2}
    engine.delete_documents([1])
    assert engine.search(parse("karimova"), _texts).total == 0
    assert engine.search(parse("alice"), _texts).total == 1


def test_a_value_is_stemmed_by_its_documents_language(engine: SearchEngine) -> None:
    russian = FormField(1, "Должность", "text", "рабочие нефтяники", (0.0, 0.0, 10.0, 10.0))
    [record] = field_records(5, [russian], "Анкета", "anketa.pdf", "pdf", {1: "1"}, "ru")
    with engine.writer(flush_pages=None) as writer:
        writer.put(record)
    [hit] = engine.search(parse("рабочих"), _texts).results
    assert (hit.doc, hit.source) == (5, "field")
    assert hit.snippet == "Field \u201cДолжность\u201d: <b>рабочие</b> нефтяники"
