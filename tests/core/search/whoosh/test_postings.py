"""Postings made from Docket's own terms are exactly what Whoosh's generic indexing makes."""

from __future__ import annotations

import pickle
import random

import pytest
from whoosh.fields import TEXT

from docket.core.search import analysis
from docket.core.search.analysis import page_term_positions
from docket.core.search.whoosh import index as whoosh_index
from docket.core.search.whoosh.index import PageText, make_schema
from docket.core.search.whoosh.postings import PagePostings
from docket.core.search.whoosh.tokenizer import DocketTokenizer

TEXTS = [
    "",
    "   \r\n ",
    "police",
    "The police fired. The police fired again, and the police fired once more.",
    "Interven\ufffe\r\ntion in Zhanaözen, 16.12.2011 — O’Brien’s 1,500,000 tenge",
    "Жанаозен: полиция открыла огонь. Ζανάοζεν. زاناوزن ١٢",
    "self-defence complaint.pdf ____ _under_ x" * 3,
    " ".join(["word"] * 300 + ["other"] * 20),  # a count past one byte
]


def _random_text(rng: random.Random) -> str:
    words = [
        "court",
        "courts",
        "witness",
        "Zhanaözen",
        "fired",
        "firing",
        "1,500",
        "O'Brien",
        "interven\ufffe\r\ntion",
        "police",
        "а",
        "of",
    ]
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 400)))


def _texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    return [*TEXTS, *(_random_text(rng) for _ in range(50))]


def _whooshs(field: TEXT, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return list(TEXT.index(field, text))  # the generic path, not Docket's shortcut


def test_same_postings_in_the_same_order() -> None:
    field = TEXT(analyzer=DocketTokenizer(), phrase=True)
    for text in _texts(4):
        ours = list(PagePostings(page_term_positions(text)))
        theirs = _whooshs(field, text)
        assert ours == theirs
        for (_, count, weight, _), (_, their_count, their_weight, _) in zip(
            ours, theirs, strict=True
        ):
            assert type(count) is type(their_count) and type(weight) is type(their_weight)


def test_the_page_text_field_takes_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text and worker-made terms both skip Whoosh's token-by-token indexing, and
    give what it would have given."""
    field = make_schema()["text"]
    text = TEXTS[4] + " " + TEXTS[3]
    expected = _whooshs(field, text)
    assert any(term == b"intervent" for term, *_ in expected)

    generic_calls: list[object] = []
    analysed: list[str] = []
    generic = TEXT.index

    def spy_generic(self: TEXT, value: object, **kwargs: object) -> object:
        generic_calls.append(value)
        return generic(self, value, **kwargs)

    def spy_analysis(value: str) -> analysis.PageTerms:
        analysed.append(value)
        return page_term_positions(value)

    monkeypatch.setattr(TEXT, "index", spy_generic)
    monkeypatch.setattr(whoosh_index, "page_term_positions", spy_analysis)

    from_text = field.index(text)
    assert type(from_text) is PagePostings
    assert analysed == [text]  # analysed in one pass ...
    assert generic_calls == []  # ... never by Whoosh's generic path
    assert list(from_text) == expected

    from_terms = field.index(page_term_positions(text))  # as the import's workers send them
    assert type(from_terms) is PagePostings
    assert analysed == [text] and generic_calls == []  # the terms were used as they came
    assert list(from_terms) == expected


def test_a_field_of_other_words_indexes_the_generic_way() -> None:
    """Unstemmed words are not the index terms `PagePostings` holds: no shortcut."""
    field = PageText(analyzer=DocketTokenizer(stem=False), phrase=True)
    text = TEXTS[3]
    assert type(field.index(text)) is not PagePostings
    assert list(field.index(text)) == _whooshs(field, text)
    assert (b"fired", 3) in {(term, count) for term, count, *_ in field.index(text)}


def test_page_postings_from_sent_terms() -> None:
    for text in ["", "   ", *_texts(7)]:
        terms = page_term_positions(text)
        postings = PagePostings(terms)
        assert postings.length == sum(count for _, count, _, _ in postings) == terms.length
        assert len(postings) == len(terms.counts)
        sent = pickle.loads(pickle.dumps(terms, pickle.HIGHEST_PROTOCOL))  # as workers send
        assert list(PagePostings(sent)) == list(postings)
        boosted = PagePostings(terms, boost=2.0)
        assert [weight for _, _, weight, _ in boosted] == [2.0 * c for c in terms.counts]


def test_page_terms_are_smaller_to_send_than_postings() -> None:
    # A page of prose: most words once, a few often (on the real-PDF corpus, 2.0 KB
    # a page pickled against 6.3 KB as postings).
    rng = random.Random(3)
    text = " ".join([*TEXTS, *(f"word{rng.randint(0, 400)}" for _ in range(400))])
    terms = page_term_positions(text)
    as_tuples = pickle.dumps(list(PagePostings(terms)), pickle.HIGHEST_PROTOCOL)
    assert len(pickle.dumps(terms, pickle.HIGHEST_PROTOCOL)) < len(as_tuples) / 2
