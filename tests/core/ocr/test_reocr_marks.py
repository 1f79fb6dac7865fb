"""Marks survive OCR: a mark whose quote the new text still has is re-anchored on it,
the rest become page notes and are reported as orphaned, never silently moved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.model.audit import AUTOMATIC
from docket.core.model.marks import Anchor, MarkKind
from docket.core.model.records import OcrState
from tests.core.ocr.scanned_case import import_one, scanned_pdf, stamped_scan
from tests.core.ocr.scans import ENGLISH, RUSSIAN, word_box

STAMP = "RECEIVED 12 MARCH 2011 CLERK"


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.create(tmp_path / "case") as opened:
        yield opened


def _highlight(case: Case, doc: int, words: str) -> int:
    text = case.page(doc, 1).text
    start = text.index(words)
    return case.marking.highlight(doc, Anchor(1, start, 1, start + len(words))).id


def test_reading_again_in_another_language_keeps_found_marks_and_orphans_the_rest(
    case: Case, tmp_path: Path
) -> None:
    lines = [*ENGLISH[:4], *RUSSIAN[:3]]
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [lines]))
    case.ocr(languages="eng", workers=0)
    # Read as English, the Russian lines are Latin gibberish: a mark on some of it
    # cannot be found once they are read as Russian.
    gibberish = case.page(doc, 1).text.splitlines()[4].strip()
    assert not re.search("[а-яА-Я]", gibberish)
    kept = _highlight(case, doc, "signed agreement")
    lost = _highlight(case, doc, gibberish)
    case.set_ocr_languages(doc, "eng+rus")

    (outcome,) = case.ocr([doc], force=True, workers=0).documents

    assert outcome.state is OcrState.DONE and outcome.orphaned == (lost,)
    mark = case.marking.get(kept)
    assert mark.kind is MarkKind.HIGHLIGHT and mark.quote == "signed agreement"
    assert mark.anchor is not None
    text = case.page(doc, 1).text
    assert text[mark.anchor.start : mark.anchor.end] == "signed agreement"
    box = word_box(lines, 3, 7).united(word_box(lines, 3, 8))
    assert mark.rects and all(abs(r.x - box.left()) < 4 for r in mark.rects[:1])
    orphan = case.marking.get(lost)
    assert orphan.kind is MarkKind.PAGE_NOTE and orphan.page == 1 and orphan.quote == gibberish
    assert [hit.doc for hit in case.search("заявление").results] == [doc]
    logged = case.marking.audit_entries(mark=lost)[-1]
    assert (logged.action, logged.author) == ("mark-reanchored", AUTOMATIC)


def test_a_mark_on_a_stamp_is_re_anchored_when_the_scan_under_it_is_read(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, stamped_scan(tmp_path / "stamped.pdf", ENGLISH[:3], STAMP))
    assert case.page(doc, 1).text.strip() == STAMP  # too little to search by: OCR reads it
    assert case.document(doc).ocr is OcrState.PENDING
    before = case.marking.get(_highlight(case, doc, "MARCH 2011"))
    assert before.rects

    (outcome,) = case.ocr(workers=0).documents

    assert outcome.state is OcrState.DONE and outcome.orphaned == ()
    after = case.marking.get(before.id)
    assert after.kind is MarkKind.HIGHLIGHT and after.anchor is not None
    text = case.page(doc, 1).text
    assert "plaintiff" in text
    assert text[after.anchor.start : after.anchor.end] == "MARCH 2011"
    assert after.rects and abs(after.rects[0].y - before.rects[0].y) < 3
