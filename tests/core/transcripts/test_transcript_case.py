"""Transcripts in a case: recognised on import (text with form feeds, text without,
a PDF with margin numbers), their line maps stored, page:line in search results,
marks and cites, and set by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.model.marks import Anchor
from tests.core.pdf_factory import qt_app
from tests.core.transcript_factory import (
    line_words,
    write_numbered_brief,
    write_pdf_transcript,
    write_text_transcript,
    write_unfed_transcript,
)

NAMES = ("dep.txt", "hearing.txt", "dep.pdf", "brief.txt")


@pytest.fixture(scope="module")
def case_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    qt_app()
    folder = tmp_path_factory.mktemp("transcripts")
    files = [
        write_text_transcript(folder / "dep.txt"),
        write_unfed_transcript(folder / "hearing.txt"),
        write_pdf_transcript(folder / "dep.pdf"),
        write_numbered_brief(folder / "brief.txt"),
    ]
    with Case.create(folder / "case") as case:
        case.import_paths(files, workers=0)
    return folder / "case"


@pytest.fixture
def case(case_folder: Path) -> Case:
    opened = Case.open(case_folder)
    yield opened  # type: ignore[misc]
    opened.close()


def _docs(case: Case) -> dict[str, int]:
    return {document.source_name: document.id for document in case.documents()}


def _span(case: Case, doc: int, page: int, line: int) -> tuple[int, int]:
    text = case.page(doc, page).text
    start = text.index(line_words(page, line))
    return start, start + len(line_words(page, line))


def test_transcripts_are_recognised_and_the_brief_is_not(case: Case) -> None:
    docs = _docs(case)
    for name in ("dep.txt", "hearing.txt", "dep.pdf"):
        assert case.transcripts.state(docs[name]) == (True, False), name
        assert case.document(docs[name]).page_count == 3, name
    assert case.transcripts.state(docs["brief.txt"]) == (False, False)
    # Not the page number "1" its first line holds: the first numbered line's words.
    assert case.document(docs["dep.txt"]).title == line_words(1, 1)
    assert case.document(docs["brief.txt"]).title == "PLAINTIFF'S BRIEF IN OPPOSITION"
    assert case.transcripts.line_maps(docs["brief.txt"], [1]) == {}


@pytest.mark.parametrize("name", ["dep.txt", "hearing.txt", "dep.pdf"])
def test_every_line_maps_to_its_own_words(case: Case, name: str) -> None:
    doc = _docs(case)[name]
    maps = case.transcripts.line_maps(doc, [1, 2, 3])
    expected_last = 10 if name == "hearing.txt" else 25
    assert [len(maps[p]) for p in (1, 2, 3)] == [25, 25, expected_last]
    for page in (1, 2, 3):
        text = case.page(doc, page).text
        for number, start, end in maps[page]:
            assert text[start:end] == line_words(page, number)


@pytest.mark.parametrize("name", ["dep.txt", "hearing.txt", "dep.pdf"])
def test_a_quote_from_2_4_to_3_2_cites_2_4_to_3_2(case: Case, name: str) -> None:
    doc = _docs(case)[name]
    start, _ = _span(case, doc, 2, 4)
    _, end = _span(case, doc, 3, 2)
    mark = case.marking.highlight(doc, Anchor(2, start, 3, end))
    try:
        citation = case.citing.cite(mark, style="short")
        assert citation.cite.endswith("at 2:4–3:2"), citation.cite
        # The margin's numbers and the page number between the lines stay out of the quote.
        assert "Page 2 line 25 words. Q. Page 3 line 1 words." in citation.quote
        assert case.transcripts.mark_lines([mark]) == {mark.id: ((2, 4), (3, 2))}
    finally:
        case.marking.delete(mark.id)


def test_search_results_carry_the_hit_lines(case: Case) -> None:
    results = case.search('"page 2 line 4 words"', limit=50)
    found = {hit.doc: hit.as_json() for hit in results.results}
    docs = _docs(case)
    for name in ("dep.txt", "hearing.txt", "dep.pdf"):
        assert found[docs[name]]["lines"] == [[2, 4], [2, 4]], name
    plain = case.search("plaintiff").results
    assert plain and all(hit.lines is None for hit in plain)


def test_set_by_hand_off_then_on(case: Case) -> None:
    doc = _docs(case)["dep.txt"]
    case.transcripts.set(doc, False)
    assert case.transcripts.state(doc) == (False, True)
    assert case.transcripts.line_maps(doc, [1, 2, 3]) == {}
    case.transcripts.set(doc, True)
    assert case.transcripts.state(doc) == (True, True)
    assert len(case.transcripts.line_maps(doc, [1, 2, 3])[2]) == 25


def test_a_document_without_numbered_lines_cannot_be_set_on(case: Case) -> None:
    doc = _docs(case)["brief.txt"]
    with pytest.raises(DocketError, match="no numbered lines"):
        case.transcripts.set(doc, True)
    assert case.transcripts.state(doc) == (False, False)


def test_a_transcript_read_again_in_another_encoding_keeps_its_lines(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_text_transcript(tmp_path / "dep.txt")], workers=1)
        case.import_paths([write_unfed_transcript(tmp_path / "hearing.txt")], workers=1)
        case.reencode(1, "latin-1")
        assert case.transcripts.state(1) == (True, False)
        assert len(case.transcripts.line_maps(1, [1, 2, 3])[3]) == 25
        case.transcripts.set(2, False)  # off by hand stays off when read again
        case.reencode(2, "latin-1")
        assert case.transcripts.state(2) == (False, True)
        assert case.transcripts.line_maps(2, [1, 2, 3]) == {}


def test_a_pdf_excerpt_is_labelled_and_cited_by_its_printed_pages(tmp_path: Path) -> None:
    qt_app()
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_pdf_transcript(tmp_path / "x.pdf", first_page=27)], workers=1)
        assert case.page_labels(1) == {1: "27", 2: "28", 3: "29"}
        start, _ = _span(case, 1, 2, 4)
        _, end = _span(case, 1, 3, 2)
        mark = case.marking.highlight(1, Anchor(2, start, 3, end))
        assert case.citing.cite(mark).cite.endswith("at 28:4–29:2")
