"""A PDF's metadata, page labels and outline: pypdf first, QtPdf when pypdf cannot.

Metadata is a courtesy, never a reason to refuse a file: PDFium (through
QtPdf) already opened the document, so whatever pypdf cannot parse (a broken
Info dictionary, a bad date, an outline that loops, an encryption it does not
support) falls back to what QtPdf reports, field by field, and pypdf's
warnings about the damage are kept out of the user's log.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QModelIndex
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument

from docket.core.records import OutlineEntry

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
    labels: tuple[str, ...] = ()  # one per page; the 1-based number where the PDF has none
    outline: tuple[OutlineEntry, ...] = field(default_factory=tuple)


def read_metadata(path: Path, document: QPdfDocument, password: str | None = None) -> PdfMetadata:
    """What `path` says about itself; `document` is the same file, already open in QtPdf.

    Never raises: anything pypdf cannot read comes from QtPdf instead.
    """
    page_count = document.pageCount()
    found = _read_with_pypdf(path, password, page_count)
    qt = _QtFallback(document)
    return PdfMetadata(
        title=found.get("title") or qt.text(QPdfDocument.MetaDataField.Title),
        author=_author(found.get("author") or qt.text(QPdfDocument.MetaDataField.Author)),
        created=found.get("created") or qt.date(QPdfDocument.MetaDataField.CreationDate),
        modified=found.get("modified") or qt.date(QPdfDocument.MetaDataField.ModificationDate),
        labels=found.get("labels") or qt.labels(),
        outline=found["outline"] if "outline" in found else qt.outline(),
    )


# --- pypdf -----------------------------------------------------------------


def _read_with_pypdf(path: Path, password: str | None, page_count: int) -> dict[str, Any]:
    """Each field pypdf could read; a missing key means "ask QtPdf"."""
    found: dict[str, Any] = {}
    with _quiet_pypdf():
        try:
            from pypdf import PdfReader

            # An open handle, not the path: given a path, pypdf reads the whole
            # file into memory, and scanned case files run to hundreds of MB.
            with open(path, "rb") as handle:
                reader = PdfReader(handle, strict=False)
                if reader.is_encrypted and not _decrypt(reader, password):
                    return found  # an encryption pypdf cannot open: QtPdf has it all
                _collect(reader, page_count, found)
        except Exception:
            pass  # damage is expected here: QtPdf fills the gaps
    return found


def _decrypt(reader: Any, password: str | None) -> bool:
    from pypdf import PasswordType

    try:
        # The empty password opens files that only restrict printing or copying.
        for candidate in (password, ""):
            if candidate is not None and reader.decrypt(candidate) != PasswordType.NOT_DECRYPTED:
                return True
    except Exception:
        return False
    return False


def _collect(reader: Any, page_count: int, found: dict[str, Any]) -> None:
    """Fills `found` field by field, so one broken entry spoils only itself."""
    info = _attempt(lambda: reader.metadata)
    if info is not None:
        for key, read in (
            ("title", lambda: clean_text(info.title)),
            ("author", lambda: clean_text(info.author)),
            ("created", lambda: _plausible(info.creation_date)),
            ("modified", lambda: _plausible(info.modification_date)),
        ):
            value = _attempt(read)
            if value:
                found[key] = value
    labels = _attempt(lambda: _pypdf_labels(reader, page_count))
    if labels is not None:
        found["labels"] = labels
    outline = _attempt(lambda: _pypdf_outline(reader, page_count))
    if outline is not None:
        found["outline"] = outline


def _attempt(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except Exception:
        return None


def _pypdf_labels(reader: Any, page_count: int) -> tuple[str, ...] | None:
    if "/PageLabels" not in reader.root_object:
        return _numbers(page_count)
    labels = tuple(str(label) for label in reader.page_labels)
    # pypdf and PDFium may disagree on a damaged page tree; the pages are
    # QtPdf's, so labels that do not line up with them are worse than none.
    return labels if len(labels) == page_count else None


def _pypdf_outline(reader: Any, page_count: int) -> tuple[OutlineEntry, ...]:
    entries: list[OutlineEntry] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if len(entries) >= MAX_OUTLINE_ENTRIES:
                return
            if isinstance(item, list):  # pypdf nests an item's children right after it
                walk(item, level + 1)
                continue
            index = _attempt(lambda item=item: reader.get_destination_page_number(item))
            entries.append(
                OutlineEntry(
                    title=clean_text(getattr(item, "title", "")),
                    page=_page_number(index, page_count),
                    level=level,
                )
            )

    walk(reader.outline, 0)
    return tuple(entries)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
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


# --- QtPdf -------------------------------------------------------------------


class _QtFallback:
    """The same facts from PDFium, which opened the file, so they always exist."""

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

    def labels(self) -> tuple[str, ...]:
        count = self._document.pageCount()
        return tuple(self._document.pageLabel(i) or str(i + 1) for i in range(count))

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
        model.setDocument(None)
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


def _numbers(page_count: int) -> tuple[str, ...]:
    return tuple(str(i + 1) for i in range(page_count))


def _page_number(index: object, page_count: int) -> int:
    """1-based page for a 0-based index, or 0 when the entry points nowhere real."""
    if isinstance(index, int) and 0 <= index < page_count:
        return index + 1
    return 0
