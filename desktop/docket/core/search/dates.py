"""Reading the dates a search names: ``date:2012``, ``date:16.12.2011``, ``date:"5 March 2012"``.

A date stands for the whole period it names: a year, a month or a day, from
its first to its last microsecond, so ``date:2012-03`` finds every document
dated in March 2012. Numeric forms are the ones typed from case files (dots
are day.month.year); English forms take a month's name or its first three
letters, with or without a day, and a year (this year when it is left out).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

Period = tuple[datetime, datetime]  # first and last moment, both included

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_NUMERIC = (
    # 2012, 201203, 20120305
    re.compile(r"(?P<y>\d{4})(?:(?P<m>\d{2})(?P<d>\d{2})?)?"),
    # 2012-03, 2012/03/05, 2012.3.5
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?"),
    # 16.12.2011, as the case files write it
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
)
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_ENGLISH = (
    # 5 March 2012, 5th Mar 2012, March 2012, March
    re.compile(rf"(?:{_DAY}\s+)?(?P<month>[a-z]+)(?:,?\s+(?P<y>\d{{4}}))?"),
    # March 5, 2012
    re.compile(rf"(?P<month>[a-z]+)\s+{_DAY}(?:,?\s+(?P<y>\d{{4}}))?"),
)
_DAY_LENGTH = timedelta(days=1) - timedelta(microseconds=1)


def read_period(text: str, today: date | None = None) -> Period | None:
    """The period `text` names, or None if it is not a date Docket reads."""
    today = today or date.today()
    words = " ".join(text.lower().split())
    if words in ("today", "yesterday"):
        day = today - timedelta(days=words == "yesterday")
        return _period(day.year, day.month, day.day)
    for pattern in _NUMERIC:
        if m := pattern.fullmatch(words):
            return _period(int(m["y"]), _number(m["m"]), _number(m["d"]))
    for pattern in _ENGLISH:
        m = pattern.fullmatch(words)
        if m and m["month"] in _MONTHS:
            year = int(m["y"]) if m["y"] else today.year
            return _period(year, _MONTHS[m["month"]], _number(m["d"]))
    return None


def _number(digits: str | None) -> int | None:
    return None if digits is None else int(digits)


def _period(year: int, month: int | None = None, day: int | None = None) -> Period | None:
    try:
        if day is not None:
            first = datetime(year, month or 1, day)
            return first, first + _DAY_LENGTH
        if month is not None:
            first = datetime(year, month, 1)
            last_day = calendar.monthrange(year, month)[1]
            return first, datetime(year, month, last_day) + _DAY_LENGTH
        return datetime(year, 1, 1), datetime(year, 12, 31) + _DAY_LENGTH
    except ValueError:  # month 13, 30 February, year 0
        return None
