"""How a document's OCR state is put in words, the same in `docket list` and the library."""

from __future__ import annotations

from docket.core.model.records import Document, OcrState

# What to do when no Tesseract is installed, if the case noted no reason of its own.
INSTALL_HINT = "install tesseract-ocr"


def ocr_status(document: Document, low_confidence_pages: int = 0) -> str:
    """ "OCR pending", "OCR: 3 pages low confidence", "OCR unavailable: install
    tesseract-ocr"…; "" when there is nothing to say (no OCR needed, or read well)."""
    state = document.ocr
    note = document.ocr_note.strip()
    if state is OcrState.PENDING:
        return "OCR pending"
    if state is OcrState.SKIPPED:
        return "OCR not run (docket ocr reads it)"
    if state in (OcrState.FAILED, OcrState.UNAVAILABLE):
        if note.casefold().startswith("ocr"):  # "OCR needs Tesseract 5: install …" says it all
            return note
        said = "OCR failed" if state is OcrState.FAILED else "OCR unavailable"
        return f"{said}: {note or INSTALL_HINT}" if note or state is OcrState.UNAVAILABLE else said
    if low_confidence_pages:
        pages = "1 page" if low_confidence_pages == 1 else f"{low_confidence_pages} pages"
        return f"OCR: {pages} low confidence"
    return ""
