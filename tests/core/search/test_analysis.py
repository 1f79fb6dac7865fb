"""The analyzer: terms for the index, with offsets exactly into QtPdf's page text."""

from __future__ import annotations

import pytest

from docket.core.search.analysis import (
    DocketTokenizer,
    fold,
    index_term,
    page_terms,
    stemmed_pattern,
)

QTPDF_TEXT = (
    "On 16.12.2011 the police fired on striking oil workers in Zhanaözen.\r\n"
    "The interven\ufffe\r\ntion of the security forces left 1,500 people\r\n"
    "without help; Mr O’Brien's self-defence claim was rejected."
)


def words(text: str) -> list[str]:
    return [text[start:end] for _, start, end in page_terms(text)]


def terms(text: str) -> list[str]:
    return [term for term, _, _ in page_terms(text)]


def test_offsets_slice_the_original_words() -> None:
    assert words(QTPDF_TEXT) == [
        "On", "16", "12", "2011", "the", "police", "fired", "on", "striking", "oil", "workers",
        "in", "Zhanaözen", "The", "interven\ufffe\r\ntion", "of", "the", "security", "forces",
        "left", "1,500", "people", "without", "help", "Mr", "O’Brien's", "self", "defence",
        "claim", "was", "rejected",
    ]  # fmt: skip


def test_hyphenated_line_break_is_one_joined_term() -> None:
    assert "intervent" in terms(QTPDF_TEXT)  # stem of "intervention"
    assert terms("interven\ufffe\r\ntion") == [index_term("intervention")]
    assert terms("interven\ufffetion") == [index_term("intervention")]  # no line break
    assert terms("interven\u00ad\ntion") == [index_term("intervention")]  # soft hyphen


def test_no_stop_words_and_positions_count_every_word() -> None:
    tokens = DocketTokenizer()("the police and the army", positions=True)
    assert [(t.text, t.pos) for t in tokens] == [  # read each as it comes: the Token is reused
        ("the", 0), ("polic", 1), ("and", 2), ("the", 3), ("armi", 4),
    ]  # fmt: skip


def test_tokenizer_chars_match_page_terms() -> None:
    tokens = [
        (t.text, t.startchar, t.endchar)
        for t in DocketTokenizer()(QTPDF_TEXT, positions=True, chars=True)
    ]
    assert tokens == page_terms(QTPDF_TEXT)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zhanaözen", "ZHANAOZEN"),
        ("Zhanaözen", "Zhanao\u0308zen"),  # decomposed diaeresis
        ("café", "cafe"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("O’Brien", "O'Brien"),
        ("O'Brien", "OBrien"),
        ("fired", "firing"),
        ("court's", "courts"),
        ("1,500", "1500"),
    ],
)
def test_same_term(a: str, b: str) -> None:
    assert terms(a) == terms(b)


def test_fold_keeps_letters_without_accents() -> None:
    assert fold("Zhanaözen") == "zhanaozen"
    assert fold("Nazarbayev’s") == "nazarbayevs"


def test_words_do_not_include_underscores_or_punctuation() -> None:
    assert words("Signed: ______ (A. Batkanbayev), 2012.") == ["Signed", "A", "Batkanbayev", "2012"]


def test_query_patterns_are_folded_not_stemmed() -> None:
    tokenizer = DocketTokenizer()
    assert [t.text for t in tokenizer("Zhanaöz*", tokenize=False)] == ["zhanaoz*"]
    assert [t.text for t in tokenizer("Firing", tokenize=False)] == ["fire"]


@pytest.mark.parametrize(
    ("pattern", "stemmed"),
    [("police*", "polic"), ("t?rture", "t?rtur"), ("tortur*", None), ("injury*", "injuri")],
)
def test_stemmed_pattern(pattern: str, stemmed: str | None) -> None:
    assert stemmed_pattern(pattern) == stemmed
