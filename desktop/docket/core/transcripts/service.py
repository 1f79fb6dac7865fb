"""`Transcripts` (`case.transcripts`): which documents are transcripts, set by hand,
and where search hits and marks fall in page:line.

    case.transcripts.set(doc, True)     # rebuilt from the stored pages, set by hand
    case.transcripts.mark_lines([mark])  ->  {mark.id: ((2, 4), (3, 2))}

Recognition on import is `maps_on_import` (core/case.py stores them in the
document's own transaction). Line numbers are computed when asked, from the
stored line maps and the stored offsets; the index holds none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from docket.core.errors import DocketError
from docket.core.model.records import DocumentKind, ExtractedPage, SearchResults
from docket.core.storage import transcripts as store
from docket.core.storage.citing import LineMap
from docket.core.storage.documents import pages as stored_pages
from docket.core.transcripts.detect import any_line_maps, line_maps
from docket.core.transcripts.lines import line_at

if TYPE_CHECKING:  # marks and change-sets load where used: `docket search` needs neither
    from docket.core.case import Case
    from docket.core.model.changes import Changes
    from docket.core.model.marks import Mark

Lines = tuple[tuple[int, int], tuple[int, int]]  # (page, line) of the first and last line


def maps_on_import(kind: DocumentKind, pages: Sequence[ExtractedPage]) -> dict[int, LineMap]:
    """The line maps of a document being imported, when it is laid out as a transcript."""
    if kind not in (DocumentKind.TEXT, DocumentKind.PDF):
        return {}
    return line_maps([page.text for page in pages]) or {}


def refresh_line_maps(connection: sqlite3.Connection, doc_id: int) -> None:
    """Build a document's line maps again after its page texts changed (re-read in another
    encoding, read by OCR), in the caller's transaction: recognised afresh, or for a
    document set by hand, kept as the hand set it (on: every run of lines; off: none)."""
    state = store.transcript_state(connection, doc_id)
    if state is None:
        return
    texts = [page.text for page in stored_pages(connection, doc_id)]
    transcript, by_hand = state
    hand_set = any_line_maps(texts) if transcript else {}
    maps = hand_set if by_hand else line_maps(texts) or {}
    store.store_line_maps(connection, doc_id, maps, by_hand=by_hand)


def lines_between(
    maps: dict[int, LineMap], first: tuple[int, int], last: tuple[int, int]
) -> Lines | None:
    """The (page, line) of offset first=(page, start) and of the character before
    last=(page, end); None unless both pages have a line map."""
    first_map, last_map = maps.get(first[0]), maps.get(last[0])
    if not first_map or not last_map:
        return None
    first_line = line_at(first_map, first[1])
    last_line = line_at(last_map, max(first[1] if first[0] == last[0] else 0, last[1] - 1))
    if first_line is None or last_line is None:
        return None
    return (first[0], first_line), (last[0], last_line)


def pin_text(lines: Lines, labels: dict[int, str]) -> str:
    """27:4, 27:4–9 or 27:4–28:2, pages by their labels."""
    (first_page, first_line), (last_page, last_line) = lines
    first = f"{labels.get(first_page) or first_page}:{first_line}"
    if first_page != last_page:
        return f"{first}–{labels.get(last_page) or last_page}:{last_line}"
    return first if first_line == last_line else f"{first}–{last_line}"


def with_lines(found: dict[str, object], lines: Lines | None) -> dict[str, object]:
    """A record's JSON with "lines": [[page, line], [page, line]] when it has them."""
    return {**found, "lines": [list(end) for end in lines]} if lines else found


class Transcripts:
    def __init__(self, case: Case) -> None:
        self._case = case

    def state(self, doc: int) -> tuple[bool, bool]:
        """(a transcript, set by hand) for a document; a clear error when it is not there."""
        self._case.document(doc)
        found = store.transcript_state(self._case.database.read(), doc)
        return found if found is not None else (False, False)

    def is_transcript(self, doc: int) -> bool:
        return self.state(doc)[0]

    def set(self, doc: int, on: bool) -> Changes:
        """Set by hand: on rebuilds every page's line map from its stored text (any run of
        numbered lines), off clears them. A document with no numbered line is refused."""
        self._case.document(doc)
        maps: dict[int, LineMap] = {}
        if on:
            texts = [page.text for page in stored_pages(self._case.database.read(), doc)]
            maps = any_line_maps(texts)
            if not maps:
                raise DocketError(
                    f"document {doc} has no numbered lines (1, 2, 3… at the start of lines) "
                    "on any page: it was left as it was"
                )
        with self._case.database.write() as connection:
            store.store_line_maps(connection, doc, maps, by_hand=True)
        from docket.core.model.changes import Changes, Delta

        return Changes(documents=Delta.of(changed=[doc]))

    def line_maps(self, doc: int, pages: Sequence[int]) -> dict[int, LineMap]:
        found = store.line_maps_at(self._case.database.read(), [(doc, p) for p in pages])
        return {page: lines for (_doc, page), lines in found.items()}

    def mark_lines(self, marks: Iterable[Mark]) -> dict[int, Lines]:
        """The page:line span of each highlight on a transcript's mapped pages, by mark id."""
        from docket.core.model.marks import MarkKind

        anchored = [
            (mark.id, mark.doc, mark.anchor)
            for mark in marks
            if mark.kind is MarkKind.HIGHLIGHT and mark.anchor is not None
        ]
        keys = {(doc, page) for _, doc, a in anchored for page in (a.page, a.end_page)}
        maps = store.line_maps_at(self._case.database.read(), keys) if keys else {}
        found: dict[int, Lines] = {}
        for mark_id, doc, a in anchored:
            doc_maps = {
                page: maps[(doc, page)] for page in (a.page, a.end_page) if (doc, page) in maps
            }
            lines = lines_between(doc_maps, (a.page, a.start), (a.end_page, a.end))
            if lines is not None:
                found[mark_id] = lines
        return found

    def with_lines(self, results: SearchResults) -> SearchResults:
        """Search results whose hits on a transcript page carry the first and last hit line."""
        keys = {(hit.doc, hit.page) for hit in results.results if hit.hits}
        if not keys:
            return results
        maps = store.line_maps_at(self._case.database.read(), keys)
        if not maps:
            return results
        hits = []
        for hit in results.results:
            page_map = maps.get((hit.doc, hit.page))
            lines = None
            if page_map and hit.hits:
                start, end = hit.hits[0][0], max(span[1] for span in hit.hits)
                lines = lines_between({hit.page: page_map}, (hit.page, start), (hit.page, end))
            hits.append(replace(hit, lines=lines) if lines else hit)
        return replace(results, results=tuple(hits))
