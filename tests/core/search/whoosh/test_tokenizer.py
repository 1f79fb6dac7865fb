"""Docket's analyzer as Whoosh's tokenizer: the same terms and offsets as `analysis`."""

from __future__ import annotations

from docket.core.search.analysis import page_terms
from docket.core.search.whoosh.tokenizer import DocketTokenizer

QTPDF_TEXT = (
    "On 16.12.2011 the police fired on striking oil workers in Zhanaözen.\r\n"
    "The interven\ufffe\r\ntion of the security forces left 1,500 people\r\n"
    "without help; Mr O’Brien's self-defence claim was rejected."
)


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


def test_query_patterns_are_folded_not_stemmed() -> None:
    tokenizer = DocketTokenizer()
    assert [t.text for t in tokenizer("Zhanaöz*", tokenize=False)] == ["zhanaoz*"]
    assert [t.text for t in tokenizer("Firing", tokenize=False)] == ["fire"]


def test_the_version_is_in_what_the_index_stores() -> None:
    # The schema is saved with the index; its tokenizer's repr is part of the
    # fingerprint that tells an index made by other analysis rules (index.py).
    assert "version=" in repr(DocketTokenizer())
    assert repr(DocketTokenizer(version=1)) != repr(DocketTokenizer())
