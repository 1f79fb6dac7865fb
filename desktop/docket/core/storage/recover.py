"""`docket recover`: a new case built from what a damaged case.sqlite still holds.

The damaged case is never written to: its database (and write-ahead log) is copied
aside and read from the copy, row by row around the damage (salvage.py), into a
fresh case.sqlite at the current schema. A row is kept only where what it points to
was kept too (a page needs its document, a mark its document, a mark's tag both), so
the new case is whole; every document and mark is marked not yet indexed, for the
first open to index it. The originals and exports are copied. The new case is built
in a temporary folder beside the destination and renamed into place at the end, so a
failed run leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.core.errors import CaseError
from docket.core.storage.folder import DATABASE_NAME, CaseLayout, existing_case
from docket.core.storage.salvage import Salvaged, columns_of, readable_rows
from docket.core.storage.schema import SCHEMA_VERSION, connect, migrate


@dataclass(frozen=True)
class TableTally:
    table: str
    read: int  # rows SQLite could still read
    saved: int  # rows in the new case (a row whose document was lost is not)
    damaged_spots: int  # places where reading failed: rows there are lost


@dataclass(frozen=True)
class RecoveryReport:
    source: Path
    path: Path
    tables: tuple[TableTally, ...]
    originals: int  # originals in the damaged case's files/: one per document it had
    incomplete: tuple[str, ...]  # documents saved without all their pages
    unclaimed: tuple[str, ...]  # originals (relative paths) whose document was lost
    unreadable: str = ""  # why nothing at all could be read ("" when something could)

    def tally(self, table: str) -> TableTally:
        return next((t for t in self.tables if t.table == table), TableTally(table, 0, 0, 0))

    @property
    def complete(self) -> bool:
        return not (
            self.unreadable
            or self.incomplete
            or self.unclaimed
            or any(t.damaged_spots or t.saved < t.read for t in self.tables)
        )


def default_destination(source: Path) -> Path:
    source = source.absolute()
    return source.with_name(f"{source.name} (recovered)")


def recover_case(source: Path, out: Path | None = None) -> RecoveryReport:
    """Build a new case at `out` (new or empty; default "NAME (recovered)" beside it)."""
    layout = existing_case(Path(source))
    dest = Path(out).absolute() if out is not None else default_destination(layout.root)
    _check_destination(dest, layout)
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.recovering-", dir=dest.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="docket-damaged-") as aside:
            copy = _copy_database(layout.database, Path(aside))
            new_layout = CaseLayout(temp)
            for folder in (new_layout.files, new_layout.index, new_layout.exports):
                folder.mkdir()
            tables, incomplete, shas, unreadable = _rebuild(copy, new_layout.database)
        originals, unclaimed = _copy_originals(layout, new_layout, shas)
        if layout.exports.is_dir():
            shutil.copytree(layout.exports, new_layout.exports, dirs_exist_ok=True)
        _move_into_place(temp, dest)
    except OSError as error:
        _remove_tree(temp)
        raise CaseError(f"cannot recover into {dest}: {error}") from error
    except BaseException:
        _remove_tree(temp)
        raise
    return RecoveryReport(layout.root, dest, tables, originals, incomplete, unclaimed, unreadable)


def _check_destination(dest: Path, source: CaseLayout) -> None:
    if dest.resolve().is_relative_to(source.root):
        raise CaseError(f"{dest} is inside the damaged case; choose a folder outside it")
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise CaseError(f"{dest} exists and is not a folder; choose a new or empty folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise CaseError(f"{dest} is not empty; choose a new or empty folder (--out)")


def _copy_database(database: Path, aside: Path) -> Path:
    """The damaged database and its write-ahead log, copied: reading the original could
    replay or checkpoint its log, and the damaged case must stay exactly as it was."""
    copy = aside / DATABASE_NAME
    shutil.copyfile(database, copy)
    _whole_pages(copy)
    wal = database.with_name(DATABASE_NAME + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, copy.with_name(DATABASE_NAME + "-wal"))
    return copy


def _whole_pages(copy: Path) -> None:
    """A file cut short: SQLite refuses it whole (a torn last page, a header that counts
    pages no longer there), so the torn page goes and the header counts what is left;
    the pages before the cut can then be read."""
    with open(copy, "r+b") as file:
        header = file.read(100)
        if len(header) < 100:
            return
        size = int.from_bytes(header[16:18], "big")
        page = 65536 if size == 1 else size
        if page < 512 or page & (page - 1):
            return  # the header is garbage: nothing to mend by it
        length = file.seek(0, os.SEEK_END)
        pages = length // page
        if length % page:
            file.truncate(pages * page)
        if int.from_bytes(header[28:32], "big") > pages:
            file.seek(28)
            file.write(pages.to_bytes(4, "big"))


# (table, key, scoped by the saved ids of): the order in which rows can be checked.
_PER_DOCUMENT = (
    ("pages", "number"),
    ("outline", "position"),
    ("form_fields", "position"),
    ("ocr_pages", "number"),
    ("document_tags", "tag_id"),
)


def _every_row(row: dict[str, Any]) -> bool:
    return True


@dataclass
class _Rebuild:
    old: sqlite3.Connection
    new: sqlite3.Connection
    tallies: list[TableTally] = field(default_factory=list)

    def table(
        self,
        table: str,
        key: str,
        keep: Callable[[dict[str, Any]], bool] = _every_row,
        scopes: Iterable[tuple[str, Sequence[object]]] = (("", ()),),
        fix: dict[str, object] | None = None,
    ) -> list[dict[str, Any]]:
        """Copy what can be read of `table` into the new database; the rows saved."""
        new_columns = columns_of(self.new, table)
        old_columns = [c for c in columns_of(self.old, table) if c in new_columns]
        if key not in old_columns:  # an older case without this table
            return []
        read, spots, saved = 0, 0, []
        listed = ", ".join(f'"{column}"' for column in old_columns)
        insert = f'INSERT INTO "{table}" ({listed}) VALUES ({", ".join("?" * len(old_columns))})'
        for scope, params in scopes:
            found: Salvaged = readable_rows(self.old, table, old_columns, key, scope, params)
            read, spots = read + len(found.rows), spots + found.damaged_spots
            for values in found.rows:
                row = dict(zip(old_columns, values, strict=True)) | (fix or {})
                if not keep(row):
                    continue
                try:
                    self.new.execute(insert, [row[column] for column in old_columns])
                except sqlite3.Error:  # a row the damage garbled: it breaks a constraint
                    continue
                saved.append(row)
        self.tallies.append(TableTally(table, read, len(saved), spots))
        return saved


def _rebuild(
    damaged: Path, target: Path
) -> tuple[tuple[TableTally, ...], tuple[str, ...], set[str], str]:
    """The new case.sqlite from the damaged copy: tallies, incomplete documents, the
    SHA-256 of every document saved, and why nothing could be read (or "")."""
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
            return (), (), set(), str(error)
        try:
            if version > SCHEMA_VERSION:
                raise CaseError(
                    f"this case was written by a newer Docket (schema {version}); "
                    "recover it with that Docket"
                )
            new.execute("BEGIN IMMEDIATE")
            work = _Rebuild(old, new)
            tallies, incomplete, shas = _copy_rows(work)
            new.execute("COMMIT")
        finally:
            old.close()
        return tallies, incomplete, shas, ""
    finally:
        new.close()


def _copy_rows(work: _Rebuild) -> tuple[tuple[TableTally, ...], tuple[str, ...], set[str]]:
    documents = work.table("documents", "id", fix={"indexed": 0})
    doc_ids = {row["id"] for row in documents}
    per_document = [("doc_id = ?", (doc_id,)) for doc_id in sorted(doc_ids)]
    tags = work.table("tags", "id")
    tag_ids = {row["id"] for row in tags}
    pages: dict[int, int] = {}

    def tag_kept(row: dict[str, Any]) -> bool:
        return row["tag_id"] in tag_ids

    for table, key in _PER_DOCUMENT:
        keep = tag_kept if table == "document_tags" else _every_row
        rows = work.table(table, key, keep, per_document)
        if table == "pages":
            for row in rows:
                pages[row["doc_id"]] = pages.get(row["doc_id"], 0) + 1
    marks = work.table("marks", "id", lambda row: row["doc_id"] in doc_ids, fix={"indexed": 0})
    mark_ids = sorted(row["id"] for row in marks)
    work.table(
        "mark_tags",
        "tag_id",
        lambda row: row["tag_id"] in tag_ids,
        [("mark_id = ?", (mark_id,)) for mark_id in mark_ids],
    )
    work.table("audit_log", "id")  # no references: it outlives marks and documents
    _keep_sequences(work.old, work.new)
    incomplete = tuple(
        f"document {row['id']} ({row['title']}): {pages.get(row['id'], 0)} of "
        f"{row['page_count']} pages saved"
        for row in documents
        if pages.get(row["id"], 0) != row["page_count"]
    )
    return tuple(work.tallies), incomplete, {str(row["sha256"]) for row in documents}


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


def _copy_originals(
    source: CaseLayout, target: CaseLayout, saved_shas: set[str]
) -> tuple[int, tuple[str, ...]]:
    """Copy every original (read-only, as imported); those no saved document names."""
    count, unclaimed = 0, []
    if not source.files.is_dir():
        return 0, ()
    for original in sorted(source.files.glob("*/*")):
        if not original.is_file() or original.name.endswith(".partial"):
            continue
        relative = original.relative_to(source.root)
        copy = target.root / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, copy)
        os.chmod(copy, 0o444)
        count += 1
        if original.stem not in saved_shas:
            unclaimed.append(relative.as_posix())
    return count, tuple(unclaimed)


def _move_into_place(temp: Path, dest: Path) -> None:
    if dest.is_dir():
        dest.rmdir()  # empty (checked): Windows will not rename onto a folder
    os.replace(temp, dest)


def _remove_tree(path: Path) -> None:
    def writable_then_retry(function: Callable[..., Any], name: str, _: object) -> None:
        os.chmod(name, stat.S_IWRITE | stat.S_IREAD)  # copied originals are read-only
        function(name)

    if path.exists():
        shutil.rmtree(path, onerror=writable_then_retry)
