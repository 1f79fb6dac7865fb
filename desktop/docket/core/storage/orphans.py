"""Marks whose document row was lost with the damage, kept to be put back.

A damaged case can lose a document's row while its pages and marks survive (they
live on other pages of the file), and its original is still in files/. Imported
again, the original gives the same page texts it gave the first time; a mark's
offsets point into those texts, so a mark can go back onto the document whose
pages read exactly as the lost document's surviving pages did.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from docket.core.storage.salvage import columns_of, readable_rows


@dataclass(frozen=True)
class OrphanDocument:
    old_id: int  # the lost document's id, which its marks still name
    pages: Mapping[int, str]  # its surviving pages' stored texts, by number
    marks: tuple[dict[str, Any], ...]  # the marks' rows as read
    mark_tags: tuple[tuple[int, int], ...]  # (mark id, tag id), tags that were saved
    document_tags: tuple[int, ...] = ()  # its own tags, those that were saved

    def reads_as(self, pages: Mapping[int, str]) -> bool:
        """Whether a document with these page texts is this lost one."""
        return bool(self.pages) and all(pages.get(n) == text for n, text in self.pages.items())


def read_orphans(
    old: sqlite3.Connection, marks: Iterable[dict[str, Any]], tag_ids: set[int]
) -> tuple[OrphanDocument, ...]:
    """The lost documents that marks still name, with their surviving pages."""
    by_document: dict[int, list[dict[str, Any]]] = {}
    for mark in marks:
        if isinstance(mark.get("doc_id"), int):
            by_document.setdefault(mark["doc_id"], []).append(mark)
    page_columns = ["doc_id", "number", "text"]
    if not set(page_columns) <= set(columns_of(old, "pages")):
        return ()
    orphans = []
    for old_id, its_marks in sorted(by_document.items()):
        pages = readable_rows(old, "pages", page_columns, "number", "doc_id = ?", (old_id,))
        texts = {
            number: text
            for _, number, text in pages.rows
            if isinstance(number, int) and isinstance(text, str)
        }
        tags: list[tuple[int, int]] = []
        for mark in its_marks:
            found = readable_rows(
                old, "mark_tags", ["mark_id", "tag_id"], "tag_id", "mark_id = ?", (mark["id"],)
            )
            tags.extend(
                (mark["id"], tag)
                for _, tag in found.rows
                if isinstance(tag, int) and tag in tag_ids
            )
        own = readable_rows(
            old, "document_tags", ["doc_id", "tag_id"], "tag_id", "doc_id = ?", (old_id,)
        )
        own_tags = tuple(tag for _, tag in own.rows if isinstance(tag, int) and tag in tag_ids)
        orphans.append(OrphanDocument(old_id, texts, tuple(its_marks), tuple(tags), own_tags))
    return tuple(orphans)


def reattach(connection: sqlite3.Connection, orphan: OrphanDocument, doc_id: int) -> int:
    """Put the orphan's marks (and their tags), and its own tags, on document `doc_id`;
    how many marks went back.

    Marks keep their ids (exports and the history name them); each waits to be indexed.
    """
    columns = [c for c in columns_of(connection, "marks") if c in orphan.marks[0]]
    listed = ", ".join(f'"{column}"' for column in columns)
    insert = f"INSERT INTO marks ({listed}) VALUES ({', '.join('?' * len(columns))})"
    placed = set()
    for mark in orphan.marks:
        row = mark | {"doc_id": doc_id, "indexed": 0}
        try:
            connection.execute(insert, [row[column] for column in columns])
        except sqlite3.Error:  # a row the damage garbled, or an id taken since
            continue
        placed.add(mark["id"])
    for mark_id, tag_id in orphan.mark_tags:
        if mark_id in placed:
            connection.execute(
                "INSERT OR IGNORE INTO mark_tags (mark_id, tag_id) VALUES (?, ?)", (mark_id, tag_id)
            )
    for tag_id in orphan.document_tags:
        connection.execute(
            "INSERT OR IGNORE INTO document_tags (doc_id, tag_id) VALUES (?, ?)", (doc_id, tag_id)
        )
    return len(placed)
