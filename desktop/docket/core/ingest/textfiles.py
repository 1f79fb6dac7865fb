"""Plain-text files as documents: which files are text, their text and pages.

A text document's canonical text (what is stored, indexed and annotated) is
the decoded file (see `docket.core.ingest.encoding`) with the BOM removed, CRLF and
CR turned into LF, a DOS end-of-file mark (Ctrl-Z) at the very end dropped,
and blank pages at the very start or end (whitespace before the first or
after the last form feed, as printers leave them) dropped with their form
feed. Blank pages in between are kept.

Pages: the text is split at form feeds, which belong to no page. A page (the
whole file when it has no form feed) of more than LONG_PAGE_LINES lines or
LONG_PAGE_CHARS characters is cut into pages of LINES_PER_PAGE lines that keep
their line ends; a cut page also holds at most MAX_PAGE_CHARS characters, a
longer line being cut after a space, so that a huge one-line JSON does not
become one page the viewer chokes on. Labels are "1", "2", ...

So the page texts, joined with "\\f" where a form feed split them and with
nothing where a long page was cut, rebuild the canonical text; `page_spans`
gives each page's [start, end) in it.
"""

from __future__ import annotations

import re
import stat
from datetime import UTC, datetime
from pathlib import Path

from docket.core.errors import ExtractionError
from docket.core.ingest.encoding import Decoded, binary_reason, decode_bytes, decode_text
from docket.core.model.records import DocumentKind, ExtractedDocument, ExtractedPage, Flag
from docket.core.transcripts.detect import (
    line_maps,
    page_labels,
    transcript_spans,
    transcript_title,
)

__all__ = [
    "TEXT_SUFFIXES",
    "decode_text",
    "encoding_flags",
    "normalise_text",
    "page_spans",
    "read_text_document",
    "sniff_text",
    "text_pages",
    "text_title",
]

# Prose: the title is the first line. Data and subtitles (CSV headers, log
# timestamps, "1" of an .srt): the title is the file name. HTML, e-mail (.eml,
# MIME-encoded) and RTF are not here: read raw they show markup, not text.
_PROSE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst"})
TEXT_SUFFIXES: frozenset[str] = _PROSE_SUFFIXES | frozenset(
    {".log", ".csv", ".tsv", ".json", ".jsonl", ".xml", ".yaml", ".yml", ".ini", ".cfg",
     ".conf", ".srt", ".vtt"}
)  # fmt: skip
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

MAX_TEXT_BYTES = 200 * 1024 * 1024
LONG_PAGE_LINES = 3_000
LONG_PAGE_CHARS = 300_000
LINES_PER_PAGE = 100
MAX_PAGE_CHARS = 30_000
MAX_TITLE_CHARS = 120

_MB = 1024 * 1024
_WHITESPACE_BYTES = b" \t\n\r\f\v\x00\xef\xbb\xbf\xfe\xff"  # and NULs and BOMs of UTF-16
_TITLE_SCAN_CHARS = 64 * 1024
# YAML front matter starts with a "key:" line, unlike a "---" rule opening a text.
_FRONT_MATTER = re.compile(r"---\n([\w-]+:.*?\n)(?:---|\.\.\.)\n", re.DOTALL)
_FRONT_MATTER_TITLE = re.compile(r"^title:[ \t]*(.+)$", re.MULTILINE)
_HEADING_MARKS = re.compile(r"^#{1,6}\s+|\s+#+$")  # "## Title ##"
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(.+)\1$")  # "**CONFIDENTIAL**"


def sniff_text(path: Path, sample_size: int = 64 * 1024) -> bool:
    """Whether a file of unknown suffix looks like plain text worth importing.

    Looks at the first `sample_size` bytes only. Empty, blank, binary,
    unreadable and special files (folders, pipes, devices) give False.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as file:
            head = file.read(sample_size)
    except OSError:
        return False
    if not head.translate(None, _WHITESPACE_BYTES):
        return False
    return binary_reason(head) is None


def read_text_document(path: Path) -> ExtractedDocument:
    """Read a text file as a document; raise ExtractionError saying why not."""
    data, modified = _read(path)
    if not data:
        raise ExtractionError("empty file (0 bytes)")
    decoded = decode_bytes(data)
    text = normalise_text(decoded.text)
    if not text.strip():
        raise ExtractionError("empty file (no text)")
    pages = text_pages(text)
    return ExtractedDocument(
        kind=DocumentKind.TEXT,
        pages=pages,
        title=transcript_title([page.text for page in pages]) or text_title(text, path),
        modified=modified,
        encoding=decoded.encoding,
        flags=encoding_flags(decoded),
    )


def text_pages(text: str) -> tuple[ExtractedPage, ...]:
    """The pages of a canonical text, labelled "1", "2", ... — a transcript's pages cut
    at its numbered lines and labelled with its printed page numbers (core/transcripts)."""
    spans = page_spans(text)
    spans = transcript_spans(text, spans) or spans
    texts = [text[start:end] for start, end in spans]
    maps = line_maps(texts)
    labels = (page_labels(texts, maps) if maps else None) or [
        str(number) for number in range(1, len(texts) + 1)
    ]
    return tuple(
        ExtractedPage(text=page, label=label) for page, label in zip(texts, labels, strict=True)
    )


def encoding_flags(decoded: Decoded) -> tuple[Flag, ...]:
    """The flags that say how sure a text file's decoding is."""
    flags = (Flag.ENCODING_GUESSED,) if decoded.guessed else ()
    return flags + ((Flag.ENCODING_REPLACED,) if decoded.replaced else ())


def normalise_text(text: str) -> str:
    """The canonical text of a decoded file (see the module's docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").removesuffix("\x1a")
    while "\f" in text and not text[: text.index("\f")].strip():
        text = text[text.index("\f") + 1 :]
    while "\f" in text and not text[text.rindex("\f") + 1 :].strip():
        text = text[: text.rindex("\f")]
    return text


def page_spans(text: str) -> list[tuple[int, int]]:
    """Each page's [start, end) in the canonical text, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end = text.find("\f", start)
        spans.extend(_cut_long_page(text, start, len(text) if end < 0 else end))
        if end < 0:
            return spans
        start = end + 1


def _cut_long_page(text: str, start: int, end: int) -> list[tuple[int, int]]:
    breaks = text.count("\n", start, end)
    lines = breaks + (end > start and text[end - 1] != "\n")
    if lines <= LONG_PAGE_LINES and end - start <= LONG_PAGE_CHARS:
        return [(start, end)]
    spans = []
    while start < end:
        page_end, count = start, 0
        while page_end < end and count < LINES_PER_PAGE:
            newline = text.find("\n", page_end, end)
            line_end = end if newline < 0 else newline + 1
            if line_end - start > MAX_PAGE_CHARS:
                if count == 0:  # one line longer than a page: cut it after a space
                    limit = start + MAX_PAGE_CHARS
                    space = text.rfind(" ", start + MAX_PAGE_CHARS // 2, limit)
                    page_end = limit if space < 0 else space + 1
                break
            page_end, count = line_end, count + 1
        spans.append((start, page_end))
        start = page_end
    return spans


def text_title(text: str, path: Path) -> str:
    """The first line with a letter or digit (prose files), else the file's stem."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES and suffix not in _PROSE_SUFFIXES:
        return path.stem
    head = text[:_TITLE_SCAN_CHARS]
    markdown = suffix in _MARKDOWN_SUFFIXES
    if markdown and (front := _FRONT_MATTER.match(head)):
        if title := _FRONT_MATTER_TITLE.search(front.group(1)):
            return _shorten(title.group(1).strip().strip("\"'")) or path.stem
        head = head[front.end() :]
    for line in head.split("\n"):
        line = " ".join(line.split())
        if markdown:
            line = _EMPHASIS.sub(r"\2", _HEADING_MARKS.sub("", line))
        if any(char.isalnum() for char in line):
            return _shorten(line)
    return path.stem


def _shorten(line: str) -> str:
    if len(line) <= MAX_TITLE_CHARS:
        return line
    cut = line[: MAX_TITLE_CHARS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_TITLE_CHARS // 2 else cut).rstrip() + "…"


def _read(path: Path) -> tuple[bytes, datetime]:
    """The file's bytes and modification time; a special file is never opened
    (opening a named pipe would block the import)."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise ExtractionError("cannot read the file: not a regular file")
        if info.st_size > MAX_TEXT_BYTES:
            raise ExtractionError(_too_large(info.st_size))
        with path.open("rb") as file:
            data = file.read(MAX_TEXT_BYTES + 1)
    except OSError as error:
        raise ExtractionError(f"cannot read the file: {_why(error)}") from error
    if len(data) > MAX_TEXT_BYTES:  # it grew since stat()
        raise ExtractionError(_too_large(len(data)))
    return data, datetime.fromtimestamp(info.st_mtime, tz=UTC)


def _too_large(size: int) -> str:
    return (
        f"too large for a text document ({size / _MB:,.1f} MB; "
        f"the limit is {MAX_TEXT_BYTES // _MB} MB)"
    )


def _why(error: OSError) -> str:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "file not found"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "it is a folder"
    return (error.strerror or str(error) or type(error).__name__).lower()
