"""Filled PDF form fields: read with pypdf, stored beside the pages, found by search."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.model.records import Flag, FormField
from docket.core.pdf.extract import extract_pdf
from docket.core.pdf.forms import (
    MAX_FIELD_CHARS,
    MAX_FORM_CHARS,
    may_have_form,
    read_form_fields,
    with_form_fields,
)
from tests.core.pdf.form_factory import MEGABYTE_VALUE, PAGE_TEXTS, write_form
from tests.core.pdf_factory import qt_app, write_pdf

FILLED = [
    (1, "Name", "text", "Alice", (72.0, 172.0, 200.0, 20.0)),
    (1, "Friend", "choice", "Bob", (72.0, 212.0, 200.0, 20.0)),
    (1, "Colour", "choice", "Crimson", (72.0, 252.0, 200.0, 40.0)),
    (1, "Agree", "checkbox", "Yes", (72.0, 312.0, 20.0, 20.0)),
    (2, "Contact", "radio", "Phone", (72.0, 122.0, 20.0, 20.0)),
    (2, "applicant.city", "text", "Almaty", (72.0, 212.0, 200.0, 20.0)),
]


def _rows(fields: tuple[FormField, ...] | list[FormField]) -> list[tuple[object, ...]]:
    return [(f.page, f.name, f.kind, f.value, f.rect) for f in fields]


def test_filled_values_as_a_reader_shows_them(tmp_path: Path) -> None:
    fields = read_form_fields(write_form(tmp_path / "form.pdf"))
    # Push buttons and unticked boxes are left out; a list shows its option's name,
    # a radio group the button that is on, placed where that button is.
    assert _rows(fields) == FILLED
    assert not any(f.truncated for f in fields)


def test_an_empty_form_and_a_pdf_without_one_have_no_fields(tmp_path: Path) -> None:
    qt_app()
    assert read_form_fields(write_form(tmp_path / "empty.pdf", filled=False)) == ()
    assert read_form_fields(write_pdf(tmp_path / "plain.pdf", ["Just text"])) == ()


def test_a_megabyte_value_is_cut_and_flagged(tmp_path: Path) -> None:
    path = write_form(tmp_path / "big.pdf", megabyte=True)
    document = with_form_fields(extract_pdf(path), path)
    [essay] = [f for f in document.fields if f.name == "Essay"]
    assert essay.truncated and len(essay.value) == MAX_FIELD_CHARS
    assert essay.value == MEGABYTE_VALUE[:MAX_FIELD_CHARS]
    assert Flag.FIELD_TRUNCATED in document.flags


def test_a_form_of_many_full_fields_is_kept_to_a_megabyte(tmp_path: Path) -> None:
    path = write_form(tmp_path / "many.pdf", many=30)  # 1.8 MB of values in all
    document = with_form_fields(extract_pdf(path), path)
    values = [f.value for f in document.fields]
    assert sum(map(len, values)) == MAX_FORM_CHARS
    notes = [f for f in document.fields if f.name.startswith("Note")]
    assert [f.truncated for f in notes] == [False] * (len(notes) - 1) + [True]
    assert len(notes) == 18  # 17 whole and the one cut
    assert Flag.FIELD_TRUNCATED in document.flags


def test_a_form_pypdf_cannot_read_leaves_the_pages(tmp_path: Path) -> None:
    path = write_form(tmp_path / "form.pdf")
    data = path.read_bytes().replace(b"/AcroForm", b"/AcroForm 0 0 R /Junk")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data)
    document = with_form_fields(extract_pdf(broken), broken)
    assert [p.text for p in document.pages] == list(PAGE_TEXTS)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    qt_app()
    folder = tmp_path / "in"
    folder.mkdir()
    write_form(folder / "filled.pdf")
    write_form(folder / "blank.pdf", filled=False)
    opened = Case.create(tmp_path / "case")
    report = opened.import_paths([folder], workers=1)
    assert [o.status for o in report.outcomes] == ["imported", "imported"]
    yield opened
    opened.close()


def _doc(case: Case, name: str) -> int:
    return next(d.id for d in case.documents() if d.source_name == name)


def test_values_are_stored_beside_pages_that_stay_qtpdfs(case: Case) -> None:
    filled, blank = _doc(case, "filled.pdf"), _doc(case, "blank.pdf")
    assert _rows(case.form_fields(filled)) == FILLED
    assert case.form_fields(blank) == []
    # The page text is QtPdf's, byte for byte the same as the form without values.
    assert [p.text for p in case.pages(filled)] == [p.text for p in case.pages(blank)]
    assert [p.text for p in case.pages(filled)] == list(PAGE_TEXTS)


@pytest.mark.parametrize(
    ("query", "name", "value", "page"),
    [
        ("Alice", "Name", "Alice", 1),
        ("bob", "Friend", "Bob", 1),
        ("Crimson", "Colour", "Crimson", 1),
        ("phone", "Contact", "Phone", 2),
        ("almaty", "applicant.city", "Almaty", 2),
    ],
)
def test_search_finds_a_value_and_names_its_field(
    case: Case, query: str, name: str, value: str, page: int
) -> None:
    results = case.search(query)
    assert results.total == 1
    [hit] = results.results
    assert hit.doc == _doc(case, "filled.pdf")
    assert (hit.source, hit.page, hit.hits) == ("field", page, ())
    assert hit.snippet == f"Field \u201c{name}\u201d: <b>{value}</b>"
    assert hit.rect == dict((r[1], r[4]) for r in FILLED)[name]
    assert hit.as_json()["source"] == "field"


def test_the_pages_own_words_are_found_as_before(case: Case) -> None:
    results = case.search('"application form"')
    assert {(h.source, h.hits) for h in results.results} == {("page", ((0, 11), (12, 16)))}
    assert results.total == 2


def test_reindex_and_catch_up_keep_fields_findable(case: Case) -> None:
    case.reindex()
    assert case.search("Alice").total == 1
    assert case.index.page_count() == 4  # field records are not pages
    assert case.index_is_current()
    with case.database.write() as connection:
        connection.execute("UPDATE documents SET indexed = 0")
    case.catch_up_index()
    assert [h.source for h in case.search("Alice").results] == ["field"]


def test_deleting_the_index_and_reopening_brings_fields_back(case: Case) -> None:
    path = case.path
    case.close()
    import shutil

    shutil.rmtree(path / "index")
    with Case.open(path) as again:
        assert [h.snippet for h in again.search("Almaty").results] == [
            "Field \u201capplicant.city\u201d: <b>Almaty</b>"
        ]


def test_a_megabyte_field_imports_cut_with_a_note(tmp_path: Path) -> None:
    qt_app()
    path = write_form(tmp_path / "essay.pdf", megabyte=True)
    with Case.create(tmp_path / "case") as case:
        [outcome] = case.import_paths([path], workers=1).outcomes
        assert outcome.status == "imported"
        assert outcome.reason == (
            "form field \u201cEssay\u201d was cut to fit (a field keeps 64 KB, a form 1 MB)"
        )
        assert Flag.FIELD_TRUNCATED in case.document(outcome.doc or 0).flags
        connection = sqlite3.connect(case.layout.database)
        [(longest,)] = connection.execute("SELECT max(length(value)) FROM form_fields")
        connection.close()
        assert longest == MAX_FIELD_CHARS
        [hit] = case.search("lorem").results
        assert hit.source == "field" and hit.snippet.startswith("Field \u201cEssay\u201d: ")
        assert len(hit.snippet) < 400


def test_a_document_stored_fails_whole_with_its_fields(tmp_path: Path) -> None:
    """The fields go in the pages' transaction: a failing insert leaves neither."""
    qt_app()
    path = write_form(tmp_path / "form.pdf")
    with Case.create(tmp_path / "case") as case:
        with case.database.write() as connection:
            connection.execute(
                "CREATE TRIGGER no_fields BEFORE INSERT ON form_fields "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        [outcome] = case.import_paths([path], workers=1).outcomes
        assert outcome.status == "failed"
        assert case.documents() == []
        assert case.database.read().execute("SELECT count(*) FROM pages").fetchone() == (0,)
        assert "its form fields could not be stored: refused" in (outcome.reason or "")


def _object_stream_pdf(path: Path, inside: bytes) -> Path:
    packed = zlib.compress(inside)
    path.write_bytes(
        b"%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    return path


def test_a_pdf_is_looked_into_only_when_a_catalog_names_a_form(tmp_path: Path) -> None:
    qt_app()
    assert may_have_form(write_form(tmp_path / "form.pdf"))
    assert not may_have_form(write_pdf(tmp_path / "plain.pdf", ["Just text"]))
    # The catalog inside a compressed object stream, as most PDF 1.5 writers put it.
    hidden = _object_stream_pdf(tmp_path / "a.pdf", b"2 0 <</Type/Catalog/AcroForm 3 0 R>>")
    assert may_have_form(hidden)
    plain = _object_stream_pdf(tmp_path / "b.pdf", b"2 0 <</Type/Catalog/Pages 3 0 R>>")
    assert not may_have_form(plain)
    assert read_form_fields(plain) == ()  # pypdf is not even asked
