"""Reading a case's scanned pages: which pages, read on workers, stored as they finish.

`run_ocr` (Case.ocr) plans the pages (plan.py), checks that Tesseract and the
languages are installed (else the document is 'unavailable', with the reason,
and nothing else changes), reads the pages on worker processes (pool.py) and
stores each document's finished pages in chunks — after CHUNK_PAGES pages or
CHUNK_SECONDS, then less often as more is stored (see `_DocumentRun.due`) —
so a long scan becomes searchable as OCR goes.

Storing a chunk (chunks.py): the new rendition is built here, on the OCR
thread (the slow part); then ONE short write transaction, run through
`commit` so the window can run it on its writer thread, stores the pages,
their new texts, the document's state, and re-anchors or orphans its marks.

A cancelled run keeps every chunk stored; the rest stays 'pending'.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from docket.core.errors import DocketError
from docket.core.model.records import Document, DocumentKind, OcrState
from docket.core.ocr import tesseract
from docket.core.ocr.chunks import Chunk, apply_chunk, prepare_chunk
from docket.core.ocr.model import OcrPageRequest, OcrPageResult
from docket.core.ocr.plan import pages_to_read
from docket.core.ocr.pool import Job, OcrPool, read_ahead
from docket.core.ocr.recognize import read_page
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.storage import documents as store
from docket.core.storage import ocr as ocrstore
from docket.core.storage.ocr import OcrPageInfo

if TYPE_CHECKING:
    from docket.core.case import Case

__all__ = ["Commit", "OcrOutcome", "OcrPageInfo", "OcrReport", "run_directly", "run_ocr"]

# Languages when neither the document nor the caller names any.
DEFAULT_LANGUAGES = "eng"
# A document's finished pages are stored at least this often, so a long scan
# is searchable as it is read. Each store writes a new rendition of the whole
# document (~1 s for a 300-page scan) and re-indexes all its pages, so a store
# costs more the more is stored: a store waits for as many new pages as are
# stored already (the stored pages double, stores grow as log n, and their
# work stays linear in the pages), and a store by time waits STORE_TIME_SHARE
# times as long as the last store took (storing stays under ~5% of the run,
# however slow the machine: on a busy one, a store every 20 s of a 48-page
# scan took 13% of the run's CPU, measured).
CHUNK_PAGES = 20
CHUNK_SECONDS = 20.0
STORE_TIME_SHARE = 20.0

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
    for result in read_ahead(OcrPool(workers, job=job), requests, cancel):
        if cancel is not None and cancel.cancelled:
            break  # what finished since is dropped with the rest, as pages being read are
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
    store_seconds: float = 0.0  # what the last store took

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
        pages = max(CHUNK_PAGES, self.stored)
        seconds = max(CHUNK_SECONDS, STORE_TIME_SHARE * self.store_seconds)
        return len(self.waiting) >= pages or time.monotonic() - self.last_store >= seconds

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


def _store(case: Case, run: _DocumentRun, commit: Commit) -> None:
    started = time.monotonic()
    try:
        _store_waiting(case, run, commit)
    finally:
        run.last_store = time.monotonic()
        run.store_seconds = run.last_store - started


def _store_waiting(case: Case, run: _DocumentRun, commit: Commit) -> None:
    results, run.waiting = run.waiting, []
    chunk: Chunk | None = None
    try:
        if results and run.broken is None:
            chunk = prepare_chunk(case, run.document, results)
        state, note = run.state()
        if chunk is None:
            commit(lambda: _set_states(case, {run.document.id: (state, note)}))
            return
        ready = chunk
        orphaned = commit(lambda: apply_chunk(case, run.document, ready, state, note))
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
