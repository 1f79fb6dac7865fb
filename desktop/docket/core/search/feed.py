"""Feeds stored documents into the search index and records when they are in.

`documents.indexed` turns 1 only after the index commit that holds a
document's pages, so after a kill the case knows exactly which documents to
index again (the database is the truth; the index catches up).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Sequence
from typing import Any

from docket.core.allocation import give_back_memory
from docket.core.model.records import IndexedPage
from docket.core.search.engine import IndexRecord, IndexWriter, PageTerms, SearchEngine
from docket.core.storage import documents as store
from docket.core.storage.database import Database

# Commit the index every so many pages during an import: often enough that a
# kill loses little indexing work and the batch held in memory stays small,
# rarely enough that commits stay cheap. Measured on 20k real pages, side by
# side: 3,000 pages, import peak tree 632-639 MB; 5,000 pages, 696 MB; the same
# time within the machine's noise.
COMMIT_EVERY_PAGES = 3000
# In a window, smaller batches: no single call of a commit may hold the GIL long
# enough to freeze the window. Measured (bench_window --import-only 20000): 2,000
# pages, longest stall 66 ms, 42 s; 500 pages, 125 ms and 60 s, because the index then
# merges the small segments twice, 10 s each.
INTERACTIVE_COMMIT_EVERY_PAGES = 2000
# Pages waiting for the index thread. While it commits (seconds), the importer
# goes on storing documents and the workers on reading; with a queue of only a
# few thousand pages they stood idle at the end of each commit (measured).
# About 8 KB a page (text and its terms) while queued; the most seen
# queued in a real 20k-page import was ~2,800 pages.
MAX_QUEUED_PAGES = 8000


class IndexFeeder:
    def __init__(
        self, index: SearchEngine, database: Database, commit_every: int = COMMIT_EVERY_PAGES
    ) -> None:
        self._index = index
        self._commit_every = commit_every
        self._database = database
        self._writer: IndexWriter | None = None
        self._waiting: list[int] = []
        self._pages = 0

    def add(
        self,
        doc_id: int,
        pages: Sequence[IndexedPage],
        terms: Sequence[PageTerms] | None = None,
        records: Sequence[IndexRecord] = (),
    ) -> None:
        """Index a stored document's pages; `terms`, if given, are their texts' terms,
        made by an import's worker; `records`, its other records (form fields)."""
        if self._writer is None:
            # Its documents are new to the index: just stored by an import, or
            # deleted from it first (catch-up) or after a reset (rebuild).
            writer = self._index.writer(flush_pages=self._commit_every, new_pages=True)
            self._writer = writer.__enter__()
        if terms is not None and len(terms) != len(pages):
            terms = None  # never pair a page with another page's terms
        for number, page in enumerate(pages):
            self._writer.add_page(page, terms[number] if terms is not None else None)
            self._pages += 1
        for record in records:
            self._writer.put(record)
        self._waiting.append(doc_id)
        if self._pages >= self._commit_every:
            self.commit()

    @property
    def pages_waiting(self) -> int:
        """Pages added since the last commit."""
        return self._pages

    def commit(self) -> None:
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        writer.__exit__(None, None, None)
        with self._database.write() as connection:
            store.set_indexed(connection, self._waiting, True)
        self._waiting, self._pages = [], 0
        give_back_memory()  # the batch's terms, freed on this thread, taken on others

    def close(self) -> None:
        self.commit()

    def abandon(self) -> None:
        """Drop uncommitted pages; their documents stay marked unindexed."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.__exit__(RuntimeError, RuntimeError("abandoned"), None)
        self._waiting, self._pages = [], 0


class BackgroundFeeder:
    """Runs an IndexFeeder on its own thread, behind a bounded queue.

    The importer's thread hands out extraction jobs and stores documents; when
    it also ran the index's commits (seconds each), the extraction workers ran
    dry meanwhile. Here the commits run beside it. An error on the index
    thread is raised to the caller at its next call; what it had not committed
    stays marked unindexed, for the next writable open to catch up.
    """

    def __init__(self, feeder: IndexFeeder, max_pages: int | None = None) -> None:
        self._feeder = feeder
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._max_pages = MAX_QUEUED_PAGES if max_pages is None else max_pages
        self._queued_pages = 0
        self._room = threading.Condition()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="docket-index", daemon=True)
        self._thread.start()

    def add(
        self,
        doc_id: int,
        pages: Sequence[IndexedPage],
        terms: Sequence[PageTerms] | None = None,
        records: Sequence[IndexRecord] = (),
    ) -> None:
        """Queue a document; waits while MAX_QUEUED_PAGES pages are already queued."""
        self._raise_error()
        with self._room:
            while self._queued_pages and self._queued_pages + len(pages) > self._max_pages:
                if self._error is not None or not self._thread.is_alive():
                    break
                self._room.wait(0.25)
            self._queued_pages += len(pages)
        self._queue.put(("add", (doc_id, pages, terms, records)))

    def commit(self) -> None:
        done = threading.Event()
        self._queue.put(("commit", done))
        done.wait()
        self._raise_error()

    def commit_soon(self, at_least_pages: int) -> None:
        """Start committing what has been added so far, if that is `at_least_pages`;
        do not wait for it."""
        self._raise_error()
        self._queue.put(("commit_soon", at_least_pages))

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._queue.put(("stop", None))
            self._thread.join()

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while True:
            kind, payload = self._queue.get()
            try:
                if kind == "stop":
                    return
                if self._error is None:
                    if kind == "add":
                        self._feeder.add(*payload)
                    elif kind == "commit" or self._feeder.pages_waiting >= payload:
                        self._feeder.commit()
            except BaseException as error:  # handed to the caller, never lost
                self._error = error
                with contextlib.suppress(BaseException):
                    self._feeder.abandon()
            finally:
                if kind == "commit":
                    payload.set()
                elif kind == "add":
                    with self._room:
                        self._queued_pages -= len(payload[1])
                        self._room.notify()
