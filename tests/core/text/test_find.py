"""Find in the open document (core.find): no Qt, only page texts and offsets."""

from __future__ import annotations

import time

import pytest

from docket.core.model.records import TextRange
from docket.core.text.find import (
    MATCH_LIMIT,
    PageFinder,
    display_text,
    find_in_pages,
    fold,
    needle_pattern,
)

PDF_PAGE = (
    "The strike in Zhanaözen ended on 16 December 2011 when police\r\n"
    "fired on the crowd. The court refused an interven\ufffe\r\ntion by the\r\n"
    "prosecutor. ZHANAOZEN  was   quiet.\r\n"
)


def found(pages: list[str], needle: str) -> list[str]:
    """The original text of every match: offsets must slice it exactly."""
    return [pages[r.page - 1][r.start : r.end] for r in find_in_pages(pages, needle)]


def test_accents_and_case_are_ignored_both_ways() -> None:
    assert found([PDF_PAGE], "zhanaozen") == ["Zhanaözen", "ZHANAOZEN"]
    assert found([PDF_PAGE], "ZHANAÖZEN") == ["Zhanaözen", "ZHANAOZEN"]
    assert found(["Łódź, Straße, ﬁnal, Ærø"], "lodz") == ["Łódź"]
    assert found(["Łódź, Straße, ﬁnal, Ærø"], "strasse") == ["Straße"]
    assert found(["Łódź, Straße, ﬁnal, Ærø"], "final") == ["ﬁnal"]
    assert found(["Łódź, Straße, ﬁnal, Ærø"], "aero") == ["Ærø"]


def test_decomposed_accents_belong_to_the_match() -> None:
    page = "Zhanao\u0308zen and cafe\u0301"
    assert found([page], "zhanaozen") == ["Zhanao\u0308zen"]
    assert found([page], "café") == ["cafe\u0301"]


def test_marks_that_change_a_letter_are_kept() -> None:
    # A kana's voicing mark is not an accent: が (ga) is not か (ka).
    assert found(["かがみ"], "か") == ["か"]
    assert found(["かがみ"], "が") == ["が"]


def test_a_space_matches_any_whitespace_run_including_crlf() -> None:
    assert found([PDF_PAGE], "police fired") == ["police\r\nfired"]
    assert found([PDF_PAGE], "zhanaozen was quiet") == ["ZHANAOZEN  was   quiet"]
    assert found([PDF_PAGE], "police   fired") == ["police\r\nfired"]
    assert found(["a\tb a\u00a0b ab"], "a b") == ["a\tb", "a\u00a0b"]


def test_leading_and_trailing_spaces_still_count() -> None:
    assert found(["art article art"], "art ") == ["art "]
    assert found(["start art"], " art") == [" art"]


def test_a_word_hyphenated_at_a_line_end_is_found_whole() -> None:
    assert found([PDF_PAGE], "intervention") == ["interven\ufffe\r\ntion"]
    assert found([PDF_PAGE], "an intervention by") == ["an interven\ufffe\r\ntion by"]
    assert found([PDF_PAGE], "tion") == ["tion"]
    assert found(["soft\u00adware"], "software") == ["soft\u00adware"]


def test_offsets_slice_the_original_text_exactly() -> None:
    pages = [PDF_PAGE, "Zhanaözen again: ﬁ ß İstanbul Zhanaözen", ""]
    for needle in ("zhanaozen", "ss", "istanbul", "fi", "again", "o"):
        for match in find_in_pages(pages, needle):
            original = pages[match.page - 1][match.start : match.end]
            assert needle_pattern(needle).fullmatch(fold(original).text)  # type: ignore[union-attr]


def test_matches_come_in_page_order_with_1_based_pages() -> None:
    pages = ["no", "court, Court", "", "COURT"]
    assert find_in_pages(pages, "court") == [
        TextRange(2, 0, 5),
        TextRange(2, 7, 12),
        TextRange(4, 0, 5),
    ]


def test_matches_do_not_overlap() -> None:
    assert find_in_pages(["aaaa"], "aa") == [TextRange(1, 0, 2), TextRange(1, 2, 4)]


@pytest.mark.parametrize("needle", ["", " ", "\r\n\t", "\ufffe"])
def test_nothing_to_find_finds_nothing(needle: str) -> None:
    assert find_in_pages([PDF_PAGE], needle) == []
    assert PageFinder([PDF_PAGE]).find(needle) == []


def test_many_matches_are_all_found_and_capped_for_the_bar() -> None:
    pages = ["police " * 1000] * 20
    assert len(find_in_pages(pages, "police")) == 20_000
    assert len(PageFinder(pages).find("police")) == MATCH_LIMIT
    assert len(PageFinder(pages).find("police", limit=None)) == 20_000


def test_regex_characters_in_the_needle_are_literal() -> None:
    assert found(["Art. 5 (1) [a]* cost $3.50"], "(1) [a]*") == ["(1) [a]*"]
    assert found(["Art. 5 (1) [a]* cost $3.50"], "$3.5") == ["$3.5"]


def test_display_text_keeps_every_offset() -> None:
    shown = display_text(PDF_PAGE)
    assert len(shown) == len(PDF_PAGE)
    assert "interven-" in shown and "\ufffe" not in shown
    assert "\r" not in shown  # Qt would make one block separator of \r\n


def test_a_2000_page_document_is_fast_enough_to_find_as_you_type() -> None:
    words = "the court held that police fired upon the striking oil workers in Zhanaözen “quoted”"
    page = (words.replace("workers", "wor\ufffe\r\nkers") + "\r\n") * 20  # ~2 KB like a PDF page
    finder = PageFinder([page] * 2000)
    # CPU time, not the wall clock: on a loaded machine (CI with a test process per
    # core) the wall clock measured 2.2 s for ~0.1 s of work.
    began = time.process_time()
    assert finder.find("police fired")
    first = time.process_time() - began  # folds every page once
    began = time.process_time()
    assert len(finder.find("zhanaozen")) == MATCH_LIMIT  # of 40,000
    again = time.process_time() - began
    assert first < 2.0 and again < 0.5  # generous: CI machines are slow; measured ~0.1 / ~0.02 s


def test_offsets_stay_exact_after_a_letter_that_lowers_to_two() -> None:
    # "İ".lower() is "i" + a combining dot: the rest of the page must not shift.
    page = "İzmir and İstanbul police"
    assert found([page], "police") == ["police"]
    assert found([page], "istanbul") == ["İstanbul"]


def test_a_final_sigma_is_found_by_a_plain_sigma() -> None:
    assert found(["ΛΟΓΟΣ λόγος"], "λογοσ") == ["ΛΟΓΟΣ", "λόγος"]


def test_cjk_words_are_found_inside_unsegmented_text() -> None:
    pages = [
        "法院认为原告提交的问题文档不完整。\r\n他们讨论了这个问题很久。",
        "没有相关内容",
        "新问题",
    ]
    assert found(pages, "问题") == ["问题", "问题", "问题"]
    first = pages[0].index("问题")
    expected = [(1, first), (1, pages[0].index("问题", first + 1)), (3, 1)]
    assert [(r.page, r.start) for r in find_in_pages(pages, "问题")] == expected
    assert found(["自動採点システムの導入"], "自動採点") == ["自動採点"]
    assert found(["한국어 문서를 검토했습니다"], "문서") == ["문서"]
