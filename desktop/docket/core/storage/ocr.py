"""All SQL over OCR: pages read (ocr_pages), a document's OCR state, version and
languages, and the page texts OCR replaces. Callers own the transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from docket.core.model.records import OcrState

if TYPE_CHECKING:
    from docket.core.ocr.model import OcrWord


@dataclass(frozen=True)
class OcrPageInfo:
    """What is known of one page OCR read, for the library, `docket ocr` and tests."""

    page: int  # 1-based
    confidence: float  # mean word confidence 0-100; -1 when it added nothing
    rotation: int  # degrees clockwise the page was turned to be read upright
    languages: str  # "eng+rus", as Tesseract was asked
    low: bool  # read, but with a confidence under the low-confidence threshold

    def as_json(self) -> dict[str, object]:
        return {
            "page": self.page,
            "confidence": round(self.confidence, 1),
            "rotation": self.rotation,
            "languages": self.languages,
            "low": self.low,
        }


@dataclass(frozen=True)
class OcrPageRow:
    """One ocr_pages row to write. An empty `layer` records a page read that
    added nothing to its own text (blank verso): it keeps its text, and is not
    read again unless forced."""

    page: int
    languages: str
    confidence: float
    rotation: int
    words: tuple[OcrWord, ...]
    layer: bytes
    engine: str


def put_pages(connection: sqlite3.Connection, doc_id: int, rows: Iterable[OcrPageRow]) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    connection.executemany(
        "INSERT OR REPLACE INTO ocr_pages (doc_id, number, languages, confidence, rotation,"
        " words, layer, engine, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                doc_id,
                row.page,
                row.languages,
                row.confidence,
                row.rotation,
                _words_json(row.words),
                row.layer,
                row.engine,
                now,
            )
            for row in rows
        ),
    )


def _words_json(words: Iterable[OcrWord]) -> str:
    return json.dumps(
        [
            [
                word.text,
                round(word.x, 2),
                round(word.y, 2),
                round(word.width, 2),
                round(word.height, 2),
                round(word.confidence, 1),
            ]
            for word in words
        ],
        ensure_ascii=False,
    )


def page_infos(connection: sqlite3.Connection, doc_id: int, low_below: float) -> list[OcrPageInfo]:
    """The pages of `doc_id` OCR has read, in page order; `low`: confidence under `low_below`."""
    rows = connection.execute(
        "SELECT number, confidence, rotation, languages FROM ocr_pages WHERE doc_id = ?"
        " ORDER BY number",
        (doc_id,),
    )
    return [
        OcrPageInfo(number, confidence, rotation, languages, 0 <= confidence < low_below)
        for number, confidence, rotation, languages in rows
    ]


def read_pages(connection: sqlite3.Connection, doc_id: int) -> set[int]:
    """The pages of `doc_id` OCR has read (whether or not they kept a layer)."""
    rows = connection.execute("SELECT number FROM ocr_pages WHERE doc_id = ?", (doc_id,))
    return {int(row[0]) for row in rows}


def layers(connection: sqlite3.Connection, doc_id: int) -> dict[int, tuple[bytes, int]]:
    """page → (text layer, rotation) of every page whose layer the rendition carries."""
    rows = connection.execute(
        "SELECT number, layer, rotation FROM ocr_pages WHERE doc_id = ? AND length(layer) > 0",
        (doc_id,),
    )
    return {int(number): (bytes(layer), int(rotation)) for number, layer, rotation in rows}


def version_and_layers(
    connection: sqlite3.Connection, doc_id: int
) -> tuple[int, dict[int, tuple[bytes, int]]]:
    """The document's ocr_version and the layers of that version, read in one
    statement (one snapshot: a chunk committed meanwhile cannot mix them)."""
    rows = connection.execute(
        "SELECT d.ocr_version, o.number, o.layer, o.rotation FROM documents d"
        " LEFT JOIN ocr_pages o ON o.doc_id = d.id AND length(o.layer) > 0 WHERE d.id = ?",
        (doc_id,),
    ).fetchall()
    version = int(rows[0][0]) if rows else 0
    found = {
        int(number): (bytes(layer), int(rotation))
        for _, number, layer, rotation in rows
        if number is not None
    }
    return version, found


def has_layers(connection: sqlite3.Connection, doc_id: int) -> bool:
    row = connection.execute(
        "SELECT 1 FROM ocr_pages WHERE doc_id = ? AND length(layer) > 0 LIMIT 1", (doc_id,)
    ).fetchone()
    return row is not None


def ocr_version(connection: sqlite3.Connection, doc_id: int) -> int:
    row = connection.execute("SELECT ocr_version FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return int(row[0]) if row else 0


def documents_in_state(connection: sqlite3.Connection, state: OcrState) -> list[int]:
    rows = connection.execute("SELECT id FROM documents WHERE ocr = ? ORDER BY id", (str(state),))
    return [int(row[0]) for row in rows]


def mark_unread_scans_pending(connection: sqlite3.Connection) -> int:
    """Documents imported before OCR existed (schema 3) that their flags say need
    it become 'pending'; returns how many. Later imports are marked as stored."""
    cursor = connection.execute(
        "UPDATE documents SET ocr = 'pending' WHERE ocr = '' AND kind != 'text'"
        " AND (flags LIKE '%\"no-text-layer\"%' OR flags LIKE '%\"some-pages-without-text\"%')"
        " AND NOT EXISTS (SELECT 1 FROM ocr_pages WHERE ocr_pages.doc_id = documents.id)"
    )
    return cursor.rowcount


def set_state(
    connection: sqlite3.Connection,
    doc_ids: Iterable[int],
    state: OcrState,
    note: str = "",
) -> None:
    connection.executemany(
        "UPDATE documents SET ocr = ?, ocr_note = ? WHERE id = ?",
        ((str(state), note, doc_id) for doc_id in doc_ids),
    )


def set_version(connection: sqlite3.Connection, doc_id: int, version: int) -> None:
    connection.execute("UPDATE documents SET ocr_version = ? WHERE id = ?", (version, doc_id))


def set_languages(connection: sqlite3.Connection, doc_id: int, languages: str) -> None:
    connection.execute("UPDATE documents SET ocr_languages = ? WHERE id = ?", (languages, doc_id))


def set_flags(connection: sqlite3.Connection, doc_id: int, flags: Iterable[str]) -> None:
    connection.execute(
        "UPDATE documents SET flags = ? WHERE id = ?", (json.dumps(list(flags)), doc_id)
    )


def set_page_texts(
    connection: sqlite3.Connection,
    doc_id: int,
    pages: Iterable[tuple[int, str, float, float]],
) -> None:
    """(page, text, width, height) for pages whose canonical text OCR changed."""
    connection.executemany(
        "UPDATE pages SET text = ?, width = ?, height = ? WHERE doc_id = ? AND number = ?",
        ((text, width, height, doc_id, number) for number, text, width, height in pages),
    )
