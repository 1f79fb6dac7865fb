"""A PDF's metadata, page labels and outline, as QtPdf (PDFium) reads them.

Metadata is a courtesy, never a reason to refuse a file: a broken Info
dictionary, a bad date or an outline that points nowhere leaves that field
empty. `quiet_pypdf` keeps pypdf's complaints about damaged files (where
pypdf is still used: annotations, exports) out of the user's log.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, QModelIndex
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument

from docket.core.model.records import OutlineEntry

# An outline longer than this is generated junk (or a hostile file); the
# reader's panel would be useless with it anyway.
MAX_OUTLINE_ENTRIES = 5000

# Dates before PDF existed (1993) are zeroed or mis-set clocks (1970, 1601…);
# keeping them would put documents at the wrong end of date searches.
_EARLIEST_YEAR = 1980
_LATEST_YEAR = 2200

# Authors that office software writes for a user it does not know: they
# say nothing about who wrote the document.
_JUNK_AUTHORS = frozenset(
    {
        "administrator",
        "admin",
        "user",
        "owner",
        "unknown",
        "windows user",
        "microsoft office user",
        "authorised user",
        "authorized user",
        "default",
    }
)


@dataclass(frozen=True)
class PdfMetadata:
    title: str = ""  # cleaned, but not yet judged: see pdfextract.choose_title
    author: str = ""
    created: datetime | None = None  # always timezone-aware (UTC when the PDF gave no zone)
    modified: datetime | None = None
    outline: tuple[OutlineEntry, ...] = field(default_factory=tuple)


def read_metadata(document: QPdfDocument) -> PdfMetadata:
    """What the PDF open in `document` says about itself: title, author, dates, outline.

    Everything comes from QtPdf, which has already opened the file: reading
    the same facts again with pypdf cost more than the page text itself
    (1.9 CPU-ms a page on real PDFs with big outlines, 7-8 s for a
    1,600-page source listing). Never raises: a broken entry is left empty.
    Page labels are read page by page with the text (see `page_label`).
    """
    qt = _QtFacts(document)
    return PdfMetadata(
        title=qt.text(QPdfDocument.MetaDataField.Title),
        author=_author(qt.text(QPdfDocument.MetaDataField.Author)),
        created=qt.date(QPdfDocument.MetaDataField.CreationDate),
        modified=qt.date(QPdfDocument.MetaDataField.ModificationDate),
        outline=_attempt(qt.outline) or (),
    )


def page_label(document: QPdfDocument, index: int) -> str:
    """The label the PDF gives page `index` (0-based), else its 1-based number."""
    return clean_text(_attempt(lambda: document.pageLabel(index))) or str(index + 1)


def _attempt(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except Exception:
        return None


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """Keeps pypdf's complaints about damaged files out of the log while it reads one.

    A depth count, not a plain save/restore, so that two threads reading at
    once (the in-process pool) cannot leave the logger silenced for good.
    """
    global _quiet_depth
    logger = logging.getLogger("pypdf")
    with _quiet_lock:
        if _quiet_depth == 0:
            _quiet_saved[0] = logger.level
            logger.setLevel(logging.ERROR)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                logger.setLevel(_quiet_saved[0])


_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_saved = [logging.NOTSET]


class _QtFacts:
    """The facts from PDFium, field by field, each failing alone."""

    def __init__(self, document: QPdfDocument) -> None:
        self._document = document

    def text(self, field_: QPdfDocument.MetaDataField) -> str:
        return clean_text(_attempt(lambda: self._document.metaData(field_)))

    def date(self, field_: QPdfDocument.MetaDataField) -> datetime | None:
        value = _attempt(lambda: self._document.metaData(field_))
        if not isinstance(value, QDateTime) or not value.isValid():
            return None
        moment = value.toUTC().toPython()
        return _plausible(moment.replace(tzinfo=UTC) if isinstance(moment, datetime) else None)

    def outline(self) -> tuple[OutlineEntry, ...]:
        model = QPdfBookmarkModel()
        model.setDocument(self._document)
        roles = QPdfBookmarkModel.Role
        page_count = self._document.pageCount()
        entries: list[OutlineEntry] = []

        def children(parent: QModelIndex) -> list[QModelIndex]:
            return [model.index(row, 0, parent) for row in range(model.rowCount(parent))]

        # Depth-first in document order, with an explicit stack and a cap: a
        # hostile outline must exhaust neither the Python stack nor memory.
        pending = list(reversed(children(QModelIndex())))
        while pending and len(entries) < MAX_OUTLINE_ENTRIES:
            index = pending.pop()
            entries.append(
                OutlineEntry(
                    title=clean_text(model.data(index, roles.Title)),
                    page=_page_number(model.data(index, roles.Page), page_count),
                    level=int(model.data(index, roles.Level) or 0),
                )
            )
            pending.extend(reversed(children(index)))
        # Qt takes a null document to detach; PySide6's stubs leave out None.
        model.setDocument(None)  # type: ignore[arg-type]
        return tuple(entries)


# --- shared --------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ufeff]")


def clean_text(value: object) -> str:
    """One line of plain text from a metadata string (no control characters, single spaces)."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", _CONTROL.sub("", value)).strip()


def _author(value: str) -> str:
    return "" if value.casefold() in _JUNK_AUTHORS else value


def _plausible(moment: object) -> datetime | None:
    """A timezone-aware date, or None for no date or an impossible one."""
    if not isinstance(moment, datetime):
        return None
    if moment.tzinfo is None:
        # A PDF date without a zone is in an unknown local time; UTC is the
        # least wrong choice and keeps dates comparable with import times.
        moment = moment.replace(tzinfo=UTC)
    if not _EARLIEST_YEAR <= moment.year < _LATEST_YEAR:
        return None
    return moment


def _page_number(index: object, page_count: int) -> int:
    """1-based page for a 0-based index, or 0 when the entry points nowhere real."""
    if isinstance(index, int) and 0 <= index < page_count:
        return index + 1
    return 0
