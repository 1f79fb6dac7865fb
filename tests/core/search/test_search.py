"""Search over a few pages: operators, hits, snippets, upkeep.

What a query finds, and the index's upkeep, are tested on both engines behind
the seam: the real Whoosh index and the in-memory one (memory_engine.py).
What only an index on disk has (reopening, damage, analyzer versions, the
wildcard cap) is tested on Whoosh alone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.fields import TEXT, Schema

from docket.core.errors import DocketError, QuerySyntaxError
from docket.core.model.records import DocumentKind, IndexedPage, SearchResults
from docket.core.search.engine import SearchEngine
from docket.core.search.parser import parse
from docket.core.search.snippets import make_snippet
from docket.core.search.whoosh import matching as dquery
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.tokenizer import DocketTokenizer
from tests.core.search.memory_engine import MemoryEngine

Key = tuple[int, int]

# Fictional case file, as QtPdf gives it: \r\n line ends, U+FFFE for a line-end hyphen.
TEXTS: dict[Key, str] = {
    (1, 1): "COMPLAINT\r\n"
    "On 16 December 2011 the police fired on striking oil workers in Zhanaözen.\r\n"
    "The interven\ufffe\r\ntion of the security forces was unlawful. Mr O’Brien's\r\n"
    "statement confirms that 1,500 people gathered on the square.",
    (1, 2): "The applicants ask the Prosecutor to open a criminal investigation into\r\n"
    "the shooting and into allegations of torture in the police station.\r\n"
    "President Nazarbayev declared a state of emergency on 17.12.2011.",
    (2, 1): "DEPOSITION\r\nQ. Did the police fire first?\r\n"
    "A. Yes. The officers were firing at the crowd near the ZHANAOZEN town hall.",
    (2, 2): "Q. Were you tortured?\r\n"
    "A. I was beaten in custody. The police station in Zhanaozen had no lawyer present.",
    (3, 1): "Hearing list. The trial of thirty-seven workers opens in Aktau.\r\n"
    "No further hearings are scheduled <for now> & no date is set.",
}
DOCS = {
    1: ("Complaint to the Prosecutor", "Bureau for Human Rights", DocumentKind.PDF,
        "complaint.pdf", datetime(2012, 1, 20)),
    2: ("Deposition of A. Batkanbayev", "Court reporter", DocumentKind.PDF,
        "deposition.pdf", datetime(2012, 3, 5)),
    3: ("Court Schedule", "", DocumentKind.TEXT, "schedule.txt", datetime(2013, 6, 1)),
}  # fmt: skip


def make_page(doc: int, page: int, text: str | None = None) -> IndexedPage:
    title, author, kind, name, date = DOCS[doc]
    return IndexedPage(doc=doc, page=page, label=str(page), text=TEXTS[doc, page] if text is None
                       else text, title=title, author=author, kind=kind, source_name=name,
                       date=date)  # fmt: skip


def page_texts(keys: Sequence[Key]) -> dict[Key, str]:
    return {key: TEXTS[key] for key in keys}


def open_engine(kind: str, folder: Path) -> SearchEngine:
    return SearchIndex.open(folder / "index") if kind == "whoosh" else MemoryEngine()


@pytest.fixture(params=["whoosh", "memory"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    opened = open_engine(request.param, tmp_path)
    opened.add_pages(make_page(doc, page) for doc, page in TEXTS)
    yield opened
    opened.close()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    ix = SearchIndex.open(tmp_path / "index")
    ix.add_pages(make_page(doc, page) for doc, page in TEXTS)
    yield ix
    ix.close()


def search(index: SearchEngine, query: str) -> SearchResults:
    return index.search(parse(query), page_texts, limit=50)


def found(index: SearchEngine, query: str) -> set[Key]:
    results = search(index, query)
    assert results.total == len(results.results)
    return {(hit.doc, hit.page) for hit in results.results}


def hit_words(index: SearchEngine, query: str) -> dict[Key, list[str]]:
    return {
        (hit.doc, hit.page): [TEXTS[hit.doc, hit.page][s:e] for s, e in hit.hits]
        for hit in search(index, query).results
    }


ALL = set(TEXTS)


@pytest.mark.parametrize(
    ("query", "pages"),
    [
        ("police", {(1, 1), (1, 2), (2, 1), (2, 2)}),
        ("police fired", {(1, 1), (2, 1)}),  # implicit AND; "fire"/"firing" stem alike
        ("police AND fired", {(1, 1), (2, 1)}),
        ("torture OR hearing", {(1, 2), (2, 2), (3, 1)}),
        ("police NOT torture", {(1, 1), (2, 1)}),
        ("(torture OR fired) AND station", {(1, 2), (2, 2)}),
        ("NOT police", {(3, 1)}),
        ('"oil workers"', {(1, 1)}),
        ('"police station"', {(1, 2), (2, 2)}),
        ('"station police"', set()),  # order matters
        ('"police workers"~5', {(1, 1)}),  # police fired on striking oil workers
        ('"police workers"~4', set()),
        ('"the police"', {(1, 1), (1, 2), (2, 1), (2, 2)}),  # no stop words
        ("tortur*", {(1, 2), (2, 2)}),
        ("t?rture", {(1, 2), (2, 2)}),  # torture, tortured
        ("police*", {(1, 1), (1, 2), (2, 1), (2, 2)}),  # the stem "polic" counts
        ("Zhanaöz*", {(1, 1), (2, 1), (2, 2)}),
        ("ZHANAÖZ*", {(1, 1), (2, 1), (2, 2)}),
        ("Nazarbaev~", {(1, 2)}),
        ("Nazarbaev~2", {(1, 2)}),
        ("ZHANAOZEN", {(1, 1), (2, 1), (2, 2)}),
        ("zhanaözen", {(1, 1), (2, 1), (2, 2)}),
        ("firing", {(1, 1), (2, 1)}),
        ("intervention", {(1, 1)}),
        ("O'Brien", {(1, 1)}),
        ("1500", {(1, 1)}),
        ("17.12.2011", {(1, 2)}),
        ("2011", {(1, 1), (1, 2)}),
        ("title:deposition", {(2, 1), (2, 2)}),
        ("title:court", {(3, 1)}),
        ("author:bureau", {(1, 1), (1, 2)}),
        ("name:complaint.pdf", {(1, 1), (1, 2)}),
        ("type:text", {(3, 1)}),
        ("type:PDF", {(1, 1), (1, 2), (2, 1), (2, 2)}),
        ("date:2013", {(3, 1)}),
        ("date:2012-03-05", {(2, 1), (2, 2)}),
        ("date:[2012 TO 2012]", {(1, 1), (1, 2), (2, 1), (2, 2)}),
        ("police date:[TO 2012-02]", {(1, 1), (1, 2)}),
        ("title:deposition tortur*", {(2, 2)}),
        ("tag:torture", set()),  # no marks yet: tag:/note: parse and find nothing
        ("note:witness", set()),
    ],
)
def test_operators_find_exactly_the_right_pages(
    engine: SearchEngine, query: str, pages: set[Key]
) -> None:
    assert found(engine, query) == pages


def test_hits_slice_the_stored_text_to_the_words(engine: SearchEngine) -> None:
    assert hit_words(engine, "intervention") == {(1, 1): ["interven\ufffe\r\ntion"]}
    assert hit_words(engine, "O’Brien") == {(1, 1): ["O’Brien's"]}
    assert hit_words(engine, "1,500") == {(1, 1): ["1,500"]}
    assert hit_words(engine, "fired")[2, 1] == ["fire", "firing"]
    assert hit_words(engine, "zhanaozen") == {
        (1, 1): ["Zhanaözen"], (2, 1): ["ZHANAOZEN"], (2, 2): ["Zhanaozen"],
    }  # fmt: skip
    assert hit_words(engine, "t?rture") == {(1, 2): ["torture"], (2, 2): ["tortured"]}
    assert hit_words(engine, "Nazarbaev~") == {(1, 2): ["Nazarbayev"]}


def test_phrase_hits_mark_only_the_phrase(engine: SearchEngine) -> None:
    # (1, 2) has "the" four times; only the one before "police" is part of the phrase
    assert hit_words(engine, '"the police"')[1, 2] == ["the", "police"]
    assert hit_words(engine, '"police workers"~5') == {(1, 1): ["police", "workers"]}


def test_terms_under_not_are_not_marked(engine: SearchEngine) -> None:
    hits = hit_words(engine, "station OR (police NOT torture)")
    assert hits[1, 2] == ["police", "station"]  # torture is on the page but not a hit
    assert hits[1, 1] == ["police"]


def test_field_only_match_has_no_hits_and_opens_the_page(engine: SearchEngine) -> None:
    (hit,) = search(engine, "title:schedule").results
    assert hit.hits == ()
    assert hit.title == "Court Schedule"
    assert hit.snippet.startswith("Hearing list. The trial of thirty-seven workers")
    assert "&lt;for now&gt; &amp; no date" in hit.snippet  # HTML-escaped


def test_snippet_marks_hits_and_shows_plain_text(engine: SearchEngine) -> None:
    (hit,) = search(engine, "intervention").results
    assert "<b>intervention</b>" in hit.snippet
    assert "\ufffe" not in hit.snippet
    assert "\r" not in hit.snippet
    assert "\n" not in hit.snippet
    assert (hit.doc, hit.page, hit.label) == (1, 1, "1")


def test_snippet_is_cut_around_the_densest_hits() -> None:
    text = "alpha " * 100 + "police fired on the police line " + "omega " * 100
    start = text.index("police")
    hits = [(start, start + 6), (start + 20, start + 26)]
    snippet = make_snippet(text, hits)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<b>police</b> fired on the <b>police</b> line" in snippet
    assert len(snippet) < 260
    assert "alph…" not in snippet  # cut at a space, not inside a word


def test_results_are_sorted_by_score_and_total_counts_all(engine: SearchEngine) -> None:
    results = engine.search(parse("police OR station"), page_texts, limit=2)
    assert results.total == 4
    assert len(results.results) == 2
    scores = [hit.score for hit in search(engine, "police OR station").results]
    assert scores == sorted(scores, reverse=True)


def test_syntax_errors_are_query_syntax_errors(engine: SearchEngine) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        search(engine, "police AND")
    assert caught.value.position == 7
    assert search(engine, "police AND fired").total == 2  # fine: no error


def test_too_wide_wildcard_keeps_its_most_frequent_words(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dquery, "MAX_EXPANSION", 2)
    results = search(index, "police st*")  # station, statement, striking, state...
    assert results.results  # searched, not refused
    assert len(results.notes) == 1
    assert results.notes[0].startswith("st* matched ")
    assert "showing the 2 most frequent" in results.notes[0]


def test_delete_documents(engine: SearchEngine) -> None:
    engine.delete_documents([2])
    assert found(engine, "title:deposition") == set()
    assert found(engine, "police") == {(1, 1), (1, 2)}
    assert engine.page_count() == 3
    assert engine.indexed_doc_ids() == {1, 3}


def test_re_adding_a_page_replaces_it(engine: SearchEngine) -> None:
    engine.add_pages([make_page(3, 1, "Hearing postponed.")])
    assert engine.page_count() == 5
    assert found(engine, "postponed") == {(3, 1)}
    assert found(engine, "thirty") == set()


def test_reopening_finds_the_same(index: SearchIndex, tmp_path: Path) -> None:
    before = search(index, "police fired")
    index.close()
    reopened = SearchIndex.open(tmp_path / "index", create=False)
    try:
        assert not reopened.was_reset
        assert search(reopened, "police fired") == before
        assert reopened.page_count() == 5
    finally:
        reopened.close()


def test_clear_empties_the_index(engine: SearchEngine) -> None:
    engine.clear()
    assert engine.page_count() == 0
    assert engine.indexed_doc_ids() == set()
    assert search(engine, "police").total == 0
    engine.add_pages([make_page(1, 1)])
    assert found(engine, "police") == {(1, 1)}


def test_writer_cancels_on_exception(engine: SearchEngine) -> None:
    with pytest.raises(RuntimeError), engine.writer() as writer:
        writer.add_page(make_page(3, 1, "Cancelled evidence."))
        raise RuntimeError("import failed")
    assert found(engine, "cancelled") == set()
    assert engine.page_count() == 5


@pytest.mark.parametrize("kind", ["whoosh", "memory"])
def test_writer_flushes_whole_documents(kind: str, tmp_path: Path) -> None:
    ix = open_engine(kind, tmp_path)
    try:
        with pytest.raises(RuntimeError), ix.writer(flush_pages=2) as writer:
            for doc, page in sorted(TEXTS):
                writer.add_page(make_page(doc, page))
                if doc == 3:
                    raise RuntimeError("failed in document 3")
        assert ix.indexed_doc_ids() == {1, 2}  # flushed whole; doc 3 cancelled
        assert ix.page_count() == 4
    finally:
        ix.close()


def test_new_index_and_missing_index(tmp_path: Path) -> None:
    with pytest.raises(DocketError):
        SearchIndex.open(tmp_path / "nowhere", create=False)
    with SearchIndex.open(tmp_path / "new" / "index") as ix:
        assert ix.was_reset
        assert ix.page_count() == 0


def test_index_from_another_analyzer_version_is_recreated(tmp_path: Path) -> None:
    old = Schema(text=TEXT(analyzer=DocketTokenizer(version=0)))
    (tmp_path / "index").mkdir()
    w = windex.create_in(str(tmp_path / "index"), old).writer()
    w.add_document(text="police")
    w.commit()
    with pytest.raises(DocketError, match="rebuild"):
        SearchIndex.open(tmp_path / "index", create=False)
    with SearchIndex.open(tmp_path / "index") as ix:
        assert ix.was_reset
        assert ix.page_count() == 0


def test_damaged_index_is_recreated(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "index") as ix:
        ix.add_pages([make_page(1, 1)])
    for toc in (tmp_path / "index").glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    with SearchIndex.open(tmp_path / "index") as ix:
        assert ix.was_reset
        assert found(ix, "police") == set()


def test_search_while_another_thread_writes(engine: SearchEngine) -> None:
    errors: list[BaseException] = []

    def searching() -> None:
        try:
            for _ in range(30):
                assert search(engine, "police").total >= 4
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=searching)
    thread.start()
    for i in range(5):
        engine.add_pages([make_page(3, 1, f"Hearing {i}: the police were absent.")])
    thread.join()
    assert errors == []
    assert found(engine, "absent") == {(3, 1)}


def test_terms_made_in_a_worker_index_as_whoosh_indexes_the_text() -> None:
    from docket.core.search.analysis import page_term_positions
    from docket.core.search.whoosh.index import make_schema

    text = "The police fired.\r\nInterven\ufffe\r\ntion in Zhanaözen, 16.12.2011 — O’Brien’s 1,500"
    field = make_schema()["text"]
    own = sorted(TEXT.index(field, text))  # Whoosh's generic path, token by token
    assert sorted(field.index(page_term_positions(text))) == own
    assert any(term == b"intervent" for term, *_ in own)


# Chinese, Japanese and Korean as PDFs give them: no spaces between words.
CJK_TEXTS: dict[Key, str] = {
    (7, 1): "关于本案的问题，法院认为原告提交的文档不完整。\r\n他们讨论了这个问题很久。",
    (7, 2): "律师提出了三个新问题并要求补充文档。",
    (7, 3): "证人没有回答问题\r\n法官记录了问题的经过和问题文档的内容。",
    (7, 4): "本页没有相关内容，只有日期和签名。",
    (8, 1): "自動採点システムの導入について。採点は自動で行われる。",
    (8, 2): "한국어 문서를 검토했습니다. 문서에는 서명이 없습니다.",
    (8, 3): "Docket文档 and the documents; one document was a pakage list.",
}


@pytest.fixture(params=["whoosh", "memory"])
def cjk_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    opened = open_engine(request.param, tmp_path)
    opened.add_pages(
        IndexedPage(doc=doc, page=page, label=str(page), text=text, title="案件", author="",
                    kind=DocumentKind.TEXT, source_name="case.txt", date=None)
        for (doc, page), text in CJK_TEXTS.items()
    )  # fmt: skip
    yield opened
    opened.close()


def cjk_hits(engine: SearchEngine, query: str) -> dict[Key, list[str]]:
    results = engine.search(parse(query), lambda keys: {k: CJK_TEXTS[k] for k in keys}, 50)
    assert results.total == len(results.results)
    return {
        (hit.doc, hit.page): [CJK_TEXTS[hit.doc, hit.page][s:e] for s, e in hit.hits]
        for hit in results.results
    }


def test_a_chinese_word_is_found_inside_unsegmented_text(cjk_engine: SearchEngine) -> None:
    pages_with_it = {key for key, text in CJK_TEXTS.items() if "问题" in text}
    assert pages_with_it == {(7, 1), (7, 2), (7, 3)}
    hits = cjk_hits(cjk_engine, "问题")
    assert set(hits) == pages_with_it  # every page that has it, and no other
    assert hits[7, 1] == ["问题", "问题"]  # offsets on exactly the two characters
    assert hits[7, 3] == ["问题", "问题", "问题"]
    assert set(cjk_hits(cjk_engine, "文档")) == {(7, 1), (7, 2), (7, 3), (8, 3)}


def test_a_longer_cjk_word_is_the_phrase_of_its_bigrams(cjk_engine: SearchEngine) -> None:
    assert cjk_hits(cjk_engine, "新问题") == {(7, 2): ["新问题"]}
    assert cjk_hits(cjk_engine, "问题文档") == {(7, 3): ["问题文档"]}
    assert cjk_hits(cjk_engine, "文档问题") == {}  # the order matters
    assert cjk_hits(cjk_engine, "自動採点") == {(8, 1): ["自動採点"]}
    assert cjk_hits(cjk_engine, "採点") == {(8, 1): ["採点", "採点"]}
    assert cjk_hits(cjk_engine, "システム") == {(8, 1): ["システム"]}
    assert cjk_hits(cjk_engine, "문서") == {(8, 2): ["문서", "문서"]}  # inside 문서를, 문서에는


def test_a_cjk_phrase_with_spaces_finds_the_words_written_together(
    cjk_engine: SearchEngine,
) -> None:
    # "问题 文档": adjacent as Chinese writes them (问题文档), or as typed with a space
    assert cjk_hits(cjk_engine, '"问题 文档"') == {(7, 3): ["问题文档"]}
    assert set(cjk_hits(cjk_engine, '"问 题"')) == {(7, 1), (7, 2), (7, 3)}
    # both words on the page, anywhere: an implied AND
    assert set(cjk_hits(cjk_engine, "问题 文档")) == {(7, 1), (7, 2), (7, 3)}


def test_scripts_split_where_they_change(cjk_engine: SearchEngine) -> None:
    assert cjk_hits(cjk_engine, "Docket文档") == {(8, 3): ["Docket", "文档"]}
    assert cjk_hits(cjk_engine, "docket") == {(8, 3): ["Docket"]}


def test_fuzzy_words_match_before_stemming(cjk_engine: SearchEngine) -> None:
    # "documant" stems to "docum", three edits from "document": the typed word counts too
    assert cjk_hits(cjk_engine, "documant~1") == {(8, 3): ["documents", "document"]}
    assert cjk_hits(cjk_engine, "package~1") == {(8, 3): ["pakage"]}  # by the stems
    assert cjk_hits(cjk_engine, "pakage~1") == {(8, 3): ["pakage"]}


def test_fuzzy_words_still_match_by_their_stems(engine: SearchEngine) -> None:
    assert hit_words(engine, "statment~1") == {(1, 1): ["statement"]}
    assert hit_words(engine, "tortured~1") == {(1, 2): ["torture"], (2, 2): ["tortured"]}
