"""Search results as a two-level tree: documents, and under each the pages that match.

The core returns pages by score; here they are grouped by document (the
document of the best page first) and, within a document, put in page order,
which is how a lawyer reads through them.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from docket.core.counts import count
from docket.core.model.records import SearchHit, SearchResults
from docket.core.transcripts.service import pin_text

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    HIT = Qt.ItemDataRole.UserRole + 1  # the SearchHit of a page row (the first one for a document)
    IS_DOCUMENT = Qt.ItemDataRole.UserRole + 2
    SNIPPET = Qt.ItemDataRole.UserRole + 3  # (plain text, ((start, end), …) bold spans)
    PAGE_LABEL = Qt.ItemDataRole.UserRole + 4  # "p. 12"
    COUNTS = Qt.ItemDataRole.UserRole + 5  # "3 hits on 2 pages"


_TAG = re.compile(r"(</?b>)")
_SPACE = re.compile(r"\s+")


def parse_snippet(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The core's snippet (escaped text with <b>hits</b>) as plain text and bold spans.

    Whitespace runs become one space: page text keeps its line breaks, which
    mean nothing in a two-line preview.
    """
    text = ""
    spans: list[tuple[int, int]] = []
    bold_from: int | None = None
    for part in _TAG.split(snippet):
        if part == "<b>":
            bold_from = len(text)
        elif part == "</b>":
            if bold_from is not None and bold_from < len(text):
                spans.append((bold_from, len(text)))
            bold_from = None
        else:
            chunk = _SPACE.sub(" ", html.unescape(part))
            if chunk.startswith(" ") and (not text or text.endswith(" ")):
                chunk = chunk[1:]
            text += chunk
    text = text.rstrip()
    return text, tuple((start, min(end, len(text))) for start, end in spans if start < len(text))


def page_label(hit: SearchHit) -> str:
    if hit.lines is not None:  # a transcript page: where the hits are, as cites say it
        return pin_text(hit.lines, {hit.page: hit.label})
    return f"p. {hit.label or hit.page}"


def plural(number: int, word: str) -> str:
    return count(number, word, grouped=True)


# What a result is, as the panel counts it: a page, a mark (its quote, note or
# tags), a document's tags or a form field; never all called pages.
SOURCE_NOUNS = {
    "page": "page",
    "mark": "mark",
    "document": "document tag",
    "field": "form field",
    "bates": "Bates number",
}


def kinds_found(hits: Iterable[SearchHit]) -> str:
    """The results counted by what they are: "3 pages, 2 marks"."""
    found = Counter(hit.source for hit in hits)
    return ", ".join(plural(found[s], noun) for s, noun in SOURCE_NOUNS.items() if found[s])


@dataclass(frozen=True)
class _Row:
    hit: SearchHit
    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Group:
    doc: int
    title: str
    rows: tuple[_Row, ...]

    @property
    def hit_count(self) -> int:
        return sum(len(row.hit.hits) or 1 for row in self.rows)

    @property
    def counts(self) -> str:
        pages = sum(1 for row in self.rows if row.hit.source == "page")
        if pages == len(self.rows):
            return f"{plural(self.hit_count, 'hit')} on {plural(pages, 'page')}"
        return kinds_found(row.hit for row in self.rows)  # marks are not pages


def group_hits(hits: Sequence[SearchHit]) -> list[_Group]:
    by_doc: dict[int, list[SearchHit]] = {}
    for hit in hits:  # best first, so a dict keeps the best document first
        by_doc.setdefault(hit.doc, []).append(hit)
    return [
        _Group(
            doc,
            pages[0].title,
            tuple(
                _Row(hit, *parse_snippet(hit.snippet))
                for hit in sorted(pages, key=lambda h: h.page)
            ),
        )
        for doc, pages in by_doc.items()
    ]


class SearchResultsModel(QAbstractItemModel):
    """Top-level rows are documents; a page row's internal id is its document's row + 1."""

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[_Group] = []
        self.results: SearchResults | None = None

    def set_results(self, results: SearchResults | None) -> None:
        self.beginResetModel()
        self.results = results
        self._groups = group_hits(results.results) if results else []
        self.endResetModel()

    def hits(self) -> list[SearchHit]:
        return [row.hit for group in self._groups for row in group.rows]

    @property
    def document_count(self) -> int:
        return len(self._groups)

    def index_of(self, doc: int, page: int) -> QModelIndex:
        for group_row, group in enumerate(self._groups):
            if group.doc == doc:
                for row, item in enumerate(group.rows):
                    if item.hit.page == page:
                        return self.createIndex(row, 0, group_row + 1)
        return QModelIndex()

    # -- QAbstractItemModel ---------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() == 0 and row < len(self._groups[parent.row()].rows):
            return self.createIndex(row, 0, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0:
            return len(self._groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._document_data(self._groups[index.row()], role)
        group = self._groups[index.internalId() - 1]
        return self._page_data(group, group.rows[index.row()], role)

    def _document_data(self, group: _Group, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return group.title
        if role == Role.COUNTS:
            return group.counts
        if role == Role.IS_DOCUMENT:
            return True
        if role == Role.HIT:
            return group.rows[0].hit
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            pages = ", ".join(row.hit.label or str(row.hit.page) for row in group.rows)
            return f"{group.title} — {group.counts} ({pages})"
        return None

    def _page_data(self, group: _Group, row: _Row, role: int) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{page_label(row.hit)}: {row.text}"
        if role == Role.SNIPPET:
            return (row.text, row.spans)
        if role == Role.PAGE_LABEL:
            return page_label(row.hit)
        if role == Role.IS_DOCUMENT:
            return False
        if role == Role.HIT:
            return row.hit
        if role == Qt.ItemDataRole.ToolTipRole:  # rich text: the hits stay bold
            return (
                f"<p><b>{html.escape(group.title)}</b>, {page_label(row.hit)}</p>"
                f"<p>{row.hit.snippet}</p>"
            )
        return None
