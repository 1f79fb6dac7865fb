"""All SQL over marks and tags. Callers own the transactions (Database.write)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from docket.core.model.marks import Anchor, Mark, MarkFact, MarkKind, MarkRect, TagCount
from docket.core.model.tags import is_within, moved

_TAG_SEPARATOR = "\x1f"  # cannot occur in a tag name typed by a person
_FACT_COLUMNS = "m.fact_date, m.fact_date_text, m.fact_circa, m.fact_status"
_REASON_COLUMN = "m.reason"  # schema 6: a redaction's reason code
_MARK_COLUMNS = f"""m.id, m.uuid, m.doc_id, m.kind, m.page, m.start, m.end_page, m.end, m.quote,
    m.prefix, m.suffix, m.rects, m.colour, m.note, m.author, m.created, m.modified,
    {_FACT_COLUMNS}, {_REASON_COLUMN},
    (SELECT group_concat(t.name, char(31)) FROM mark_tags mt JOIN tags t ON t.id = mt.tag_id
     WHERE mt.mark_id = m.id)"""
# A case from before schema 5 opened read-only is not migrated: its marks are no facts.
_BEFORE_FACTS = _MARK_COLUMNS.replace(_FACT_COLUMNS, "'', '', 0, ''")


def _columns_of_older_case(connection: sqlite3.Connection) -> str:
    """_MARK_COLUMNS for a case opened read-only before schema 5 or 6 (not migrated)."""
    present = {str(row[1]) for row in connection.execute("PRAGMA table_info(marks)")}
    columns = _MARK_COLUMNS if "fact_date" in present else _BEFORE_FACTS
    return columns if "reason" in present else columns.replace(_REASON_COLUMN, "''")


def _select_marks(
    connection: sqlite3.Connection, tail: str, params: Sequence[object] = ()
) -> list[Any]:
    """Rows of _MARK_COLUMNS: `SELECT … FROM marks m {tail}`."""
    try:
        return connection.execute(f"SELECT {_MARK_COLUMNS} FROM marks m {tail}", params).fetchall()
    except sqlite3.OperationalError as error:
        if "fact_date" not in str(error) and "reason" not in str(error):
            raise
        columns = _columns_of_older_case(connection)
        return connection.execute(f"SELECT {columns} FROM marks m {tail}", params).fetchall()


def _mark(row: Sequence[Any]) -> Mark:  # a row of _MARK_COLUMNS, as SQLite types them
    (
        mark_id,
        uuid,
        doc,
        kind,
        page,
        start,
        end_page,
        end,
        quote,
        prefix,
        suffix,
        rects,
        colour,
        note,
        author,
        created,
        modified,
        fact_date,
        fact_date_text,
        fact_circa,
        fact_status,
        reason,
        tags,
    ) = row
    anchor = None
    if start is not None and end is not None and page is not None:
        anchor = Anchor(int(page), int(start), int(end_page or page), int(end))
    return Mark(
        id=int(mark_id),
        uuid=str(uuid),
        doc=int(doc),
        kind=MarkKind(kind),
        anchor=anchor,
        page=int(page) if page is not None else None,
        quote=str(quote),
        prefix=str(prefix),
        suffix=str(suffix),
        rects=tuple(MarkRect(*r) for r in json.loads(str(rects))),
        colour=str(colour),
        note=str(note),
        tags=tuple(sorted(str(tags).split(_TAG_SEPARATOR), key=str.casefold)) if tags else (),
        author=str(author),
        created=datetime.fromisoformat(str(created)),
        modified=datetime.fromisoformat(str(modified)),
        fact=MarkFact(str(fact_date), str(fact_date_text), bool(fact_circa), str(fact_status)),
        reason=str(reason),
    )


def insert_mark(connection: sqlite3.Connection, mark: Mark, *, keep_id: bool) -> int:
    """Store `mark` (its tags too); `keep_id` puts a deleted mark back under its old id."""
    anchor = mark.anchor
    values = (
        mark.uuid,
        mark.doc,
        str(mark.kind),
        mark.page,
        anchor.start if anchor else None,
        anchor.end_page if anchor else mark.page,
        anchor.end if anchor else None,
        mark.quote,
        mark.prefix,
        mark.suffix,
        json.dumps(
            [
                [r.page, round(r.x, 2), round(r.y, 2), round(r.width, 2), round(r.height, 2)]
                for r in mark.rects
            ]
        ),
        mark.colour,
        mark.note,
        mark.author,
        mark.created.isoformat(),
        mark.modified.isoformat(),
        mark.fact.date,
        mark.fact.date_text,
        int(mark.fact.circa),
        mark.fact.status,
        mark.reason,
    )
    columns = (
        "uuid, doc_id, kind, page, start, end_page, end, quote, prefix, suffix, rects, "
        "colour, note, author, created, modified, fact_date, fact_date_text, fact_circa, "
        "fact_status, reason"
    )
    if keep_id:
        cursor = connection.execute(
            f"INSERT INTO marks (id, {columns}) VALUES (?{', ?' * len(values)})", (mark.id, *values)
        )
    else:
        cursor = connection.execute(
            f"INSERT INTO marks ({columns}) VALUES (?{', ?' * (len(values) - 1)})", values
        )
    mark_id = int(cursor.lastrowid or mark.id)
    set_mark_tags(connection, mark_id, mark.tags)
    connection.execute("DELETE FROM unindexed_removals WHERE mark_id = ?", (mark_id,))
    return mark_id


def mark(connection: sqlite3.Connection, mark_id: int) -> Mark | None:
    rows = _select_marks(connection, "WHERE m.id = ?", (mark_id,))
    return _mark(rows[0]) if rows else None


def mark_id_by_uuid(connection: sqlite3.Connection, mark_uuid: str) -> int | None:
    row = connection.execute("SELECT id FROM marks WHERE uuid = ?", (mark_uuid,)).fetchone()
    return int(row[0]) if row else None


def mark_count(connection: sqlite3.Connection, doc: int) -> int:
    return int(
        connection.execute("SELECT count(*) FROM marks WHERE doc_id = ?", (doc,)).fetchone()[0]
    )


def marks_by_id(connection: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Mark]:
    ids = list(ids)
    found: dict[int, Mark] = {}
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        rows = _select_marks(connection, f"WHERE m.id IN ({', '.join('?' * len(chunk))})", chunk)
        found.update((m.id, m) for m in map(_mark, rows))
    return found


def marks(
    connection: sqlite3.Connection, doc: int | None = None, colour: str | None = None
) -> list[Mark]:
    """Marks in reading order: by document, then page (document notes first), then start."""
    where: list[str] = []
    params: list[object] = []
    if doc is not None:
        where.append("m.doc_id = ?")
        params.append(doc)
    if colour is not None:
        where.append("m.colour = ?")
        params.append(colour)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = _select_marks(
        connection,
        f"{clause} ORDER BY m.doc_id, coalesce(m.page, 0), coalesce(m.start, -1), m.id",
        params,
    )
    return [_mark(row) for row in rows]


def update_mark(
    connection: sqlite3.Connection,
    mark_id: int,
    *,
    colour: str | None,
    note: str | None,
    modified: datetime,
    fact: MarkFact | None = None,
) -> None:
    connection.execute(
        "UPDATE marks SET colour = coalesce(?, colour), note = coalesce(?, note), "
        "modified = ?, indexed = 0 WHERE id = ?",
        (colour, note, modified.isoformat(), mark_id),
    )
    if fact is not None:
        connection.execute(
            "UPDATE marks SET fact_date = ?, fact_date_text = ?, fact_circa = ?, "
            "fact_status = ? WHERE id = ?",
            (fact.date, fact.date_text, int(fact.circa), fact.status, mark_id),
        )


def delete_mark(connection: sqlite3.Connection, mark_id: int) -> None:
    connection.execute("DELETE FROM marks WHERE id = ?", (mark_id,))
    connection.execute("INSERT OR IGNORE INTO unindexed_removals VALUES (?)", (mark_id,))


# -- tags -----------------------------------------------------------------------


def tag_id(connection: sqlite3.Connection, name: str) -> int:
    """The id of tag `name`, created if new (the first spelling wins: NOCASE)."""
    row = connection.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    return int(connection.execute("INSERT INTO tags (name) VALUES (?)", (name,)).lastrowid or 0)


def set_mark_tags(
    connection: sqlite3.Connection, mark_id: int, tags: Iterable[str], *, tidy: bool = True
) -> None:
    """Give a mark exactly `tags`; `tidy=False` leaves dropping unused tags to the caller
    (once after many marks, not once per mark)."""
    connection.execute("DELETE FROM mark_tags WHERE mark_id = ?", (mark_id,))
    connection.executemany(
        "INSERT OR IGNORE INTO mark_tags VALUES (?, ?)",
        [(mark_id, tag_id(connection, name)) for name in tags],
    )
    connection.execute("UPDATE marks SET indexed = 0 WHERE id = ?", (mark_id,))
    if tidy:
        _drop_unused_tags(connection)


def set_document_tags(
    connection: sqlite3.Connection, doc: int, tags: Iterable[str], *, tidy: bool = True
) -> None:
    """Give a document exactly `tags` (and queue it for the index)."""
    connection.execute("DELETE FROM document_tags WHERE doc_id = ?", (doc,))
    add_document_tags(connection, doc, tags)
    if tidy:
        _drop_unused_tags(connection)


def restore_tags(
    connection: sqlite3.Connection,
    marks: Mapping[int, Sequence[str]],
    documents: Mapping[int, Sequence[str]],
) -> None:
    """Give marks and documents back the tags they had, spelt as they were then.

    A tag keeps its first spelling (NOCASE), so a name respelt since ("issue" renamed
    "Issue") is spelt back before the marks take it again. Marks and documents that
    no longer exist are passed over."""
    for name in {name for tags in (*marks.values(), *documents.values()) for name in tags}:
        connection.execute("UPDATE tags SET name = ? WHERE name = ?", (name, name))
    existing = _existing(connection, "marks", marks.keys())
    for mark_id, tags in marks.items():
        if mark_id in existing:
            set_mark_tags(connection, mark_id, tags, tidy=False)
    existing = _existing(connection, "documents", documents.keys())
    for doc, tags in documents.items():
        if doc in existing:
            set_document_tags(connection, doc, tags, tidy=False)
    _drop_unused_tags(connection)


def _existing(connection: sqlite3.Connection, table: str, ids: Iterable[int]) -> set[int]:
    ids = list(ids)
    found: set[int] = set()
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        rows = connection.execute(
            f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        )
        found.update(int(i) for (i,) in rows)
    return found


def tags_of_marks(connection: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Each mark's tags as stored (a mark without tags maps to ())."""
    return _tags_of(connection, "mark_tags", "mark_id", ids)


def tags_of_documents(
    connection: sqlite3.Connection, ids: Iterable[int]
) -> dict[int, tuple[str, ...]]:
    """Each document's own tags as stored (a document without tags maps to ())."""
    return _tags_of(connection, "document_tags", "doc_id", ids)


def _tags_of(
    connection: sqlite3.Connection, table: str, column: str, ids: Iterable[int]
) -> dict[int, tuple[str, ...]]:
    ids = list(ids)
    found: dict[int, list[str]] = {i: [] for i in ids}
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        rows = connection.execute(
            f"SELECT x.{column}, t.name FROM {table} x JOIN tags t ON t.id = x.tag_id "
            f"WHERE x.{column} IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for owner, name in rows:
            found[int(owner)].append(str(name))
    return {i: tuple(sorted(names, key=str.casefold)) for i, names in found.items()}


def document_tags(connection: sqlite3.Connection, doc: int) -> list[str]:
    rows = connection.execute(
        "SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
        "WHERE dt.doc_id = ? ORDER BY t.name COLLATE NOCASE",
        (doc,),
    )
    return [str(name) for (name,) in rows]


def all_document_tags(connection: sqlite3.Connection) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = connection.execute(
        "SELECT dt.doc_id, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
        "ORDER BY t.name COLLATE NOCASE"
    )
    for doc, name in rows:
        found.setdefault(int(doc), []).append(str(name))
    return found


def add_document_tags(connection: sqlite3.Connection, doc: int, tags: Iterable[str]) -> None:
    connection.executemany(
        "INSERT OR IGNORE INTO document_tags VALUES (?, ?)",
        [(doc, tag_id(connection, name)) for name in tags],
    )
    documents_tags_changed(connection, [doc])


def documents_tags_changed(connection: sqlite3.Connection, docs: Iterable[int]) -> None:
    connection.executemany(
        "INSERT OR IGNORE INTO unindexed_document_tags VALUES (?)", [(doc,) for doc in docs]
    )


def remove_document_tags(connection: sqlite3.Connection, doc: int, tags: Iterable[str]) -> int:
    removed = 0
    for name in tags:
        removed += connection.execute(
            "DELETE FROM document_tags WHERE doc_id = ? AND tag_id = "
            "(SELECT id FROM tags WHERE name = ?)",
            (doc, name),
        ).rowcount
    if removed:
        # The index holds the document's tags too: without this, `tag:` found the
        # document by a removed tag until the next reindex.
        documents_tags_changed(connection, [doc])
    _drop_unused_tags(connection)
    return removed


def tag_counts(connection: sqlite3.Connection) -> list[TagCount]:
    rows = connection.execute(
        "SELECT t.name, (SELECT count(*) FROM mark_tags WHERE tag_id = t.id), "
        "(SELECT count(*) FROM document_tags WHERE tag_id = t.id) FROM tags t "
        "ORDER BY t.name COLLATE NOCASE"
    )
    return [TagCount(str(name), int(marks), int(docs)) for name, marks, docs in rows]


def tag_usage(
    connection: sqlite3.Connection, names: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """(marks, documents) carrying each tag, by its stored spelling: every tag of the
    case, or those named (any case)."""
    if names is None:
        return {count.name: (count.marks, count.documents) for count in tag_counts(connection)}
    wanted = list({name.casefold(): name for name in names}.values())
    if not wanted:
        return {}
    rows = connection.execute(
        "SELECT t.name, (SELECT count(*) FROM mark_tags WHERE tag_id = t.id), "
        "(SELECT count(*) FROM document_tags WHERE tag_id = t.id) FROM tags t "
        f"WHERE t.name IN ({', '.join('?' * len(wanted))})",
        wanted,
    )
    return {str(name): (int(marks), int(docs)) for name, marks, docs in rows}


def marks_with_tags_within(connection: sqlite3.Connection, parent: str) -> list[int]:
    return _tagged_within(connection, "mark_tags", "mark_id", parent)


def documents_with_tags_within(connection: sqlite3.Connection, parent: str) -> list[int]:
    return _tagged_within(connection, "document_tags", "doc_id", parent)


def _tagged_within(
    connection: sqlite3.Connection, table: str, column: str, parent: str
) -> list[int]:
    """Ids in `table` (marks or documents) carrying tag `parent` or one below it."""
    names = _names_within(connection, parent)
    if not names:
        return []
    rows = connection.execute(
        f"SELECT DISTINCT x.{column} FROM {table} x JOIN tags t ON t.id = x.tag_id "
        f"WHERE t.name IN ({', '.join('?' * len(names))})",
        names,
    )
    return [int(found) for (found,) in rows]


def _names_within(connection: sqlite3.Connection, parent: str) -> list[str]:
    return [str(n) for (n,) in connection.execute("SELECT name FROM tags") if is_within(n, parent)]


def _touch_subtree(connection: sqlite3.Connection, parent: str) -> tuple[int, int]:
    """Queue for the index every mark and document carrying a tag within `parent`."""
    marks = marks_with_tags_within(connection, parent)
    docs = documents_with_tags_within(connection, parent)
    connection.executemany("UPDATE marks SET indexed = 0 WHERE id = ?", [(m,) for m in marks])
    documents_tags_changed(connection, docs)
    return len(marks), len(docs)


def move_tags(connection: sqlite3.Connection, old: str, new: str) -> tuple[int, int]:
    """Rename the subtree `old` to `new`; where a new name exists already, merge into it.
    Returns how many marks and documents carried a tag that moved."""
    touched = _touch_subtree(connection, old)
    for tag, name in list(connection.execute("SELECT id, name FROM tags")):
        if not is_within(name, old):
            continue
        target = moved(name, old, new)
        existing = connection.execute(
            "SELECT id FROM tags WHERE name = ? AND id != ?", (target, tag)
        ).fetchone()
        if existing is None:
            connection.execute("UPDATE tags SET name = ? WHERE id = ?", (target, tag))
            continue
        for table, column in (("mark_tags", "mark_id"), ("document_tags", "doc_id")):
            connection.execute(
                f"INSERT OR IGNORE INTO {table} SELECT {column}, ? FROM {table} WHERE tag_id = ?",
                (existing[0], tag),
            )
        connection.execute("DELETE FROM tags WHERE id = ?", (tag,))
    return touched


def delete_tags_within(connection: sqlite3.Connection, parent: str) -> tuple[int, int]:
    """Delete tag `parent` and every tag below it; returns the marks and documents
    that lose one."""
    touched = _touch_subtree(connection, parent)
    for tag, name in list(connection.execute("SELECT id, name FROM tags")):
        if is_within(name, parent):
            connection.execute("DELETE FROM tags WHERE id = ?", (tag,))
    return touched


def _drop_unused_tags(connection: sqlite3.Connection) -> None:
    connection.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM mark_tags) "
        "AND id NOT IN (SELECT tag_id FROM document_tags)"
    )


# -- keeping the index in step -------------------------------------------------------


def waiting_for_index(connection: sqlite3.Connection) -> tuple[list[int], list[int], list[int]]:
    """(marks whose latest version the index lacks, removed marks it may still have,
    documents whose tags it does not know yet)."""
    stale = [int(i) for (i,) in connection.execute("SELECT id FROM marks WHERE indexed = 0")]
    removed = [int(i) for (i,) in connection.execute("SELECT mark_id FROM unindexed_removals")]
    docs = [int(i) for (i,) in connection.execute("SELECT doc_id FROM unindexed_document_tags")]
    return stale, removed, docs


def record_indexed(
    connection: sqlite3.Connection,
    marks: Iterable[int],
    forgotten: Iterable[int],
    docs: Iterable[int],
) -> None:
    connection.executemany("UPDATE marks SET indexed = 1 WHERE id = ?", [(i,) for i in marks])
    connection.executemany(
        "DELETE FROM unindexed_removals WHERE mark_id = ?", [(i,) for i in forgotten]
    )
    connection.executemany(
        "DELETE FROM unindexed_document_tags WHERE doc_id = ?", [(i,) for i in docs]
    )


def all_unindexed(connection: sqlite3.Connection, docs: Iterable[int] | None = None) -> None:
    """After the index lost records (a rebuild, or documents re-fed), queue them again."""
    if docs is None:
        connection.execute("UPDATE marks SET indexed = 0")
        connection.execute(
            "INSERT OR IGNORE INTO unindexed_document_tags "
            "SELECT DISTINCT doc_id FROM document_tags"
        )
        return
    docs = list(docs)
    connection.executemany("UPDATE marks SET indexed = 0 WHERE doc_id = ?", [(d,) for d in docs])
    documents_tags_changed(connection, docs)
