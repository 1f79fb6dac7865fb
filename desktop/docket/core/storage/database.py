"""The case database: one writer connection behind a lock, a reader per thread.

Every change runs in its own `BEGIN IMMEDIATE … COMMIT` through `write()`, so
it is on disk when the call returns (no Save button), and a kill mid-way rolls
it back. Reads may run in parallel on other threads (WAL).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docket.core.errors import CaseError
from docket.core.storage.schema import connect, migrate


class Database:
    def __init__(self, path: Path, *, readonly: bool) -> None:
        self._path = path
        self._readonly = readonly
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        if not readonly:
            self._writer = connect(path)
            migrate(self._writer)

    @property
    def readonly(self) -> bool:
        return self._readonly

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        if self._writer is None:
            raise CaseError("the case is open read-only")
        with self._write_lock:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                self._writer.execute("ROLLBACK")
                raise
            self._writer.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        """This thread's connection for reading (the writer's own on its thread)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self._path, readonly=True)
            with self._connections_lock:
                self._connections.append(connection)
            self._local.connection = connection
        return connection

    def close(self) -> None:
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        if self._writer is not None:
            with self._write_lock:
                self._writer.close()
                self._writer = None
