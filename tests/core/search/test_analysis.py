"""The analyzer: terms for the index, with offsets exactly into QtPdf's page text."""

from __future__ import annotations

import pickle
import re
import threading

import pytest

from docket.core.search.analysis import (
    ANALYZER_VERSION,
    fold,
    fuzzy_forms,
    index_term,
    page_term_positions,
    page_terms,
    plain_spans_of,
    porter_stem,
    stemmed_pattern,
    terms_among,
    word_spans,
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
    assert dict(page_term_positions("the police and the army").positions()) == {
        "the": [0, 3], "polic": [1], "and": [2], "armi": [4],
    }  # fmt: skip


def test_page_term_positions_are_the_page_terms_grouped() -> None:
    text = QTPDF_TEXT + " The police, the police again; the " * 40
    made = page_term_positions(text)
    expected: dict[str, list[int]] = {}
    for position, (term, _, _) in enumerate(page_terms(text)):
        expected.setdefault(term, []).append(position)
    assert list(made.positions()) == list(expected.items())  # in order of first use
    assert made.length == len(page_terms(text))
    assert list(made.counts) == [len(places) for places in expected.values()]
    assert list(pickle.loads(pickle.dumps(made)).positions()) == list(expected.items())


def test_page_term_positions_of_a_page_without_words() -> None:
    for text in ["", "  \r\n ", "____ — …"]:
        made = page_term_positions(text)
        assert (made.length, made.names(), list(made.positions())) == (0, [], [])


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


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        # Porter's stems, which whoosh's own Porter (before analyzer version 3) missed
        (["run", "running", "runs"], "run"),
        (["set", "setting", "settings"], "set"),
        (["generate", "generated", "generating"], "gener"),
        (["hyphen", "hyphenation", "hyphenated"], "hyphen"),
        (["typical", "typically"], "typic"),
        (["police", "policing"], "polic"),
    ],
)
def test_inflections_share_a_stem(words: list[str], stem: str) -> None:
    assert {index_term(word) for word in words} == {stem}


@pytest.mark.parametrize("word", ["s", "is", "as", "us", "cs", "ps"])
def test_words_of_one_or_two_letters_are_not_stemmed(word: str) -> None:
    # Snowball's Porter alone would make "is" "i" (found by the letter I) and "s" empty.
    assert porter_stem(word) == word
    assert index_term(word.upper()) == word


def test_stemming_on_several_threads_agrees() -> None:
    words = [f"generat{'ed' if n % 2 else 'ing'}{n}" for n in range(3000)]
    expected = [porter_stem(word) for word in words]
    results: list[list[str]] = []

    def stem_all() -> None:
        results.append([porter_stem(word) for word in words])

    threads = [threading.Thread(target=stem_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


@pytest.mark.parametrize(
    ("pattern", "stemmed"),
    [("police*", "polic"), ("t?rture", "t?rtur"), ("tortur*", None), ("injury*", "injuri")],
)
def test_stemmed_pattern(pattern: str, stemmed: str | None) -> None:
    assert stemmed_pattern(pattern) == stemmed


def test_page_term_positions_past_two_bytes() -> None:
    made = page_term_positions("word " * 70_000 + "end")  # a page no real PDF has
    assert dict(made.positions())["end"] == [70_000]
    assert dict(made.positions())["word"][-1] == 69_999


def spans(text: str) -> list[tuple[str, int, int]]:
    return list(word_spans(text))


def test_a_cjk_run_is_overlapping_bigrams_at_their_offsets() -> None:
    text = "法院认为问题文档不完整。"
    assert spans(text)[:5] == [
        ("法院", 0, 2), ("院认", 1, 3), ("认为", 2, 4), ("为问", 3, 5), ("问题", 4, 6),
    ]  # fmt: skip
    assert all(text[s:e] == word and len(word) == 2 for word, s, e in spans(text))
    assert len(spans(text)) == len("法院认为问题文档不完整") - 1  # consecutive positions
    # the word's bigrams follow each other: 问题 then 题文 then 文档
    positions = dict(page_term_positions(text).positions())
    assert positions["问题"] == [4]
    assert positions["题文"] == [5]
    assert positions["文档"] == [6]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("自動採点システム", ["自動", "動採", "採点", "点シ", "シス", "ステ", "テム"]),
        ("한국어 문서를", ["한국", "국어", "문서", "서를"]),  # Korean: runs between spaces
        ("Docket文档", ["Docket", "文档"]),  # the script changes: two tokens
        ("第3条", ["第", "3", "条"]),  # a lone character stays whole
        ("问，题", ["问", "题"]),  # punctuation ends a run
        ("ｶﾀｶﾅ", ["ｶﾀ", "ﾀｶ", "ｶﾅ"]),  # half-width katakana
        ("か\u3099くせい", ["か\u3099く", "くせ", "せい"]),  # a voicing mark is part of its kana
        ("\U00020000\U00020001", ["\U00020000\U00020001"]),  # beyond the BMP, one char each
    ],
)
def test_cjk_tokens(text: str, expected: list[str]) -> None:
    assert [word for word, _, _ in spans(text)] == expected
    assert all(text[s:e] == word for word, s, e in spans(text))


def test_cjk_terms_are_folded() -> None:
    assert terms("ｶﾀｶﾅ") == terms("カタカナ")  # half-width is full-width
    assert terms("か\u3099くせい") == terms("がくせい")  # decomposed kana compose
    assert terms("ＤＯＣＫＥＴ文档") == ["docket", "文档"]  # full-width Latin is Latin


def test_pages_without_cjk_keep_their_tokens() -> None:
    assert ANALYZER_VERSION >= 4  # bigrams changed the terms: old indexes are rebuilt
    assert words(QTPDF_TEXT)[:6] == ["On", "16", "12", "2011", "the", "police"]


def test_fuzzy_forms_are_the_stem_and_the_folded_word() -> None:
    assert fuzzy_forms("Documant", index_term("Documant")) == ["docum", "documant"]
    assert fuzzy_forms("police", index_term("police")) == ["polic", "police"]
    assert fuzzy_forms("court", index_term("court")) == ["court"]


def test_word_spans_are_the_tokens_where_the_tokenizer_finds_them() -> None:
    # Spans come from finding each word after the last one, not from match objects:
    # a word that also occurs inside an earlier token or a gap must not be taken there.
    text = QTPDF_TEXT + " ab cab ab’s ab 1,500 500 x_ab ab\ufffe\r\nab ab"
    pattern = re.compile(r"\d{1,3}(?:,\d{3})+(?![^\W_])|[^\W_]+(?:(?:\ufffe\r\n|['’])[^\W_]+)*")
    expected = [(m.group(), m.start(), m.end()) for m in pattern.finditer(text)]
    assert list(word_spans(text)) == expected


@pytest.mark.parametrize("language", ["", "en", "fr", "de", "ru", "kk"])
def test_terms_among_are_the_words_whose_term_is_wanted(language: str) -> None:
    words = set(word_spans(QTPDF_TEXT + " Yields ies sses Über études Рабочих II"))
    page_words = {word for word, _, _ in words}
    every = {word: index_term(word, language) for word in page_words}
    for wanted in [{"polic", "fire"}, {"intervent", "1500", "obrien"}, set(every.values())]:
        expected = {word: term for word, term in every.items() if term in wanted}
        assert terms_among(page_words, wanted, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ab\ufffe\r\n  cd", ["ab\ufffe\r\n  cd"]),
        ("ab\ufffe\r\n \r", ["ab"]),  # a hyphen break with no word after it ends the word
        ("O’Brien's ab''cd ab’", ["O’Brien's", "ab", "cd", "ab"]),
        ("1,500,000x 1,500 12,34", ["1,500", "000x", "1,500", "12", "34"]),
        (
            "e\u0301te\u0301 a\u0301\u0301b' \u0301ab _a_b_",
            ["e\u0301te\u0301", "a\u0301\u0301b", "ab", "a", "b"],
        ),
    ],
)
def test_words_and_their_spans_of_a_text_without_cjk(text: str, expected: list[str]) -> None:
    spans = list(word_spans(text))
    assert [word for word, _, _ in spans] == expected
    assert all(text[start:end] == word for word, start, end in spans)


def test_plain_spans_of_are_the_wanted_words_spans() -> None:
    text = QTPDF_TEXT + " the police, the policeman; the police"
    words = [word for word, _, _ in word_spans(text)]
    wanted = {"the", "police"}
    expected = [(start, end) for word, start, end in word_spans(text) if word in wanted]
    assert plain_spans_of(text, words, wanted) == expected
    assert len(expected) == 8
