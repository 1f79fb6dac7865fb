"""Re-reading a text document in another encoding, keeping its marks where they fit.

The stored original is decoded again with the encoding the user chose (never
modified), its canonical text cut into pages as at import
(`textfiles.text_pages`), and in one transaction the pages, the page count,
the encoding and the flags are replaced (the guess flag goes: the user chose)
and every highlight is looked for again by its quote (`anchoring.locate`,
with its old place as the hint). A highlight whose quote is nowhere in the new
text is orphaned: it becomes a page note on its page (the last page if that
page is gone), keeping its quote, note, tags and colour, so that nothing the
user wrote is lost; the result names each one. Page notes on pages that no
longer exist move to the last page.

An encoding that cannot decode the file raises ExtractionError before
anything is written, so the case stays as it was.
"""

from __future__ import annotations

import codecs
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docket.core.errors import DocketError, ExtractionError
from docket.core.ingest.encoding import decode_as
from docket.core.ingest.textfiles import normalise_text, text_pages
from docket.core.model.audit import AUTOMATIC, AuditAction
from docket.core.model.marks import Anchor, Mark, MarkKind
from docket.core.model.records import Document, DocumentKind, ExtractedPage
from docket.core.storage import audit as auditstore
from docket.core.storage import marks as markstore
from docket.core.text.anchoring import Quote, locate, quote_of

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
class Orphan:
    """A highlight whose quote the new text no longer has."""

    mark: int
    page: int  # the page note it became sits here
    quote: str


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
    kept: list[int] = []
    orphaned: list[Orphan] = []
    last = len(pages)
    now = datetime.now(UTC).isoformat()
    for mark in marks:
        if mark.kind is MarkKind.DOCUMENT_NOTE:
            continue
        if mark.kind is not MarkKind.HIGHLIGHT or mark.anchor is None:
            if mark.page is not None and mark.page > last:
                connection.execute(
                    "UPDATE marks SET page = ?, end_page = ?, modified = ?, indexed = 0 "
                    "WHERE id = ?",
                    (last, last, now, mark.id),
                )
            continue
        anchor = _relocate(new_pages, mark)
        if anchor is None:
            page = min(mark.anchor.page, last)
            orphaned.append(Orphan(mark.id, page, mark.quote))
            connection.execute(
                "UPDATE marks SET kind = ?, page = ?, start = NULL, end_page = ?, end = NULL,"
                " rects = '[]', modified = ?, indexed = 0 WHERE id = ?",
                (str(MarkKind.PAGE_NOTE), page, page, now, mark.id),
            )
            continue
        kept.append(mark.id)
        quote = quote_of(new_pages, anchor)
        connection.execute(
            "UPDATE marks SET page = ?, start = ?, end_page = ?, end = ?, quote = ?, prefix = ?,"
            " suffix = ?, indexed = 0 WHERE id = ?",
            (
                anchor.page,
                anchor.start,
                anchor.end_page,
                anchor.end,
                quote.exact,
                quote.prefix,
                quote.suffix,
                mark.id,
            ),
        )
    # Re-anchoring is the program's doing, not a person's: logged as AUTOMATIC's, one
    # entry for each mark that moved, changed its quote or became a page note.
    auditstore.append_marks(
        connection,
        AuditAction.MARK_REANCHORED,
        AUTOMATIC,
        {mark.id: mark for mark in marks},
        markstore.marks_by_id(connection, (mark.id for mark in marks)),
    )
    return Reencoded(document.id, encoding, len(pages), tuple(kept), tuple(orphaned), unchanged)


def _relocate(pages: dict[int, str], mark: Mark) -> Anchor | None:
    """The mark's place in the new text: its old place if it still quotes the same
    words there, else the best place its quote is found; None if nowhere."""
    anchor = mark.anchor
    assert anchor is not None
    if not mark.quote.strip():
        return None
    lengths = {number: len(text) for number, text in pages.items()}
    fits = (
        anchor.page in lengths
        and anchor.end_page in lengths
        and anchor.start <= lengths[anchor.page]
        and anchor.end <= lengths[anchor.end_page]
    )
    if fits and quote_of(pages, anchor).exact.casefold() == mark.quote.casefold():
        return anchor
    if anchor.page != anchor.end_page:
        return None  # a quote across pages is found again only in place
    return locate(pages, Quote(mark.quote, mark.prefix, mark.suffix), anchor)


__all__ = [
    "COMMON_ENCODINGS",
    "Orphan",
    "Reencoded",
    "apply_reencoding",
    "codec_name",
    "reread",
]
