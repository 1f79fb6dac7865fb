"""Is a document laid out as a transcript? Its pages' line maps, and a text file's pages.

Recognised on import, conservatively: a page *counts* when its run of numbered
lines (lines.py) reaches MIN_FULL_PAGE lines (25 a deposition page, 26 or 28
on pleading paper); a page *fits* when it has a run of MIN_RUN lines (the last
page: any run, the testimony may end on its line 2) or no words (a blank page).
A document is a transcript when at least one page counts and at least two
thirds of its pages fit — so a caption page or a word index at the end does not
spoil a deposition, and a brief with numbered paragraphs ("1. The plaintiff…",
wrapped lines between the numbers) never counts. Pleading paper (1–28 down the
margin) with no Q. and A. is taken as a transcript too: it is cited by page:line as a deposition is.

A text file without form feeds whose numbered lines restart at 1 after a full
page (1–25, 1–25, 1–10), or run on past 30 (1–60), is cut into one page per
run, or per 25 lines — at line ends, so the pages joined with nothing give the
file's text back, as the text importer's other cuts do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from docket.core.model.records import ExtractedDocument
from docket.core.transcripts.lines import (
    CONTINUED_PAGE_LINES,
    MAX_LINE_NUMBER,
    LineMap,
    TextLine,
    page_run,
    printed_page_number,
    text_lines,
    without_page_number,
)

MIN_FULL_PAGE = 20  # numbered lines for a page to count as a transcript page
MIN_RUN = 5  # numbered lines for any other page to fit (the last page: one is enough)
FIT_SHARE = 2 / 3
PAGES_LOOKED_AT = 8  # pages read before giving up on a document none of which counts
MAX_PAGE_CHARS = 30_000  # as the text importer's cut pages
HEAD_LINES = 4  # lines with words where a page begins (page number, running head)
LOOK_AHEAD_CHARS = 20_000  # a caption page and a page of lines: where a text transcript shows


def line_maps(texts: Sequence[str]) -> dict[int, LineMap] | None:
    """Each page's line map by 1-based page number, when the pages are a transcript;
    None when they are not (see the module's docstring)."""
    runs: list[LineMap] = []
    for index, text in enumerate(texts):
        if index >= PAGES_LOOKED_AT and not any(len(run) >= MIN_FULL_PAGE for run in runs):
            return None  # a long document whose first pages hold no transcript page
        runs.append(page_run(text))
    full = [len(run) for run in runs if len(run) >= MIN_FULL_PAGE]
    if not full:
        return None
    counts = Counter(full)  # the usual page length; on a tie the shorter (a footer "26")
    usual = min(full, key=lambda length: (-counts[length], length))
    runs = [without_page_number(run, text, usual) for run, text in zip(runs, texts, strict=True)]
    last = max((i for i, text in enumerate(texts) if text.strip()), default=0)
    # A stray "1 December…" on a page of prose is no run: a page's run has some lines,
    # but for the last page's (the testimony may end two lines down).
    runs = [run if len(run) >= MIN_RUN or i == last else () for i, run in enumerate(runs)]
    fitting = sum(1 for run, text in zip(runs, texts, strict=True) if run or not text.strip())
    if fitting < FIT_SHARE * len(texts):
        return None
    return {number: run for number, run in enumerate(runs, start=1) if run}


def any_line_maps(texts: Sequence[str]) -> dict[int, LineMap]:
    """Line maps for a document set as a transcript by hand: every page with a run,
    however short, and no rule on how many pages fit."""
    return {number: run for number, text in enumerate(texts, start=1) if (run := page_run(text))}


def transcript_title(texts: Sequence[str], max_chars: int = 120) -> str | None:
    """A text transcript's title: the words of its first numbered line with a letter (its
    first line is most often the page number, "1"); None when it is no transcript."""
    maps = line_maps(texts[:PAGES_LOOKED_AT])
    for number, lines in sorted((maps or {}).items()):
        for _line, start, end in lines:
            words = " ".join(texts[number - 1][start:end].split())
            if any(char.isalpha() for char in words):
                return words if len(words) <= max_chars else words[: max_chars - 1] + "…"
    return None


def with_printed_labels(document: ExtractedDocument) -> ExtractedDocument:
    """A PDF transcript without page labels of its own labelled by the page numbers printed
    on it (an excerpt from page 27 cites "at 27:4"); any other document as it was."""
    pages = document.pages
    if any(page.label != str(number) for number, page in enumerate(pages, start=1)):
        return document  # the PDF's own labels ("Dep. 12") win
    texts = [page.text for page in pages]
    maps = line_maps(texts)
    labels = page_labels(texts, maps) if maps else None
    if labels is None:
        return document
    labelled = tuple(replace(page, label=label) for page, label in zip(pages, labels, strict=True))
    return replace(document, pages=labelled)


def page_labels(texts: Sequence[str], maps: dict[int, LineMap]) -> list[str] | None:
    """The page numbers printed on a text transcript's pages ("27" for an excerpt that
    starts at page 27), when every mapped page has one and they go up by one; else None."""
    printed = [printed_page_number(text, maps.get(n, ())) for n, text in enumerate(texts, 1)]
    known = [(n, value) for n, value in enumerate(printed, 1) if value is not None]
    if not known or len(known) < len(maps):
        return None
    offset = known[0][1] - known[0][0]
    if any(value - n != offset for n, value in known) or offset < 0:
        return None
    return [str(n + offset) for n in range(1, len(texts) + 1)]


def transcript_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """A text file's pages cut at its transcript pages' ends, when it is a transcript
    some of whose form-feed pages (`spans`: [start, end) between form feeds) hold more
    than one transcript page; None otherwise (keep the importer's own pages)."""
    head = text_lines(text, 0, min(len(text), LOOK_AHEAD_CHARS))
    if sum(1 for line in head if line.number is not None) < MIN_FULL_PAGE:
        return None  # not a page of numbered lines near the start: not read through
    cut: list[tuple[int, int]] = []
    for start, end in spans:
        cut.extend(_transcript_pages(text, start, end) or [(start, end)])
    if len(cut) == len(spans) or any(end - start > MAX_PAGE_CHARS for start, end in cut):
        return None
    if line_maps([text[start:end] for start, end in cut]) is None:
        return None
    return cut


def _transcript_pages(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """One page's text cut into transcript pages, or None when it is not several."""
    lines = list(text_lines(text, start, end))
    numbered = [line for line in lines if line.number is not None]
    if not numbered or numbered[0].number != 1:
        return None
    numbers = [line.number or 0 for line in numbered]
    continuous = numbers == list(range(1, len(numbers) + 1))
    if continuous and len(numbers) > MAX_LINE_NUMBER:  # 1–60: pages of 25
        starts = [i for i, n in enumerate(numbers) if n > 1 and (n - 1) % CONTINUED_PAGE_LINES == 0]
    else:  # 1–25, 1–25, 1–10: a page where the numbering restarts after a full page
        starts, count = [], 0
        for i, number in enumerate(numbers):
            if i and number == 1 and count >= MIN_FULL_PAGE:
                starts.append(i)
                count = 0
            elif i and number != numbers[i - 1] + 1:
                return None  # numbering that skips or goes back: not cut
            count += 1
    if not starts or not _only_numbered_between(lines, numbered, set(starts), text):
        return None
    cuts = [numbered[i - 1].end + 1 for i in starts]  # right after the last line of a page
    bounds = [start, *cuts, end]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _only_numbered_between(
    lines: list[TextLine], numbered: list[TextLine], starts: set[int], text: str
) -> bool:
    """Whether the lines with words after the first numbered line are all numbered, but
    for a few (a page number, a running head) where a page begins and after the last
    one: a table's rows past 99, unnumbered, are no transcript's footer."""
    first = numbered[0].start
    gap = 0
    index = 0  # numbered lines passed
    for line in lines:
        if line.number is not None and line.start >= first:
            if gap and index not in starts:
                return False
            gap, index = 0, index + 1
        elif line.start > first and not line.blank(text):
            gap += 1
            if gap > HEAD_LINES:
                return False
    return True
