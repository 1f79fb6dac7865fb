"""One-pass postings are exactly what Whoosh's generic indexing makes."""

from __future__ import annotations

import pickle
import random

import pytest
from whoosh.fields import TEXT

from docket.core.search.analysis import DocketTokenizer
from docket.core.search.whoosh.index import make_schema
from docket.core.search.whoosh.postings import compact_postings, positions_postings

TEXTS = [
    "",
    "   \r\n ",
    "police",
    "The police fired. The police fired again, and the police fired once more.",
    "Interven\ufffe\r\ntion in Zhanaözen, 16.12.2011 — O’Brien’s 1,500,000 tenge",
    "Жанаозен: полиция открыла огонь. Ζανάοζεν. زاناوزن ١٢",
    "self-defence complaint.pdf ____ _under_ x" * 3,
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


def _whooshs(field: TEXT, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return list(TEXT.index(field, text))  # the generic path, not Docket's shortcut


@pytest.mark.parametrize("stem", [True, False])
def test_same_postings_in_the_same_order(stem: bool) -> None:
    field = TEXT(analyzer=DocketTokenizer(stem=stem), phrase=True)
    rng = random.Random(4)
    for text in [*TEXTS, *(_random_text(rng) for _ in range(50))]:
        ours = positions_postings(text, stem=stem)
        assert ours == _whooshs(field, text)
        for (_, count, weight, _), (_, their_count, their_weight, _) in zip(
            ours, _whooshs(field, text), strict=True
        ):
            assert type(count) is type(their_count) and type(weight) is type(their_weight)


def test_the_page_text_field_takes_the_shortcut() -> None:
    field = make_schema()["text"]
    text = TEXTS[4] + " " + TEXTS[3]
    assert list(field.index(text)) == _whooshs(field, text)
    assert any(term == b"intervent" for term, *_ in field.index(text))


@pytest.mark.parametrize("stem", [True, False])
def test_compact_postings_hold_the_same_postings(stem: bool) -> None:
    rng = random.Random(7)
    for text in ["", "   ", *TEXTS, *(_random_text(rng) for _ in range(50))]:
        compact = compact_postings(text, stem=stem)
        assert list(compact) == positions_postings(text, stem=stem)
        assert compact.length == sum(count for _, count, _, _ in compact)
        assert list(pickle.loads(pickle.dumps(compact))) == list(compact)  # as workers send them


def test_compact_postings_are_smaller_to_send_than_tuples() -> None:
    text = " ".join(TEXTS * 3)
    as_tuples = pickle.dumps(positions_postings(text), pickle.HIGHEST_PROTOCOL)
    assert len(pickle.dumps(compact_postings(text), pickle.HIGHEST_PROTOCOL)) < len(as_tuples)
