"""The query language: what each query means (Docket's own tree), and where a syntax error points.

These tests need no engine: what a query *finds* is tested on both engines
in test_search.py; how the Whoosh engine runs it, in whoosh/test_translate.py.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from docket.core.errors import QuerySyntaxError
from docket.core.search.dates import read_period
from docket.core.search.nodes import (
    And,
    DateRange,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Term,
    Wildcard,
    walk,
)
from docket.core.search.parser import parse

END = datetime(1, 1, 1, 23, 59, 59, 999999) - datetime(1, 1, 1)  # a day's last moment


def bare(node: Node) -> Node:
    """`node` without positions, to compare with a tree written by hand."""
    if isinstance(node, And | Or):
        return type(node)(tuple(bare(child) for child in node.children))
    if isinstance(node, Not):
        return Not(bare(node.child))
    return dataclasses.replace(node, start=0, end=0)


def meaning(query: str) -> Node:
    return bare(parse(query).root)


def text(word: str) -> Term:
    return Term("text", word)


def days(first: datetime | None, last: datetime | None) -> DateRange:
    return DateRange(first, last and last + END)


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
        ("NOT ...", 0, "no words"),
        ("title:[a TO b]", 6, "only date: and fact: take a range"),
        ("date:[2011 TO xyz]", 14, 'cannot read "xyz" as a date'),
        ('date:"last year"', 5, 'cannot read ""last year"" as a date'),
        ("police date:(2011 OR xyz)", 21, 'cannot read "xyz" as a date'),
        ("ab~c*", 4, "wildcard needs at least two letters before *"),
    ],
)
def test_syntax_errors_point_at_the_problem(query: str, position: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert message in str(caught.value)
    assert caught.value.position == position
    assert caught.value.query == query
    if query:
        assert caught.value.pointer().endswith("^")  # terminals show it under the query


def test_unknown_field_lists_the_known_ones() -> None:
    with pytest.raises(QuerySyntaxError, match=r"title:.*type:"):
        parse("foo:bar")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a colon followed by a space is text, not a field
        ("Witness: Batkanbayev", And((text("Witness"), text("Batkanbayev")))),
        ("16:30", Phrase("text", ("16", "30"))),
        (
            "police AND (fired OR shot) NOT army",
            And((text("police"), Or((text("fired"), text("shot"))), Not(text("army")))),
        ),
        ("NOT police", Not(text("police"))),
        ('"police fired"~5', Phrase("text", ("police", "fired"), slop=5)),
        (
            "Nazarbaev~ Nazarbaev~2 Nazarbaev~2/3",
            And(
                (
                    Fuzzy("text", "Nazarbaev", distance=1, prefix=1),
                    Fuzzy("text", "Nazarbaev", distance=2, prefix=1),
                    Fuzzy("text", "Nazarbaev", distance=2, prefix=3),
                )
            ),
        ),
        ("t?rture tortur*", And((Wildcard("text", "t?rture"), Wildcard("text", "tortur*")))),
        (
            "date:[2011 TO 2012] date:2012-03 date:16.12.2011 date:[TO 2012]",
            And(
                (
                    days(datetime(2011, 1, 1), datetime(2012, 12, 31)),
                    days(datetime(2012, 3, 1), datetime(2012, 3, 31)),
                    days(datetime(2011, 12, 16), datetime(2011, 12, 16)),
                    days(None, datetime(2012, 12, 31)),
                )
            ),
        ),
        (
            "type:PDF tag:Issue/Torture note:witness",
            And((Term("type", "PDF"), Term("tag", "Issue/Torture"), Term("note", "witness"))),
        ),
        ("O'Brien O’Brien", And((text("O'Brien"), text("O’Brien")))),
        # no single quotes, boosts or comparisons: their signs split words
        (
            "a<b police^2 'police'",
            And((Phrase("text", ("a", "b")), Phrase("text", ("police", "2")), text("police"))),
        ),
    ],
)
def test_valid_queries_mean_what_the_readme_says(query: str, expected: Node) -> None:
    parsed = parse(query)
    assert parsed.text == query
    assert bare(parsed.root) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # NOT binds tightest, then AND, then OR, then the implied AND
        ("a b OR c", And((text("a"), Or((text("b"), text("c")))))),
        ("a OR b c OR d", And((Or((text("a"), text("b"))), Or((text("c"), text("d")))))),
        ("a AND b OR c", Or((And((text("a"), text("b"))), text("c")))),
        ("NOT a b", And((Not(text("a")), text("b")))),
        ("NOT (a b)", Not(And((text("a"), text("b"))))),
        ("a OR NOT b", Or((text("a"), Not(text("b"))))),
        ("(a b) OR c", Or((And((text("a"), text("b"))), text("c")))),
        ("a AND b AND c", And((text("a"), text("b"), text("c")))),
        ("NOT NOT a", text("a")),
        ("police NOT ...", text("police")),  # punctuation alone means nothing
        ("police OR ...", text("police")),
    ],
)
def test_operator_precedence(query: str, expected: Node) -> None:
    assert meaning(query) == expected


def test_multi_token_words_become_phrases() -> None:
    assert meaning("self-defence") == Phrase("text", ("self", "defence"))
    assert meaning("16.12.2011") == Phrase("text", ("16", "12", "2011"))
    assert meaning("name:complaint.pdf") == Phrase("name", ("complaint", "pdf"))
    assert meaning('"police"~3') == text("police")  # a phrase of one word is that word


def test_cjk_words_are_phrases_of_their_bigrams() -> None:
    assert meaning("问题") == text("问题")  # two characters: one bigram
    assert meaning("自動採点") == Phrase("text", ("自動", "動採", "採点"))
    assert meaning("Docket文档") == Phrase("text", ("Docket", "文档"))
    assert meaning("문서를") == Phrase("text", ("문서", "서를"))
    # CJK words set apart by a space in a phrase: also looked for written together
    assert meaning('"问题 文档"') == Or(
        (Phrase("text", ("问题", "文档")), Phrase("text", ("问题", "题文", "文档")))
    )
    assert meaning('"问题 police"') == Phrase("text", ("问题", "police"))


def test_proximity_sets_the_slop() -> None:
    assert meaning('"police fired"~5') == Phrase("text", ("police", "fired"), slop=5)
    assert meaning('"police fired"') == Phrase("text", ("police", "fired"), slop=1)


def test_dtsearch_w_and_pre_are_proximity_in_either_or_the_typed_order() -> None:
    police_first = Phrase("text", ("police", "fired"), slop=5)
    fired_first = Phrase("text", ("fired", "police"), slop=5)
    assert meaning("police w/5 fired") == Or((police_first, fired_first))
    assert meaning("police W/5 fired") == meaning("police w/5 fired")
    assert meaning("police pre/5 fired") == police_first
    assert meaning("police PRE/5 fired") == police_first
    assert meaning("police w/5 fired AND NOT crowd") == And(
        (Or((police_first, fired_first)), Not(Term("text", "crowd")))
    )
    assert meaning("a AND NOT b") == And((Term("text", "a"), Not(Term("text", "b"))))
    assert meaning("w/5") == Phrase("text", ("w", "5"))  # no words to join: the text typed
    with pytest.raises(QuerySyntaxError, match="joins two plain words"):
        parse("(police OR army) w/5 fired")
    with pytest.raises(QuerySyntaxError, match="joins two plain words"):
        parse("tag:Issue pre/3 fired")


def test_wildcards_keep_their_pattern_as_typed() -> None:
    assert meaning("Zhanaöz*") == Wildcard("text", "Zhanaöz*")  # the engine folds it
    assert meaning("name:exhibit*") == Wildcard("name", "exhibit*")


def test_fuzzy_terms_are_capped() -> None:
    assert meaning("Nazarbaev~9") == Fuzzy("text", "Nazarbaev", distance=2, prefix=1)
    assert meaning("Nazarbaev~/3") == Fuzzy("text", "Nazarbaev", distance=1, prefix=3)


def test_field_names_are_case_insensitive() -> None:
    assert meaning("Title:Deposition") == Term("title", "Deposition")
    assert meaning("TYPE:PDF") == Term("type", "PDF")


def test_fields_apply_to_phrases_and_groups() -> None:
    assert meaning('title:"court schedule"~3') == Phrase("title", ("court", "schedule"), slop=3)
    assert meaning("title:(court OR note:hearing)") == Or(
        (Term("title", "court"), Term("note", "hearing"))
    )
    assert meaning('tag:"Witness/Jane Doe"') == Term("tag", "Witness/Jane Doe")  # one value


def test_dates() -> None:
    assert meaning("date:2012-03-05") == days(datetime(2012, 3, 5), datetime(2012, 3, 5))
    assert meaning("date:[16.12.2011 TO 2012]") == days(
        datetime(2011, 12, 16), datetime(2012, 12, 31)
    )
    assert meaning('date:"5 March 2012"') == days(datetime(2012, 3, 5), datetime(2012, 3, 5))
    assert meaning("date:[2012 TO 2011]") == days(datetime(2011, 1, 1), datetime(2012, 12, 31))
    assert meaning("date:[2011 TO]") == days(datetime(2011, 1, 1), None)
    assert meaning("date:(2011 OR 2012)") == Or(
        (days(datetime(2011, 1, 1), datetime(2011, 12, 31)),
         days(datetime(2012, 1, 1), datetime(2012, 12, 31)))
    )  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("2012", datetime(2012, 1, 1), datetime(2012, 12, 31)),
        ("201203", datetime(2012, 3, 1), datetime(2012, 3, 31)),
        ("20120305", datetime(2012, 3, 5), datetime(2012, 3, 5)),
        ("2012/3/5", datetime(2012, 3, 5), datetime(2012, 3, 5)),
        ("2012.02", datetime(2012, 2, 1), datetime(2012, 2, 29)),
        ("5.3.2012", datetime(2012, 3, 5), datetime(2012, 3, 5)),
        ("5th Mar 2012", datetime(2012, 3, 5), datetime(2012, 3, 5)),
        ("March 5, 2012", datetime(2012, 3, 5), datetime(2012, 3, 5)),
        ("march 2012", datetime(2012, 3, 1), datetime(2012, 3, 31)),
    ],
)
def test_the_dates_people_type(typed: str, first: datetime, last: datetime) -> None:
    assert read_period(typed) == (first, last + END)


@pytest.mark.parametrize("typed", ["12", "2012-13", "2012-02-30", "2012 March", "16/12/2011", ""])
def test_what_is_not_a_date(typed: str) -> None:
    assert read_period(typed) is None


def test_positions_point_into_the_typed_query() -> None:
    query = "police st* title:Nazarbaev~2"
    leaves = [n for n in walk(parse(query).root) if not isinstance(n, And)]
    assert [query[n.start : n.end] for n in leaves] == ["police", "st*", "Nazarbaev~2"]
