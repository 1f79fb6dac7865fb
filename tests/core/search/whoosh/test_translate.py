"""The Whoosh engine's reading of a parsed query: the analyzer applied, the caps kept."""

from __future__ import annotations

from datetime import datetime

import pytest
from whoosh import query as wq
from whoosh.fields import Schema

from docket.core.errors import QuerySyntaxError
from docket.core.search.nodes import ParsedQuery, Term
from docket.core.search.parser import parse
from docket.core.search.whoosh.index import make_schema
from docket.core.search.whoosh.translate import StemmedWildcard, to_whoosh


@pytest.fixture(scope="module")
def schema() -> Schema:
    return make_schema()


def whoosh_query(schema: Schema, query: str) -> wq.Query:
    return to_whoosh(parse(query), schema)


def test_words_are_analyzed_like_the_text(schema: Schema) -> None:
    assert whoosh_query(schema, "ZHANAÖZEN") == wq.Term("text", "zhanaozen")
    assert whoosh_query(schema, "fired") == wq.Term("text", "fire")
    assert whoosh_query(schema, "police fired") == wq.And(
        [wq.Term("text", "polic"), wq.Term("text", "fire")]
    )
    assert whoosh_query(schema, "O'Brien O’Brien") == wq.Term("text", "obrien")


def test_multi_token_words_become_phrases(schema: Schema) -> None:
    q = whoosh_query(schema, "self-defence")
    assert isinstance(q, wq.Phrase)
    assert q.words == ["self", "defenc"]
    assert whoosh_query(schema, "16.12.2011").words == ["16", "12", "2011"]


def test_proximity_sets_the_slop(schema: Schema) -> None:
    q = whoosh_query(schema, '"police fired"~5')
    assert isinstance(q, wq.Phrase)
    assert (q.words, q.slop) == (["polic", "fire"], 5)


def test_wildcards_are_folded_and_keep_their_pattern(schema: Schema) -> None:
    q = whoosh_query(schema, "Zhanaöz*")
    assert isinstance(q, StemmedWildcard)
    assert q.text == "zhanaoz*"
    assert whoosh_query(schema, "police*").text == "police*"  # not stemmed to "polic*"
    assert (q.startchar, q.endchar) == (0, 8)  # the cap's error points at it
    # tag: and type: hold whole values, not stems: a plain wildcard (a prefix here)
    assert whoosh_query(schema, "tag:Iss*") == wq.Prefix("tag", "iss")


def test_fuzzy_terms_are_capped(schema: Schema) -> None:
    q = whoosh_query(schema, "Nazarbaev~9")
    assert isinstance(q, wq.FuzzyTerm)
    assert (q.text, q.maxdist, q.prefixlength) == ("nazarbaev", 2, 1)


def test_field_names_are_case_insensitive(schema: Schema) -> None:
    assert whoosh_query(schema, "Title:Deposition") == wq.Term("title", "deposit")
    assert whoosh_query(schema, "TYPE:PDF") == wq.Term("type", "pdf")
    assert whoosh_query(schema, 'tag:"Witness/Jane Doe"') == wq.Term("tag", "witness/jane doe")


def test_not_stays_inside_its_and(schema: Schema) -> None:
    assert whoosh_query(schema, "police NOT army") == wq.And(
        [wq.Term("text", "polic"), wq.Not(wq.Term("text", "armi"))]
    )


def test_dates(schema: Schema) -> None:
    q = whoosh_query(schema, "date:2012-03-05")
    assert isinstance(q, wq.DateRange)
    assert (q.startdate, q.enddate.date()) == (datetime(2012, 3, 5), datetime(2012, 3, 5).date())
    q = whoosh_query(schema, "date:[16.12.2011 TO 2012]")
    assert q.startdate == datetime(2011, 12, 16)
    assert q.enddate.year == 2012
    assert whoosh_query(schema, "date:[TO 2012]").startdate is None


def test_a_query_the_analyzer_empties_has_no_words(schema: Schema) -> None:
    # The parser drops punctuation itself; a tree made elsewhere is checked again.
    with pytest.raises(QuerySyntaxError, match="no words"):
        to_whoosh(ParsedQuery("tag:", Term("tag", "")), schema)
