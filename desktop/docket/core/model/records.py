"""Typed records passed between the core's parts, the CLI and the window.

Page numbers are 1-based everywhere in the core; only the QtPdf calls convert
to 0-based indexes. Offsets are into a page's stored (canonical) text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class DocumentKind(StrEnum):
    PDF = "pdf"
    TEXT = "text"
    IMAGE = "image"  # PNG, JPEG, TIFF: one page per image, read by OCR, shown as a PDF

    @property
    def shown_as_pdf(self) -> bool:
        """Drawn by QtPdf (an image through its rendition), not as plain text."""
        return self is not DocumentKind.TEXT


class Flag(StrEnum):
    """Facts about a document worth showing in lists."""

    NO_TEXT_LAYER = "no-text-layer"  # every page lacks text: needs OCR
    SOME_PAGES_WITHOUT_TEXT = "some-pages-without-text"
    ENCRYPTED = "encrypted"
    ENCODING_GUESSED = "encoding-guessed"  # text files: the detector hesitated
    ENCODING_REPLACED = "encoding-replaced"  # text files: bytes read as U+FFFD
    FIELD_TRUNCATED = "form-field-truncated"  # a form field's value was cut to MAX_FIELD_CHARS
    OCR_LOW_CONFIDENCE = "ocr-low-confidence"  # some pages were read by OCR with low confidence


class OcrState(StrEnum):
    """Where a document's OCR stands (documents.ocr)."""

    NONE = ""  # every page has a usable text layer: nothing to read
    PENDING = "pending"  # pages wait for OCR, or it is running
    SKIPPED = "skipped"  # imported with --no-ocr: `docket ocr` reads it
    DONE = "done"
    FAILED = "failed"  # ocr_note says why
    UNAVAILABLE = "unavailable"  # no Tesseract, or no pack for its language: ocr_note says


def encoding_note(flags: tuple[str, ...], encoding: str) -> str | None:
    """What a text document's flags say about its decoding ("encoding guessed:
    koi8-r"), for the import line, `list` and the library; None if nothing."""
    notes = []
    if Flag.ENCODING_GUESSED in flags:
        notes.append(f"encoding guessed: {encoding}")
    if Flag.ENCODING_REPLACED in flags:
        notes.append(f"undecodable bytes replaced with \ufffd ({encoding})")
    return "; ".join(notes) or None


@dataclass(frozen=True)
class ExtractedPage:
    text: str
    label: str
    width: float = 0.0  # points (PDF); 0 for text files
    height: float = 0.0


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page: int  # 1-based; 0 when the entry points nowhere
    level: int  # 0 for top-level entries


@dataclass(frozen=True)
class FormField:
    """A filled PDF form field: kept apart from the page text (whose offsets it never moves)."""

    page: int  # 1-based page of its widget
    name: str  # the fully qualified field name ("applicant.name")
    kind: str  # "text", "choice", "checkbox", "radio"
    value: str  # what is filled in, as a reader shows it
    rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x, y, w, h: points, top-left
    truncated: bool = False  # the value was longer than the cap and was cut


@dataclass(frozen=True)
class ExtractedDocument:
    """What extraction learns from one file, before it is stored."""

    kind: DocumentKind
    pages: tuple[ExtractedPage, ...]
    title: str = ""
    author: str = ""
    created: datetime | None = None
    modified: datetime | None = None
    outline: tuple[OutlineEntry, ...] = ()
    encoding: str = ""  # text files: the detected encoding
    flags: tuple[Flag, ...] = ()
    language: str = ""  # ISO 639-1, detected from the text by the importing process; "" unknown
    fields: tuple[FormField, ...] = ()  # PDFs: the filled form fields

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def empty_page_count(self) -> int:
        return sum(1 for page in self.pages if not page.text.strip())


@dataclass(frozen=True)
class Document:
    id: int
    kind: DocumentKind
    title: str
    author: str
    page_count: int
    sha256: str
    source_name: str
    source_path: str
    size: int
    imported_at: datetime
    created: datetime | None
    modified: datetime | None
    encoding: str
    flags: tuple[str, ...]
    language: str = ""  # ISO 639-1 ("ru"); "" unknown. Its words are stemmed by it.
    language_set: bool = False  # chosen by the user rather than detected
    ocr: OcrState = OcrState.NONE
    ocr_note: str = ""  # why OCR failed or is unavailable
    ocr_languages: str = ""  # Tesseract's "eng+rus" for this document; "" the default ones


@dataclass(frozen=True)
class Page:
    doc_id: int
    number: int  # 1-based
    label: str
    text: str
    width: float
    height: float


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportOutcome:
    path: str
    status: ImportStatus
    doc: int | None = None
    reason: str | None = None  # why it failed, or a note on an import (no text layer)
    pages: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "status": str(self.status),
            "doc": self.doc,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SearchHit:
    """One page that matches a query."""

    doc: int
    title: str
    page: int  # 1-based
    label: str
    score: float
    snippet: str  # HTML-escaped text with hits wrapped in <b>…</b>
    hits: tuple[tuple[int, int], ...]  # [start, end) offsets into the page's stored text
    # A result can come from a mark (its note, quote or tags: `hits` is then the
    # highlighted range) or from a document's own tags, instead of a page.
    source: str = "page"  # "page" | "mark" | "document" | "field"
    mark: int | None = None
    # A form field's value matched: where the field sits on `page` (x, y, w, h in points).
    rect: tuple[float, float, float, float] | None = None
    # On a transcript page: (page, line) of the first and last hit line (core/transcripts).
    lines: tuple[tuple[int, int], tuple[int, int]] | None = None

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "doc": self.doc,
            "title": self.title,
            "page": self.page,
            "label": self.label,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "hits": [list(span) for span in self.hits],
        }
        if self.source != "page":
            found["source"] = self.source
        if self.mark is not None:
            found["mark"] = self.mark
        if self.rect is not None:
            found["rect"] = [round(value, 2) for value in self.rect]
        if self.lines is not None:
            found["lines"] = [list(end) for end in self.lines]
        return found


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int  # matching pages in the whole case, not only those returned
    results: tuple[SearchHit, ...] = field(default_factory=tuple)
    # What the reader should know about how the query ran, one sentence each:
    # "tortur* matched 10,000+ words; showing the 500 most frequent …"
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        shown: dict[str, object] = {
            "query": self.query,
            "total": self.total,
            "results": [hit.as_json() for hit in self.results],
        }
        if self.notes:
            shown["notes"] = list(self.notes)
        return shown


@dataclass(frozen=True)
class IndexedPage:
    """One page as the search index receives it (one index record per page)."""

    doc: int
    page: int  # 1-based
    label: str
    text: str  # the stored page text, exactly as in case.sqlite
    title: str
    author: str
    kind: DocumentKind
    source_name: str
    date: datetime | None  # the document's own date (PDF creation date), else import time
    language: str = ""  # the document's (ISO 639-1): its words are stemmed by it


@dataclass(frozen=True, order=True)
class TextRange:
    """A [start, end) range of one page's stored text: what hits, finds and marks point at."""

    page: int  # 1-based
    start: int
    end: int
