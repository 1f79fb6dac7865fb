"""Pin cites on a transcript Docket recognised on import: page:line, numbers left out."""

from __future__ import annotations

from pathlib import Path

from docket.core.case import Case
from docket.core.model.marks import Anchor
from tests.core.transcript_factory import line_words, write_text_transcript


def test_a_deposition_transcript_is_cited_by_page_and_line(tmp_path: Path) -> None:
    transcript = write_text_transcript(tmp_path / "smith-deposition.txt", pages=3)
    with Case.create(tmp_path / "case") as case:
        case.import_paths([transcript], workers=1)
        doc = case.documents()[0].id
        first, last = case.page(doc, 1).text, case.page(doc, 2).text
        start = first.index(line_words(1, 24))
        end = last.index(line_words(2, 2)) + len(line_words(2, 2))
        mark = case.marking.highlight(doc, Anchor(1, start, 2, end))
        case.citing.set_short_title(doc, "Smith Dep.")
        citation = case.citing.cite(mark)
        assert citation.cite == "Smith Dep. at 1:24\u20132:2"
        assert citation.lines == ((1, 24), (2, 2))
        # Words of the four lines, none of the margin's numbers or the page header.
        assert citation.quote == " ".join(
            [line_words(1, 24), line_words(1, 25), line_words(2, 1), line_words(2, 2)]
        )
        as_json = citation.as_json()
        assert as_json["lines"] == [[1, 24], [2, 2]] and as_json["label"] == "1"
