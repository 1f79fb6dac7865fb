"""Re-reading a text document in another encoding, keeping its marks where they fit.

The stored original is decoded again with the encoding the user chose (never
modified), its canonical text cut into pages as at import
(`textfiles.text_pages`), and in one transaction the pages, the page count,
the encoding and the flags are replaced (the guess flag goes: the user chose)
and every mark is found again in the new text or kept as a page note and
reported as orphaned (core/text/reanchor.py, shared with re-OCR).

An encoding that cannot decode the file raises ExtractionError before
anything is written, so the case stays as it was.
"""

from __future__ import annotations

import codecs
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from docket.core.errors import DocketError, ExtractionError
from docket.core.ingest.encoding import decode_as
from docket.core.ingest.textfiles import normalise_text, text_pages
from docket.core.model.audit import AUTOMATIC, AuditAction
from docket.core.model.marks import Mark
from docket.core.model.records import Document, DocumentKind, ExtractedPage
from docket.core.storage import audit as auditstore
from docket.core.storage import marks as markstore
from docket.core.text.reanchor import Orphan, reanchor_marks
from docket.core.transcripts.service import refresh_line_maps

# The encodings the window offers (Python codec name, what a person calls it);
# `docket reencode` takes any Python codec name.
COMMON_ENCODINGS: tuple[tuple[str, str], ...] = (
    ("utf-8", "Unicode (UTF-8)"),
    ("utf-16", "Unicode (UTF-16)"),
    ("utf-16-le", "Unicode (UTF-16 LE)"),
    ("utf-16-be", "Unicode (UTF-16 BE)"),
    ("utf-32-le", "Unicode (UTF-32 LE)"),
    ("utf-32-be", "Unicode (UTF-32 BE)"),
    ("cp1252", "Western (Windows-1252)"),
    ("iso8859-1", "Western (ISO-8859-1)"),
    ("iso8859-15", "Western (ISO-8859-15)"),
    ("mac-roman", "Western (Mac Roman)"),
    ("cp1250", "Central European (Windows-1250)"),
    ("iso8859-2", "Central European (ISO-8859-2)"),
    ("cp1251", "Cyrillic (Windows-1251)"),
    ("koi8-r", "Cyrillic (KOI8-R)"),
    ("koi8-u", "Cyrillic (KOI8-U)"),
    ("cp866", "Cyrillic (DOS, IBM866)"),
    ("cp855", "Cyrillic (IBM855)"),
    ("mac-cyrillic", "Cyrillic (Mac)"),
    ("iso8859-5", "Cyrillic (ISO-8859-5)"),
    ("kz1048", "Kazakh (KZ-1048)"),
    ("ptcp154", "Kazakh (PT154)"),
    ("cp1253", "Greek (Windows-1253)"),
    ("iso8859-7", "Greek (ISO-8859-7)"),
    ("cp1254", "Turkish (Windows-1254)"),
    ("iso8859-9", "Turkish (ISO-8859-9)"),
    ("cp1255", "Hebrew (Windows-1255)"),
    ("iso8859-8", "Hebrew (ISO-8859-8)"),
    ("cp1256", "Arabic (Windows-1256)"),
    ("iso8859-6", "Arabic (ISO-8859-6)"),
    ("cp1257", "Baltic (Windows-1257)"),
    ("cp1258", "Vietnamese (Windows-1258)"),
    ("tis-620", "Thai (TIS-620)"),
    ("gb18030", "Chinese Simplified (GB18030)"),
    ("hz", "Chinese Simplified (HZ)"),
    ("big5", "Chinese Traditional (Big5)"),
    ("shift_jis", "Japanese (Shift-JIS)"),
    ("cp932", "Japanese (Windows-932)"),
    ("euc_jp", "Japanese (EUC-JP)"),
    ("iso2022_jp", "Japanese (ISO-2022-JP)"),
    ("euc_kr", "Korean (EUC-KR)"),
    ("cp949", "Korean (Windows-949)"),
    ("iso2022_kr", "Korean (ISO-2022-KR)"),
)


@dataclass(frozen=True)
class Reencoded:
    """What re-reading a document did."""

    doc: int
    encoding: str  # the codec name now stored
    pages: int
    kept: tuple[int, ...]  # highlights found again (moved or not)
    orphaned: tuple[Orphan, ...]
    unchanged: bool  # the text came out the same as before

    def as_json(self) -> dict[str, object]:
        return {
            "doc": self.doc,
            "encoding": self.encoding,
            "pages": self.pages,
            "unchanged": self.unchanged,
            "kept": list(self.kept),
            "orphaned": [
                {"mark": orphan.mark, "page": orphan.page, "quote": orphan.quote}
                for orphan in self.orphaned
            ],
        }


def codec_name(encoding: str) -> str:
    """The Python codec name of an encoding; ExtractionError if there is none."""
    try:
        return codecs.lookup(encoding.strip()).name
    except LookupError:
        raise ExtractionError(
            f"unknown encoding: {encoding!r} (try utf-8, cp1251, koi8-r, shift_jis…)"
        ) from None


def reread(original: Path, encoding: str) -> tuple[str, tuple[ExtractedPage, ...]]:
    """The original decoded strictly in `encoding`: (codec name, pages)."""
    name = codec_name(encoding)
    try:
        data = original.read_bytes()
    except OSError as error:
        raise ExtractionError(f"cannot read the stored original: {error.strerror}") from None
    text = normalise_text(decode_as(data, name))
    if not text.strip():
        raise ExtractionError(f"read as {name} the file has no text")
    stored = "utf-8-sig" if name == "utf-8" and data.startswith(codecs.BOM_UTF8) else name
    return stored, text_pages(text)


def apply_reencoding(
    connection: sqlite3.Connection,
    document: Document,
    encoding: str,
    pages: tuple[ExtractedPage, ...],
    marks: list[Mark],
    old_pages: dict[int, str],
) -> Reencoded:
    """Replace the document's pages and re-anchor its marks, inside the caller's
    transaction; the document must then be re-indexed."""
    if document.kind is not DocumentKind.TEXT:
        raise DocketError(f"doc {document.id} is a {document.kind}: only text files re-read")
    new_pages = {number: page.text for number, page in enumerate(pages, start=1)}
    unchanged = new_pages == old_pages
    flags = [flag for flag in document.flags if not flag.startswith("encoding-")]
    connection.execute("DELETE FROM pages WHERE doc_id = ?", (document.id,))
    connection.executemany(
        "INSERT INTO pages (doc_id, number, label, text, width, height) VALUES (?, ?, ?, ?, 0, 0)",
        ((document.id, number, page.label, page.text) for number, page in enumerate(pages, 1)),
    )
    connection.execute(
        "UPDATE documents SET page_count = ?, encoding = ?, flags = ?, indexed = 0 WHERE id = ?",
        (len(pages), encoding, json.dumps(flags), document.id),
    )
    refresh_line_maps(connection, document.id)  # a transcript's lines, in the new text
    before = {mark.id: mark for mark in marks}
    moved = reanchor_marks(connection, marks, new_pages)
    # Each mark moved or orphaned is logged as Docket's doing, in this transaction.
    after = markstore.marks_by_id(connection, before)
    auditstore.append_marks(connection, AuditAction.MARK_REANCHORED, AUTOMATIC, before, after)
    return Reencoded(document.id, encoding, len(pages), moved.kept, moved.orphaned, unchanged)


__all__ = [
    "COMMON_ENCODINGS",
    "Orphan",
    "Reencoded",
    "apply_reencoding",
    "codec_name",
    "reread",
]
