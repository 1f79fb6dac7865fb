"""A fresh case.sqlite filled with the rows a damaged one can still give.

The damaged database (a copy: see recover.py) is read table by table around its
damage (salvage.py) and its rows written into a new database at the current
schema. A row is kept only where what it points to was kept too — a page needs
its document, a mark its document, a mark's tag both — so the new case is whole;
every document and mark waits to be indexed. Marks whose document was lost are
kept aside with their document's surviving pages (orphans.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.core.errors import CaseError
from docket.core.storage.orphans import OrphanDocument, read_orphans
from docket.core.storage.salvage import Salvaged, columns_of, readable_rows, rows_in_scope
from docket.core.storage.schema import SCHEMA_VERSION, connect, migrate


@dataclass(frozen=True)
class TableTally:
    table: str
    read: int  # rows SQLite could still read
    saved: int  # rows in the new case (a row whose document was lost is not)
    damaged_spots: int  # places where reading failed: rows there are lost


@dataclass(frozen=True)
class Rebuilt:
    tables: tuple[TableTally, ...] = ()
    incomplete: tuple[str, ...] = ()  # documents saved without all their pages
    shas: frozenset[str] = frozenset()  # of the documents saved
    orphans: tuple[OrphanDocument, ...] = ()  # lost documents that marks still name
    unreadable: str = ""  # why nothing at all could be read ("" when something could)


# Tables read document by document (key: the second column of their primary key).
_PER_DOCUMENT = (
    ("pages", "number"),
    ("outline", "position"),
    ("form_fields", "position"),
    ("ocr_pages", "number"),
    ("document_tags", "tag_id"),
)


def rebuild_database(damaged: Path, target: Path) -> Rebuilt:
    """Write the new database `target` from the damaged copy at `damaged`."""
    new = connect(target)
    try:
        migrate(new)
        try:
            old = sqlite3.connect(damaged, isolation_level=None)
            # Tolerates a table whose root page is gone (the file cut short) instead
            # of refusing the whole schema; the copy is only read.
            old.execute("PRAGMA writable_schema = ON")
            version = int(old.execute("PRAGMA user_version").fetchone()[0])
            columns_of(old, "documents")  # the table of contents can be read
        except sqlite3.DatabaseError as error:
            return Rebuilt(unreadable=str(error))
        try:
            if version > SCHEMA_VERSION:
                raise CaseError(
                    f"this case was written by a newer Docket (schema {version}); "
                    "recover it with that Docket"
                )
            new.execute("BEGIN IMMEDIATE")
            rebuilt = _copy_rows(_Copier(old, new))
            new.execute("COMMIT")
            return rebuilt
        finally:
            old.close()
    finally:
        new.close()


def _every_row(row: dict[str, Any]) -> bool:
    return True


@dataclass
class _Copier:
    old: sqlite3.Connection
    new: sqlite3.Connection
    tallies: list[TableTally] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)  # of the last table copied

    def table(
        self,
        table: str,
        key: str | None,
        remember: Sequence[str] = (),
        keep: Callable[[dict[str, Any]], bool] = _every_row,
        scopes: Iterable[tuple[str, Sequence[object]]] = (("", ()),),
        fix: dict[str, object] | None = None,
        *,
        replace_seeded: bool = False,
    ) -> list[dict[str, Any]]:
        """Copy what can be read of `table` into the new database; of each row saved,
        the `remember` columns (not all: the pages of a large case fill gigabytes).

        `key`: an integer column to resume at past damage ("rowid" for a table's own),
        or None to read each scope whole. `replace_seeded`: the rows a migration put
        in the new table (a default list) give way to the case's own, if it has any.
        """
        new_columns = columns_of(self.new, table)
        old_columns = [c for c in columns_of(self.old, table) if c in new_columns]
        self.rejected = []
        if not old_columns or (key is not None and key not in [*old_columns, "rowid"]):
            return []  # an older case without this table
        if key == "rowid":
            old_columns = ["rowid", *old_columns]
        read, spots, saved = 0, 0, []
        seeded = replace_seeded
        listed = ", ".join(f'"{column}"' for column in old_columns)
        insert = f'INSERT INTO "{table}" ({listed}) VALUES ({", ".join("?" * len(old_columns))})'
        for scope, params in scopes:
            found: Salvaged = (
                readable_rows(self.old, table, old_columns, key, scope, params)
                if key is not None
                else rows_in_scope(self.old, table, old_columns, scope, params)
            )
            read, spots = read + len(found.rows), spots + found.damaged_spots
            if seeded and found.rows:
                self.new.execute(f'DELETE FROM "{table}"')
                seeded = False
            for values in found.rows:
                row = dict(zip(old_columns, values, strict=True)) | (fix or {})
                if not keep(row):
                    self.rejected.append(row)
                    continue
                try:
                    self.new.execute(insert, [row[column] for column in old_columns])
                except sqlite3.Error:  # a row the damage garbled: it breaks a constraint
                    continue
                saved.append({column: row[column] for column in remember})
        self.tallies.append(TableTally(table, read, len(saved), spots))
        return saved


def _copy_rows(copier: _Copier) -> Rebuilt:
    documents = copier.table(
        "documents", "id", ("id", "title", "page_count", "sha256"), fix={"indexed": 0}
    )
    doc_ids = {row["id"] for row in documents}
    per_document = [("doc_id = ?", (doc_id,)) for doc_id in sorted(doc_ids)]
    tag_ids = {row["id"] for row in copier.table("tags", "id", ("id",))}

    def tag_kept(row: dict[str, Any]) -> bool:
        return row["tag_id"] in tag_ids

    pages: dict[int, int] = {}
    for table, key in _PER_DOCUMENT:
        keep = tag_kept if table == "document_tags" else _every_row
        for row in copier.table(table, key, ("doc_id",), keep, per_document):
            if table == "pages":
                pages[row["doc_id"]] = pages.get(row["doc_id"], 0) + 1
    marks = copier.table(
        "marks", "id", ("id",), lambda row: row["doc_id"] in doc_ids, fix={"indexed": 0}
    )
    orphan_marks = copier.rejected
    copier.table(
        "mark_tags",
        "tag_id",
        keep=tag_kept,
        scopes=[("mark_id = ?", (row["id"],)) for row in sorted(marks, key=lambda m: m["id"])],
    )
    copier.table("audit_log", "id")  # no references: it outlives marks and documents
    for table in _other_tables(copier.new):  # what later schemas added, copied as found
        columns = columns_of(copier.new, table)
        if "doc_id" in columns:
            copier.table(table, None, scopes=per_document, replace_seeded=True)
        else:
            resume_at = "rowid" if _has_rowid(copier.new, table) else None
            copier.table(table, resume_at, replace_seeded=True)
    _keep_sequences(copier.old, copier.new)
    incomplete = tuple(
        f"document {row['id']} ({row['title']}): {pages.get(row['id'], 0)} of "
        f"{row['page_count']} pages saved"
        for row in documents
        if pages.get(row["id"], 0) != row["page_count"]
    )
    return Rebuilt(
        tuple(copier.tallies),
        incomplete,
        frozenset(str(row["sha256"]) for row in documents),
        read_orphans(copier.old, orphan_marks, tag_ids),
    )


# Copied by _copy_rows with their references checked, or not worth copying (queues
# for an index that is rebuilt anyway).
_HANDLED = frozenset(
    {
        "documents",
        "tags",
        "marks",
        "mark_tags",
        "audit_log",
        "unindexed_removals",
        "unindexed_document_tags",
        *(table for table, _ in _PER_DOCUMENT),
    }
)


def _other_tables(new: sqlite3.Connection) -> list[str]:
    """The new schema's other tables, in the order they were made (a table another one
    refers to comes first, so the reference can be checked as rows go in)."""
    return [
        str(name)
        for (name,) in new.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
        if name not in _HANDLED
    ]


def _has_rowid(new: sqlite3.Connection, table: str) -> bool:
    sql = new.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    return "WITHOUT ROWID" not in str(sql).upper()


def _keep_sequences(old: sqlite3.Connection, new: sqlite3.Connection) -> None:
    """Ids of lost marks are never given to new ones (undo and exports name marks by id)."""
    try:
        rows = old.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except sqlite3.DatabaseError:
        return
    for name, seq in rows:
        if name in ("marks", "audit_log") and isinstance(seq, int):
            new.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name))
            new.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
                "(SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                (name, seq, name),
            )
