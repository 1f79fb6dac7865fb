"""A list model over marks, for the document's marks panel and the case's mark browser.

The model holds the Mark records it was given and answers every role from
them and two lookups filled before it is set (page labels, document titles),
so that painting 2,000 rows never asks the database anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from docket.core.model.colours import HIGHLIGHT_COLOURS, colour_names
from docket.core.model.marks import Mark, MarkKind
from docket.core.transcripts.service import Lines, pin_text

if TYPE_CHECKING:
    from docket.core.case import Case

Index = QModelIndex | QPersistentModelIndex

TOOLTIP_CHARS = 1500
UNKNOWN_RGB = "#9e9e9e"  # a colour key from a newer Docket: grey, named by its key
_RGB = {colour.key: colour.rgb for colour in HIGHLIGHT_COLOURS}


def rgb_of(key: str) -> str:
    return _RGB.get(key, UNKNOWN_RGB)


def display_colour_names() -> dict[str, str]:
    """Each colour key's name as the user sees it: their own from the preferences, if any."""
    try:
        from docket.core.preferences import load_preferences

        custom = load_preferences().colour_names
    except (ImportError, AttributeError, OSError, ValueError):  # preferences still settling
        custom = {}
    return colour_names(custom)


class Role(IntEnum):
    MARK = Qt.ItemDataRole.UserRole + 1  # the Mark
    WHERE = Qt.ItemDataRole.UserRole + 2  # "p. iv", "pp. 3–4 · Page note", "Document note"
    TITLE = Qt.ItemDataRole.UserRole + 3  # the document's title ("" when not shown)


class PageLabels:
    """Page labels of one case, each read once: a document's labels never change."""

    def __init__(self, case: Case | None = None) -> None:
        self.case = case
        self._labels: dict[tuple[int, int], str] = {}
        self._docs: set[int] = set()
        self._lines: dict[int, Lines] = {}  # page:line of highlights on transcripts, by mark

    def reset(self, case: Case | None) -> None:
        if case is not self.case:
            self.case = case
            self._labels.clear()
            self._docs.clear()
            self._lines.clear()

    def fill(self, marks: Iterable[Mark]) -> None:
        """Read the labels of the pages `marks` start and end on that are not known yet."""
        if self.case is None:
            return
        for doc in {mark.doc for mark in marks} - self._docs:
            # One query per document, once: labels are small and never change.
            for number, label in self.case.page_labels(doc).items():
                self._labels[doc, number] = label
            self._docs.add(doc)
        # Lines are read each time: a mark's anchor, or its document's map, may change.
        for mark in marks:
            self._lines.pop(mark.id, None)
        self._lines.update(self.case.transcripts.mark_lines(marks))

    def label(self, doc: int, page: int) -> str:
        return self._labels.get((doc, page)) or str(page)

    def lines(self, mark: Mark) -> str:
        """27:4–28:2 for a highlight on a transcript's numbered lines; '' otherwise."""
        found = self._lines.get(mark.id)
        if found is None:
            return ""
        pages = {page: self.label(mark.doc, page) for page in (found[0][0], found[1][0])}
        return pin_text(found, pages)


def where(mark: Mark, labels: PageLabels) -> str:
    """Where a mark is, as a person cites it."""
    if mark.kind is MarkKind.DOCUMENT_NOTE or mark.page is None:
        return "Document note"
    if lines := labels.lines(mark):
        return lines
    first = labels.label(mark.doc, mark.page)
    end_page = mark.end_page or mark.page
    text = (
        f"pp. {first}–{labels.label(mark.doc, end_page)}"
        if end_page != mark.page
        else f"p. {first}"
    )
    if mark.kind is MarkKind.REDACTION:
        return f"{text} · Redaction ({mark.reason})"
    return f"{text} · Page note" if mark.kind is MarkKind.PAGE_NOTE else text


class MarkListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None, *, show_titles: bool = False) -> None:
        super().__init__(parent)
        self._marks: list[Mark] = []
        self._titles: dict[int, str] = {}
        self._labels = PageLabels()
        self.show_titles = show_titles

    # -- filling ----------------------------------------------------------------------

    def set_marks(
        self, marks: Sequence[Mark], labels: PageLabels, titles: dict[int, str] | None = None
    ) -> bool:
        """Show `marks`; True when the rows are the marks shown before, changed or fewer.

        The same marks in the same order are updated in place, and marks gone are
        removed row by row, so that the view keeps its selection and scroll position
        without help (typing a note, recolouring, deleting). Anything else (a mark
        added, another order) resets the list."""
        ids = [m.id for m in marks]
        self._labels, self._titles = labels, dict(titles or {})
        if len(ids) < len(self._marks):
            kept = set(ids)
            if [m.id for m in self._marks if m.id in kept] == ids:
                self._remove_rows(kept)
        if ids == [m.id for m in self._marks]:
            old, self._marks = self._marks, list(marks)
            # Only the rows that changed: a signal over every row makes QListView measure
            # every row again (~20 ms for 2,000), on each pause in typing a note.
            for row, (before, after) in enumerate(zip(old, self._marks, strict=True)):
                if before != after:
                    self.dataChanged.emit(self.index(row), self.index(row))
            return True
        self.beginResetModel()
        self._marks = list(marks)
        self.endResetModel()
        return False

    def clear(self) -> None:
        self.set_marks([], self._labels)

    def _remove_rows(self, kept: set[int]) -> None:
        """Remove the rows of marks not in `kept`, each run of rows at once, from the end."""
        row = len(self._marks) - 1
        while row >= 0:
            if self._marks[row].id in kept:
                row -= 1
                continue
            last = row
            while row >= 0 and self._marks[row].id not in kept:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row + 1, last)
            del self._marks[row + 1 : last + 1]
            self.endRemoveRows()

    # -- reading ----------------------------------------------------------------------

    def marks(self) -> list[Mark]:
        return list(self._marks)

    def mark(self, row: int) -> Mark | None:
        return self._marks[row] if 0 <= row < len(self._marks) else None

    def row_of(self, mark_id: int) -> int:
        """The row showing mark `mark_id`, or -1."""
        return next((row for row, m in enumerate(self._marks) if m.id == mark_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._marks)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        mark = self.mark(index.row()) if index.isValid() else None
        if mark is None:
            return None
        if role == Role.MARK:
            return mark
        if role == Role.WHERE:
            return where(mark, self._labels)
        if role == Role.TITLE:
            return self._titles.get(mark.doc, "") if self.show_titles else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            # The row shows the note's first line only; a tooltip is no place for a memo.
            return (
                mark.note[:TOOLTIP_CHARS] + ("…" if len(mark.note) > TOOLTIP_CHARS else "")
            ) or None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._spoken(mark)
        return None

    def _spoken(self, mark: Mark) -> str:
        """The whole row as one line: what a screen reader says and copying gives."""
        parts = [self._titles.get(mark.doc, "")] if self.show_titles else []
        parts += [where(mark, self._labels), mark.quote, mark.note, ", ".join(mark.tags)]
        return " — ".join(part for part in parts if part)
