"""Reads a PDF into an ExtractedDocument: canonical page text, sizes, labels, metadata.

The page text is exactly what QtPdf (PDFium) gives, `getAllText(i).text()`,
untouched: annotations, search hits and highlights are offsets into it, so
its `\\r\\n` line ends and U+FFFE hyphens stay. Geometry is not computed here
(see pdfgeometry, which works on demand): import must keep to QtPdf's pace.

This runs in spawned worker processes that have no Q*Application; QtPdf
needs none. Each call opens its own QPdfDocument and closes it.
"""

from __future__ import annotations

import contextlib
import math
import mmap
import re
from pathlib import Path

from PySide6.QtPdf import QPdfDocument

from docket.core import heartbeat
from docket.core.errors import ExtractionError, PasswordRequiredError
from docket.core.model.records import DocumentKind, ExtractedDocument, ExtractedPage, Flag
from docket.core.pdf.metadata import clean_text, page_label, read_metadata

MAX_TITLE_LENGTH = 120

# A blank verso or separator page is normal in any document (books run to 5%
# of them, one or two at a time), and a list flagging every such document
# would teach users to ignore the flag. Three or more pages without text,
# in a run of three or making a quarter of the document, usually mean
# scanned exhibits or signature pages inside a typed PDF: those need OCR.
SOME_EMPTY_MIN_PAGES = 3
SOME_EMPTY_MIN_SHARE = 0.25
SOME_EMPTY_MIN_RUN = 3

# A page no real PDF has: beyond this (about 35 m) or not positive, PDFium
# read the page's boxes from damage, and neither text nor rendering is possible.
MAX_PAGE_POINTS = 100_000.0

_HEADER_WINDOW = 1024  # Acrobat accepts `%PDF-` anywhere in the first 1024 bytes
_PDF_MAGIC = b"%PDF-"

NEEDS_PASSWORD = "encrypted PDF: needs a password (use --password)"
WRONG_PASSWORD = "encrypted PDF: wrong password"
NO_PAGES = "damaged PDF: no pages could be read"
BROTLI = (
    "unsupported PDF: it is compressed with Brotli (/BrotliDecode), a proposed"
    " PDF extension that common PDF readers cannot open yet; save it again with"
    " ordinary compression (Flate) and import that copy"
)
_BROTLI_FILTER = b"/BrotliDecode"

_Error = QPdfDocument.Error
_LOAD_ERRORS = {
    _Error.FileNotFound: "file not found or not readable",
    _Error.InvalidFileFormat: "damaged PDF: its structure cannot be read (truncated or corrupted)",
    _Error.DataNotYetAvailable: "damaged PDF: the file is incomplete",
    _Error.UnsupportedSecurityScheme: (
        "encrypted PDF: its protection (a certificate or DRM scheme) is not supported"
    ),
    _Error.Unknown: "damaged PDF: the PDF engine could not read it",
}


def extract_pdf(path: Path, password: str | None = None) -> ExtractedDocument:
    """The document in the PDF at `path`; raises ExtractionError with a reason a person reads.

    `password` is only used if the file needs one; a file that needed it
    carries Flag.ENCRYPTED (the reader and exports will need it again).
    """
    path = Path(path)
    check_pdf_file(path)
    document = QPdfDocument()
    try:
        heartbeat.beat(heartbeat.OPENING)
        needed_password = _load(document, path, password)
        page_count = document.pageCount()
        if page_count <= 0:
            raise ExtractionError(_why_no_pages(path))
        pages = []
        for index in range(page_count):
            heartbeat.beat(index + 1)  # the worker pool judges hangs by these
            pages.append(_read_page(document, index))
        heartbeat.beat(heartbeat.READING_OUTLINE)
        metadata = read_metadata(document)
    finally:
        document.close()
    if not any(page.width and page.height for page in pages):
        raise ExtractionError(_why_no_pages(path))
    flags = _text_flags(pages)
    if needed_password:
        flags.append(Flag.ENCRYPTED)
    return ExtractedDocument(
        kind=DocumentKind.PDF,
        pages=tuple(pages),
        title=choose_title(metadata.title, pages[0].text, path.stem),
        author=metadata.author,
        created=metadata.created,
        modified=metadata.modified,
        outline=metadata.outline,
        flags=tuple(flags),
    )


def _why_no_pages(path: Path) -> str:
    """Why PDFium found no pages: a filter it lacks, named, or damage."""
    return BROTLI if _brotli_compressed(path) else NO_PAGES


def _brotli_compressed(path: Path) -> bool:
    """Whether the file names the Brotli filter, which PDFium cannot decode. Only
    asked on a failure path, so the whole file may be scanned (mapped, not read in)."""
    with (
        contextlib.suppress(OSError, ValueError),
        open(path, "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        return data.find(_BROTLI_FILTER) != -1
    return False


def check_pdf_file(path: Path) -> None:
    """Refuses, with the reason, a file that is missing, empty or not a PDF at all."""
    try:
        if not path.is_file():
            raise ExtractionError("not a file" if path.exists() else "file not found")
        with open(path, "rb") as handle:
            head = handle.read(_HEADER_WINDOW)
    except OSError as error:
        raise ExtractionError(f"cannot read the file: {error.strerror or error}") from error
    if not head:
        raise ExtractionError("empty file (0 bytes)")
    if _PDF_MAGIC not in head:
        raise ExtractionError(f"not a PDF file ({describe_content(head)})")


def _load(document: QPdfDocument, path: Path, password: str | None) -> bool:
    """Opens `path` in `document`; True when it took the password to open it.

    Tried first without the password, so that a password given for a whole
    batch neither fails nor flags the files that do not need it.
    """
    error = document.load(str(path))
    if error == _Error.IncorrectPassword:
        if not password:
            raise PasswordRequiredError(NEEDS_PASSWORD)
        document.close()
        document.setPassword(password)
        error = document.load(str(path))
        if error == _Error.IncorrectPassword:
            raise PasswordRequiredError(WRONG_PASSWORD)
        if error == _Error.None_:
            return True
    if error in (_Error.InvalidFileFormat, _Error.Unknown) and _brotli_compressed(path):
        raise ExtractionError(BROTLI)
    if error != _Error.None_:
        raise ExtractionError(_LOAD_ERRORS.get(error, _LOAD_ERRORS[_Error.Unknown]))
    return False


def _read_page(document: QPdfDocument, index: int) -> ExtractedPage:
    size = document.pagePointSize(index)
    width, height = float(size.width()), float(size.height())
    if not (_real_length(width) and _real_length(height)):
        # An unreadable page keeps its place (page numbers must not shift) with
        # a 0 × 0 size, which the reader shows as a page it cannot draw.
        width = height = 0.0
    return ExtractedPage(
        text=document.getAllText(index).text(),
        label=page_label(document, index),
        width=width,
        height=height,
    )


def _real_length(points: float) -> bool:
    return math.isfinite(points) and 0 < points <= MAX_PAGE_POINTS


def _text_flags(pages: list[ExtractedPage]) -> list[Flag]:
    empty = [not page.text.strip() for page in pages]
    count = sum(empty)
    if count == len(pages):
        return [Flag.NO_TEXT_LAYER]
    longest = run = 0
    for is_empty in empty:
        run = run + 1 if is_empty else 0
        longest = max(longest, run)
    if count >= SOME_EMPTY_MIN_PAGES and (
        count >= SOME_EMPTY_MIN_SHARE * len(pages) or longest >= SOME_EMPTY_MIN_RUN
    ):
        return [Flag.SOME_PAGES_WITHOUT_TEXT]
    return []


# --- what a file that is not a PDF looks like -----------------------------------

_MAGIC_KINDS = (
    (b"PK\x03\x04", "it looks like a ZIP archive or an Office document such as .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it looks like an old Office document such as .doc"),
    (b"\xff\xd8\xff", "it looks like a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "it looks like a PNG image"),
    (b"II*\x00", "it looks like a TIFF image"),
    (b"MM\x00*", "it looks like a TIFF image"),
    (b"GIF8", "it looks like a GIF image"),
    (b"{\\rtf", "it looks like an RTF document"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL_BYTES = (frozenset(range(32)) - {9, 10, 12, 13}) | {127}


def describe_content(head: bytes) -> str:
    """What the first bytes of a file that is not a PDF suggest it is, for the message."""
    for magic, kind in _MAGIC_KINDS:
        if head.startswith(magic):
            return kind
    if head.startswith(_TEXT_BOMS):
        return "it looks like text"
    if b"\x00" not in head:
        start = head.lstrip()[:15].lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return "it looks like a web page (HTML)"
        # Text in any 8-bit encoding has next to no control bytes; binary has many.
        controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
        if controls <= len(head) * 0.02:
            return "it looks like text"
    return "unknown binary data"


# --- the title ---------------------------------------------------------------

# What office software and scanners put where a title should be.
_APP_PREFIX = re.compile(
    r"^(microsoft\s+(office\s+)?(word|excel|powerpoint|outlook)|word|excel|powerpoint"
    r"|writer|calc|impress)\s+-\s+",
    re.IGNORECASE,
)
_FILE_EXTENSION = re.compile(
    r"\.(docx?|dotx?|rtf|wpd|odt|ods|odp|pages|pdf|txt|xlsx?|pptx?|msg|eml|html?|tiff?|jpe?g|png"
    r"|indd|qxd|tex|dvi|ps)$",
    re.IGNORECASE,
)
_GENERIC_NAME = re.compile(
    r"^(untitled|no\s*title|title|document|doc|scan|scanned(\s+document)?|image|img|page"
    r"|file|new\s+document|print|slide|presentation|powerpoint\s+presentation|pdf|anonymous"
    r"|unknown|none|null|blank|draft|copy|temp|tmp)[\s_\-.()#]*\d*$",
    re.IGNORECASE,
)
_PAGE_NUMBER_LINE = re.compile(r"^(page\s+)?\d+(\s+(of|/)\s+\d+)?$", re.IGNORECASE)
_HASH_LIKE = re.compile(r"^[0-9a-f\-_{}]{16,}$", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FIRST_LINES_TRIED = 10


def choose_title(metadata_title: str, first_page_text: str, stem: str) -> str:
    """The title a list shows.

    The PDF's own title wins when it is a real one; next, the first line of
    page 1 that reads like words (a court document's first line is usually
    its caption or heading); last, the file name. Metadata titles are often
    what Word put there ("Microsoft Word - doc1.docx"): the program name and
    extension are stripped, and what is left counts only if it is not a
    generic name.
    """
    from_metadata = salvage_title(metadata_title)
    if from_metadata:
        return _shorten(from_metadata)
    from_text = first_meaningful_line(first_page_text)
    if from_text:
        return _shorten(from_text)
    return _shorten(clean_text(stem)) or stem


def salvage_title(title: str) -> str:
    """The meaningful part of a metadata title, or "" when there is none."""
    title = clean_text(title)
    title = _APP_PREFIX.sub("", title)
    title = re.split(r"[\\/]", title)[-1].strip()  # a path: keep the file name
    title = _FILE_EXTENSION.sub("", title).strip()
    return "" if is_junk_title(title) else title


def is_junk_title(title: str) -> bool:
    letters = sum(1 for char in title if char.isalpha())
    return (
        letters < 2
        or bool(_GENERIC_NAME.match(title))
        or bool(_HASH_LIKE.match(title))
        or bool(_PAGE_NUMBER_LINE.match(title))
    )


def first_meaningful_line(text: str) -> str:
    """The first line of `text` with some words in it (not a rule, number or page header)."""
    tried = 0
    for raw in _LINE_BREAK.split(text):
        # PDFium joins a word hyphenated across lines with U+FFFE where the
        # hyphen was; clean_text drops it, so a title reads "hyphenated".
        line = clean_text(raw)
        if not line:
            continue
        tried += 1
        if tried > _FIRST_LINES_TRIED:
            break
        letters = sum(1 for char in line if char.isalpha())
        visible = sum(1 for char in line if not char.isspace())
        if letters >= 3 and letters >= visible * 0.4 and not is_junk_title(line):
            return line
    return ""


def _shorten(title: str) -> str:
    if len(title) <= MAX_TITLE_LENGTH:
        return title
    cut = title[: MAX_TITLE_LENGTH - 1]
    space = cut.rfind(" ")
    if space > MAX_TITLE_LENGTH // 2:  # end at a word, unless that loses half the title
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"
