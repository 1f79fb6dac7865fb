"""Feeds stored documents into the search index and records when they are in.

`documents.indexed` turns 1 only after the Whoosh commit that holds a
document's pages, so after a kill the case knows exactly which documents to
index again (the database is the truth; the index catches up).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from docket.core import store
from docket.core.database import Database
from docket.core.index import PreparedPostings, SearchIndex
from docket.core.records import IndexedPage

# Commit the index every so many pages during an import: often enough that a
# kill loses little indexing work, rarely enough that commits stay cheap.
COMMIT_EVERY_PAGES = 5000
# In a window, smaller batches: Whoosh sorts a batch's postings in one C call that
# holds the GIL, so a 5,000-page batch would freeze the window for most of a second.
INTERACTIVE_COMMIT_EVERY_PAGES = 500


class IndexFeeder:
    def __init__(
        self, index: SearchIndex, database: Database, commit_every: int = COMMIT_EVERY_PAGES
    ) -> None:
        self._index = index
        self._commit_every = commit_every
        self._database = database
        self._context: AbstractContextManager[Any] | None = None
        self._writer: Any = None
        self._waiting: list[int] = []
        self._pages = 0

    def add(
        self,
        doc_id: int,
        pages: Sequence[IndexedPage],
        postings: Sequence[PreparedPostings] | None = None,
    ) -> None:
        """Index a stored document's pages; `postings`, if given, were made by a worker."""
        if self._writer is None:
            self._context = self._index.writer(flush_pages=self._commit_every)
            self._writer = self._context.__enter__()
        if postings is not None and len(postings) != len(pages):
            postings = None  # never pair a page with another page's postings
        for number, page in enumerate(pages):
            self._writer.add_page(page, postings[number] if postings is not None else None)
            self._pages += 1
        self._waiting.append(doc_id)
        if self._pages >= self._commit_every:
            self.commit()

    def commit(self) -> None:
        if self._context is None:
            return
        context, self._context, self._writer = self._context, None, None
        context.__exit__(None, None, None)
        with self._database.write() as connection:
            store.set_indexed(connection, self._waiting, True)
        self._waiting, self._pages = [], 0

    def abandon(self) -> None:
        """Drop uncommitted pages; their documents stay marked unindexed."""
        if self._context is not None:
            context, self._context, self._writer = self._context, None, None
            context.__exit__(RuntimeError, RuntimeError("abandoned"), None)
        self._waiting, self._pages = [], 0
