"""A transcript page's numbered lines, read from its stored text.

A numbered line starts (after at most six spaces or tabs) with a number of one
or two digits, then whitespace and the line's words, or nothing (a blank
numbered line). Its span in the line map is the words' [start, end): after the
number and the space after it, before the line end, "\\r" and trailing spaces —
what a cite quotes (a blank line's span is empty). Stored text is the one
coordinate system: text files keep "\\n", PDFium's text "\\r\\n".

A page's *run* is its numbered lines 1, 2, 3, … in order; lines before the
first "1" are a header (caption, page number), lines after the run's end a
footer. Inside the run only blank lines may stand between numbered lines: a
line of words without a number (a brief's wrapped paragraph) breaks the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

LineMap = tuple[tuple[int, int, int], ...]  # (line number, start, end), in reading order

MAX_LINE_NUMBER = 30  # pleading paper has 28 lines; no transcript page has more than 30
CONTINUED_PAGE_LINES = 25  # lines numbered on across pages (1–60) make pages of 25
_NUMBERED = re.compile(r"[ \t]{0,6}(\d{1,2})(?:[ \t]+(\S(?:.*\S)?))?[ \t]*\r?")
# "12", "Page 12", or a running head that ends so ("Deposition of Smith — 14 May 2012  Page 12").
_PAGE_NUMBER = re.compile(r"\s*(?:(?:.*\s)?page\s+)?(\d{1,5})\s*", re.IGNORECASE)


@dataclass(frozen=True)
class TextLine:
    start: int  # where the line begins in the page text
    end: int  # where it ends, before its "\n"
    number: int | None  # the printed line number; None: not a numbered line
    words_start: int  # the span of its own words (the number excluded)
    words_end: int

    def blank(self, text: str) -> bool:
        return not text[self.start : self.end].strip()


def text_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[TextLine]:
    """The lines of text[start:end], each numbered or not."""
    stop = len(text) if end is None else end
    at = start
    while at < stop:
        newline = text.find("\n", at, stop)
        line_end = stop if newline < 0 else newline
        match = _NUMBERED.fullmatch(text, at, line_end)
        if match is None:
            yield TextLine(at, line_end, None, at, line_end)
        else:
            words_start = match.start(2) if match.group(2) is not None else match.end(1)
            words_end = match.end(2) if match.group(2) is not None else match.end(1)
            yield TextLine(at, line_end, int(match.group(1)), words_start, words_end)
        at = line_end + 1


def page_run(text: str) -> LineMap:
    """The page's run of numbered lines 1..n (n ≤ 30) as a line map; () when it has none."""
    return run_of(list(text_lines(text)), text)


def run_of(lines: list[TextLine], text: str) -> LineMap:
    """The longest run among these lines (see the module's docstring), numbered from 1:
    a run may also start at 26, 51 or 76, a page cut from lines numbered on (1–60)."""
    best: list[TextLine] = []
    for index, line in enumerate(lines):
        first = line.number
        if first is None or (first - 1) % CONTINUED_PAGE_LINES != 0:
            continue
        if first > 1 and any(earlier.number == first - 1 for earlier in lines[:index]):
            continue  # 26 after 25 on one page: the middle of a list, no page's first line
        run = [line]
        for following in lines[index + 1 :]:
            number = following.number
            if number == (run[-1].number or 0) + 1:
                if number - first >= MAX_LINE_NUMBER:
                    run = []  # numbered on past any page (a list, a table's rows): no run
                    break
                run.append(following)
            elif number is None and following.blank(text):
                continue
            else:
                break
        if len(run) > len(best):
            best = run
    if not best:
        return ()
    first = best[0].number or 1
    return tuple(
        ((line.number or 0) - first + 1, line.words_start, line.words_end) for line in best
    )


def without_page_number(lines: LineMap, text: str, usual: int) -> LineMap:
    """The run less its last line when that is a lone number past the usual page length
    (a footer page number "26" read as line 26 of a 25-line page)."""
    if len(lines) == usual + 1 and lines[-1][1] == lines[-1][2]:
        return lines[:-1]
    return lines


def printed_page_number(text: str, lines: LineMap) -> int | None:
    """The page number printed outside the run (a lone number, "Page 12", or a running
    head ending "Page 12", as the first or last line with words), if any."""
    if not lines:
        return None
    outside = [
        line
        for line in text_lines(text)
        if not lines[0][1] <= line.words_start <= lines[-1][2] and not line.blank(text)
    ]
    for line in (outside[:1] + outside[-1:]) if outside else []:
        match = _PAGE_NUMBER.fullmatch(text, line.start, line.end)
        if match is not None:
            return int(match.group(1))
    return None


def line_at(lines: LineMap, offset: int) -> int | None:
    """The number of the line holding `offset`, or of the next line after it (the last
    line past the map's end); None for an empty map."""
    for number, _start, end in lines:
        if offset < end:
            return number
    return lines[-1][0] if lines else None
