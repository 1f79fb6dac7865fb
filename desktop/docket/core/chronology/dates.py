"""A fact's date as a lawyer types it, and the form case.sqlite stores it in.

    parse_fact_date("circa March 2012")  ->  FactDate(2012-03, circa)  stored "2012-03"
    parse_fact_date("2011-12 to 2012-04") -> stored "2011-12/2012-04"

A date names a day, a month or a year (a partial date stands for the whole
period); a range joins two of them with "to", "until", "through", "–" or "/"
(the stored form). "c.", "ca.", "circa", "about", "around" or "approx." in
front makes it approximate. Stored forms are ISO and sort as text: "2011",
"2011-12", "2011-12-16", "FROM/TO". A date that does not exist (31 February),
a year left out, or a range that ends before it starts is a DateError that
says why: a wrong date is never stored silently.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from docket.core.errors import DocketError

MIN_YEAR, MAX_YEAR = 1000, 9999


class DateError(DocketError):
    """What was typed is not a date a fact can carry; the message says why."""


_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_CIRCA = re.compile(
    r"^(?:circa\b|approximately\b|approx\.|approx\b|about\b|around\b|ca\.|ca\b|c\.|c\b|~)\s*"
    r"(?=\S)",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\s+(?:to|until|till|through|thru|and)\s+|\s*[–—]\s*|\s+-\s+|/", re.I)
_LEAD = re.compile(r"^(?:from|between|since|on|in)\s+", re.IGNORECASE)
_ISO = re.compile(r"(?P<y>\d{4})(?:[-.](?P<m>\d{1,2})(?:[-.](?P<d>\d{1,2}))?)?")
_SLASHED = re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})")
_DOTTED = re.compile(r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})")
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_YEAR = r"(?P<y>\d{4})"
_WORDED = (
    re.compile(rf"(?:{_DAY}\s+(?:of\s+)?)?{_MONTH},?\s+{_YEAR}"),  # 16 Dec 2011, December 2011
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),  # December 16, 2011
)
# 16–18 December 2011: days of one month, the month and year written once
_DAY_SPAN = re.compile(rf"(?P<d1>\d{{1,2}})\s*[-–—]\s*{_DAY}\s+{_MONTH},?\s+{_YEAR}")
_YEARLESS = (
    re.compile(rf"{_DAY}\s+(?:of\s+)?{_MONTH}"),  # 16 December
    re.compile(rf"{_MONTH}\s+{_DAY}"),  # December 16
)


@dataclass(frozen=True, order=True, slots=True)
class DatePoint:
    """A day, a month (day None) or a year (month None)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    @property
    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def label(self) -> str:
        """As a reader writes it: '16 Dec 2011', 'Dec 2011', '2011'."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_abbr[self.month]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"


@dataclass(frozen=True, slots=True)
class FactDate:
    """When a fact happened: one day, month or year, or a range of them; maybe circa."""

    first: DatePoint
    last: DatePoint | None = None  # the end of a range
    circa: bool = False

    @property
    def stored(self) -> str:
        """The ISO form marks.fact_date keeps: '2011-12-16', '2011', '2011-12/2012-04'."""
        return f"{self.first.iso}/{self.last.iso}" if self.last else self.first.iso

    @property
    def start(self) -> date:
        """The first day it may mean (a partial date sorts at the start of its period)."""
        return self.first.first_day

    @property
    def end(self) -> date:
        return (self.last or self.first).last_day

    @property
    def label(self) -> str:
        text = self.first.label + (f" – {self.last.label}" if self.last else "")
        return f"c. {text}" if self.circa else text

    def overlaps(self, first: date | None, last: date | None) -> bool:
        """Whether any day it may mean falls in [first, last] (None: open-ended)."""
        return (last is None or self.start <= last) and (first is None or self.end >= first)


def parse_fact_date(text: str, *, year: int | None = None) -> FactDate:
    """What `text` names; `year` completes a date typed without one ("December 16").
    DateError, saying why, when it is not a date."""
    typed = " ".join(text.split())
    if not typed:
        raise DateError("no date given; write 2011-12-16, 16 Dec 2011, December 2011 or 2011")
    words = typed
    circa = False
    if m := _CIRCA.match(words):
        circa, words = True, words[m.end() :]
    words = _LEAD.sub("", words)
    single = _point(words, year)
    if single is not None:
        return FactDate(single, None, circa)
    if (span := _DAY_SPAN.fullmatch(words.lower())) and span["month"] in _MONTHS:
        month, at = _MONTHS[span["month"]], int(span["y"])
        opening = _checked(at, month, int(span["d1"]), typed)
        return _range(opening, _checked(at, month, int(span["d"]), typed), circa, typed)
    for m in _RANGE.finditer(words):
        left, right = words[: m.start()].strip(), words[m.end() :].strip()
        if not left or not right:
            continue
        if c := _CIRCA.match(right):
            circa, right = True, right[c.end() :]
        first, last = _point(left, year), _point(right, year)
        if first is None or last is None:
            continue
        return _range(first, last, circa, typed)
    raise DateError(_unreadable(typed, words))


def from_stored(stored: str, circa: bool = False) -> FactDate | None:
    """The FactDate marks.fact_date holds; None for '' (no date). DateError if damaged."""
    if not stored:
        return None
    first_text, _, last_text = stored.partition("/")
    first = _iso_point(first_text)
    last = _iso_point(last_text) if last_text else None
    if first is None or (last_text and last is None):
        raise DateError(f"{stored!r} is not a stored fact date")
    return FactDate(first, last, circa)


def parse_day_bound(text: str, *, end: bool) -> date:
    """A --from or --to bound: its first day, or with `end` its last ('2011' -> 31 Dec)."""
    found = parse_fact_date(text)
    return found.end if end else found.start


def yearless_points(text: str) -> list[tuple[int, int, int, int]]:
    """(month, day, start, end) of each day-and-month typed without a year in `text`."""
    found: list[tuple[int, int, int, int]] = []
    for pattern in _YEARLESS:
        for m in pattern.finditer(text.lower()):
            month = _MONTHS.get(m["month"])
            if month is not None:
                found.append((month, int(m["d"]), m.start(), m.end()))
    return found


def _point(words: str, year: int | None) -> DatePoint | None:
    """One day, month or year; None if `words` does not read as one; DateError if it
    reads as one that does not exist."""
    lowered = words.lower().rstrip(".,")
    if m := _ISO.fullmatch(lowered) or _SLASHED.fullmatch(lowered) or _DOTTED.fullmatch(lowered):
        return _checked(int(m["y"]), _number(m["m"]), _number(m["d"]), words)
    for pattern in _WORDED:
        if (m := pattern.fullmatch(lowered)) and m["month"] in _MONTHS:
            return _checked(int(m["y"]), _MONTHS[m["month"]], _number(m["d"]), words)
    if year is not None:
        for pattern in (*_YEARLESS, re.compile(_MONTH)):
            if (m := pattern.fullmatch(lowered)) and m["month"] in _MONTHS:
                day = _number(m["d"]) if "d" in m.groupdict() else None
                return _checked(year, _MONTHS[m["month"]], day, words)
    return None


def _range(first: DatePoint, last: DatePoint, circa: bool, typed: str) -> FactDate:
    if last.last_day < first.first_day:
        raise DateError(
            f"{typed!r}: the range ends ({last.label}) before it starts ({first.label})"
        )
    if first == last:
        return FactDate(first, None, circa)
    return FactDate(first, last, circa)


def _checked(year: int, month: int | None, day: int | None, typed: str) -> DatePoint:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"{typed!r}: the year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{typed!r}: there is no month {month}")
    if month is not None and day is not None:
        length = calendar.monthrange(year, month)[1]
        if not 1 <= day <= length:
            raise DateError(
                f"{typed!r} does not exist: {calendar.month_name[month]} {year} has {length} days"
            )
    return DatePoint(year, month, day)


def _iso_point(text: str) -> DatePoint | None:
    m = _ISO.fullmatch(text)
    if m is None or "." in text:
        return None
    try:
        return _checked(int(m["y"]), _number(m["m"]), _number(m["d"]), text)
    except DateError:
        return None


def _number(digits: str | None) -> int | None:
    return None if digits is None else int(digits)


def _unreadable(typed: str, words: str) -> str:
    if any((m := p.fullmatch(words.lower())) and m["month"] in _MONTHS for p in _YEARLESS):
        return f"{typed!r} has no year; write it with one, as in 16 December 2011"
    return (
        f"cannot read {typed!r} as a date; write 2011-12-16, 16 Dec 2011, December 2011, "
        "2011, a range (2011-12 to 2012-04) or c. 2011"
    )
