"""The sample case a first run shows: its documents, and a few marks to show marking."""

from __future__ import annotations

from pathlib import Path

from docket.core.case import Case
from docket.core.model.audit import AUTOMATIC
from docket.core.samplecase import SAMPLE_AUTHOR, SAMPLE_MARKS, create_sample_case


def test_the_sample_case_comes_with_its_marks_found_by_their_words(tmp_path: Path) -> None:
    create_sample_case(tmp_path / "sample")
    with Case.open(tmp_path / "sample", readonly=True) as case:
        marks = case.marking.marks()
        assert sorted(m.quote for m in marks) == sorted(quote for _, quote, *_ in SAMPLE_MARKS)
        pdf_marks = [m for m in marks if case.document(m.doc).kind == "pdf"]
        assert pdf_marks and all(m.rects for m in pdf_marks)
        assert case.search("tag:Issue").total == 2
        assert case.search("note:preserve").results[0].mark is not None
        # The audit log has them all, made by the sample's author or by Docket itself.
        entries = case.marking.audit_entries()
        assert {e.mark for e in entries if e.action == "mark-added"} == {m.id for m in marks}
        assert {e.author for e in entries} <= {SAMPLE_AUTHOR, AUTOMATIC}
