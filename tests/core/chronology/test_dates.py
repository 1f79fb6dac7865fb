"""Reading a fact's date as a lawyer types it, and the stored form it becomes."""

from __future__ import annotations

import re
from datetime import date

import pytest

from docket.core.chronology.dates import DateError, from_stored, parse_fact_date


@pytest.mark.parametrize(
    ("typed", "stored", "circa", "label"),
    [
        ("2011-12-16", "2011-12-16", False, "16 Dec 2011"),
        ("16 Dec 2011", "2011-12-16", False, "16 Dec 2011"),
        ("16th of December 2011", "2011-12-16", False, "16 Dec 2011"),
        ("December 16, 2011", "2011-12-16", False, "16 Dec 2011"),
        ("16.12.2011", "2011-12-16", False, "16 Dec 2011"),
        ("December 2011", "2011-12", False, "Dec 2011"),
        ("2011", "2011", False, "2011"),
        ("2011-12 to 2012-04", "2011-12/2012-04", False, "Dec 2011 – Apr 2012"),
        ("2011-12/2012-04", "2011-12/2012-04", False, "Dec 2011 – Apr 2012"),
        ("between 2011 and 2012", "2011/2012", False, "2011 – 2012"),
        ("c. 2011", "2011", True, "c. 2011"),
        ("circa March 2012", "2012-03", True, "c. Mar 2012"),
        ("ca. 2011 – 2012", "2011/2012", True, "c. 2011 – 2012"),
        ("about 5 March 2012", "2012-03-05", True, "c. 5 Mar 2012"),
        ("  29 February 2012 ", "2012-02-29", False, "29 Feb 2012"),
        ("2011 to 2011", "2011", False, "2011"),
        ("16–18 December 2011", "2011-12-16/2011-12-18", False, "16 Dec 2011 – 18 Dec 2011"),
    ],
)
def test_typed_dates_are_stored_in_iso_form(
    typed: str, stored: str, circa: bool, label: str
) -> None:
    found = parse_fact_date(typed)
    assert (found.stored, found.circa, found.label) == (stored, circa, label)
    assert from_stored(found.stored, found.circa) == found  # the stored form reads back


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("31 February 2012", "February 2012 has 29 days"),
        ("2011-02-29", "February 2011 has 28 days"),
        ("2012-13", "no month 13"),
        ("18-16 December 2011", "ends (16 Dec 2011) before it starts (18 Dec 2011)"),
        ("2012-04 to 2011-12", "ends (Dec 2011) before it starts (Apr 2012)"),
        ("December 16", "has no year"),
        ("next Tuesday", "cannot read 'next Tuesday' as a date"),
        ("", "no date given"),
        ("0999", "outside"),
    ],
)
def test_bad_dates_say_why(typed: str, says: str) -> None:
    with pytest.raises(DateError, match=re.escape(says)):
        parse_fact_date(typed)


def test_a_year_completes_a_date_typed_without_one() -> None:
    assert parse_fact_date("December 16", year=2011).stored == "2011-12-16"


def test_partial_dates_stand_for_their_whole_period() -> None:
    december = parse_fact_date("December 2011")
    assert (december.start, december.end) == (date(2011, 12, 1), date(2011, 12, 31))
    span = parse_fact_date("2011 to 2012-02")
    assert (span.start, span.end) == (date(2011, 1, 1), date(2012, 2, 29))
    assert december.overlaps(date(2011, 12, 31), None)
    assert not december.overlaps(date(2012, 1, 1), None)
    assert span.overlaps(None, date(2011, 1, 1))


def test_stored_forms_sort_as_text_in_date_order() -> None:
    typed = ["2012-03", "2011", "2011-12-16", "2011-12"]
    stored = sorted(parse_fact_date(t).stored for t in typed)
    assert stored == ["2011", "2011-12", "2011-12-16", "2012-03"]


def test_a_damaged_stored_date_is_an_error_and_empty_is_none() -> None:
    assert from_stored("") is None
    with pytest.raises(DateError):
        from_stored("16.12.2011")
