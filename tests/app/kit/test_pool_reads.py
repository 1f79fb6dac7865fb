"""Reads on the window's worker threads reuse their thread's database connection.

A Qt pool thread runs each job under a new Python thread state, so a connection
kept in a threading.local was opened again (and kept) for every job: one more
SQLite connection, and its page cache, for every search the window ran.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from docket.app.kit.tasks import LatestWins
from docket.core.case import Case


def test_searches_on_the_worker_thread_use_one_connection(qtbot: QtBot, tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        latest = LatestWins()  # the search panel's worker: one thread, kept
        answers: list[int] = []

        def count_documents() -> int:
            return int(case.database.read().execute("SELECT count(*) FROM documents").fetchone()[0])

        for _ in range(12):
            before = len(answers)
            latest.submit(count_documents, answers.append)
            qtbot.waitUntil(lambda before=before: len(answers) > before, timeout=5000)
        assert answers == [0] * 12
        # The case's own connection (opened on this thread) and the worker thread's.
        assert len(case.database._connections) <= 2
        latest.wait(2000)
