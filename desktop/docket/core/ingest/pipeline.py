"""The import pipeline: files in, documents stored and indexed, an outcome per file.

Extraction runs in worker processes (both cores); everything that writes —
copying originals, the SQLite transaction per document, feeding the index —
happens here, in the one writer. Each document is stored in one transaction,
so a kill at any moment leaves whole documents or none.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from docket.core.allocation import bulk_allocation
from docket.core.counts import count
from docket.core.errors import DocketError
from docket.core.ingest.collect import Candidate, collect_files
from docket.core.ingest.jobs import JobResult, with_language
from docket.core.ingest.passwords import Passwords
from docket.core.ingest.workers import ExtractionPool
from docket.core.model.records import (
    DocumentKind,
    ExtractedDocument,
    Flag,
    ImportOutcome,
    ImportStatus,
    encoding_note,
)
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.search.engine import PageTerms
from docket.core.storage.originals import sha256_of

OutcomeCallback = Callable[[ImportOutcome], None]

# An encrypted PDF the password tried does not open (pdf/extract.py's NEEDS_PASSWORD
# and WRONG_PASSWORD; not imported, since that loads Qt): the next one is tried.
PASSWORD_FAILURES = (
    "encrypted PDF: needs a password (use --password)",
    "encrypted PDF: wrong password",
)

# Jobs in flight per worker: enough that workers keep extracting while the
# writer commits the index (measured: 4 → 336 pages/s, 16 → 355 at 20k pages),
# few enough that memory stays bounded with very large PDFs.
_IN_FLIGHT_PER_WORKER = 8
# When about this many pages are left to read, the index commits what it has:
# otherwise its last batch (up to 3,000 pages, seconds of work) would be
# committed only after the workers finish, with one core idle.
FINAL_PAGES = 1500


class ImportTarget(Protocol):
    """What the importer needs from an open case."""

    def document_with_sha(self, sha256: str) -> int | None: ...

    def store_document(
        self,
        source: Path,
        sha256: str,
        extracted: ExtractedDocument,
        password: str | None,
        terms: Sequence[PageTerms] | None = None,
    ) -> int: ...

    def flush_index(self) -> None: ...

    def import_marks_from_pdf(self, doc_id: int) -> str | None:
        """Turn the annotations of a stored PDF into marks; say what was made."""
        ...

    def flush_index_soon(self, at_least_pages: int) -> None: ...


@dataclass(frozen=True)
class ImportReport:
    outcomes: tuple[ImportOutcome, ...]
    cancelled: bool
    pages: int
    seconds: float

    def count(self, status: ImportStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status is ImportStatus.FAILED]


def default_workers(file_count: int) -> int:
    """Worker processes to use: one per core, at least one.

    Never zero: PDFium can hang on a hostile file while holding the GIL, and
    only a worker process can be stopped when that happens.
    """
    return max(1, min(os.cpu_count() or 1, 4, file_count))


def import_paths(
    target: ImportTarget,
    paths: Iterable[Path],
    *,
    password: str | Sequence[str] | Passwords | None = None,
    progress: ProgressCallback = no_progress,
    on_outcome: OutcomeCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    import_annotations: bool = True,
) -> ImportReport:
    started = time.perf_counter()
    candidates, problems = collect_files(paths)
    run = _ImportRun(
        target,
        Passwords.of(password),
        progress,
        on_outcome,
        cancel or CancelToken(),
        len(candidates) + len(problems),
    )
    run.import_annotations = import_annotations
    for problem in problems:
        run.report(problem)
    pool = ExtractionPool(default_workers(len(candidates)) if workers is None else workers)
    try:
        with bulk_allocation():
            run.run(candidates, pool)
    finally:
        pool.shutdown(cancel_pending=run.cancel.cancelled)
        target.flush_index()
    return ImportReport(
        tuple(run.outcomes), run.cancel.cancelled, run.pages, time.perf_counter() - started
    )


@dataclass
class _Job:
    candidate: Candidate
    sha256: str
    future: Future[JobResult]
    password: str | None = None  # the one this extraction tries
    untried: tuple[str, ...] = ()  # the file's other passwords, tried in turn if it fails


class _ImportRun:
    def __init__(
        self,
        target: ImportTarget,
        passwords: Passwords,
        progress: ProgressCallback,
        on_outcome: OutcomeCallback | None,
        cancel: CancelToken,
        total: int,
    ) -> None:
        self.target = target
        self.passwords = passwords
        self.progress = progress
        self.on_outcome = on_outcome
        self.cancel = cancel
        self.total = total
        self.outcomes: list[ImportOutcome] = []
        self.pages = 0
        # sha256 → doc id (or None while in flight / failed) for files seen in this batch
        self.batch: dict[str, int | None] = {}
        self.batch_failures: dict[str, str] = {}
        self.twins: list[tuple[Candidate, str]] = []
        self.import_annotations = True  # marks other readers left in PDFs become marks
        self.remaining = _RemainingWork()

    def report(self, outcome: ImportOutcome) -> None:
        self.outcomes.append(outcome)
        self.pages += outcome.pages
        if self.on_outcome:
            self.on_outcome(outcome)
        self.progress(Progress(len(self.outcomes), self.total, self.pages, outcome.path))

    def run(self, candidates: list[Candidate], pool: ExtractionPool) -> None:
        window = max(1, pool.workers * _IN_FLIGHT_PER_WORKER)
        pending: dict[Future[JobResult], _Job] = {}
        self.remaining.plan(candidates)
        for candidate in candidates:
            if self.cancel.cancelled:
                return
            job = self._start(candidate, pool)
            if job is not None:
                pending[job.future] = job
            while len(pending) >= window:
                self._finish_some(pending, pool)
        while pending:
            if self.cancel.cancelled:
                return
            self._finish_some(pending, pool)
        for candidate, sha in self.twins:  # same bytes twice in one batch
            self._report_twin(candidate, sha)

    def _finish_some(self, pending: dict[Future[JobResult], _Job], pool: ExtractionPool) -> None:
        """Store whichever extractions are done: a long PDF never holds up short ones."""
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in done:
            if self.cancel.cancelled:
                return
            retry = self._finish(pending.pop(future), pool)
            if retry is not None:
                pending[retry.future] = retry

    def _start(self, candidate: Candidate, pool: ExtractionPool) -> _Job | None:
        path = str(candidate.path)
        try:
            sha = sha256_of(candidate.path)
        except OSError as error:
            self.report(
                ImportOutcome(
                    path,
                    ImportStatus.FAILED,
                    reason=f"cannot read the file: {error.strerror or error}",
                )
            )
            return None
        existing = self.target.document_with_sha(sha)
        if existing is not None:
            self.report(
                ImportOutcome(
                    path, ImportStatus.DUPLICATE, doc=existing, reason="already in the case"
                )
            )
            return None
        if sha in self.batch:
            self.twins.append((candidate, sha))
            return None
        self.batch[sha] = None
        return self._submit(candidate, sha, self.passwords.for_file(candidate.path), pool)

    @staticmethod
    def _submit(
        candidate: Candidate, sha: str, passwords: Sequence[str], pool: ExtractionPool
    ) -> _Job:
        """Extract `candidate` with the first of `passwords`, keeping the others for later."""
        first = passwords[0] if passwords else None
        future = pool.submit(str(candidate.path), first)
        return _Job(candidate, sha, future, first, tuple(passwords[1:]))

    def _finish(self, job: _Job, pool: ExtractionPool) -> _Job | None:
        """Store a finished extraction; the job trying the next password when it needs one."""
        path = str(job.candidate.path)
        result = with_language(pool.result(job.future))
        if result.document is None and result.failure in PASSWORD_FAILURES:
            if job.untried:
                return self._submit(job.candidate, job.sha256, job.untried, pool)
            tried = len(self.passwords.for_file(job.candidate.path))
            if tried > 1:
                result = replace(
                    result, failure=f"encrypted PDF: none of the {tried} passwords given opens it"
                )
        pages = result.document.page_count if result.document is not None else 0
        if self.remaining.read(job.candidate, pages):
            self.target.flush_index_soon(FINAL_PAGES)
        if result.document is None:
            reason = result.failure or "could not be read"
            self.batch_failures[job.sha256] = reason
            self.report(ImportOutcome(path, ImportStatus.FAILED, reason=reason))
            return None
        try:
            # Only the password that opened it: one given for a batch but not needed
            # would stop the reader opening a PDF that opens without one.
            needed = Flag.ENCRYPTED in result.document.flags
            password = job.password if needed else None
            doc_id = self.target.store_document(
                job.candidate.path, job.sha256, result.document, password, result.terms
            )
        except (OSError, DocketError) as error:
            reason = f"could not be stored in the case: {error}"
            self.batch_failures[job.sha256] = reason
            self.report(ImportOutcome(path, ImportStatus.FAILED, reason=reason))
            return None
        self.batch[job.sha256] = doc_id
        marks = self._marks_from_pdf(doc_id, result.document) if result.may_carry_marks else None
        notes = [import_note(result.document), marks]
        self.report(
            ImportOutcome(
                path,
                ImportStatus.IMPORTED,
                doc=doc_id,
                reason="; ".join(note for note in notes if note) or None,
                pages=result.document.page_count,
            )
        )
        return None

    def _marks_from_pdf(self, doc_id: int, document: ExtractedDocument) -> str | None:
        """Marks other readers left in a just-stored PDF become Docket marks."""
        if not self.import_annotations or document.kind is not DocumentKind.PDF:
            return None
        try:  # the document is stored whatever its annotations hold
            return self.target.import_marks_from_pdf(doc_id)
        except Exception as error:
            return f"its own annotations could not be read: {error}"

    def _report_twin(self, candidate: Candidate, sha: str) -> None:
        doc_id = self.batch.get(sha)
        if doc_id is not None:
            self.report(
                ImportOutcome(
                    str(candidate.path),
                    ImportStatus.DUPLICATE,
                    doc=doc_id,
                    reason="same content as another file in this import",
                )
            )
        else:
            reason = self.batch_failures.get(sha, "could not be read")
            self.report(ImportOutcome(str(candidate.path), ImportStatus.FAILED, reason=reason))


class _RemainingWork:
    """Pages still to read, estimated from the bytes left at the pages per byte so far."""

    def __init__(self) -> None:
        self._sizes: dict[Path, int] = {}
        self._bytes_left = self._bytes_read = self._pages_read = 0
        self._told = False

    def plan(self, candidates: Sequence[Candidate]) -> None:
        for candidate in candidates:
            try:
                self._sizes[candidate.path] = candidate.path.stat().st_size
            except OSError:
                self._sizes[candidate.path] = 0
        self._bytes_left = sum(self._sizes.values())

    def read(self, candidate: Candidate, pages: int) -> bool:
        """Records a file read; True once, when about FINAL_PAGES pages are left."""
        size = self._sizes.get(candidate.path, 0)
        self._bytes_left -= size
        self._bytes_read += size
        self._pages_read += pages
        if self._told or not self._bytes_read:
            return False
        self._told = self._bytes_left * self._pages_read / self._bytes_read <= FINAL_PAGES
        return self._told


def import_note(document: ExtractedDocument) -> str | None:
    """A note on an imported document a person should know about."""
    if Flag.NO_TEXT_LAYER in document.flags:
        return f"no text layer — needs OCR ({count(document.page_count, 'page')})"
    if Flag.SOME_PAGES_WITHOUT_TEXT in document.flags:
        return f"{document.empty_page_count} of {document.page_count} pages have no text"
    if note := encoding_note(document.flags, document.encoding):
        return note
    if Flag.FIELD_TRUNCATED in document.flags:
        cut = [f.name for f in document.fields if f.truncated]
        return f"form field \u201c{cut[0]}\u201d was cut to fit (a field keeps 64 KB, a form 1 MB)"
    return None
