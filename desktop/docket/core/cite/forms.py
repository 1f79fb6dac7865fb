"""How a pin cite is written: the quote cleaned, the pin, and the full, short and Id. forms.

Bluebook-like practice, kept plain so it pastes anywhere:

- full (first use):   Deposition of John Smith (“Smith Dep.”), at 12
                      Exhibit 4, at 12             (no short title, or the same)
- short (later use):  Smith Dep. at 12             (the title when no short title is set)
- Id. (the same document as the cite just before):  Id. at 13, or Id. for the same pin
- the pin: the page's own label ("at iv", "at Dep. 12"), a range across pages
  ("at 12–13", "at Dep. 12–13": a label's shared prefix is not repeated; as Bluebook
  rule 3.2(a) has it, an end page keeps its last two digits and drops the others it
  shares with the first: "at 1276–78", "at 199–201"), page:line
  on transcripts ("at 27:4–28:2", "at 27:4–9", "at 27:4"); a Bates number, when a
  page has one, follows in parentheses ("at 12 (ABC000123)").
- the quote: in curly double quotes; double quotes inside it become single ones
  (a quotation within a quotation), quote marks wrapping the whole selection are
  dropped, and hyphen breaks and whitespace are cleaned as Ctrl+C cleans them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

DASH = "\u2013"  # en dash, for ranges
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")
_DOUBLE_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb'
_WRAPPING = _DOUBLE_QUOTES + "'\u2018\u2019"


class CiteForm(StrEnum):
    FULL = "full"
    SHORT = "short"
    ID = "id"


@dataclass(frozen=True, slots=True)
class PinPoint:
    """One end of a pin: a page's label, and the transcript line there (None: no line map)."""

    label: str
    line: int | None = None


def pin(first: PinPoint, last: PinPoint) -> str:
    """ "12", "12–13", "Dep. 12–13", "27:4", "27:4–9", "27:4–28:2"."""
    if first.line is not None and last.line is not None:
        start = f"{first.label}:{first.line}"
        if first.label == last.label:
            return start if first.line == last.line else f"{start}{DASH}{last.line}"
        return f"{start}{DASH}{last.label}:{last.line}"
    if first.label == last.label:
        return first.label
    return page_range(first.label, last.label)


def page_range(first: str, last: str) -> str:
    """Two labels as a range; a prefix they share ("Dep. ") is written once, and
    the end's repeated leading digits are dropped (1276–78)."""
    head, tail = _TRAILING_NUMBER.match(first), _TRAILING_NUMBER.match(last)
    if head and tail and head.group(1) == tail.group(1):
        return f"{first}{DASH}{_shortened(head.group(2), tail.group(2))}"
    return f"{first}{DASH}{last}"


def _shortened(first: str, last: str) -> str:
    """The end page's digits after those it shares with the first, at least two."""
    if len(first) != len(last) or len(last) <= 2 or first.startswith("0"):
        return last
    shared = 0
    while shared < len(last) - 2 and first[shared] == last[shared]:
        shared += 1
    return last[shared:]


def with_bates(pin_text: str, first: str | None, last: str | None) -> str:
    """The pin followed by its Bates number or range, when the pages have them."""
    if not first:
        return pin_text
    bates = first if not last or last == first else f"{first}{DASH}{last}"
    return f"{pin_text} ({bates})" if pin_text else bates


def cite_text(title: str, short_title: str, pin_text: str, form: CiteForm) -> str:
    """The cite itself, without the quote."""
    short = short_title.strip() or title
    at = f" at {pin_text}" if pin_text else ""
    if form is CiteForm.ID:
        return f"Id.{at}"
    if form is CiteForm.SHORT:
        return f"{short}{at}"
    named = title if short == title else f"{title} (\u201c{short}\u201d)"
    return f"{named},{at}" if pin_text else named


def clean_quote(text: str) -> str:
    """A readable quote (see core/text/anchoring.readable) made ready to sit in quotes."""
    quote = text.strip()
    while len(quote) >= 2 and quote[0] in _WRAPPING and quote[-1] in _WRAPPING:
        quote = quote[1:-1].strip()
    if quote and quote[0] in _DOUBLE_QUOTES and not _has_close(quote[1:]):
        quote = quote[1:].lstrip()  # a stray opening mark caught by the selection
    if quote and quote[-1] in _DOUBLE_QUOTES and not _has_open(quote[:-1]):
        quote = quote[:-1].rstrip()
    return _inner_to_single(quote)


def _has_close(text: str) -> bool:
    return any(mark in text for mark in '"\u201d\u00bb')


def _has_open(text: str) -> bool:
    return any(mark in text for mark in '"\u201c\u201e\u00ab')


def _inner_to_single(text: str) -> str:
    """Double quotes inside the quote become single: “…” → ‘…’, and straight ones by position."""
    out: list[str] = []
    opening = True
    for char in text:
        if char in "\u201c\u201e\u00ab":
            out.append("\u2018")
        elif char in "\u201d\u00bb":
            out.append("\u2019")
        elif char == '"':
            out.append("\u2018" if opening else "\u2019")
            opening = not opening
        else:
            out.append(char)
    return "".join(out)


def quoted(quote: str, cite: str) -> str:
    """“quote” (cite): what Ctrl+Shift+C puts on the clipboard; the cite alone with no quote."""
    return f"\u201c{quote}\u201d ({cite})" if quote else cite
