"""Storing what OCR read of one document: a chunk of pages at a time.

`prepare_chunk` does the slow part on the OCR thread: it decides which pages
keep their reading (plan.adds_nothing), builds the new rendition with every
layer stored so far and this chunk's, and reads back the text QtPdf shows for
each page — the canonical text stored for it. `apply_chunk` is the store step
the caller's `commit` runs (the window: on its writer thread): ONE short
transaction — the pages read, their new texts and sizes, the document's
version, state, flags and language, and its marks on changed pages found again
(rectangles from the new rendition) or orphaned (core/text/reanchor.py) — then
older renditions are removed and the index catches up with the document.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.errors import CaseError
from docket.core.model.audit import AUTOMATIC, AuditAction
from docket.core.model.marks import Anchor, MarkKind, MarkRect
from docket.core.model.records import Document, DocumentKind, Flag, OcrState
from docket.core.ocr.model import LOW_CONFIDENCE, OcrPageResult
from docket.core.ocr.plan import adds_nothing
from docket.core.ocr.rendition import (
    build_rendition,
    page_texts,
    remove_other_versions,
    rendition_path,
)
from docket.core.pdf.markrects import anchor_rects, open_pdf
from docket.core.production.received import printed_numbers, received_rows
from docket.core.storage import audit as auditstore
from docket.core.storage import bates as batesstore
from docket.core.storage import documents as store
from docket.core.storage import marks as markstore
from docket.core.storage import ocr as ocrstore
from docket.core.storage.ocr import OcrPageRow
from docket.core.text.languages import document_language
from docket.core.text.reanchor import reanchor_marks
from docket.core.transcripts.service import refresh_line_maps

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

    from docket.core.case import Case

# Flags that said a page needed OCR; gone once it is done.
_NEEDS_OCR_FLAGS = (str(Flag.NO_TEXT_LAYER), str(Flag.SOME_PAGES_WITHOUT_TEXT))


@dataclass(frozen=True)
class Chunk:
    """One document's pages read since the last store, ready to store."""

    version: int  # the version this chunk makes
    rows: tuple[OcrPageRow, ...]
    changed: dict[int, tuple[str, float, float]]  # page → new text, width, height
    texts: dict[int, str]  # every page's text once stored (marks are found in these)
    rendition: Path | None  # None: no page carries a layer (a PDF shown as it is)
    low: frozenset[int]


def prepare_chunk(case: Case, document: Document, results: Sequence[OcrPageResult]) -> Chunk:
    """The chunk to store, its rendition written: the slow part, off the writer."""
    connection = case.database.read()
    version, layers = ocrstore.version_and_layers(connection, document.id)
    laid = dict(layers)  # what the current rendition carries
    stored = {page.number: page for page in store.pages(connection, document.id)}
    numbers = [result.page for result in results]
    own = _own_texts(case, document, numbers)
    rows: list[OcrPageRow] = []
    low: set[int] = set()
    for result in results:
        if result.layer and not adds_nothing(own.get(result.page, ""), result.words):
            layers[result.page] = (result.layer, result.rotation)
            rows.append(
                OcrPageRow(
                    result.page,
                    result.languages,
                    result.confidence,
                    result.rotation,
                    result.words,
                    result.layer,
                    result.engine,
                )
            )
            if 0 <= result.confidence < LOW_CONFIDENCE:
                low.add(result.page)
        else:  # read, and nothing beyond its own text: it keeps that, with no layer
            layers.pop(result.page, None)
            # No word on a page with ink on it (recognize.UNREAD_INK_CONFIDENCE) stays
            # flagged; otherwise the page is as good as its own text.
            unread_ink = not result.words and 0 <= result.confidence < LOW_CONFIDENCE
            confidence = result.confidence if unread_ink else -1.0
            rows.append(
                OcrPageRow(result.page, result.languages, confidence, 0, (), b"", result.engine)
            )
            if unread_ink:
                low.add(result.page)
    rendition: Path | None = None
    if layers or document.kind is DocumentKind.IMAGE:
        rendition = rendition_path(case.layout.derived, document.sha256, version + 1)
        original = case.original_path(document.id)
        previous = rendition_path(case.layout.derived, document.sha256, version)
        if previous.is_file() and not laid.keys() & set(numbers):
            # Only pages never laid before: the current rendition is the base.
            fresh = {n: layers[n] for n in numbers if n in layers}
            build_rendition(rendition, document.kind, original, None, fresh, previous=previous)
        else:  # a page read again must be laid on its original page
            build_rendition(rendition, document.kind, original, case.password(document.id), layers)
        try:
            shown = page_texts(rendition, numbers)
        except BaseException:
            with contextlib.suppress(OSError):
                rendition.unlink()  # never stored: no version names it
            raise
    else:
        shown = {
            n: (own.get(n, ""), stored[n].width, stored[n].height) for n in numbers if n in stored
        }
    changed: dict[int, tuple[str, float, float]] = {}
    for number, (text, width, height) in shown.items():
        page = stored[number]
        if text != page.text or abs(width - page.width) > 0.5 or abs(height - page.height) > 0.5:
            changed[number] = (text, width, height)
    texts = {number: page.text for number, page in stored.items()}
    texts.update((number, text) for number, (text, _, _) in changed.items())
    return Chunk(version + 1, tuple(rows), changed, texts, rendition, frozenset(low))


def _own_texts(case: Case, document: Document, numbers: Sequence[int]) -> dict[int, str]:
    """The pages' text without any OCR layer: the original's own (an image has none)."""
    if document.kind is not DocumentKind.PDF:
        return {}
    pdf = open_pdf(case.original_path(document.id), case.password(document.id))
    try:
        count = pdf.pageCount()
        return {n: pdf.getAllText(n - 1).text() for n in numbers if 1 <= n <= count}
    finally:
        pdf.close()


def apply_chunk(
    case: Case, document: Document, chunk: Chunk, state: OcrState, note: str
) -> tuple[int, ...]:
    """The store step, on the writer: one transaction, then the index catches up."""
    doc_id = document.id
    pdf: QPdfDocument | None = None
    shown = chunk.rendition or case.original_path(doc_id)
    password = None if chunk.rendition else case.password(doc_id)

    def rects_of(anchor: Anchor, lengths: dict[int, int]) -> tuple[MarkRect, ...]:
        nonlocal pdf
        if pdf is None:
            pdf = open_pdf(shown, password)
        return anchor_rects(pdf, anchor, lengths)

    try:
        with case.database.write() as connection:
            if ocrstore.ocr_version(connection, doc_id) != chunk.version - 1:
                raise CaseError("the document's OCR changed while it was being read")
            ocrstore.put_pages(connection, doc_id, chunk.rows)
            ocrstore.set_page_texts(
                connection, doc_id, ((n, *values) for n, values in chunk.changed.items())
            )
            if chunk.changed:  # a scanned transcript's numbered lines, as OCR read them
                refresh_line_maps(connection, doc_id)
                # A scanned production received: the Bates numbers printed on its pages.
                texts = [page.text for page in store.pages(connection, doc_id)]
                batesstore.replace_received(
                    connection, doc_id, received_rows(doc_id, printed_numbers(texts))
                )
            ocrstore.set_version(connection, doc_id, chunk.version)
            ocrstore.set_state(connection, [doc_id], state, note)
            ocrstore.set_flags(connection, doc_id, _flags(connection, doc_id, state))
            orphaned: tuple[int, ...] = ()
            if chunk.changed:
                store.set_indexed(connection, [doc_id], False)
                marks = [
                    mark
                    for mark in markstore.marks(connection, doc_id)
                    if mark.kind is MarkKind.HIGHLIGHT
                    and mark.anchor is not None
                    and any(mark.anchor.page <= n <= mark.anchor.end_page for n in chunk.changed)
                ]
                before = {mark.id: mark for mark in marks}
                moved = reanchor_marks(connection, marks, chunk.texts, rects_of=rects_of)
                after = markstore.marks_by_id(connection, before)
                auditstore.append_marks(
                    connection, AuditAction.MARK_REANCHORED, AUTOMATIC, before, after
                )
                orphaned = tuple(orphan.mark for orphan in moved.orphaned)
                if not document.language_set:  # a scan's language is known once it is read
                    language = document_language(chunk.texts[n] for n in sorted(chunk.texts))
                    store.set_language(connection, doc_id, language, chosen=False)
    except BaseException:
        if chunk.rendition is not None:
            with contextlib.suppress(OSError):
                chunk.rendition.unlink()
        raise
    finally:
        if pdf is not None:
            pdf.close()
    keep = chunk.version if chunk.rendition is not None else None
    remove_other_versions(case.layout.derived, document.sha256, keep)
    if chunk.changed:
        case.catch_up_index()  # deletes its pages and marks from the index, adds them again
    return orphaned


def _flags(connection: sqlite3.Connection, doc_id: int, state: OcrState) -> list[str]:
    """The document's flags after this chunk: low confidence if any page stored is."""
    current = store.document(connection, doc_id)
    flags = [flag for flag in (current.flags if current else ()) if flag != Flag.OCR_LOW_CONFIDENCE]
    if state is OcrState.DONE:
        flags = [flag for flag in flags if flag not in _NEEDS_OCR_FLAGS]
    infos = ocrstore.page_infos(connection, doc_id, LOW_CONFIDENCE)
    if any(info.low for info in infos):
        flags.append(str(Flag.OCR_LOW_CONFIDENCE))
    return flags
