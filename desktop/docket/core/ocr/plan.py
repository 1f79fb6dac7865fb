"""Which pages OCR reads, and whether what it read is worth keeping.

A page needs OCR when its own text is not usable: fewer than
USABLE_TEXT_MIN_CHARS letters and digits. A page with only a court stamp, a
Bates number or a page number has a few; body text has hundreds. Every page
of an image needs it (an image has no text of its own).

After OCR, a page whose reading found nothing beyond what its own text
already had (a blank verso, a cover with only a printed title) keeps its
text and gets no layer; it is recorded as read, so it is not read again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from docket.core.model.records import DocumentKind
from docket.core.ocr.model import OcrWord
from docket.core.text.folding import fold

# Letters and digits a page's own text needs to be searchable as it is.
# A stamp ("RECEIVED 12 MAR 2011", 15) or a footer ("Page 3 of 12", 8) stays
# well under; a page of body text has 1,500-3,000. Measured on the 545 pages
# of the real-PDF corpus (../shared/corpus/pdf): 21 have none, 13 have 1-39
# (one-line test pages, a caption), 4 have 40-59, 472 have 400 or more; every
# page under 40 that has text is read too, and keeps its own when OCR adds
# nothing to it (adds_nothing), so a low threshold costs reading, not text.
USABLE_TEXT_MIN_CHARS = 40

# Letters and digits OCR must find that the page's own text lacks before its
# reading is kept: a speck read as "i" or "." is not a finding.
NEW_TEXT_MIN_CHARS = 4


def letters_and_digits(text: str) -> int:
    return sum(1 for character in text if character.isalnum())


def usable_text(text: str) -> bool:
    """The page's own text is enough to search it (no OCR needed)."""
    return letters_and_digits(text) >= USABLE_TEXT_MIN_CHARS


def pages_needing_ocr(kind: DocumentKind, texts: Iterable[str]) -> list[int]:
    """1-based pages of a document whose text is not usable (every page of an image)."""
    if kind is DocumentKind.TEXT:
        return []
    return [
        number
        for number, text in enumerate(texts, start=1)
        if kind is DocumentKind.IMAGE or not usable_text(text)
    ]


def pages_to_read(
    kind: DocumentKind,
    texts: Mapping[int, str],
    already_read: set[int],
    *,
    force: bool = False,
) -> list[int]:
    """The pages a run reads: those needing OCR that were never read; with
    `force`, the pages read before as well (a re-run in other languages)."""
    needing = pages_needing_ocr(kind, (texts[number] for number in sorted(texts)))
    numbers = sorted(texts)
    wanted = {numbers[index - 1] for index in needing}
    if force:
        return sorted(wanted | (already_read & set(texts)))
    return sorted(wanted - already_read)


def adds_nothing(own_text: str, words: Iterable[OcrWord]) -> bool:
    """True when the words OCR found are all in the page's own text already
    (or are not words: rules, specks), so the page keeps its own text."""
    own = set(_tokens(own_text))
    new = 0
    for word in words:
        for token in _tokens(word.text):
            if token not in own:
                new += len(token)
    return new < NEW_TEXT_MIN_CHARS


def _tokens(text: str) -> list[str]:
    """Runs of letters and digits, folded as search folds them."""
    folded = fold(text)
    tokens: list[str] = []
    current: list[str] = []
    for character in folded:
        if character.isalnum():
            current.append(character)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens
