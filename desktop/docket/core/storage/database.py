"""The case database: one writer connection behind a lock, a reader per thread.

Every change runs in its own `BEGIN IMMEDIATE … COMMIT` through `write()`, so
it is on disk when the call returns (no Save button), and a kill mid-way rolls
it back. Reads may run in parallel on other threads (WAL).

Opening refuses a case from a newer Docket, readers included, and a file whose
header or table of contents is damaged; a writable open migrates a case from an
older Docket (a reader leaves it: see `written_by_older_docket`). Damage met
later, inside `write()`, becomes DamagedCaseError (damage met by a reader
reaches the command line's or the window's handler, which name it the same way).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docket.core.errors import CaseError
from docket.core.storage.damage import DamagedCaseError, as_damage, integrity_problems
from docket.core.storage.schema import (
    SCHEMA_VERSION,
    check_openable,
    connect,
    migrate,
    schema_version,
)


class Database:
    def __init__(self, path: Path, *, readonly: bool) -> None:
        self._path = path
        self._readonly = readonly
        self._write_lock = threading.Lock()
        # By OS thread, not threading.local(): a Qt pool thread runs each job under a
        # new Python thread state, so a thread-local opened (and kept) a connection
        # per job: one per search in the window, ~2 MB each.
        self._by_thread: dict[int, sqlite3.Connection] = {}
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        try:
            if readonly:
                check_openable(self.read(), path)
            else:
                self._writer = connect(path)
                check_openable(self._writer, path)
                migrate(self._writer)
        except BaseException as error:
            self.close()
            damage = as_damage(error, path.parent)
            if damage is not None and damage is not error:
                raise damage from error
            raise

    @property
    def case_folder(self) -> Path:
        return self._path.parent

    @property
    def readonly(self) -> bool:
        return self._readonly

    @property
    def written_by_older_docket(self) -> bool:
        """Its schema is older than this program's: tables lack columns it reads.
        Only a read-only open leaves a case so; `Case` upgrades it before reading."""
        return schema_version(self.read(), self._path) < SCHEMA_VERSION

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        if self._writer is None:
            raise CaseError("the case is open read-only")
        with self._write_lock:
            try:
                self._writer.execute("BEGIN IMMEDIATE")
                try:
                    yield self._writer
                except BaseException as error:
                    self._rollback(error)
                    raise
                self._writer.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                damage = as_damage(error, self._path.parent)
                if damage is None:
                    raise
                raise damage from error

    def _rollback(self, cause: BaseException) -> None:
        assert self._writer is not None
        try:
            self._writer.execute("ROLLBACK")
        except sqlite3.Error:
            if as_damage(cause) is None:
                raise
            # SQLite may have ended the transaction itself on meeting the damage.

    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity check finds wrong with case.sqlite (none: it is whole)."""
        return integrity_problems(self.read())

    def damaged(self, error: BaseException) -> DamagedCaseError | None:
        """`error` as the damage of this case's database, if it is damage."""
        return as_damage(error, self._path.parent)

    def read(self) -> sqlite3.Connection:
        """This thread's connection for reading (the writer's own on its thread)."""
        thread = threading.get_ident()
        connection = self._by_thread.get(thread)
        if connection is None:
            connection = connect(self._path, readonly=True)
            with self._connections_lock:
                self._connections.append(connection)
                self._by_thread[thread] = connection
        return connection

    def close(self) -> None:
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
            self._by_thread.clear()
        if self._writer is not None:
            with self._write_lock:
                self._writer.close()
                self._writer = None
