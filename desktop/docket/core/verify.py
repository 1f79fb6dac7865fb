"""Checks that a case is whole: case.sqlite reads whole, originals match their hashes,
the index matches."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from docket.core.counts import count
from docket.core.progress import Progress, ProgressCallback
from docket.core.search.engine import SearchEngine
from docket.core.storage import documents as store
from docket.core.storage.damage import integrity_problems
from docket.core.storage.originals import sha256_of


@dataclass(frozen=True)
class VerifyReport:
    documents: int
    problems: tuple[str, ...]
    damage: str = ""  # what SQLite's integrity check found first; then nothing else was checked

    @property
    def database_damaged(self) -> bool:
        return bool(self.damage)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_case(
    root: Path,
    connection: sqlite3.Connection,
    index: SearchEngine,
    progress: ProgressCallback,
) -> VerifyReport:
    damage = integrity_problems(connection)
    if damage:  # reading on would meet the damage: say what SQLite found, and the way out
        found = tuple(f"case.sqlite: {problem}" for problem in damage)
        return VerifyReport(0, found, damage=damage[0])
    problems: list[str] = []
    rows = store.blobs(connection)
    counts = store.page_counts(connection)
    for done, (doc_id, sha, blob, page_count) in enumerate(rows, start=1):
        original = root / blob
        if not original.is_file():
            problems.append(f"document {doc_id}: original is missing ({blob})")
        elif sha256_of(original) != sha:
            problems.append(f"document {doc_id}: original has changed (hash mismatch: {blob})")
        if counts.get(doc_id, 0) != page_count:
            problems.append(
                f"document {doc_id}: {counts.get(doc_id, 0)} of {page_count} pages stored"
            )
        progress(Progress(done, len(rows), 0, blob))
    problems.extend(_index_problems(connection, index, counts))
    return VerifyReport(len(rows), tuple(problems))


def _index_problems(
    connection: sqlite3.Connection, index: SearchEngine, counts: dict[int, int]
) -> list[str]:
    problems = []
    unindexed = store.unindexed_document_ids(connection)
    if unindexed:
        problems.append(
            f"index: {count(len(unindexed), 'document')} not indexed yet "
            f"({', '.join(map(str, unindexed[:10]))}); run `docket reindex`"
        )
    in_index = index.indexed_doc_ids()
    strays = in_index - set(counts)
    if strays:
        problems.append(f"index: holds documents the case does not have ({sorted(strays)[:10]})")
    indexed_pages, stored_pages = index.page_count(), sum(counts.values())
    if indexed_pages != stored_pages:
        problems.append(
            f"index: {indexed_pages} pages indexed, {stored_pages} stored; run `docket reindex`"
        )
    return problems
