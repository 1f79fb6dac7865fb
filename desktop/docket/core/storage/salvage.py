"""Reading what SQLite can still read from a damaged table, skipping past the damage.

A page of garbage in a table's B-tree makes every statement that walks through it
fail, but the rows on the other pages are still there, reachable by seeking to a
key beyond the damage. So a table is read in key order; when the read fails, the
next readable key is found by probing ever further ahead (1, 2, 4… keys past the
last row read), then back by halves to the nearest key that reads. Only the rows
on the damaged pages are lost. (The `sqlite3` shell's `.recover` reads pages
directly and would do better, but Debian's and Ubuntu's shells are built without
the sqlite_dbpage table it needs, and Python's sqlite3 has no such table either.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

_LOWEST = -(2**63)
_HIGHEST = 2**63 - 1


@dataclass
class Salvaged:
    rows: list[tuple[object, ...]]
    damaged_spots: int  # places where a read failed and rows may have been lost


def columns_of(connection: sqlite3.Connection, table: str) -> list[str]:
    """The table's columns in the damaged database ([] when it has no such table)."""
    return [str(row[1]) for row in connection.execute(f'PRAGMA table_info("{table}")')]


def readable_rows(
    connection: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    key: str,
    scope: str = "",
    params: Sequence[object] = (),
) -> Salvaged:
    """Every row of `table` (within `scope`, a condition on `params`) that can be read,
    in order of the integer column `key`."""
    listed = ", ".join(f'"{column}"' for column in columns)
    where = f"{scope} AND " if scope else ""
    after = f'SELECT {listed} FROM "{table}" WHERE {where}"{key}" > ? ORDER BY "{key}"'
    from_ = f'SELECT {listed} FROM "{table}" WHERE {where}"{key}" >= ? ORDER BY "{key}" LIMIT 1'
    at = list(columns).index(key)
    found = Salvaged([], 0)
    last: object = _LOWEST
    while True:
        try:
            for row in connection.execute(after, (*params, last)):
                found.rows.append(tuple(row))
                last = row[at]
            return found
        except sqlite3.DatabaseError:
            found.damaged_spots += 1
        if not isinstance(last, int):  # a key of the wrong type: the rest is not to be trusted
            return found
        row = _first_readable_after(connection, from_, params, last)
        if row is None or not isinstance(row[at], int):
            return found
        found.rows.append(row)
        last = row[at]


def _first_readable_after(
    connection: sqlite3.Connection, select: str, params: Sequence[object], last: int
) -> tuple[object, ...] | None:
    """The first row with a key above `last` whose read does not meet the damage."""

    def probe(bound: int) -> tuple[bool, tuple[object, ...] | None]:
        try:
            row = connection.execute(select, (*params, bound)).fetchone()
        except sqlite3.DatabaseError:
            return False, None
        return True, (tuple(row) if row is not None else None)

    failed, step = last, 1
    while True:  # ahead by doubling steps until a read succeeds
        bound = min(last + step, _HIGHEST)
        read, row = probe(bound)
        if read:
            break
        if bound >= _HIGHEST:
            return None
        failed, step = bound, step * 2
    low, high = failed, bound  # `low` fails, `high` reads: the nearest readable bound
    while high - low > 1:
        middle = (low + high) // 2
        read, nearer = probe(middle)
        if read:
            high, row = middle, nearer
        else:
            low = middle
    return row


def rows_in_scope(
    connection: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    scope: str = "",
    params: Sequence[object] = (),
) -> Salvaged:
    """The rows of `table` within `scope`, in one read: for tables with no integer key
    to resume at, what is read before the damage is kept and the rest of the scope lost."""
    listed = ", ".join(f'"{column}"' for column in columns)
    where = f" WHERE {scope}" if scope else ""
    found = Salvaged([], 0)
    try:
        for row in connection.execute(f'SELECT {listed} FROM "{table}"{where}', params):
            found.rows.append(tuple(row))
    except sqlite3.DatabaseError:
        found.damaged_spots += 1
    return found
