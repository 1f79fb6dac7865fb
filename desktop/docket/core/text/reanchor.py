"""Marks found again in a document's new text, or kept as page notes when not.

When a document's page texts are replaced (a text file re-read in another
encoding, a scanned page read again by OCR), every highlight is looked for
again by its quote (`anchoring.locate`, with its old place as the hint). A
highlight whose quote is nowhere in the new text is orphaned: it becomes a
page note on its page (the last page if that page is gone), keeping its
quote, note, tags and colour, so that nothing the user wrote is lost and
nothing is silently moved; the result names each one. Page notes on pages
that no longer exist move to the last page.

The SQL runs in the caller's transaction (the one that replaces the texts),
so marks and texts change together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from docket.core.model.marks import Anchor, Mark, MarkKind, MarkRect
from docket.core.text.anchoring import Quote, locate, quote_of

# A highlight's rectangles on its new pages (a PDF's): anchor, page → text length.
RectsOf = Callable[[Anchor, dict[int, int]], tuple[MarkRect, ...]]


@dataclass(frozen=True)
class Orphan:
    """A highlight whose quote the new text no longer has."""

    mark: int
    page: int  # the page note it became sits here
    quote: str


@dataclass(frozen=True)
class Reanchored:
    kept: tuple[int, ...]  # highlights found again (moved or not)
    orphaned: tuple[Orphan, ...]


def reanchor_marks(
    connection: sqlite3.Connection,
    marks: Iterable[Mark],
    pages: Mapping[int, str],
    *,
    rects_of: RectsOf | None = None,
) -> Reanchored:
    """Find `marks` again in `pages` (every page's new text, page → text) and
    store where they now are; `rects_of` gives a kept highlight new rectangles."""
    kept: list[int] = []
    orphaned: list[Orphan] = []
    last = max(pages, default=1)
    now = datetime.now(UTC).isoformat()
    for mark in marks:
        if mark.kind is MarkKind.DOCUMENT_NOTE:
            continue
        if mark.kind is not MarkKind.HIGHLIGHT or mark.anchor is None:
            if mark.page is not None and mark.page > last:
                connection.execute(
                    "UPDATE marks SET page = ?, end_page = ?, modified = ?, indexed = 0 "
                    "WHERE id = ?",
                    (last, last, now, mark.id),
                )
            continue
        anchor = relocate(pages, mark)
        if anchor is None:
            page = min(mark.anchor.page, last)
            orphaned.append(Orphan(mark.id, page, mark.quote))
            connection.execute(
                "UPDATE marks SET kind = ?, page = ?, start = NULL, end_page = ?, end = NULL,"
                " rects = '[]', modified = ?, indexed = 0 WHERE id = ?",
                (str(MarkKind.PAGE_NOTE), page, page, now, mark.id),
            )
            continue
        kept.append(mark.id)
        quote = quote_of(pages, anchor)
        connection.execute(
            "UPDATE marks SET page = ?, start = ?, end_page = ?, end = ?, quote = ?, prefix = ?,"
            " suffix = ?, indexed = 0 WHERE id = ?",
            (
                anchor.page,
                anchor.start,
                anchor.end_page,
                anchor.end,
                quote.exact,
                quote.prefix,
                quote.suffix,
                mark.id,
            ),
        )
        if rects_of is not None:
            lengths = {n: len(pages.get(n, "")) for n in range(anchor.page, anchor.end_page + 1)}
            rects = rects_of(anchor, lengths)
            connection.execute(
                "UPDATE marks SET rects = ? WHERE id = ?", (_rects_json(rects), mark.id)
            )
    return Reanchored(tuple(kept), tuple(orphaned))


def relocate(pages: Mapping[int, str], mark: Mark) -> Anchor | None:
    """The mark's place in the new text: its old place if it still quotes the same
    words there, else the best place its quote is found; None if nowhere."""
    anchor = mark.anchor
    assert anchor is not None
    if not mark.quote.strip():
        return None
    lengths = {number: len(text) for number, text in pages.items()}
    fits = (
        anchor.page in lengths
        and anchor.end_page in lengths
        and anchor.start <= lengths[anchor.page]
        and anchor.end <= lengths[anchor.end_page]
    )
    if fits and quote_of(pages, anchor).exact.casefold() == mark.quote.casefold():
        return anchor
    if anchor.page != anchor.end_page:
        return None  # a quote across pages is found again only in place
    return locate(pages, Quote(mark.quote, mark.prefix, mark.suffix), anchor)


def _rects_json(rects: Iterable[MarkRect]) -> str:
    # As storage/marks.py writes them.
    return json.dumps(
        [
            [r.page, round(r.x, 2), round(r.y, 2), round(r.width, 2), round(r.height, 2)]
            for r in rects
        ]
    )
