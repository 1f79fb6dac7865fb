"""Transcripts recognised from their text alone: line maps, cut pages, labels, and what
is not a transcript."""

from __future__ import annotations

from docket.core.transcripts.detect import any_line_maps, line_maps, page_labels, transcript_spans
from docket.core.transcripts.lines import page_run
from tests.core.transcript_factory import line_words, transcript_page


def test_each_line_maps_to_its_own_words_without_the_number() -> None:
    texts = [transcript_page(1), transcript_page(2), transcript_page(3, 12)]
    maps = line_maps(texts)
    assert maps is not None and sorted(maps) == [1, 2, 3]
    assert [len(maps[n]) for n in (1, 2, 3)] == [25, 25, 12]
    number, start, end = maps[2][3]
    assert number == 4 and texts[1][start:end] == line_words(2, 4)
    assert page_labels(texts, maps) == ["1", "2", "3"]


def test_pdfium_line_ends_and_a_page_number_line_stay_out_of_the_spans() -> None:
    text = "7\r\n" + "".join(f" {n} {line_words(7, n)}\r\n" for n in range(1, 26))
    run = page_run(text)
    assert len(run) == 25
    assert text[run[24][1] : run[24][2]] == line_words(7, 25)
    assert page_labels([text], {1: run}) == ["7"]


def test_pleading_paper_of_28_lines_without_q_and_a_is_line_numbered() -> None:
    page = "".join(f"{n:>2}  The party pleads fact {n}.\n" for n in range(1, 29))
    maps = line_maps([page, page])
    assert maps is not None and len(maps[1]) == 28


def test_a_footer_page_number_is_not_line_26() -> None:
    pages = [
        "".join(f"{i} {line_words(p, i)}\n" for i in range(1, 26)) + f"{p + 25}\n" for p in (1, 2)
    ]
    maps = line_maps(pages)
    assert maps is not None and [len(maps[1]), len(maps[2])] == [25, 25]


def test_numbered_paragraphs_are_not_a_transcript() -> None:
    brief = "".join(
        f"{n}. The plaintiff states that on the day\nthe officers entered without a warrant.\n\n"
        for n in range(1, 40)
    )
    assert line_maps([brief]) is None
    numbered_brief = "".join(
        f"{n} The plaintiff states\nthat the officers entered.\n" for n in range(1, 40)
    )
    assert line_maps([numbered_brief]) is None
    assert transcript_spans(brief, [(0, len(brief))]) is None


def test_a_short_numbered_list_is_not_a_transcript() -> None:
    assert line_maps(["".join(f"{n} item {n}\n" for n in range(1, 11))]) is None


def test_prose_with_one_transcript_page_in_many_is_not_one() -> None:
    prose = ["Chapter text with no numbers at all.\nMore words.\n"] * 5
    assert line_maps([transcript_page(1), *prose]) is None


def test_restarting_numbers_without_form_feeds_are_cut_into_pages() -> None:
    text = "HEARING\n" + "".join(f"{i % 25 or 25} {line_words(0, i)}\n" for i in range(1, 61))
    spans = transcript_spans(text, [(0, len(text))])
    assert spans is not None and len(spans) == 3
    assert "".join(text[start:end] for start, end in spans) == text
    assert [len(page_run(text[start:end])) for start, end in spans] == [25, 25, 10]


def test_lines_numbered_on_are_cut_every_25_and_renumbered() -> None:
    text = "".join(f"{i} words of line {i}\n" for i in range(1, 61))
    spans = transcript_spans(text, [(0, len(text))])
    assert spans is not None
    second = text[spans[1][0] : spans[1][1]]
    run = page_run(second)
    assert len(run) == 25 and run[3][0] == 4
    assert second[run[3][1] : run[3][2]] == "words of line 29"


def test_numbers_that_skip_are_not_cut() -> None:
    numbers = [*range(1, 26), *range(1, 10), 12, *range(13, 20)]
    text = "".join(f"{n} words\n" for n in numbers)
    assert transcript_spans(text, [(0, len(text))]) is None


def test_set_by_hand_maps_any_numbered_lines() -> None:
    assert any_line_maps(["1 one\n2 two\n", "no numbers"]) == {1: ((1, 2, 5), (2, 8, 11))}


def test_a_page_whose_numbers_skip_maps_the_lines_before_the_gap() -> None:
    numbers = [*range(1, 13), *range(14, 26)]
    page = "".join(f"{n} {line_words(1, n)}\n" for n in numbers)
    run = page_run(page)
    assert [line for line, _, _ in run] == list(range(1, 13))


def test_a_table_with_a_row_number_column_is_not_a_transcript() -> None:
    table = "".join(f"{row}\tAktau\t{row * 3}\n" for row in range(1, 151))
    assert line_maps([table]) is None
    assert transcript_spans(table, [(0, len(table))]) is None
    short = "".join(f"{row}\tAktau\n" for row in range(1, 41))  # 1–40: a list, not pages
    assert line_maps([short]) is None


def test_words_between_numbered_lines_stop_a_cut() -> None:
    lines = [f"{i % 25 or 25} {line_words(0, i)}" for i in range(1, 61)]
    lines.insert(30, "an unnumbered remark in the middle of a page")
    text = "\n".join(lines) + "\n"
    assert transcript_spans(text, [(0, len(text))]) is None


def test_a_stray_numbered_line_on_a_page_of_prose_is_no_run() -> None:
    prose = "The events.\n1 December 2011 was cold.\nMore prose follows here.\n"
    assert line_maps([transcript_page(1), prose, prose, prose]) is None
    maps = line_maps([transcript_page(1), transcript_page(2), prose, transcript_page(3, 2)])
    assert maps is not None and sorted(maps) == [1, 2, 4]
