"""The shared text rules (core.text.folding), and search and find agreeing on them."""

from __future__ import annotations

import unicodedata

import pytest

from docket.core.search.analysis import page_terms
from docket.core.text.anchoring import readable
from docket.core.text.find import find_in_pages
from docket.core.text.find import fold as find_fold
from docket.core.text.folding import fold, fold_word, hyphen_break_end, join_hyphen_breaks


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zhanaözen", "zhanaozen"),
        ("Zhanao\u0308zen", "zhanaozen"),  # decomposed diaeresis
        ("cafe\u0301", "cafe"),  # decomposed acute
        ("ß", "ss"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("œ", "oe"),
        ("Ærø", "aero"),
        ("Łódź", "lodz"),
        ("Þórr", "thorr"),
        ("İstanbul", "istanbul"),  # İ lowers to i + combining dot: the dot goes
        ("ﬁnal", "final"),  # a ligature is its letters
        ("ℍ𝐀𝐋𝐋", "hall"),  # letterlike and mathematical capitals are letters
        ("ΛΟΓΟΣ", "λογοσ"),  # every sigma is σ, whatever its place in the word
        ("λόγος", "λογοσ"),
        ("ᾳ", "α"),  # the iota subscript is a diacritic, not an ι
        ("ёлка", "елка"),  # ё folds: Russian print mostly writes е
        ("かがみ", "かがみ"),  # a kana's voicing mark makes another letter
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_cyrillic_short_i_and_its_kin_are_letters_not_accented_vowels() -> None:
    # й, ў, ї are keys of their own on the keyboards that type them: "мои" is not "мой".
    assert fold("Мой") == "мой"
    assert fold("мои\u0306") == "мой"  # decomposed: still й, composed
    assert fold("Ўсё") == "ўсе"
    assert fold("ЇХ") == "їх"
    assert fold("мой") != fold("мои")


def test_a_lone_combining_accent_folds_to_nothing() -> None:
    assert fold("\u0301") == ""
    assert fold("\u0345") == ""  # not ι: casefold would make it one


def test_folding_a_text_is_folding_its_characters() -> None:
    text = "Zhanaözen, ΛΟΓΟΣ, Straße, ℍ, İ, ᾳ, ﬁ, мой"
    assert fold(text) == "".join(fold(char) for char in text)


def test_fold_word_drops_what_search_takes_as_part_of_a_word() -> None:
    assert fold_word("O’Brien") == "obrien"
    assert fold_word("O'Brien") == "obrien"
    assert fold_word("interven\ufffe\r\ntion") == "intervention"
    assert fold_word("1,500") == "1500"
    assert fold_word("Zhanaözen") == "zhanaozen"


@pytest.mark.parametrize(
    "broken",
    [
        "interven\ufffe\r\ntion",  # QtPdf: line-end hyphen, CRLF
        "interven\ufffe\ntion",
        "interven\ufffe\r\n    tion",  # the next line's indent too
        "interven\ufffe\u2028tion",
        "interven\ufffetion",  # no line break at all
        "interven\u00ad\r\ntion",  # a soft hyphen
    ],
)
def test_hyphen_breaks_join(broken: str) -> None:
    assert join_hyphen_breaks(broken) == "intervention"
    hyphen = len("interven")
    assert broken[hyphen_break_end(broken, hyphen) :] == "tion"


def test_a_blank_line_after_a_hyphen_is_not_a_break() -> None:
    # Only one line break belongs to a hyphen break: a paragraph ends there.
    assert join_hyphen_breaks("interven\ufffe\r\n\r\ntion") == "interven\r\ntion"
    assert join_hyphen_breaks("plain text") == "plain text"


def search_term(text: str) -> str:
    """The one term search indexes `text` under."""
    (term,) = [term for term, _, _ in page_terms(text)]
    return term


# Latin-1 and Latin Extended, Greek (with polytonic), Cyrillic, letterlike symbols.
SAMPLE_BLOCKS = [(0x00C0, 0x0250), (0x0370, 0x0400), (0x1F00, 0x2000), (0x0400, 0x0530)]
SAMPLE_LETTERS = [
    chr(code)
    for first, last in SAMPLE_BLOCKS
    for code in range(first, last)
    if unicodedata.category(chr(code)) in ("Lu", "Ll", "Lt")
] + list("ℍℝℂ𝐀𝔸ﬁﬂ")


def test_search_terms_and_find_fold_every_sample_letter_alike() -> None:
    assert len(SAMPLE_LETTERS) > 600
    differ = {
        char: (search_term(char), find_fold(char).text)
        for char in SAMPLE_LETTERS
        if search_term(char) != find_fold(char).text
    }
    assert differ == {}


@pytest.mark.parametrize(
    ("page_word", "typed"),
    [
        ("Zhanaözen", "zhanaozen"),
        ("ΛΟΓΟΣ", "λόγος"),
        ("Straße", "STRASSE"),
        ("Ærø", "aero"),
        ("İstanbul", "istanbul"),
        ("ℍ𝐀𝐋𝐋", "hall"),
        ("мои\u0306", "мой"),
        ("мой", "мои"),  # different words for both
        ("Їх", "іх"),
    ],
)
def test_search_and_find_match_the_same_words(page_word: str, typed: str) -> None:
    search_matches = search_term(page_word) == search_term(typed)
    find_matches = [r.end - r.start for r in find_in_pages([page_word], typed)] == [len(page_word)]
    assert search_matches == find_matches
    assert search_matches == (page_word not in ("мой", "Їх"))


def test_a_quote_joins_hyphen_breaks_as_search_does() -> None:
    # The anchoring copy once missed the rarer line breaks; it now uses the shared rule.
    assert (
        readable("the interven\ufffe\u2028tion of\r\nthe court") == "the intervention of the court"
    )
    assert search_term("interven\ufffe\u2028tion") == search_term("intervention")
