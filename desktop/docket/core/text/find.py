"""Find in the open document: what a browser's Ctrl+F does, over stored page texts.

Matching is case- and accent-insensitive (``zhanaozen`` finds ``Zhanaözen``),
a space in the needle matches any run of whitespace (QtPdf's ``\\r\\n`` line
ends included), and a word hyphenated at a line end (``interven\\ufffe\\r\\ntion``)
is found as one word. Ranges are offsets into the ORIGINAL page text, so they
can be drawn, revealed and turned into highlights like search hits.

The rules (what folds to what, what a hyphen break is) are core.text.folding's,
the same search uses. How: each page is folded once into a searchable text
(see :func:`fold`) with a sparse map back to the original; a needle then costs one regex scan per
page. :class:`PageFinder` folds lazily and keeps the result, because the find
bar asks again on every keystroke.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from docket.core.model.records import TextRange
from docket.core.text.folding import DECOMPOSED_KEPT, HYPHENS, KEPT_MARKS, hyphen_break_end
from docket.core.text.folding import fold as fold_chars

# Blocks where no character folds (CJK ideographs, Yi, Hangul syllables,
# surrogates, private use): skipped when building the table, to save time.
_PLAIN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA4D0), (0xAC00, 0xF900))
# Beyond the Basic Plane, whole blocks are treated as special: the letters
# that fold there (mathematical letters, Deseret, Osage, Adlam…; the CJK
# compatibility ideographs, which NFKD maps to their unified forms) are rare in
# a page, and listing them one by one in the regex class would cost Python's
# regex engine its fast BMP table: finding got 300 times slower.
_ASTRAL_FOLDING = "\U00010000-\U0001ffff\U0002f800-\U0002fa1f"
MATCH_LIMIT = 10_000  # a one-letter needle in a 2,000-page PDF finds ~300,000


@cache
def _special_chars() -> re.Pattern[str]:
    """Runs of the characters for which ``str.lower`` is not already the fold.

    Nearly every character folds to its own ``lower()``, so a page folds with
    one ``lower()`` and needs work (and a map) only at these: accented and
    compatibility characters, ligatures (``ﬁ``), combining accents, hyphens.
    Built once per process (~50 ms), on the first find.
    """
    # Σ lowers to ς at a word's end (str.lower looks at its neighbours), but folds to σ.
    special = [HYPHENS, "Σ", _ASTRAL_FOLDING]
    for code in range(0x80, 0x10000):
        if any(low <= code < high for low, high in _PLAIN_BLOCKS):
            continue
        char = chr(code)
        lowered = char.lower()  # "İ" lowers to two characters: special too
        if not char.isspace() and (fold_chars(char) != lowered or len(lowered) != 1):
            special.append(re.escape(char))
    return re.compile(f"[{''.join(special)}]+")


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A page's text folded for matching, and the way back to original offsets.

    The folded text is made of stretches: ``starts[i]`` is where stretch i
    begins in ``text``, ``origins[i]``/``ends[i]`` the original span it came
    from. An ``exact`` stretch maps char for char; any other (a ligature's
    expansion) maps as a whole. Hyphen breaks and combining accents fold to
    nothing and have no stretch, so the text on both sides meets. No stretches
    at all means the folded text is as long as the original and maps 1:1.
    """

    text: str
    original: str
    starts: tuple[int, ...] = ()
    origins: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    exact: tuple[bool, ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) in the folded text -> [start, end) in the original text."""
        if not self.starts:
            first, last = start, end
        else:
            i = bisect_right(self.starts, start) - 1
            first = self.origins[i] + (start - self.starts[i] if self.exact[i] else 0)
            j = bisect_right(self.starts, end - 1) - 1
            last = self.origins[j] + (end - self.starts[j]) if self.exact[j] else self.ends[j]
        # A decomposed accent after the last letter belongs to the match.
        while last < len(self.original) and unicodedata.combining(self.original[last]):
            last += 1
        return first, last


class _Builder:
    """Collects a FoldedText's stretches."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts: list[int] = []
        self.origins: list[int] = []
        self.ends: list[int] = []
        self.exact: list[bool] = []
        self.length = 0

    def add(self, piece: str, origin: int, end: int, exact: bool) -> None:
        if piece:
            self.pieces.append(piece)
            self.starts.append(self.length)
            self.origins.append(origin)
            self.ends.append(end)
            self.exact.append(exact)
            self.length += len(piece)

    def add_special(self, text: str, start: int, end: int) -> None:
        """Fold text[start:end], special characters, one by one (a kept pair as one)."""
        offset = start
        while offset < end:
            after = offset + 1
            if after < end and text[after] in KEPT_MARKS and DECOMPOSED_KEPT.match(text, offset):
                self.add(fold_chars(text[offset : after + 1]), offset, after + 1, False)
                offset = after + 1
                continue
            folded = _fold_cached(text[offset])
            self.add(folded, offset, after, len(folded) == 1)
            offset = after


@cache
def _fold_cached(char: str) -> str:
    return "" if char in HYPHENS else fold_chars(char)


def fold(text: str) -> FoldedText:
    """Fold a page's text for matching (see :class:`FoldedText`)."""
    lowered = text.lower()
    # "İ" lowers to two characters, shifting the rest of `lowered`: then each
    # stretch between special characters is lowered on its own.
    aligned = len(lowered) == len(text)
    builder: _Builder | None = None
    position = 0
    for found in _special_chars().finditer(text):
        builder = builder or _Builder()
        start = found.start()
        if (
            text[start] in KEPT_MARKS
            and start > position
            and DECOMPOSED_KEPT.match(text, start - 1)
        ):
            start -= 1  # a kept letter written decomposed (и + breve) folds as one
        plain = lowered[position:start] if aligned else text[position:start].lower()
        builder.add(plain, position, start, True)
        builder.add_special(text, start, found.end())
        position = found.end()
        if text[position - 1] in HYPHENS:  # skip the line break that follows
            position = hyphen_break_end(text, position - 1)
    if builder is None:
        return FoldedText(lowered, text)
    builder.add(
        lowered[position:] if aligned else text[position:].lower(), position, len(text), True
    )
    return FoldedText(
        "".join(builder.pieces),
        text,
        tuple(builder.starts),
        tuple(builder.origins),
        tuple(builder.ends),
        tuple(builder.exact),
    )


def needle_pattern(needle: str) -> re.Pattern[str] | None:
    """The regex a typed needle becomes over folded text; None if there is nothing to find."""
    words = fold(needle).text.split()
    if not words:
        return None
    # Whitespace at either end still counts ("art " is not "article"), as any run.
    lead = r"\s+" if needle[:1].isspace() else ""
    tail = r"\s+" if needle[-1:].isspace() else ""
    return re.compile(lead + r"\s+".join(re.escape(word) for word in words) + tail)


def find_in_folded(
    pages: Iterable[FoldedText], needle: str, limit: int | None = None
) -> list[TextRange]:
    """Matches in page order (pages numbered from 1), at most `limit` of them."""
    pattern = needle_pattern(needle)
    ranges: list[TextRange] = []
    if pattern is None:
        return ranges
    for number, page in enumerate(pages, 1):
        for found in pattern.finditer(page.text):
            ranges.append(TextRange(number, *page.original_span(found.start(), found.end())))
            if limit is not None and len(ranges) >= limit:
                return ranges
    return ranges


def find_in_pages(pages: Sequence[str], needle: str) -> list[TextRange]:
    """Every occurrence of `needle` in the pages' texts, in page order."""
    if needle_pattern(needle) is None:
        return []
    return find_in_folded((fold(text) for text in pages), needle)


class PageFinder:
    """Find over one document's pages; each page is folded once, on the first find."""

    def __init__(self, pages: Sequence[str]) -> None:
        self._pages = pages
        self._folded: list[FoldedText] | None = None

    def prepare(self) -> None:
        """Fold every page now (~50 ms for 4 MB), so that the first find is as quick as the rest."""
        if self._folded is None:
            self._folded = [fold(text) for text in self._pages]

    def find(self, needle: str, limit: int | None = MATCH_LIMIT) -> list[TextRange]:
        if needle_pattern(needle) is None:
            return []
        self.prepare()
        assert self._folded is not None
        return find_in_folded(self._folded, needle, limit)


def display_text(page_text: str) -> str:
    """Page text for a reader view: U+FFFE shown as "-", every offset unchanged.

    Same length on purpose, so a TextRange into the stored text is also a range
    into the shown text. ``\\r\\n`` becomes ``" \\n"`` because Qt's text
    document turns ``\\r\\n`` into ONE block separator, which would shift every
    later offset by one per line; a space at a line end is invisible.
    """
    return page_text.replace("\ufffe", "-").replace("\r\n", " \n")
