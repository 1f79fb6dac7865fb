"""A date suggested for a fact from the words marked: "On December 16 the police…".

A date written whole in the quote ("16 December 2011", "2011-12-16",
"16.12.2011", "December 2011") is taken as it is. A day and month without a
year ("On December 16") take the document's own year (its PDF creation date),
else the first year written on the page. A year alone after "in", "during"
or "since" is a last resort. Nothing found: None, and the user types one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docket.core.chronology.dates import DateError, FactDate, parse_fact_date, yearless_points

_MONTH_NAMES = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"  # names and shortenings
)
_WHOLE = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"
    r"|\b\d{1,2}\.\d{1,2}\.\d{4}\b"
    rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTH_NAMES},?\s+\d{{4}}\b"
    rf"|\b{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_YEAR_ONLY = re.compile(r"\b(?:in|during|since|by)\s+(1[89]\d\d|20\d\d)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Suggestion:
    date: FactDate
    words: str  # the words it was read from ("December 16")
    year_from: str  # "" (written), "document" or "page": where a missing year came from


def suggest_date(
    quote: str, *, document_year: int | None = None, page_text: str = ""
) -> Suggestion | None:
    """The date the marked words most likely name, or None."""
    for m in _WHOLE.finditer(quote):
        found = _read(m.group())
        if found is not None:
            return Suggestion(found, m.group(), "")
    year, source = document_year, "document"
    if year is None and (on_page := _YEAR.search(page_text)):
        year, source = int(on_page.group(1)), "page"
    if year is not None:
        for _month, _day, start, end in sorted(yearless_points(quote), key=lambda p: p[2]):
            words = quote[start:end]
            found = _read(words, year)
            if found is not None:
                return Suggestion(found, words, source)
    if alone := _YEAR_ONLY.search(quote):
        found = _read(alone.group(1))
        if found is not None:
            return Suggestion(found, alone.group(1), "")
    return None


def _read(words: str, year: int | None = None) -> FactDate | None:
    try:
        return parse_fact_date(words, year=year)
    except DateError:
        return None
