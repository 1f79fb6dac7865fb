"""The query language: what parses, and where a syntax error points."""

from __future__ import annotations

from datetime import datetime

import pytest
from whoosh import query as wq
from whoosh.qparser import QueryParser

from docket.core.errors import QuerySyntaxError
from docket.core.search.query import StemmedWildcard, make_parser, parse_query
from docket.core.search.whoosh.index import make_schema


@pytest.fixture(scope="module")
def parser() -> QueryParser:
    return make_parser(make_schema())


@pytest.mark.parametrize(
    ("query", "position", "message"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ('police "fired on', 7, "quote"),
        ("(police OR army", 0, "("),
        ("police OR army)", 14, ")"),
        ("police AND", 7, "AND needs a search term after it"),
        ("police AND )", 11, "this ) has no matching ("),
        ("(police AND) army", 8, "AND needs a search term after it"),
        ("AND police", 0, "AND needs a search term before it"),
        ("police OR OR army", 7, "OR needs a search term after it"),
        ("police NOT", 7, "NOT needs a search term after it"),
        ("police ()", 7, "empty parentheses"),
        ("foo:bar", 0, 'unknown field "foo:"'),
        ("police Title:x Witness:y", 15, 'unknown field "Witness:"'),
        ("t*", 1, "wildcard needs at least two letters before *"),
        ("title:t*", 7, "wildcard needs at least two letters before *"),
        ("*ture", 0, "cannot start with a wildcard"),
        ("?orture", 0, "cannot start with a wildcard"),
        ("tortur*~2", 7, "both a wildcard and ~"),
        ('""', 0, "empty phrase"),
        ('"police fired"~0', 14, "proximity"),
        ("date:[2011 2012]", 5, "range"),
        ("date:[2011 TO 2012", 5, "unbalanced ["),
        ("date:notadate", 5, 'cannot read "notadate" as a date'),
        ("...", 0, "no words"),
    ],
)
def test_syntax_errors_point_at_the_problem(
    parser: QueryParser, query: str, position: int, message: str
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query, parser)
    assert message in str(caught.value)
    assert caught.value.position == position
    assert caught.value.query == query
    if query:
        assert caught.value.pointer().endswith("^")  # terminals show it under the query


def test_unknown_field_lists_the_known_ones(parser: QueryParser) -> None:
    with pytest.raises(QuerySyntaxError, match=r"title:.*type:"):
        parse_query("foo:bar", parser)


@pytest.mark.parametrize(
    "query",
    [
        "Witness: Batkanbayev",  # a colon followed by a space is text, not a field
        "16:30",
        "police AND (fired OR shot) NOT army",
        "NOT police",
        '"police fired"~5',
        "Nazarbaev~ Nazarbaev~2 Nazarbaev~2/3",
        "t?rture tortur*",
        "date:[2011 TO 2012] date:2012-03 date:16.12.2011 date:[TO 2012]",
        "type:PDF tag:Issue/Torture note:witness",
        "O'Brien O’Brien",
        "a<b police^2 'police'",
    ],
)
def test_valid_queries_parse(parser: QueryParser, query: str) -> None:
    assert parse_query(query, parser) is not None


def test_words_are_analyzed_like_the_text(parser: QueryParser) -> None:
    assert parse_query("ZHANAÖZEN", parser) == wq.Term("text", "zhanaozen")
    assert parse_query("fired", parser) == wq.Term("text", "fire")
    assert parse_query("police fired", parser) == wq.And(
        [wq.Term("text", "polic"), wq.Term("text", "fire")]
    )


def test_multi_token_words_become_phrases(parser: QueryParser) -> None:
    q = parse_query("self-defence", parser)
    assert isinstance(q, wq.Phrase)
    assert q.words == ["self", "defenc"]
    assert parse_query("16.12.2011", parser).words == ["16", "12", "2011"]


def test_proximity_sets_the_slop(parser: QueryParser) -> None:
    q = parse_query('"police fired"~5', parser)
    assert isinstance(q, wq.Phrase)
    assert q.slop == 5


def test_wildcards_are_folded_and_keep_their_pattern(parser: QueryParser) -> None:
    q = parse_query("Zhanaöz*", parser)
    assert isinstance(q, StemmedWildcard)
    assert q.text == "zhanaoz*"
    assert parse_query("police*", parser).text == "police*"  # not stemmed to "polic*"


def test_fuzzy_terms_are_capped(parser: QueryParser) -> None:
    q = parse_query("Nazarbaev~9", parser)
    assert isinstance(q, wq.FuzzyTerm)
    assert (q.text, q.maxdist, q.prefixlength) == ("nazarbaev", 2, 1)


def test_field_names_are_case_insensitive(parser: QueryParser) -> None:
    assert parse_query("Title:Deposition", parser) == wq.Term("title", "deposit")
    assert parse_query("TYPE:PDF", parser) == wq.Term("type", "pdf")


def test_dates(parser: QueryParser) -> None:
    q = parse_query("date:2012-03-05", parser)
    assert isinstance(q, wq.DateRange)
    assert (q.startdate, q.enddate.date()) == (datetime(2012, 3, 5), datetime(2012, 3, 5).date())
    q = parse_query("date:[16.12.2011 TO 2012]", parser)
    assert q.startdate == datetime(2011, 12, 16)
    assert q.enddate.year == 2012
