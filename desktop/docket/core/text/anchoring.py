"""Anchors: from a range of stored text to a quote with context, and back.

The quote kept with a mark is the text a person reads: a word hyphenated at a
line end is joined again and every run of whitespace (QtPdf's ``\\r\\n``
included) is one space. The offsets stay exact; the quote and its context are
what find the words again if the offsets ever stop fitting (W3C import, a
re-extracted PDF), through the same folding as find-in-document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from docket.core.errors import DocketError
from docket.core.model.marks import Anchor
from docket.core.text.find import find_in_pages
from docket.core.text.folding import join_hyphen_breaks

CONTEXT_CHARS = 32  # the W3C TextQuoteSelector's prefix and suffix
_SPACES = re.compile(r"\s+")
# Page breaks inside a cross-page quote read as a space.
PAGE_JOIN = "\n"


def readable(text: str) -> str:
    """Stored text as a person quotes it: hyphen breaks joined, whitespace squeezed."""
    return _SPACES.sub(" ", join_hyphen_breaks(text))


@dataclass(frozen=True, slots=True)
class Quote:
    exact: str
    prefix: str
    suffix: str


def quote_of(pages: Mapping[int, str], anchor: Anchor) -> Quote:
    """The anchored words and some context, from the pages' stored texts."""
    first, last = pages.get(anchor.page, ""), pages.get(anchor.end_page, "")
    if anchor.page == anchor.end_page:
        raw = first[anchor.start : anchor.end]
    else:
        middle = [pages.get(p, "") for p in range(anchor.page + 1, anchor.end_page)]
        raw = PAGE_JOIN.join([first[anchor.start :], *middle, last[: anchor.end]])
    before = readable(first[max(0, anchor.start - 3 * CONTEXT_CHARS) : anchor.start])
    after = readable(last[anchor.end : anchor.end + 3 * CONTEXT_CHARS])
    return Quote(readable(raw).strip(), before[-CONTEXT_CHARS:], after[:CONTEXT_CHARS])


def check_anchor(page_lengths: Mapping[int, int], anchor: Anchor) -> None:
    """Raise DocketError unless the anchor fits the document's pages."""
    if anchor.page not in page_lengths or anchor.end_page not in page_lengths:
        raise DocketError(f"the document has no page {anchor.page}–{anchor.end_page}")
    if anchor.end_page < anchor.page or (
        anchor.end_page == anchor.page and anchor.end <= anchor.start
    ):
        raise DocketError("a highlight must cover at least one character")
    if not 0 <= anchor.start <= page_lengths[anchor.page] or not (
        0 <= anchor.end <= page_lengths[anchor.end_page]
    ):
        raise DocketError("the highlight's offsets lie outside the page's text")


def find_quote(page_text: str, quote: str) -> list[tuple[int, int]]:
    """Every [start, end) where `quote` occurs in one page's stored text.

    Case, accents, line breaks and line-end hyphens do not matter, as in
    find-in-document: a quote copied from a printout or a report still anchors.
    """
    return [(r.start, r.end) for r in find_in_pages([page_text], quote)]


def locate(pages: Mapping[int, str], quote: Quote, hint: Anchor | None = None) -> Anchor | None:
    """Find a single-page quote again: at the hint if it still says the same words,
    else the occurrence whose context fits best (nearest to the hint on a tie).
    None when the words are nowhere: the caller reports the mark as orphaned."""
    if hint is not None and hint.page == hint.end_page and hint.page in pages:
        text = pages[hint.page]
        if readable(text[hint.start : hint.end]).strip().casefold() == quote.exact.casefold():
            return hint
    candidates: list[tuple[int, int, Anchor]] = []
    for number, text in pages.items():
        for start, end in find_quote(text, quote.exact):
            fits = _context_fit(text, start, end, quote)
            distance = abs(number - hint.page) if hint else 0
            candidates.append((-fits, distance, Anchor(number, start, number, end)))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1], c[2].page, c[2].start))
    return candidates[0][2]


def _context_fit(text: str, start: int, end: int, quote: Quote) -> int:
    before = readable(text[max(0, start - 3 * CONTEXT_CHARS) : start])
    after = readable(text[end : end + 3 * CONTEXT_CHARS])
    fit = 0
    if quote.prefix and before.endswith(quote.prefix):
        fit += 1
    if quote.suffix and after.startswith(quote.suffix):
        fit += 1
    return fit
