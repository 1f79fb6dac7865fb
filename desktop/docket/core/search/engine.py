"""The one interface every search engine implements, and the records it indexes.

The case talks to its index only through `SearchEngine`: index pages and
records (marks, a document's tags), delete, search with hits and offsets,
commit, rebuild, close. The engine Docket ships (opened by `opener`, the
one module that names it) implements it; so does `MissingIndex`, which
stands in for an index a read-only opener cannot use, and a small in-memory
engine in the tests proves the seam is real.
A server engine for a shared matter would be one more implementation.

Nothing here names an engine: queries arrive as `nodes.ParsedQuery`, page
words as `PageTerms` (made by `analysis` in the import's worker processes),
and results leave as the core's own `SearchResults`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate
from types import TracebackType
from typing import Protocol

from docket.core.errors import DocketError
from docket.core.model.records import IndexedPage, SearchResults
from docket.core.search.nodes import ParsedQuery

PageKey = tuple[int, int]  # (document id, 1-based page)
# Reads the stored texts of some pages in one batch: the index does not store them.
PageTexts = Callable[[Sequence[PageKey]], dict[PageKey, str]]
Span = tuple[int, int]


TERM_SEPARATOR = "\0"  # between the terms of PageTerms.terms; never inside a term


@dataclass(frozen=True, slots=True)
class PageTerms:
    """A page's index terms and where each occurs, as `analysis.page_term_positions`
    made them.

    Made in the import's worker processes, so the one writer does not analyse
    the text, and sent through a pipe, so compact: three objects however many
    words the page has (a dict of lists took ~1,000 objects a page to pickle,
    and as many to keep while the page waits for the index). The gaps are how
    engines store positions anyway, and small.
    """

    terms: str  # the distinct terms in order of first use, TERM_SEPARATOR between them
    counts: array[int]  # how many times each term occurs, in the same order
    gaps: array[int]  # term after term, its first position then the gap to each next one

    def __reduce__(self) -> tuple[object, ...]:  # 3x faster to pickle than the dataclass way
        return PageTerms, (self.terms, self.counts, self.gaps)

    @property
    def length(self) -> int:
        """How many words the page has."""
        return len(self.gaps)

    def names(self) -> list[str]:
        return self.terms.split(TERM_SEPARATOR) if self.counts else []  # "" splits into [""]

    def positions(self) -> Iterator[tuple[str, list[int]]]:
        """Each term with its ascending positions (0 is the page's first word)."""
        start = 0
        for term, count in zip(self.names(), self.counts, strict=True):
            yield term, list(accumulate(self.gaps[start : start + count]))
            start += count


@dataclass(frozen=True)
class IndexRecord:
    """A searchable record that is not a page: a mark, a document's own tags, or the
    filled value of a PDF form field (kept apart so the page's offsets never move)."""

    kind: str  # "mark" | "document" | "field" | "bates"
    key: str  # "mark:12", "document:3", "field:3:0": putting a record again replaces it
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
    language: str = ""  # its document's (ISO 639-1): its words are stemmed by it
    rect: tuple[float, float, float, float] | None = None  # a field's place on its page
    # A fact's period (a mark with a date): its first and last moment, for fact:[… TO …]
    fact: tuple[datetime, datetime] | None = None
    # A page's Bates number (issue 18) as `nodes.bates_parts` splits it, for bates:[… TO …]
    bates: tuple[str, int] | None = None


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

    def merge_in_background(self) -> bool:
        """After a big import: tidy the index for searching (merge its segments) off
        this thread, searches and changes going on meanwhile. True if it started."""
        ...

    def page_count(self) -> int: ...
    def indexed_doc_ids(self) -> set[int]: ...
    def search(self, query: ParsedQuery, page_texts: PageTexts, limit: int = 20) -> SearchResults:
        """The `limit` best results, each with its hits as offsets into its text."""
        ...

    def close(self) -> None: ...


class MissingIndex:
    """Stands in for an index that a read-only opener cannot use (missing, damaged
    or from another version): it reports itself empty, so the case knows to
    rebuild; a search or a change says how to repair it."""

    was_reset = False

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def _repair(self) -> str:
        return f"{self.reason.rstrip('.')}; run `docket reindex` to rebuild it"

    def _cannot_change(self) -> DocketError:
        return DocketError(f"The search index cannot be changed: {self._repair()}.")

    def writer(self, flush_pages: int | None = None, *, new_pages: bool = False) -> IndexWriter:
        raise self._cannot_change()

    def add_pages(self, pages: Iterable[IndexedPage]) -> int:
        raise self._cannot_change()

    def delete_documents(self, doc_ids: Iterable[int]) -> None:
        raise self._cannot_change()

    def clear(self) -> None:
        raise self._cannot_change()

    def refresh(self) -> None:
        pass

    def merge_in_background(self) -> bool:
        return False

    def page_count(self) -> int:
        return 0

    def indexed_doc_ids(self) -> set[int]:
        return set()

    def search(self, query: ParsedQuery, page_texts: PageTexts, limit: int = 20) -> SearchResults:
        raise DocketError(self._repair())

    def close(self) -> None:
        pass
