"""Pin cites on a case the test writes: labels, ranges, roman labels, short and full
forms, first and later use, Id., curly quotes, hyphen breaks and transcripts' page:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.cite.citation import Citation, CiteSession, Selection
from docket.core.cite.forms import CiteForm, PinPoint, clean_quote, pin, with_bates
from docket.core.errors import DocketError
from docket.core.model.marks import Anchor
from docket.core.model.records import TextRange
from tests.core.pdf_factory import write_labelled_pdf, write_pdf

DEPOSITION = [
    "Preface\nThe witness said \u201cthe police\nfired first\u201d that day.",
    "Roman two page",
    "The officers began the interven-\ntion at noon and kept",
    "firing without warning until dusk.",
]
TRANSCRIPT = [
    "  1  Q. Where were you standing?\n  2  A. Near the square.\n  3  Q. Did they warn you?",
    "  1  A. No warning was given.\n  2  Q. Who fired first?",
    "  1  A. The officers did.\n  2  Q. Thank you.",
]


@pytest.fixture
def case(tmp_path: Path) -> Case:
    folder = tmp_path / "matter"
    folder.mkdir()
    write_labelled_pdf(
        folder / "smith.pdf",
        DEPOSITION,
        labels=[(1, "r", "", 1), (3, "D", "Dep. ", 12)],
        title="Deposition of John Smith",
    )
    write_pdf(folder / "exhibit.pdf", ["Exhibit text on page one", "And two"], title="Exhibit 4")
    write_pdf(folder / "transcript.pdf", TRANSCRIPT, title="Hearing Transcript")
    opened = Case.create(tmp_path / "case")
    opened.import_paths(sorted(folder.iterdir()), workers=1)
    yield opened
    opened.close()


def doc(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def mark_words(case: Case, doc_id: int, page: int, words: str, end_page: int = 0, end: str = ""):
    text = case.page(doc_id, page).text
    start = text.index(words)
    if not end_page:
        return case.marking.highlight(doc_id, Anchor(page, start, page, start + len(words)))
    last = case.page(doc_id, end_page).text
    stop = last.index(end) + len(end)
    return case.marking.highlight(doc_id, Anchor(page, start, end_page, stop))


def test_a_mark_on_a_numbered_page_cites_its_own_label(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    mark = mark_words(case, smith, 4, "firing without warning")
    citation = case.citing.cite(mark, style="full")
    assert citation.cite == "Deposition of John Smith, at Dep. 13"
    assert (
        citation.text == "\u201cfiring without warning\u201d (Deposition of John Smith, at Dep. 13)"
    )
    assert (citation.page, citation.label, citation.mark) == (4, "Dep. 13", mark.id)


def test_a_roman_label_is_cited_as_it_is_printed(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    mark = mark_words(case, smith, 2, "Roman two")
    assert case.citing.cite(mark).cite == "Deposition of John Smith at ii"


def test_a_quote_across_pages_cites_a_range_and_joins_the_hyphen_break(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    mark = mark_words(case, smith, 3, "began", 4, "without warning")
    citation = case.citing.cite(mark, style="full")
    assert citation.quote == "began the intervention at noon and kept firing without warning"
    assert citation.pin == "Dep. 12\u201313"  # the shared prefix once
    assert citation.cite == "Deposition of John Smith, at Dep. 12\u201313"
    assert (citation.page, citation.end_page) == (3, 4)


def test_a_selection_is_cited_like_a_mark_and_cleans_as_copy_does(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    text = case.page(smith, 1).text
    start = text.index("said")
    selection = Selection(smith, (TextRange(1, start, len(text)),))
    citation = case.citing.cite(selection, style="full")
    # The inner quotation turns single; the line break is one space.
    assert citation.quote == "said \u2018the police fired first\u2019 that day."
    assert citation.cite == "Deposition of John Smith, at i"
    assert citation.mark is None


def test_quote_marks_wrapping_the_whole_selection_are_dropped(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    text = case.page(smith, 1).text
    start, end = text.index("\u201cthe"), text.index("\u201d") + 1
    citation = case.citing.cite(Selection(smith, (TextRange(1, start, end),)))
    assert citation.quote == "the police fired first"


def test_short_title_first_use_full_then_short(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    changes = case.citing.set_short_title(smith, "  Smith   Dep. ")
    assert changes.documents.changed == {smith}
    assert case.citing.short_title(smith) == "Smith Dep."
    mark = mark_words(case, smith, 3, "began the")
    first = case.citing.cite(mark, first_use=True)
    assert first.cite == "Deposition of John Smith (\u201cSmith Dep.\u201d), at Dep. 12"
    assert case.citing.cite(mark, style="short").cite == "Smith Dep. at Dep. 12"
    case.citing.set_short_title(smith, "")
    assert case.citing.cite(mark).cite == "Deposition of John Smith at Dep. 12"


def test_a_session_cites_full_then_id_then_short(case: Case) -> None:
    smith, exhibit = doc(case, "Deposition of John Smith"), doc(case, "Exhibit 4")
    case.citing.set_short_title(smith, "Smith Dep.")
    session = CiteSession()
    a = mark_words(case, smith, 3, "began the")
    b = mark_words(case, smith, 4, "until dusk")
    c = mark_words(case, exhibit, 1, "Exhibit text")
    cites = [session.cite(case.citing, target).cite for target in (a, b, b, c, a)]
    assert cites == [
        "Deposition of John Smith (\u201cSmith Dep.\u201d), at Dep. 12",
        "Id. at Dep. 13",
        "Id.",  # the same pin again
        "Exhibit 4, at 1",
        "Smith Dep. at Dep. 12",
    ]
    assert session.last is not None and session.last.form is CiteForm.SHORT


def test_notes_cite_their_page_or_document(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    page_note = case.marking.add_note(smith, "read again", page=3)
    doc_note = case.marking.add_note(smith, "key witness")
    assert case.citing.cite(page_note, style="full").text == "Deposition of John Smith, at Dep. 12"
    assert case.citing.cite(doc_note, style="full").text == "Deposition of John Smith"


def test_a_transcript_page_with_a_line_map_cites_page_and_line(case: Case) -> None:
    hearing = doc(case, "Hearing Transcript")
    with case.database.write() as connection:
        for number in (1, 2, 3):
            text = case.page(hearing, number).text
            connection.execute(
                "INSERT INTO page_lines (doc_id, number, lines) VALUES (?, ?, ?)",
                (hearing, number, json.dumps(_line_map(text))),
            )
    mark = mark_words(case, hearing, 1, "Did they", 2, "No warning")
    citation = case.citing.cite(mark, style="full")
    assert citation.pin == "1:3\u20132:1"
    assert citation.lines == ((1, 3), (2, 1))
    # The margin's line numbers stay out of the quote.
    assert citation.quote == "Did they warn you? A. No warning"
    one_line = mark_words(case, hearing, 1, "Near the square")
    assert case.citing.cite(one_line).cite == "Hearing Transcript at 1:2"
    assert case.citing.cite(one_line).as_json()["lines"] == [[1, 2], [1, 2]]
    # Three pages: the middle page's margin numbers stay out too.
    across = mark_words(case, hearing, 1, "Did they", 3, "The officers")
    citation = case.citing.cite(across)
    assert citation.quote == (
        "Did they warn you? A. No warning was given. Q. Who fired first? A. The officers"
    )
    assert citation.cite == "Hearing Transcript at 1:3\u20133:1"


def _line_map(text: str) -> list[list[int]]:
    """[line, start, end] of each line's words after its number, as a transcript map says."""
    found, offset = [], 0
    for line in text.split("\r\n"):
        number, words = line.split(maxsplit=1)
        start = offset + line.index(words)
        found.append([int(number), start, offset + len(line)])
        offset += len(line) + 2
    return found


def test_a_citation_as_json_has_the_documented_keys(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    found = case.citing.cite(mark_words(case, smith, 4, "until dusk")).as_json()
    assert {"mark", "quote", "cite", "doc", "page", "label"} <= found.keys()
    assert "lines" not in found  # no line map: no lines
    assert (found["doc"], found["page"], found["label"]) == (smith, 4, "Dep. 13")


def test_bad_input_is_refused(case: Case) -> None:
    smith = doc(case, "Deposition of John Smith")
    with pytest.raises(DocketError, match="at most 200"):
        case.citing.set_short_title(smith, "x" * 201)
    with pytest.raises(DocketError, match="no document 99"):
        case.citing.set_short_title(99, "X")
    mark = mark_words(case, smith, 4, "until dusk")
    with pytest.raises(DocketError, match="style"):
        case.citing.cite(mark, style="long")  # type: ignore[arg-type]
    assert case.citing.short_title(smith) == ""


def test_the_bates_hook_answers_none_until_productions_carry_numbers(case: Case) -> None:
    assert case.citing.bates_number(doc(case, "Exhibit 4"), 1) is None


def test_forms_without_a_case() -> None:
    assert pin(PinPoint("12"), PinPoint("13")) == "12\u201313"
    assert pin(PinPoint("iv"), PinPoint("v")) == "iv\u2013v"
    assert pin(PinPoint("1276"), PinPoint("1278")) == "1276\u201378"  # Bluebook 3.2(a)
    assert pin(PinPoint("112"), PinPoint("113")) == "112\u201313"
    assert pin(PinPoint("199"), PinPoint("201")) == "199\u2013201"
    assert pin(PinPoint("98"), PinPoint("102")) == "98\u2013102"
    assert pin(PinPoint("Dep. 112"), PinPoint("Dep. 113")) == "Dep. 112\u201313"
    assert pin(PinPoint("A-7"), PinPoint("B-1")) == "A-7\u2013B-1"
    assert pin(PinPoint("27", 4), PinPoint("27", 9)) == "27:4\u20139"
    assert pin(PinPoint("27", 4), PinPoint("27", 4)) == "27:4"
    assert with_bates("12", "ABC000123", "ABC000124") == "12 (ABC000123\u2013ABC000124)"
    assert with_bates("12", None, None) == "12"
    assert clean_quote('"He said "stop" twice"') == "He said \u2018stop\u2019 twice"
    assert clean_quote("\u201cfired first") == "fired first"  # a stray opening mark
    assert clean_quote("O\u2019Brien\u2019s car") == "O\u2019Brien\u2019s car"  # apostrophes stay


def test_html_puts_id_in_italics() -> None:
    citation = Citation(1, "a & b", "Id. at 3", CiteForm.ID, "3", 3, 3, "3")
    assert citation.html == "\u201ca &amp; b\u201d (<i>Id.</i> at 3)"
