"""Reading a case's scanned pages: which pages, read on workers, stored as they finish.

`run_ocr` (Case.ocr) plans the pages (plan.py), checks that Tesseract and the
languages are installed (else the document is 'unavailable', with the reason,
and nothing else changes), reads the pages on worker processes (pool.py) and
stores each document's finished pages in chunks — at least every CHUNK_PAGES
pages or CHUNK_SECONDS — so a long scan becomes searchable as OCR goes.

Storing a chunk: the new rendition is built here, on the OCR thread (the slow
part); then ONE short write transaction, run through `commit` so the window
can run it on its writer thread, stores the pages read, their new texts (the
rendition's, as QtPdf reads them), the document's version, flags and state,
and re-anchors the marks on pages whose text changed (core/text/reanchor.py:
found again, with rectangles from the new rendition, or kept as page notes
and reported as orphaned). The index then catches up with the document.

A cancelled run keeps every chunk stored; the rest stays 'pending'.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from docket.core.errors import CaseError, DocketError
from docket.core.model.audit import AUTOMATIC, AuditAction
from docket.core.model.marks import Anchor, MarkKind, MarkRect
from docket.core.model.records import Document, DocumentKind, Flag, OcrState
from docket.core.ocr import tesseract
from docket.core.ocr.model import OcrPageRequest, OcrPageResult
from docket.core.ocr.plan import adds_nothing, pages_to_read
from docket.core.ocr.pool import Job, OcrPool, read_page
from docket.core.ocr.recognize import LOW_CONFIDENCE
from docket.core.ocr.rendition import (
    build_rendition,
    page_texts,
    remove_other_versions,
    rendition_path,
)
from docket.core.pdf.markrects import anchor_rects, open_pdf
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.storage import audit as auditstore
from docket.core.storage import documents as store
from docket.core.storage import marks as markstore
from docket.core.storage import ocr as ocrstore
from docket.core.storage.ocr import OcrPageInfo, OcrPageRow
from docket.core.text.languages import document_language
from docket.core.text.reanchor import reanchor_marks

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

    from docket.core.case import Case

__all__ = ["Commit", "OcrOutcome", "OcrPageInfo", "OcrReport", "run_directly", "run_ocr"]

# Languages when neither the document nor the caller names any.
DEFAULT_LANGUAGES = "eng"
# A document's finished pages are stored at least this often, so a long scan
# is searchable as it is read; each store writes a new rendition of the whole
# document, which for a 300-page scan takes ~1 s.
CHUNK_PAGES = 20
CHUNK_SECONDS = 20.0

# Flags that said a page needed OCR; gone once it is done.
_NEEDS_OCR_FLAGS = (str(Flag.NO_TEXT_LAYER), str(Flag.SOME_PAGES_WITHOUT_TEXT))

_T = TypeVar("_T")


class Commit(Protocol):
    """Runs a store step and returns its result (the window: on its writer thread)."""

    def __call__(self, work: Callable[[], _T], /) -> _T: ...


def run_directly(work: Callable[[], _T], /) -> _T:
    return work()


@dataclass(frozen=True)
class OcrOutcome:
    """What a run did to one document."""

    doc: int
    state: OcrState
    pages_read: int = 0  # pages read and stored by this run
    note: str = ""  # why it failed or is unavailable
    low_confidence_pages: tuple[int, ...] = ()
    orphaned: tuple[int, ...] = ()  # marks whose quote the new text lacks: now page notes

    def as_json(self) -> dict[str, object]:
        return {
            "doc": self.doc,
            "state": str(self.state),
            "pages_read": self.pages_read,
            "note": self.note,
            "low_confidence_pages": list(self.low_confidence_pages),
            "orphaned": list(self.orphaned),
        }


@dataclass(frozen=True)
class OcrReport:
    documents: tuple[OcrOutcome, ...]
    cancelled: bool
    pages: int  # pages read (stored or failed)
    seconds: float

    def as_json(self) -> dict[str, object]:
        return {
            "documents": [outcome.as_json() for outcome in self.documents],
            "cancelled": self.cancelled,
            "pages": self.pages,
            "seconds": round(self.seconds, 2),
        }


def run_ocr(
    case: Case,
    doc_ids: Iterable[int] | None = None,
    *,
    languages: str | None = None,
    force: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    commit: Commit | None = None,
    job: Job = read_page,
    default_languages: str = DEFAULT_LANGUAGES,
) -> OcrReport:
    started = time.monotonic()
    commit = commit or run_directly
    documents = _chosen(case, doc_ids)
    outcomes: dict[int, OcrOutcome] = {}
    runs: list[_DocumentRun] = []
    states: dict[int, tuple[OcrState, str]] = {}
    for document in documents:
        chosen = (document.ocr_languages or languages or default_languages).strip()
        run = _plan(case, document, chosen, force)
        if run is None:
            outcome = _nothing_to_read(case, document)
            if outcome.state != document.ocr:
                states[document.id] = (outcome.state, "")
            outcomes[document.id] = outcome
            continue
        problem = _unavailable(chosen)
        if problem is not None:
            states[document.id] = (OcrState.UNAVAILABLE, problem)
            outcomes[document.id] = OcrOutcome(document.id, OcrState.UNAVAILABLE, note=problem)
            continue
        states[document.id] = (OcrState.PENDING, "")
        runs.append(run)
    if states:
        commit(lambda: _set_states(case, states))
    by_doc = {run.document.id: run for run in runs}
    requests = [request for run in runs for request in run.requests]
    progress(Progress(0, len(requests), 0, ""))
    done = 0
    for result in OcrPool(workers, job=job).read(requests, cancel):
        run = by_doc[result.doc]
        run.take(result)
        done += 1
        if run.complete or run.due():
            _store(case, run, commit)
        progress(Progress(done, len(requests), done, run.title))
    cancelled = cancel is not None and cancel.cancelled and any(not r.complete for r in runs)
    for run in runs:
        if not run.complete and run.waiting:
            _store(case, run, commit)  # whatever finished before the cancel
        outcomes[run.document.id] = run.outcome()
    ordered = tuple(outcomes[document.id] for document in documents)
    return OcrReport(ordered, cancelled, done, time.monotonic() - started)


def _chosen(case: Case, doc_ids: Iterable[int] | None) -> list[Document]:
    if doc_ids is None:
        pending = ocrstore.documents_in_state(case.database.read(), OcrState.PENDING)
        return [case.document(doc_id) for doc_id in pending]
    return [case.document(doc_id) for doc_id in dict.fromkeys(doc_ids)]  # CaseError if missing


def _unavailable(languages: str) -> str | None:
    """Why OCR cannot run in `languages` (no Tesseract, no pack), or None."""
    try:
        tesseract.engine_version()
        tesseract.check_languages(languages)
    except tesseract.OcrUnavailable as problem:
        return str(problem)
    return None


def _nothing_to_read(case: Case, document: Document) -> OcrOutcome:
    """A document with no page to read: done if OCR read it before, else as it is."""
    waiting = (OcrState.PENDING, OcrState.SKIPPED, OcrState.FAILED, OcrState.UNAVAILABLE)
    state = document.ocr
    if state in waiting:
        read = ocrstore.read_pages(case.database.read(), document.id)
        state = OcrState.DONE if read else OcrState.NONE
    return OcrOutcome(document.id, state)


def _set_states(case: Case, states: dict[int, tuple[OcrState, str]]) -> None:
    with case.database.write() as connection:
        for doc_id, (state, note) in states.items():
            ocrstore.set_state(connection, [doc_id], state, note)


# --- one document's run ---------------------------------------------------------------


@dataclass
class _DocumentRun:
    document: Document
    requests: list[OcrPageRequest]
    waiting: list[OcrPageResult] = field(default_factory=list)  # read, not yet stored
    received: int = 0
    stored: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    low: set[int] = field(default_factory=set)
    orphaned: list[int] = field(default_factory=list)
    broken: str | None = None  # storing failed: the rest of the document is dropped
    last_store: float = field(default_factory=time.monotonic)

    @property
    def title(self) -> str:
        return self.document.title or self.document.source_name

    @property
    def complete(self) -> bool:
        return self.received >= len(self.requests)

    def take(self, result: OcrPageResult) -> None:
        self.received += 1
        if result.failure is not None:
            self.failures.append((result.page, result.failure))
        elif self.broken is None:
            self.waiting.append(result)

    def due(self) -> bool:
        if not self.waiting:
            return False
        return (
            len(self.waiting) >= CHUNK_PAGES or time.monotonic() - self.last_store >= CHUNK_SECONDS
        )

    def state(self) -> tuple[OcrState, str]:
        """The state to store with a chunk: final once every page is back."""
        if not self.complete:
            return OcrState.PENDING, ""
        if self.broken is not None:
            return OcrState.FAILED, self.broken
        if self.failures:
            pages = ", ".join(str(page) for page, _ in self.failures[:10])
            more = "…" if len(self.failures) > 10 else ""
            plural = "s" if len(self.failures) > 1 else ""
            return OcrState.FAILED, f"page{plural} {pages}{more}: {self.failures[0][1]}"
        return OcrState.DONE, ""

    def outcome(self) -> OcrOutcome:
        state, note = self.state()
        return OcrOutcome(
            self.document.id,
            state,
            self.stored,
            note,
            tuple(sorted(self.low)),
            tuple(self.orphaned),
        )


def _plan(case: Case, document: Document, languages: str, force: bool) -> _DocumentRun | None:
    if document.kind is DocumentKind.TEXT:
        return None
    connection = case.database.read()
    texts = {page.number: page.text for page in store.pages(connection, document.id)}
    already = ocrstore.read_pages(connection, document.id)
    numbers = pages_to_read(document.kind, texts, already, force=force)
    if not numbers:
        return None
    path = str(case.original_path(document.id))
    password = case.password(document.id)
    source = "image" if document.kind is DocumentKind.IMAGE else "pdf"
    requests = [
        OcrPageRequest(document.id, number, path, source, languages, password) for number in numbers
    ]
    return _DocumentRun(document, requests)


# --- storing a chunk ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Chunk:
    version: int  # the version this chunk makes
    rows: tuple[OcrPageRow, ...]
    changed: dict[int, tuple[str, float, float]]  # page → new text, width, height
    texts: dict[int, str]  # every page's text once stored (marks are found in these)
    rendition: Path | None  # None: no page carries a layer (a PDF shown as it is)
    low: frozenset[int]


def _store(case: Case, run: _DocumentRun, commit: Commit) -> None:
    results, run.waiting = run.waiting, []
    run.last_store = time.monotonic()
    chunk: _Chunk | None = None
    try:
        if results and run.broken is None:
            chunk = _prepare(case, run.document, results)
        state, note = run.state()
        if chunk is None:
            commit(lambda: _set_states(case, {run.document.id: (state, note)}))
            return
        ready = chunk
        orphaned = commit(lambda: _apply(case, run.document, ready, state, note))
    except (DocketError, OSError) as error:
        run.broken = f"OCR could not be stored: {error}"
        if run.complete:
            with contextlib.suppress(DocketError, OSError):
                failed = {run.document.id: (OcrState.FAILED, run.broken)}
                commit(lambda: _set_states(case, failed))
        return
    run.stored += len(chunk.rows)
    run.low |= chunk.low
    run.orphaned.extend(orphaned)


def _prepare(case: Case, document: Document, results: Sequence[OcrPageResult]) -> _Chunk:
    """The chunk to store, its rendition written: the slow part, off the writer."""
    connection = case.database.read()
    version, layers = ocrstore.version_and_layers(connection, document.id)
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
            rows.append(OcrPageRow(result.page, result.languages, -1.0, 0, (), b"", result.engine))
    rendition: Path | None = None
    if layers or document.kind is DocumentKind.IMAGE:
        rendition = rendition_path(case.layout.derived, document.sha256, version + 1)
        original = case.original_path(document.id)
        build_rendition(rendition, document.kind, original, case.password(document.id), layers)
        shown = page_texts(rendition, numbers)
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
    return _Chunk(version + 1, tuple(rows), changed, texts, rendition, frozenset(low))


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


def _apply(
    case: Case, document: Document, chunk: _Chunk, state: OcrState, note: str
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
