"""The status bar's line after an OCR run counts in words: '1 page', never '1 pages'."""

from __future__ import annotations

from docket.app.operations.ocr import summary
from docket.core.model.records import OcrState
from docket.core.ocr.run import OcrOutcome, OcrReport


def test_one_document_of_one_page_is_said_in_the_singular() -> None:
    report = OcrReport(
        documents=(OcrOutcome(1, OcrState.DONE, pages_read=1, low_confidence_pages=(1,)),),
        cancelled=False,
        pages=1,
        seconds=2.0,
    )
    assert summary(report) == "OCR read 1 document (1 page) — 1 page with low confidence"


def test_several_are_said_in_the_plural() -> None:
    report = OcrReport(
        documents=(
            OcrOutcome(1, OcrState.DONE, pages_read=2, low_confidence_pages=(1, 2)),
            OcrOutcome(2, OcrState.DONE, pages_read=1),
        ),
        cancelled=False,
        pages=3,
        seconds=2.0,
    )
    assert summary(report) == "OCR read 2 documents (3 pages) — 2 pages with low confidence"
