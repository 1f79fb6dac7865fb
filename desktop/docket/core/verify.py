"""Checks that a case is whole: case.sqlite reads whole, originals match their hashes,
every mark's quote still stands at its offsets in the stored page text, the index matches."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from docket.core.counts import count
from docket.core.model.marks import Mark
from docket.core.progress import Progress, ProgressCallback
from docket.core.search.engine import SearchEngine
from docket.core.storage import documents as store
from docket.core.storage import marks as markstore
from docket.core.storage.damage import integrity_problems
from docket.core.storage.originals import sha256_of
from docket.core.text.anchoring import quote_of, readable
from docket.core.text.folding import fold


@dataclass(frozen=True)
class MarkProblem:
    """A mark whose words no longer stand where it says, or whose original has changed."""

    mark: int
    doc: int
    page: int | None
    reason: str  # "quote-moved" | "original-changed"
    expected: str = ""  # the mark's quote
    found: str = ""  # the stored text now between its offsets

    def describe(self) -> str:
        where = f"document {self.doc}" + (f" page {self.page}" if self.page else "")
        if self.reason == "original-changed":
            return f"mark {self.mark} ({where}): made on an original that has since changed"
        return (
            f"mark {self.mark} ({where}): quote {self.expected!r} is not at its offsets, "
            f"which now hold {self.found!r}"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "mark": self.mark,
            "document": self.doc,
            "page": self.page,
            "reason": self.reason,
            "expected": self.expected,
            "found": self.found,
        }


@dataclass(frozen=True)
class VerifyReport:
    documents: int
    problems: tuple[str, ...]
    damage: str = ""  # what SQLite's integrity check found first; then nothing else was checked
    marks: tuple[MarkProblem, ...] = ()  # also described among `problems`

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
    changed_originals: set[int] = set()
    rows = store.blobs(connection)
    counts = store.page_counts(connection)
    for done, (doc_id, sha, blob, page_count) in enumerate(rows, start=1):
        original = root / blob
        if not original.is_file():
            problems.append(f"document {doc_id}: original is missing ({blob})")
            changed_originals.add(doc_id)
        elif sha256_of(original) != sha:
            problems.append(f"document {doc_id}: original has changed (hash mismatch: {blob})")
            changed_originals.add(doc_id)
        if counts.get(doc_id, 0) != page_count:
            problems.append(
                f"document {doc_id}: {counts.get(doc_id, 0)} of {page_count} pages stored"
            )
        progress(Progress(done, len(rows), 0, blob))
    marks = _mark_problems(connection, changed_originals)
    problems.extend(m.describe() for m in marks)
    problems.extend(_index_problems(connection, index, counts))
    return VerifyReport(len(rows), tuple(problems), marks=tuple(marks))


def _mark_problems(
    connection: sqlite3.Connection, changed_originals: set[int]
) -> list[MarkProblem]:
    """Every mark on a document whose original fails its hash, and every highlight whose
    quote is not the stored text between its offsets, compared as a quote is made
    (`anchoring.quote_of`: hyphen breaks joined, whitespace squeezed), case and accents
    aside (a W3C import keeps the quote as it came)."""
    problems: list[MarkProblem] = []
    marks = markstore.marks(connection)
    anchored = [m for m in marks if m.anchor is not None and m.quote.strip()]
    keys = sorted(
        {
            (m.doc, page)
            for m in anchored
            if m.anchor is not None
            for page in range(m.anchor.page, m.anchor.end_page + 1)
        }
    )
    texts = store.page_texts(connection, keys)
    for mark in marks:
        if mark.doc in changed_originals:
            problems.append(MarkProblem(mark.id, mark.doc, mark.page, "original-changed"))
    for mark in anchored:
        found = _quote_now(mark, texts)
        if found is not None and _same_words(found, mark.quote):
            continue
        problems.append(
            MarkProblem(mark.id, mark.doc, mark.page, "quote-moved", mark.quote, found or "")
        )
    return problems


def _quote_now(mark: Mark, texts: dict[tuple[int, int], str]) -> str | None:
    """The words now between the mark's offsets; None if a page or the offsets are gone."""
    anchor = mark.anchor
    assert anchor is not None
    pages = {p: texts[(mark.doc, p)] for p in range(anchor.page, anchor.end_page + 1)
             if (mark.doc, p) in texts}  # fmt: skip
    if anchor.page not in pages or anchor.end_page not in pages:
        return None
    if anchor.end > len(pages[anchor.end_page]) or anchor.start > len(pages[anchor.page]):
        return None
    return quote_of(pages, anchor).exact


def _same_words(found: str, quote: str) -> bool:
    return fold(readable(found).strip()) == fold(readable(quote).strip())


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
