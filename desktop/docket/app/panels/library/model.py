"""The case's documents as a table: Title, Type, Pages, Imported, Flags, Tags, Reviewed.

The source model sorts itself with Python's sort on precomputed keys, and the
proxy only filters: a proxy that sorts calls back into Python for every
comparison, which is seconds for the 50,000 documents of a big case.

Tags change on their own (tagging is not importing), so they are kept beside
the rows, by document id, and replaced as a whole by `set_document_tags`; so
is review coverage (pages reviewed per document: `set_coverage`).

After an import `update_documents` takes only the new documents: a few are
inserted where the sort puts them (the view keeps its place and selection);
many, changed ones or removals rebuild the rows, reusing the unchanged ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from docket.core.model.records import Document, DocumentKind, Flag, OcrState, encoding_note
from docket.core.ocr.wording import ocr_status
from docket.core.text.folding import fold_word
from docket.core.text.languages import language_name

Index = QModelIndex | QPersistentModelIndex
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# New rows arrive in at most this many separate places before the model is rebuilt
# instead: each insertion re-reads every row's filter match (50,000 rows: ~10 ms).
MAX_INSERTIONS = 8


class Column(IntEnum):
    TITLE = 0
    TYPE = 1
    PAGES = 2
    IMPORTED = 3
    FLAGS = 4
    TAGS = 5
    REVIEWED = 6


HEADERS = ("Title", "Type", "Pages", "Imported", "Flags", "Tags", "Reviewed")
FLAG_WORDS: dict[str, str] = {
    Flag.NO_TEXT_LAYER: "no text layer — needs OCR",
    Flag.SOME_PAGES_WITHOUT_TEXT: "some pages without text",
    Flag.ENCRYPTED: "encrypted",
    Flag.ENCODING_GUESSED: "encoding guessed",
    Flag.ENCODING_REPLACED: "undecodable bytes replaced",
}
# Once OCR has been asked for, its own words say where the document stands.
OCR_REPLACES = {Flag.NO_TEXT_LAYER, Flag.SOME_PAGES_WITHOUT_TEXT, Flag.OCR_LOW_CONFIDENCE}
KIND_WORDS = {DocumentKind.PDF: "PDF", DocumentKind.TEXT: "Text", DocumentKind.IMAGE: "Image"}


def fold(text: str) -> str:
    """Lowercase and unaccented word by word, exactly as search folds words, so that
    "zhanaozen" finds "Zhanaözen" here too (the core caches each word's folding)."""
    return " ".join(fold_word(word) for word in text.split())


def same_name_ids(documents: Sequence[Document]) -> dict[int, list[int]]:
    """For each document, the other documents imported from a file of the same name."""
    by_name: defaultdict[str, list[int]] = defaultdict(list)
    for document in documents:
        by_name[document.source_name.casefold()].append(document.id)
    return {
        doc: [other for other in ids if other != doc]
        for ids in by_name.values()
        if len(ids) > 1
        for doc in ids
    }


def flag_words(
    document: Document, same_name: Sequence[int] = (), low_confidence_pages: int = 0
) -> list[str]:
    flags = document.flags
    if document.ocr is not OcrState.NONE:
        flags = tuple(flag for flag in flags if flag not in OCR_REPLACES)
    # A StrEnum hashes like its value, so the stored strings look the words up directly.
    words = [FLAG_WORDS.get(flag, flag.replace("-", " ")) for flag in flags]
    if ocr := ocr_status(document, low_confidence_pages):  # "OCR pending", "OCR unavailable: …"
        words.append(ocr)
    elif document.ocr is OcrState.DONE and Flag.OCR_LOW_CONFIDENCE in document.flags:
        words.append("OCR: some pages low confidence")
    if note := encoding_note(document.flags, document.encoding):  # "encoding guessed: koi8-r"
        shown = {FLAG_WORDS[Flag.ENCODING_GUESSED], FLAG_WORDS[Flag.ENCODING_REPLACED]}
        words = [word for word in words if word not in shown] + [note]
    if same_name:
        listed = ", ".join(str(doc) for doc in same_name[:3]) + (
            ", …" if len(same_name) > 3 else ""
        )
        words.append(f"same file name as doc{'s' if len(same_name) > 1 else ''} {listed}")
    return words


@dataclass(frozen=True)
class _Row:
    """What sorting and filtering need, computed once; display text is made when shown."""

    document: Document
    title: str
    folded_title: str
    kind: str
    flags: str
    haystack: str  # folded title, file name, type and flags, for the filter
    twins: tuple[int, ...]  # other documents with the same file name


def _row(document: Document, same_name: Sequence[int], low_confidence_pages: int = 0) -> _Row:
    title = document.title.strip() or document.source_name
    kind = KIND_WORDS.get(document.kind, str(document.kind))
    flags = "; ".join(flag_words(document, same_name, low_confidence_pages))
    folded_title = fold(title)
    haystack = f"{folded_title} {fold(' '.join((document.source_name, kind, flags)))}"
    return _Row(document, title, folded_title, kind, flags, haystack, tuple(same_name))


def _tooltip(row: _Row, tags: str) -> str:
    document = row.document
    lines = [
        row.title,
        f"by {document.author}" if document.author else "",
        document.source_path,
        f"SHA-256: {document.sha256}",
        f"Imported {document.imported_at.astimezone():%Y-%m-%d %H:%M}",
        row.flags,
        _language_line(document),
        f"OCR languages: {document.ocr_languages} (its own)" if document.ocr_languages else "",
        f"Tags: {tags}" if tags else "",
    ]
    return "\n".join(line for line in lines if line)


def _language_line(document: Document) -> str:
    """The tooltip line naming its language ("Language: Russian (detected)"): its words
    are stemmed by it; the library's Language… entry changes it."""
    how = "chosen" if document.language_set else "detected"
    if not document.language:
        return "Language: unknown" + (" (chosen)" if document.language_set else "")
    return f"Language: {language_name(document.language)} ({how})"


class DocumentTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[_Row] = []
        self._sort = (Column.TITLE, Qt.SortOrder.AscendingOrder)
        self._where: dict[int, int] = {}  # doc id -> row
        self._version = 0
        self._days: dict[date, str] = {}  # imports come in batches: few distinct days
        self._tags: dict[int, list[str]] = {}  # doc id -> its tags, for the tag filter
        self._tag_text: dict[int, str] = {}  # doc id -> "Exhibit, Issue/Torture"
        self._folded_tags: dict[int, str] = {}  # doc id -> the same, folded for the filter
        self._names: Counter[str] = Counter()  # casefolded file names, for the twins flag
        self._reviewed: dict[int, int] = {}  # doc id -> pages reviewed (review coverage)
        # How many pages OCR read with low confidence (the window reads the case).
        self.low_confidence_pages: Callable[[int], int] = lambda _doc: 0

    def set_documents(self, documents: Sequence[Document]) -> None:
        same_name = same_name_ids(documents)
        self._names = Counter(document.source_name.casefold() for document in documents)
        self.beginResetModel()
        # A refresh after an import changes few rows: reuse the others (folding
        # 50,000 titles again would cost a third of a second).
        previous = {row.document.id: row for row in self._rows}
        rows = []
        for document in documents:
            twins = tuple(same_name.get(document.id, ()))
            old = previous.get(document.id)
            # A document read by OCR again may have other low-confidence pages, same record.
            if (
                old is None
                or old.document != document
                or old.twins != twins
                or Flag.OCR_LOW_CONFIDENCE in document.flags
            ):
                old = self._row(document, twins)
            rows.append(old)
        self._rows = rows
        self._rows.sort(
            key=self._key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder
        )
        self._reindex()
        self.endResetModel()

    def update_documents(
        self, documents: Sequence[Document], removed: Collection[int] = ()
    ) -> None:
        """Rows for `documents` (new ones added, known ones replaced), none for `removed`."""
        new = [d for d in documents if d.id not in self._where]
        names = Counter(d.source_name.casefold() for d in new)
        # A new file name shared with another document flags both rows: rebuild then.
        if (
            removed
            or len(new) < len(documents)
            or any(count > 1 or name in self._names for name, count in names.items())
        ):
            replaced = {d.id for d in documents} | set(removed)
            kept = [row.document for row in self._rows if row.document.id not in replaced]
            self.set_documents(kept + list(documents))
        elif new and not self._insert([self._row(d, ()) for d in new]):
            self.set_documents([row.document for row in self._rows] + new)
        else:
            self._names.update(names)

    def _row(self, document: Document, twins: Sequence[int]) -> _Row:
        low = 0
        if Flag.OCR_LOW_CONFIDENCE in document.flags:
            low = self.low_confidence_pages(document.id)
        return _row(document, twins, low)

    def _insert(self, rows: list[_Row]) -> bool:
        """Put `rows` where the sort order wants them; False (nothing done) if that
        is in more than MAX_INSERTIONS places."""
        key = self._key(self._sort[0])
        descending = self._sort[1] == Qt.SortOrder.DescendingOrder
        rows.sort(key=key, reverse=descending)
        places: dict[int, list[_Row]] = defaultdict(list)
        for row in rows:
            places[self._place(key(row), key, descending)].append(row)
        if len(places) > MAX_INSERTIONS:
            return False
        for place in sorted(places, reverse=True):  # from the end: earlier places stay put
            run = places[place]
            self.beginInsertRows(QModelIndex(), place, place + len(run) - 1)
            self._rows[place:place] = run
            self._reindex()  # before the proxy asks about the new rows
            self.endInsertRows()
        return True

    def _place(
        self, wanted: tuple[Any, ...], key: Callable[[_Row], tuple[Any, ...]], descending: bool
    ) -> int:
        """Where a row with sort key `wanted` goes (keys are unique: ids break ties)."""
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            here = key(self._rows[middle])
            if (here > wanted) if descending else (here < wanted):
                low = middle + 1
            else:
                high = middle
        return low

    def totals(self) -> tuple[int, int]:
        """(documents, pages) in the case."""
        return len(self._rows), sum(row.document.page_count for row in self._rows)

    def set_document_tags(self, tags: Mapping[int, Sequence[str]]) -> None:
        """Each document's tags (all of them, one query: `marking.all_document_tags()`)."""
        self._tags = {doc: list(names) for doc, names in tags.items() if names}
        self._tag_text = {doc: ", ".join(names) for doc, names in self._tags.items()}
        self._folded_tags = {doc: fold(text) for doc, text in self._tag_text.items()}
        self._version += 1  # the filter's matches may have changed
        if self._sort[0] == Column.TAGS:
            self._resort()
        elif self._rows:
            self.dataChanged.emit(
                self.index(0, Column.TAGS), self.index(len(self._rows) - 1, Column.TAGS)
            )

    def set_coverage(self, reviewed: Mapping[int, int]) -> None:
        """Pages reviewed per document (every document's; missing ones: none)."""
        self._reviewed = {doc: count for doc, count in reviewed.items() if count}
        self._coverage_changed()

    def set_document_coverage(self, doc_id: int, reviewed: int) -> None:
        self._reviewed[doc_id] = reviewed
        self._coverage_changed()

    def reviewed_pages(self, doc_id: int) -> int:
        return self._reviewed.get(doc_id, 0)

    def fully_reviewed(self, row: int) -> bool:
        document = self._rows[row].document
        return self._reviewed.get(document.id, 0) >= document.page_count

    def _coverage_changed(self) -> None:
        self._version += 1
        if self._sort[0] == Column.REVIEWED:
            self._resort()
        elif self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, Column.REVIEWED), self.index(last, Column.REVIEWED))

    def tags_of(self, doc_id: int) -> list[str]:
        return self._tags.get(doc_id, [])

    def document_tags(self) -> dict[int, list[str]]:
        return self._tags

    @property
    def version(self) -> int:
        """Changes whenever rows are replaced or reordered."""
        return self._version

    def matching(self, words: Sequence[str]) -> list[bool]:
        """For each row, whether its haystack contains every word."""
        tags = self._folded_tags
        return [
            all(word in row.haystack or word in tags.get(row.document.id, "") for word in words)
            for row in self._rows
        ]

    def document(self, row: int) -> Document:
        return self._rows[row].document

    def row_of(self, doc_id: int) -> int | None:
        return self._where.get(doc_id)

    def _reindex(self) -> None:
        self._where = {row.document.id: n for n, row in enumerate(self._rows)}
        self._version += 1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS) or (column, order) == self._sort:
            return  # the rows are always kept in self._sort's order; QTableView asks twice
        self._sort = (Column(column), order)
        self._resort()

    def _resort(self) -> None:
        """Put the rows in self._sort's order, keeping the view's selection on them."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[index.row()].document.id for index in persistent]
        self._rows.sort(
            key=self._key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder
        )
        self._reindex()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(self._where[doc], index.column())
                for doc, index in zip(ids, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _day(self, moment: datetime) -> str:
        local = moment.astimezone()
        day = local.date()
        if day not in self._days:
            locale = QLocale()
            qdate = QDate(day.year, day.month, day.day)
            # The C locale (no LANG set) writes "24 11 2026"; ISO is clearer there.
            self._days[day] = (
                qdate.toString(Qt.DateFormat.ISODate)
                if locale.language() == QLocale.Language.C
                else locale.toString(qdate, QLocale.FormatType.ShortFormat)
            )
        return self._days[day]

    def _key(self, column: Column) -> Callable[[_Row], tuple[Any, ...]]:
        # The document id breaks ties, so equal keys keep a stable, predictable order.
        tags = self._folded_tags
        reviewed = self._reviewed
        keys = {
            Column.TITLE: lambda r: (r.folded_title, r.document.id),
            Column.TYPE: lambda r: (r.kind, r.folded_title, r.document.id),
            Column.PAGES: lambda r: (r.document.page_count, r.document.id),
            Column.IMPORTED: lambda r: (r.document.imported_at, r.document.id),
            Column.FLAGS: lambda r: (r.flags, r.document.id),
            # Untagged documents after the tagged ones, which sort by their tags.
            Column.TAGS: lambda r: (
                r.document.id not in tags,
                tags.get(r.document.id, ""),
                r.folded_title,
                r.document.id,
            ),
            Column.REVIEWED: lambda r: (
                reviewed.get(r.document.id, 0) / max(1, r.document.page_count),
                r.document.id,
            ),
        }
        return keys[column]

    # -- QAbstractTableModel ----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:  # headers line up with their column
            horizontal = (
                Qt.AlignmentFlag.AlignRight
                if section in (Column.PAGES, Column.REVIEWED)
                else Qt.AlignmentFlag.AlignLeft
            )
            return horizontal | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.IMPORTED:
                return self._day(row.document.imported_at)
            if column == Column.TAGS:
                return self._tag_text.get(row.document.id, "")
            if column == Column.REVIEWED:
                return f"{self._reviewed.get(row.document.id, 0)}/{row.document.page_count}"
            return (row.title, row.kind, row.document.page_count, "", row.flags)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            reviewed = self._reviewed.get(row.document.id, 0)
            said = f"Reviewed: {reviewed} of {row.document.page_count} pages"
            return _tooltip(row, self._tag_text.get(row.document.id, "")) + "\n" + said
        if role == DOC_ID_ROLE:
            return row.document.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.PAGES, Column.REVIEWED):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.FLAGS and row.flags:
            return _warning_colour()
        return None


def _warning_colour() -> QColor:
    dark = QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#f0b45a" if dark else "#9a5800")


class DocumentFilter(QSortFilterProxyModel):
    """Keeps the rows whose title, file name, type, flags or tags contain every typed
    word, and, when a tag is chosen, that are among the documents carrying it."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self._allowed: set[int] | None = None  # doc ids; None: no tag chosen
        self._unreviewed_only = False  # "Not fully reviewed"
        # Matching is done for all rows at once in Python, then looked up per row:
        # Qt asks once or twice per row, and each ask is a call into Python.
        self._mask: list[bool] = []
        self._mask_version = -1

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self._mask_version = -1
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_allowed(self, doc_ids: set[int] | None) -> None:
        self.beginFilterChange()
        self._allowed = doc_ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_unreviewed_only(self, on: bool) -> None:
        """Only documents with pages nobody has reviewed yet."""
        self.beginFilterChange()
        self._unreviewed_only = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Filter again (coverage changed while "Not fully reviewed" is on)."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DocumentTableModel):
            return True
        if self._unreviewed_only and model.fully_reviewed(source_row):
            return False
        if self._allowed is not None and model.document(source_row).id not in self._allowed:
            return False
        if not self._words:
            return True
        if self._mask_version != model.version:
            self._mask = model.matching(self._words)
            self._mask_version = model.version
        return self._mask[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)  # see the module docstring
