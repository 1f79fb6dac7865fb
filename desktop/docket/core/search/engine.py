"""The one interface every search engine implements, and the records it indexes.

The case talks to its index only through `SearchEngine`: index pages and
records (marks, a document's tags), delete, search with hits and offsets,
commit, rebuild, close. The Whoosh engine (`search/whoosh/`) implements it;
so does `MissingIndex`, which stands in for an index a read-only opener
cannot use, and a small in-memory engine in the tests proves the seam is real.
A server engine for a shared matter would be one more implementation.

Nothing here names an engine: queries arrive as `nodes.ParsedQuery`, page
words as `PageTerms` (made by `analysis` in the import's worker processes),
and results leave as the core's own `SearchResults`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol

from docket.core.model.records import IndexedPage, SearchResults
from docket.core.search.nodes import ParsedQuery

PageKey = tuple[int, int]  # (document id, 1-based page)
# Reads the stored texts of some pages in one batch: the index does not store them.
PageTexts = Callable[[Sequence[PageKey]], dict[PageKey, str]]
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class PageTerms:
    """A page's index terms with their token positions, as `analysis` made them.

    Made in the import's worker processes so the engine only stores them.
    """

    length: int  # tokens on the page
    positions: dict[str, list[int]]  # term -> ascending token positions


@dataclass(frozen=True)
class IndexRecord:
    """A searchable record that is not a page: a mark, or a document's own tags."""

    kind: str  # "mark" | "document"
    key: str  # "mark:12", "document:3": putting a record again replaces it
    doc: int
    page: int
    label: str
    title: str
    name: str  # the document's source file name
    type: str  # the document's kind: "pdf", "text"
    text: str = ""  # what plain words match: a mark's quote and note
    note: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()  # the tags as named; the engine adds their parents
    mark: int | None = None
    summary: str = ""  # the words shown as the result's snippet
    summary_spans: tuple[Span, ...] = field(default=())  # the highlighted range in it


class IndexWriter(Protocol):
    """A batch of changes, committed when the ``with`` block ends without error."""

    added: int  # pages added so far

    def add_page(self, page: IndexedPage, terms: PageTerms | None = None) -> None: ...
    def delete_documents(self, doc_ids: Iterable[int]) -> None: ...
    def put(self, record: IndexRecord) -> None: ...
    def delete_key(self, key: str) -> None: ...
    def __enter__(self) -> IndexWriter: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class SearchEngine(Protocol):
    was_reset: bool  # True: the index was (re)created empty; the case re-adds every page

    def writer(self, flush_pages: int | None = ..., *, new_pages: bool = False) -> IndexWriter:
        """`flush_pages`: commit every so many pages (a rebuild); None commits once.
        `new_pages`: none of the pages is in the index yet, so no older copy is looked for."""
        ...

    def add_pages(self, pages: Iterable[IndexedPage]) -> int: ...
    def delete_documents(self, doc_ids: Iterable[int]) -> None: ...
    def clear(self) -> None:
        """Make the index empty, before a rebuild."""
        ...

    def refresh(self) -> None:
        """Let searches see the latest commit."""
        ...

    def page_count(self) -> int: ...
    def indexed_doc_ids(self) -> set[int]: ...
    def search(self, query: ParsedQuery, page_texts: PageTexts, limit: int = 20) -> SearchResults:
        """The `limit` best results, each with its hits as offsets into its text."""
        ...

    def close(self) -> None: ...
