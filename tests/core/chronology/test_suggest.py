"""Dates suggested from the marked words."""

from __future__ import annotations

from docket.core.chronology.suggest import suggest_date


def test_a_day_without_a_year_takes_the_documents_year() -> None:
    found = suggest_date("On December 16 the police fired", document_year=2011)
    assert found is not None
    assert (found.date.stored, found.words, found.year_from) == (
        "2011-12-16",
        "December 16",
        "document",
    )


def test_without_a_document_date_the_pages_year_is_taken() -> None:
    found = suggest_date("on 16 December", page_text="Report for 2011\non 16 December …")
    assert found is not None
    assert (found.date.stored, found.year_from) == ("2011-12-16", "page")


def test_a_whole_date_in_the_words_is_taken_as_written() -> None:
    for quote, stored in [
        ("released on 5 March 2012 at noon", "2012-03-05"),
        ("signed 2012-04-01", "2012-04-01"),
        ("dated 16.12.2011", "2011-12-16"),
        ("in December 2011 it was cold", "2011-12"),
        ("the plant closed in 2010", "2010"),
    ]:
        found = suggest_date(quote, document_year=1999)
        assert found is not None and found.date.stored == stored, quote


def test_nothing_to_read_suggests_nothing() -> None:
    assert suggest_date("the police fired") is None
    assert suggest_date("On December 16 the police fired") is None  # no year anywhere
    assert suggest_date("on 31 February", document_year=2012) is None  # no such day
