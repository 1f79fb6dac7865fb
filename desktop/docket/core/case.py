"""`Case`: the one facade over an open case, used by the CLI, the window and tests.

with Case.open(path) as case:
    case.import_paths([folder])
    results = case.search('"police fired"~5')
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from docket.core.errors import CaseError, CaseLockedError, DocketError
from docket.core.model.records import (
    Document,
    DocumentKind,
    ExtractedDocument,
    FormField,
    IndexedPage,
    OcrState,
    OutlineEntry,
    Page,
    SearchResults,
)
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.storage import documents as store
from docket.core.storage import ocr as ocrstore
from docket.core.storage.database import Database
from docket.core.storage.folder import CaseLayout, CaseLock, existing_case, prepare_new_case_folder

# Imported where they run, so that a command loads only what it uses: `docket list`
# neither the search engine nor marks, `docket search` none of the import's code.
if TYPE_CHECKING:
    from docket.core.chronology.facts import Chronology
    from docket.core.cite.citation import Citing
    from docket.core.ingest.passwords import Passwords
    from docket.core.ingest.pipeline import ImportReport, OutcomeCallback  # workers, decoders
    from docket.core.ingest.reencode import Reencoded  # charset detection
    from docket.core.marks.marking import Marking
    from docket.core.model.changes import Changes
    from docket.core.ocr.run import Commit, OcrReport  # pypdf and Qt
    from docket.core.review.coverage import Reviewing
    from docket.core.search.engine import IndexRecord, PageTerms, SearchEngine
    from docket.core.search.feed import BackgroundFeeder, IndexFeeder
    from docket.core.storage.ocr import OcrPageInfo
    from docket.core.transcripts.service import Transcripts
    from docket.core.verify import VerifyReport

_Service = TypeVar("_Service")


class _OnFirstUse(Generic[_Service]):
    """A service of the case, made (and its module imported) when first asked for,
    and made once even when two threads ask at the same moment: functools'
    cached_property stopped locking in Python 3.12, and a second Marking would
    drop the listeners the window gave the first."""

    def __init__(self, make: Callable[[Case], _Service]) -> None:
        self._make = make
        self._name = make.__name__
        self.__doc__ = make.__doc__

    @overload
    def __get__(self, case: None, owner: type) -> _OnFirstUse[_Service]: ...
    @overload
    def __get__(self, case: Case, owner: type) -> _Service: ...
    def __get__(self, case: Case | None, owner: type) -> _Service | _OnFirstUse[_Service]:
        if case is None:
            return self
        # Once made, the case's own attribute hides this descriptor: only the first
        # uses (and threads meeting on them) come here.
        with case._services_lock:
            if self._name not in case.__dict__:
                case.__dict__[self._name] = self._make(case)
            made: _Service = case.__dict__[self._name]
            return made


class Case:
    def __init__(self, layout: CaseLayout, *, readonly: bool, index_later: bool = False) -> None:
        self.layout = layout
        self._lock: CaseLock | None = None
        self._index_opening = threading.Lock()  # the window's threads may meet on first use
        self._services_lock = threading.RLock()  # see _OnFirstUse
        if not readonly:
            self._lock = CaseLock(layout)
            self._lock.acquire()
        try:
            self.database = _open_database(layout, readonly=readonly)
            # A reader opens the index when it first needs it (`index`): `docket list`
            # never does, and so never loads the search engine. A writer opens it now,
            # unless told `index_later` (the window: its first page comes first).
            later = readonly or index_later
            self._index: SearchEngine | None = None if later else self._open_index(readonly)
        except BaseException:
            if self._lock:
                self._lock.release()
            raise
        self._feeder: BackgroundFeeder | IndexFeeder | None = None
        self._interactive = False  # see prefer_responsiveness
        self.merge_started = False  # the last import started a background merge

    # The case's services, each made (and its code imported) on first use.

    @_OnFirstUse
    def marking(self) -> Marking:
        from docket.core.marks.marking import Marking

        return Marking(self)

    @_OnFirstUse
    def citing(self) -> Citing:
        """Quotes with pin cites, short titles."""
        from docket.core.cite.citation import Citing

        return Citing(self)

    @_OnFirstUse
    def review(self) -> Reviewing:
        """Pages reviewers have read."""
        from docket.core.review.coverage import Reviewing

        return Reviewing(self)

    @_OnFirstUse
    def chronology(self) -> Chronology:
        """Marks with a date: the case's facts."""
        from docket.core.chronology.facts import Chronology

        return Chronology(self)

    @_OnFirstUse
    def transcripts(self) -> Transcripts:
        """Line maps: page:line for hits and marks."""
        from docket.core.transcripts.service import Transcripts

        return Transcripts(self)

    @property
    def index(self) -> SearchEngine:
        """The case's search engine, opened on first use by a read-only case."""
        if self._index is None:
            with self._index_opening:
                if self._index is None:
                    self._index = self._open_index(self.readonly)
        return self._index

    def _open_index(self, readonly: bool) -> SearchEngine:
        from docket.core.search.engine import MissingIndex
        from docket.core.search.opener import open_engine

        try:
            return open_engine(self.layout.index, create=not readonly)
        except DocketError as problem:
            if not readonly:
                raise
            return MissingIndex(str(problem))  # a reader must not rebuild; a writer will

    # -- opening and closing -------------------------------------------------

    @classmethod
    def create(cls, path: Path) -> Case:
        layout = prepare_new_case_folder(Path(path))
        return cls(layout, readonly=False)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        readonly: bool = False,
        catch_up: bool = True,
        index_later: bool = False,
        tidy_later: bool = False,
    ) -> Case:
        """Open a case; a writable open catches the index up after a crash.

        `catch_up=False` leaves that to the caller (the window does it in the
        background, since rebuilding a large index takes minutes). `index_later`:
        the index (and Whoosh) is opened on first use, not now. `tidy_later`:
        remove_partial_copies is the caller's (the window's, after its first page).
        """
        case = cls(existing_case(Path(path)), readonly=readonly, index_later=index_later)
        if not readonly:
            if not tidy_later:
                case.remove_partial_copies()
            with case.database.write() as connection:  # a case from before OCR: its scans wait
                ocrstore.mark_unread_scans_pending(connection)
            if catch_up:
                case.catch_up_index()
        return case

    def remove_partial_copies(self) -> None:
        """Delete the copies of originals a killed import left half-written (a scan of
        files/: ~30 ms at 100,000 pages)."""
        from docket.core.storage.originals import remove_partials

        remove_partials(self.layout.files)

    @property
    def path(self) -> Path:
        return self.layout.root

    @property
    def readonly(self) -> bool:
        return self.database.readonly

    def close(self) -> None:
        if self._feeder is not None:
            self._feeder.close()
            self._feeder = None
        if self._index is not None:
            self._index.close()
        self.database.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Case:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------

    def documents(self) -> list[Document]:
        return store.documents(self.database.read())

    def document(self, doc_id: int) -> Document:
        found = store.document(self.database.read(), doc_id)
        if found is None:
            raise CaseError(f"no document {doc_id} in this case")
        return found

    def pages(self, doc_id: int) -> list[Page]:
        return store.pages(self.database.read(), doc_id)

    def page(self, doc_id: int, number: int) -> Page:
        found = store.page(self.database.read(), doc_id, number)
        if found is None:
            raise CaseError(f"document {doc_id} has no page {number}")
        return found

    def page_labels(self, doc_id: int) -> dict[int, str]:
        """Every page's label (number → label) in one query, without the page texts."""
        return store.page_labels(self.database.read(), doc_id)

    def outline(self, doc_id: int) -> list[OutlineEntry]:
        return store.outline(self.database.read(), doc_id)

    def original_path(self, doc_id: int) -> Path:
        blob, _ = store.blob_and_password(self.database.read(), doc_id)
        return self.layout.root / blob

    def password(self, doc_id: int) -> str | None:
        return store.blob_and_password(self.database.read(), doc_id)[1]

    def reencode(self, doc_id: int, encoding: str) -> tuple[Reencoded, Changes]:
        """Re-read a text document's stored original in `encoding` (see
        core/ingest/reencode.py): its pages replaced in one transaction, its marks
        re-anchored or orphaned, the document re-indexed. ExtractionError (the
        encoding does not fit) or CaseError leave the case as it was."""
        document = self.document(doc_id)
        if document.kind is not DocumentKind.TEXT:
            raise CaseError(f"document {doc_id} is not a text file: only text files are re-read")
        from docket.core.ingest.reencode import apply_reencoding, reread
        from docket.core.model.changes import Changes, Delta
        from docket.core.storage import marks as markstore
        from docket.core.text.languages import document_language

        encoding, pages = reread(self.original_path(doc_id), encoding)
        old_pages = {page.number: page.text for page in self.pages(doc_id)}
        with self.database.write() as connection:
            marks = markstore.marks(connection, doc_id)
            result = apply_reencoding(connection, document, encoding, pages, marks, old_pages)
            if not document.language_set:  # a new text may be in another language
                language = document_language(page.text for page in pages)
                store.set_language(connection, doc_id, language, chosen=False)
        self.catch_up_index()  # deletes its pages and marks from the index, adds them again
        touched = [*result.kept, *(orphan.mark for orphan in result.orphaned)]
        changes = Changes(documents=Delta.of(changed=[doc_id]), marks=Delta.of(changed=touched))
        return result, changes

    # -- import ----------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        password: str | Sequence[str] | Passwords | None = None,
        progress: ProgressCallback = no_progress,
        on_outcome: OutcomeCallback | None = None,
        cancel: CancelToken | None = None,
        workers: int | None = None,
        import_annotations: bool = True,
    ) -> ImportReport:
        """`import_annotations`: the highlights and notes in PDFs become marks.

        `password`: one for every encrypted PDF, several tried in turn, or a
        Passwords with a file's own (core/ingest/passwords.py)."""
        from docket.core.ingest.pipeline import import_paths

        report = import_paths(
            self,
            [Path(p) for p in paths],
            password=password,
            progress=progress,
            on_outcome=on_outcome,
            cancel=cancel,
            workers=workers,
            import_annotations=import_annotations,
        )
        if import_annotations and self.marking.index_at_once:
            # Marks from the PDFs waited for the import's index writer to let go.
            self.marking.sync_index()
        # Its commits left a segment each: merged in a process of its own.
        self.merge_started = bool(report.pages) and self.index.merge_in_background()
        return report

    def document_with_sha(self, sha256: str) -> int | None:
        return store.document_id_by_sha(self.database.read(), sha256)

    def store_document(
        self,
        source: Path,
        sha256: str,
        extracted: ExtractedDocument,
        password: str | None,
        terms: Sequence[PageTerms] | None = None,
    ) -> int:
        """Copy the original in, then store the document in one transaction."""
        from docket.core.ocr.plan import pages_needing_ocr
        from docket.core.production.received import printed_numbers, received_rows
        from docket.core.search.markrecords import bates_records, field_records
        from docket.core.storage import bates as batesstore
        from docket.core.storage import forms as formstore
        from docket.core.storage import transcripts as transcriptstore
        from docket.core.storage.originals import blob_name, store_original
        from docket.core.transcripts.service import maps_on_import

        suffix = ".pdf" if extracted.kind is DocumentKind.PDF else (source.suffix or ".txt")
        if extracted.kind is DocumentKind.IMAGE:  # named by content: a scan called .pdf is a .png
            from docket.core.pdf.imageframes import stored_suffix

            suffix = stored_suffix(source)
        relative = blob_name(sha256, suffix)
        store_original(self.layout.root, source, relative)
        imported_at = datetime.now(UTC).replace(microsecond=0)
        printed = printed_numbers([page.text for page in extracted.pages])  # a production's
        with self.database.write() as connection:
            doc_id = store.insert_document(
                connection,
                extracted,
                sha256=sha256,
                source_name=source.name,
                source_path=str(source.resolve()),
                blob=relative,
                size=source.stat().st_size,
                password=password if extracted.kind is DocumentKind.PDF else None,
                imported_at=imported_at,
            )
            formstore.insert_fields(connection, doc_id, extracted.fields)
            batesstore.insert_pages(connection, received_rows(doc_id, printed))
            if maps := maps_on_import(extracted.kind, extracted.pages):
                transcriptstore.store_line_maps(connection, doc_id, maps)
            if pages_needing_ocr(extracted.kind, (page.text for page in extracted.pages)):
                ocrstore.set_state(connection, [doc_id], OcrState.PENDING)
        # Built from memory, not read back: the same values reindexing reads from
        # the database (store.indexed_pages), without a second pass over the text.
        date = extracted.created or imported_at
        pages = [
            IndexedPage(
                doc_id,
                number,
                page.label,
                page.text,
                extracted.title,
                extracted.author,
                extracted.kind,
                source.name,
                date,
                extracted.language,
            )
            for number, page in enumerate(extracted.pages, start=1)
        ]
        labels = {page.page: page.label for page in pages}
        records = field_records(
            doc_id,
            extracted.fields,
            extracted.title,
            source.name,
            str(extracted.kind),
            labels,
            extracted.language,
        )
        numbers = {found.page: [found.label] for found in printed}
        records += bates_records(
            doc_id, numbers, extracted.title, source.name, str(extracted.kind), labels
        )
        self._index_feeder().add(doc_id, pages, terms, records)
        return doc_id

    def import_marks_from_pdf(self, doc_id: int) -> str | None:
        """The importer's hook: a stored PDF's own annotations become marks."""
        from docket.core.marks.from_pdf import import_marks

        return import_marks(self, doc_id, during_import=True).describe()

    def flush_index(self) -> None:
        if self._feeder is not None:
            self._feeder.commit()

    def flush_index_soon(self, at_least_pages: int) -> None:
        """Start committing the pages stored so far, if that many, while the last
        files are read (an import's last batch would otherwise wait for them)."""
        from docket.core.search.feed import BackgroundFeeder

        if isinstance(self._feeder, BackgroundFeeder):
            self._feeder.commit_soon(at_least_pages)

    def _index_feeder(self) -> BackgroundFeeder | IndexFeeder:
        from docket.core.search.feed import (
            COMMIT_EVERY_PAGES,
            INTERACTIVE_COMMIT_EVERY_PAGES,
            BackgroundFeeder,
            IndexFeeder,
        )

        if self._feeder is None:
            if self._interactive:
                self._feeder = IndexFeeder(
                    self.index, self.database, INTERACTIVE_COMMIT_EVERY_PAGES
                )
            else:
                feeder = IndexFeeder(self.index, self.database, COMMIT_EVERY_PAGES)
                self._feeder = BackgroundFeeder(feeder)
        return self._feeder

    def prefer_responsiveness(self) -> None:
        """Index in small batches on the importing thread: for a window that must never
        stall (see indexfeed). A third busy Python thread would take the GIL from the
        UI thread (measured: the longest stall rose from 72 to 108 ms)."""
        self._interactive = True
        if self._feeder is not None:
            self._feeder.close()
            self._feeder = None

    def _indexed_pages(self, doc_ids: Sequence[int] | int) -> list[IndexedPage]:
        ids = [doc_ids] if isinstance(doc_ids, int) else list(doc_ids)
        return list(store.indexed_pages(self.database.read(), ids))

    def form_fields(self, doc_id: int) -> list[FormField]:
        """A PDF's filled form fields, in the form's order (none for a text file)."""
        from docket.core.storage import forms as formstore

        return formstore.fields(self.database.read(), doc_id)

    def _field_records(self, doc_id: int, pages: Sequence[IndexedPage]) -> list[IndexRecord]:
        """Its form fields' values and its pages' Bates numbers (issue 18)."""
        from docket.core.search.markrecords import bates_records, field_records
        from docket.core.storage import bates as batesstore

        fields = self.form_fields(doc_id)
        numbers = batesstore.page_numbers(self.database.read(), doc_id)
        if not (fields or numbers) or not pages:
            return []
        first = pages[0]
        labels = {page.page: page.label for page in pages}
        kind = str(first.kind)
        return [
            *field_records(
                doc_id, fields, first.title, first.source_name, kind, labels, first.language
            ),
            *bates_records(doc_id, numbers, first.title, first.source_name, kind, labels),
        ]

    # -- the index ---------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> SearchResults:
        # The parser (and its analysis's regular expressions and stemmers) loads
        # with the first search: `docket list` and the other commands never need it.
        from docket.core.search.parser import parse

        def page_texts(keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
            return store.page_texts(self.database.read(), keys)

        results = self.transcripts.with_lines(
            self.index.search(parse(query), page_texts, limit=limit)
        )
        marks = [hit.mark for hit in results.results if hit.mark is not None]
        if not marks:
            return results
        # A mark removed just before a kill may linger in the index until the
        # next open catches up: never offer it.
        from docket.core.storage import marks as markstore

        existing = markstore.marks_by_id(self.database.read(), marks)
        kept = tuple(h for h in results.results if h.mark is None or h.mark in existing)
        gone = len(results.results) - len(kept)
        return replace(results, total=results.total - gone, results=kept)

    def index_is_current(self, *, count_pages: bool = True) -> bool:
        """No document waits for the index, and the index holds every stored page.

        `count_pages=False` leaves the count out: it reads every page's key in the
        index and in the database (130 ms at 100,000 pages), and `docket search`
        runs it for every query. What a killed import or a deleted index/ leaves is
        seen without it; a writable open and `docket verify` count."""
        connection = self.database.read()
        if store.unindexed_document_ids(connection):
            return False
        if not count_pages:
            from docket.core.search.engine import MissingIndex

            return not isinstance(self.index, MissingIndex)
        return self.index.page_count() == sum(store.page_counts(connection).values())

    def catch_up_index(
        self, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None
    ) -> int:
        """Index documents stored but not yet indexed (after a kill or a lost index).

        Returns how many documents were (re)indexed. A cancelled catch-up leaves
        the rest marked unindexed, for the next open to finish.
        """
        waiting = store.unindexed_document_ids(self.database.read())
        if not waiting:
            if self.index_is_current():
                self.marking.sync_index()  # marks changed just before a kill
                return 0
            return self.reindex(progress, cancel)  # the index is missing or damaged: rebuild
        from docket.core.storage import marks as markstore

        self.index.delete_documents(waiting)  # a commit may have beaten the flag
        with self.database.write() as connection:  # their marks went with them
            markstore.all_unindexed(connection, waiting)
        self._feed(waiting, progress, cancel)
        self.marking.sync_index()
        return len(waiting)

    def reindex(
        self, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None
    ) -> int:
        """Rebuild the index from the stored page texts alone (no PDF is read)."""
        from docket.core.storage import marks as markstore

        self.detect_languages()  # an older case's documents: their words are stemmed by it
        with self.database.write() as connection:
            connection.execute("UPDATE documents SET indexed = 0")
            markstore.all_unindexed(connection)
        self.index.clear()
        doc_ids = [document.id for document in self.documents()]
        self._feed(doc_ids, progress, cancel)
        self.marking.sync_index()
        self.index.merge_in_background()  # its commits left a segment each
        return len(doc_ids)

    def _feed(
        self, doc_ids: list[int], progress: ProgressCallback, cancel: CancelToken | None = None
    ) -> None:
        from docket.core.allocation import bulk_allocation

        feeder = self._index_feeder()
        pages_done = 0
        with bulk_allocation():
            for done, doc_id in enumerate(doc_ids, start=1):
                if cancel is not None and cancel.cancelled:
                    break
                pages = self._indexed_pages(doc_id)
                feeder.add(doc_id, pages, None, self._field_records(doc_id, pages))
                pages_done += len(pages)
                progress(Progress(done, len(doc_ids), pages_done, str(doc_id)))
            feeder.commit()

    # -- languages -----------------------------------------------------------------

    def set_language(self, doc_id: int, language: str) -> Document:
        """Set a document's language as the user's choice (ISO 639-1, or an English name;
        "" for unknown) and re-index its pages, whose words are stemmed by it.

        CaseError for a language that is not one, or a document not in the case; the
        case is then left as it was.
        """
        from docket.core.text.languages import normalize_language

        try:
            code = normalize_language(language)
        except ValueError as problem:
            raise CaseError(str(problem)) from None
        document = self.document(doc_id)
        changed = code != document.language
        with self.database.write() as connection:
            store.set_language(connection, doc_id, code, chosen=True)
            if changed:
                store.set_indexed(connection, [doc_id], False)
        if changed:
            self.catch_up_index()  # deletes its pages and marks from the index, adds them again
        return self.document(doc_id)

    def detect_languages(self) -> int:
        """Give a language to the documents stored before Docket had languages (a
        version-2 case), from their stored text; returns how many were looked at."""
        from docket.core.text.languages import document_language

        waiting = store.documents_without_language(self.database.read())
        found: dict[int, str] = {}
        for doc_id in waiting:
            texts = (page.text for page in self.pages(doc_id))
            found[doc_id] = document_language(texts)
        if any(found.values()):
            with self.database.write() as connection:
                for doc_id, code in found.items():
                    if code:
                        store.set_language(connection, doc_id, code, chosen=False)
        return len(waiting)

    # -- OCR (core/ocr) -------------------------------------------------------------

    def pdf_path(self, doc_id: int) -> Path:
        """The PDF to read, draw, select and export: the rendition (original pages with
        OCR's text layers, or an image's pages; built if missing), else the original."""
        # Here, not at the top: the rendition needs pypdf and QtPdf, which commands
        # that only read the case (docket list, docket search) should not load.
        from docket.core.ocr.rendition import current_pdf

        return current_pdf(self, doc_id)

    def ocr(
        self,
        doc_ids: Iterable[int] | None = None,
        *,
        languages: str | None = None,
        force: bool = False,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        workers: int | None = None,
        commit: Commit | None = None,
    ) -> OcrReport:
        """Read the pages that need OCR (`doc_ids` None: every document pending);
        `force` reads again the pages read before. Languages: the document's own,
        else `languages`, else English. `commit` runs each store step (the window's
        writer thread); see core/ocr/run.py."""
        from docket.core.ocr.run import run_ocr

        return run_ocr(
            self,
            doc_ids,
            languages=languages,
            force=force,
            progress=progress,
            cancel=cancel,
            workers=workers,
            commit=commit,
        )

    def pending_ocr(self) -> list[int]:
        return ocrstore.documents_in_state(self.database.read(), OcrState.PENDING)

    def skip_ocr(self, doc_ids: Iterable[int]) -> None:
        """Pending documents are left unread ('skipped': `import --no-ocr`)."""
        pending = set(self.pending_ocr())
        with self.database.write() as connection:
            ocrstore.set_state(connection, [d for d in doc_ids if d in pending], OcrState.SKIPPED)

    def set_ocr_languages(self, doc_id: int, languages: str) -> Document:
        """The Tesseract languages ("eng+rus") OCR reads this document in; "" the
        default. OcrUnavailable names the package when one is not installed."""
        chosen = "+".join(code.strip() for code in languages.split("+") if code.strip())
        self.document(doc_id)  # CaseError if it is not in the case
        if chosen:
            from docket.core.ocr.tesseract import check_languages  # subprocess: load when asked

            check_languages(chosen)
        with self.database.write() as connection:
            ocrstore.set_languages(connection, doc_id, chosen)
        return self.document(doc_id)

    def ocr_pages(self, doc_id: int) -> list[OcrPageInfo]:
        """The pages OCR has read, with their confidence, rotation and languages."""
        from docket.core.ocr.model import LOW_CONFIDENCE

        return ocrstore.page_infos(self.database.read(), doc_id, LOW_CONFIDENCE)

    # -- checking ------------------------------------------------------------------

    def verify(self, progress: ProgressCallback = no_progress) -> VerifyReport:
        from docket.core.verify import verify_case

        return verify_case(self.layout.root, self.database.read(), self.index, progress)


def case_exists(path: Path) -> bool:
    return os.path.isfile(Path(path) / "case.sqlite")


def _open_database(layout: CaseLayout, *, readonly: bool) -> Database:
    """The case's database; a read-only open of a case an older Docket wrote
    upgrades it first, since this program's reads name columns it lacks."""
    database = Database(layout.database, readonly=readonly)
    if not readonly or not database.written_by_older_docket:
        return database
    database.close()
    _upgrade_older_case(layout)
    return Database(layout.database, readonly=True)


def _upgrade_older_case(layout: CaseLayout) -> None:
    """The migration a writable open makes, in a brief writable open under the
    case's lock, then let go. Never while another program holds the lock: that
    is an older Docket writing the case (a current one would have upgraded it),
    and its writes would meet tables it does not know."""
    lock = CaseLock(layout)
    try:
        lock.acquire()
    except CaseLockedError:
        raise CaseLockedError(
            "this case was written by an older Docket and is open in another program;"
            " close it there first"
        ) from None
    except OSError as problem:  # a folder that cannot be written: a disc, a read-only share
        raise CaseError(
            "this case was written by an older Docket and must be upgraded before it is read,"
            f" but its folder cannot be written ({problem.strerror}); copy it to a writable disk"
        ) from None
    try:
        upgraded = Database(layout.database, readonly=False)  # migrates
        try:
            with upgraded.write() as connection:  # a case from before OCR: its scans wait
                ocrstore.mark_unread_scans_pending(connection)
        finally:
            upgraded.close()
    finally:
        lock.release()
