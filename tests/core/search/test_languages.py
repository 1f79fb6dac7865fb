"""Each document has a language; its words are stemmed by it, and a query is analysed
for every language the case holds (issue 13, "Languages")."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import CaseError
from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.analysis import (
    index_term,
    page_term_positions,
    page_terms,
    query_terms,
    stemmed_pattern,
)
from docket.core.search.engine import IndexRecord, SearchEngine
from docket.core.search.parser import parse
from docket.core.search.whoosh.index import SearchIndex
from docket.core.text.languages import (
    detect_language,
    document_language,
    language_name,
    normalize_language,
)
from tests.core.search.memory_engine import MemoryEngine

RUSSIAN = (
    "Рабочие нефтяной компании вышли на площадь в Жанаозене и потребовали повышения "
    "заработной платы. Полиция открыла огонь по толпе. Свидетели рассказали о судьбе "
    "рабочих, которых задержали после событий на площади."
)
RUSSIAN_ONLY_GENITIVE = (
    "Адвокаты рабочих подали жалобу в прокуратуру. Суд отказал в рассмотрении жалобы, "
    "и защита рабочих обратилась в вышестоящую инстанцию с новым заявлением."
)
ENGLISH = (
    "The police were running towards the square where the striking oil workers had "
    "gathered. Witnesses said the officers fired into the crowd without any warning."
)
GERMAN = (
    "Die Häuser der Arbeiter wurden in der Nacht von der Polizei durchsucht. Die Familien "
    "mussten draußen warten, während die Beamten die Wohnungen durchsuchten."
)
KAZAKH = (
    "Жаңаөзен қаласындағы мұнайшылар ереуілге шықты және жалақыны көтеруді талап етті. "
    "Полиция алаңдағы адамдарға оқ атты, куәгерлер оқиға туралы айтып берді."
)


# -- the analyzer ----------------------------------------------------------------


def test_a_russian_word_is_stemmed_as_russian() -> None:
    assert index_term("рабочих", "ru") == index_term("Рабочие", "ru") == "рабоч"
    assert query_terms("рабочие", ("", "ru")) == ["рабочие", "рабоч"]


def test_german_plural_with_umlaut_meets_its_singular() -> None:
    # Folded first (ä -> a), then stemmed by German's Snowball: both are "haus".
    assert index_term("Häuser", "de") == index_term("Haus", "de") == "haus"


def test_english_and_unknown_stay_porter() -> None:
    """An English case indexes exactly the terms it did before languages."""
    for word in ("running", "generated", "police", "court's", "Zhanaözen"):
        assert index_term(word, "en") == index_term(word) == index_term(word, "")
    text = "The police were running; generated 1,500 statements."
    assert page_term_positions(text, "en") == page_term_positions(text)


def test_a_language_without_a_snowball_stemmer_is_only_folded() -> None:
    """Kazakh is not cut by the Russian stemmer: its endings are not Russian ones."""
    assert index_term("Мұнайшылар", "kk") == "мұнайшылар"
    assert index_term("рабочих", "kk") == "рабочих"
    assert index_term("Рабочие", "uk") == "рабочие"


def test_wildcard_heads_are_stemmed_by_the_language() -> None:
    assert stemmed_pattern("рабочие*", "ru") == "рабоч"
    assert stemmed_pattern("рабочие*", "") is None  # Porter leaves Cyrillic whole


def test_page_terms_follow_the_language() -> None:
    terms = [term for term, _, _ in page_terms("Рабочие вышли", "ru")]
    assert terms == ["рабоч", "вышл"]


# -- detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [(RUSSIAN, "ru"), (ENGLISH, "en"), (GERMAN, "de"), (KAZAKH, "kk")],
)
def test_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_too_little_text_is_unknown() -> None:
    assert detect_language("Exhibit 4") == ""
    assert detect_language("12.03.2011 — 45 000 ₸") == ""
    assert document_language(["", "  \r\n"]) == ""


def test_a_document_is_judged_on_a_sample_of_all_its_pages() -> None:
    pages = ["Exhibit 12", *([RUSSIAN] * 50), "Page 52"]
    assert document_language(pages) == "ru"


def test_language_names() -> None:
    assert normalize_language("RU") == "ru"
    assert normalize_language("Russian") == "ru"
    assert normalize_language("german") == "de"
    assert normalize_language("unknown") == normalize_language("") == ""
    assert language_name("kk") == "Kazakh"
    assert language_name("") == "unknown"
    with pytest.raises(ValueError, match="not a language"):
        normalize_language("Klingonese")


# -- a case of several languages ------------------------------------------------------


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    files = tmp_path / "files"
    files.mkdir()
    for name, text in (
        ("ru.txt", RUSSIAN),
        ("ru2.txt", RUSSIAN_ONLY_GENITIVE),
        ("en.txt", ENGLISH),
        ("de.txt", GERMAN),
        ("kk.txt", KAZAKH),
    ):
        (files / name).write_text(text, encoding="utf-8")
    with Case.create(tmp_path / "case") as opened:
        report = opened.import_paths(sorted(files.iterdir()), workers=0)
        assert report.count(report.outcomes[0].status) == 5
        yield opened


def _doc(case: Case, name: str) -> int:
    return next(d.id for d in case.documents() if d.source_name == name)


def _found(case: Case, query: str) -> dict[str, list[str]]:
    """The documents a query finds, each with the words marked on its page."""
    results = case.search(query, limit=50)
    texts = {}
    for hit in results.results:
        text = case.page(hit.doc, hit.page).text
        texts[case.document(hit.doc).source_name] = [text[s:e] for s, e in hit.hits]
    return texts


def test_each_document_gets_its_language_at_import(case: Case) -> None:
    languages = {d.source_name: d.language for d in case.documents()}
    assert languages == {"ru.txt": "ru", "ru2.txt": "ru", "en.txt": "en", "de.txt": "de",
                         "kk.txt": "kk"}  # fmt: skip
    assert not any(d.language_set for d in case.documents())


def test_a_russian_word_is_found_by_another_of_its_forms(case: Case) -> None:
    found = _found(case, "рабочие")
    assert found["ru2.txt"] == ["рабочих", "рабочих"]  # only the genitive is there
    assert found["ru.txt"] == ["Рабочие", "рабочих"]
    found = _found(case, "рабочих")
    assert found["ru.txt"] == ["Рабочие", "рабочих"]
    assert "kk.txt" not in found


def test_a_german_plural_is_found_by_its_singular(case: Case) -> None:
    assert _found(case, "Haus") == {"de.txt": ["Häuser"]}


def test_english_words_still_find_english_pages(case: Case) -> None:
    assert _found(case, "run") == {"en.txt": ["running"]}
    assert _found(case, "witness") == {"en.txt": ["Witnesses"]}
    assert _found(case, '"the police"') == {"en.txt": ["The", "police"]}


def test_a_phrase_is_found_in_each_language(case: Case) -> None:
    assert _found(case, '"защиты рабочие"') == {"ru2.txt": ["защита", "рабочих"]}
    assert _found(case, '"officer fire"') == {"en.txt": ["officers", "fired"]}


def test_a_wildcard_uses_each_languages_stem(case: Case) -> None:
    found = _found(case, "рабочие*")
    assert set(found) == {"ru.txt", "ru2.txt"}


def test_kazakh_words_are_found_as_written(case: Case) -> None:
    assert _found(case, "мұнайшылар") == {"kk.txt": ["мұнайшылар"]}
    assert _found(case, "мұнайшы") == {}  # not stemmed: no Kazakh stemmer


def test_changing_a_language_reindexes_the_document(case: Case) -> None:
    doc = _doc(case, "ru2.txt")
    changed = case.set_language(doc, "kk")  # wrongly: now its words are not stemmed
    assert (changed.language, changed.language_set) == ("kk", True)
    assert "ru2.txt" not in _found(case, "рабочие")
    assert "ru2.txt" in _found(case, "рабочих")  # as written
    back = case.set_language(doc, "Russian")
    assert (back.language, back.language_set) == ("ru", True)
    assert _found(case, "рабочие")["ru2.txt"] == ["рабочих", "рабочих"]
    assert case.index_is_current()


def test_a_bad_language_leaves_the_case_as_it_was(case: Case) -> None:
    doc = _doc(case, "ru.txt")
    with pytest.raises(CaseError, match="not a language"):
        case.set_language(doc, "Klingonese")
    with pytest.raises(CaseError, match="no document 999"):
        case.set_language(999, "ru")
    assert (case.document(doc).language, case.document(doc).language_set) == ("ru", False)


def test_a_marks_words_are_stemmed_by_its_documents_language(case: Case) -> None:
    doc = _doc(case, "kk.txt")  # its page has no Russian word: only the note can match
    note = case.marking.add_note(doc, "Спросить рабочих о событиях", page=1)
    found = [(h.source, h.mark, h.snippet) for h in case.search("рабочие").results]
    assert ("mark", note.id, "Спросить <b>рабочих</b> о событиях") not in found  # Kazakh
    case.set_language(doc, "ru")  # its marks are indexed again with it
    found = [(h.source, h.mark, h.snippet) for h in case.search("рабочие").results]
    assert ("mark", note.id, "Спросить <b>рабочих</b> о событиях") in found


def test_the_language_survives_a_rebuild(case: Case) -> None:
    doc = _doc(case, "de.txt")
    case.set_language(doc, "en")
    case.reindex()
    assert case.document(doc).language == "en"
    assert "de.txt" not in _found(case, "Haus")


def test_an_older_case_gets_languages_when_its_index_is_rebuilt(case: Case) -> None:
    with case.database.write() as connection:  # as a version-2 case upgrades
        connection.execute("UPDATE documents SET language = '', language_set = 0")
    case.reindex()
    assert {d.language for d in case.documents()} == {"ru", "en", "de", "kk"}
    assert _found(case, "рабочие")["ru2.txt"] == ["рабочих", "рабочих"]


# -- both engines agree ------------------------------------------------------------------

PAGES = [
    IndexedPage(1, 1, "1", RUSSIAN, "Показания", "", DocumentKind.TEXT, "ru.txt",
                datetime(2012, 1, 1), "ru"),
    IndexedPage(2, 1, "1", RUSSIAN_ONLY_GENITIVE, "Жалоба", "", DocumentKind.TEXT,
                "ru2.txt", datetime(2012, 1, 2), "ru"),
    IndexedPage(3, 1, "1", ENGLISH, "Statement", "", DocumentKind.TEXT, "en.txt",
                datetime(2012, 1, 3), "en"),
    IndexedPage(4, 1, "1", GERMAN, "Bericht", "", DocumentKind.TEXT, "de.txt",
                datetime(2012, 1, 4), "de"),
    IndexedPage(5, 1, "1", KAZAKH, "Хабар", "", DocumentKind.TEXT, "kk.txt",
                datetime(2012, 1, 5), "kk"),
    IndexedPage(6, 1, "1", "The workers were running. Рабочие бежали.", "Memo", "",
                DocumentKind.TEXT, "memo.txt", datetime(2012, 1, 6), ""),
]  # fmt: skip
TEXTS = {(p.doc, p.page): p.text for p in PAGES}
QUERIES = [
    "рабочие",
    "рабочих",
    "Haus",
    "häuser",
    "run",
    "running",
    "workers",
    '"the police"',
    '"защиты рабочие"',
    '"рабочие бежали"',
    "рабочие*",
    "раб*",
    "hau*",
    "рабочии~1",
    "мұнайшылар",
    "police OR Polizei",
    "рабочие NOT площадь",
    "title:жалобы",
]


def _page_texts(keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    return {key: TEXTS[key] for key in keys}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SearchEngine]]:
    whoosh = SearchIndex.open(tmp_path_factory.mktemp("whoosh") / "index")
    memory = MemoryEngine()
    note = "Спросить рабочих о событиях"
    mark = IndexRecord(
        kind="mark", key="mark:1", doc=4, page=1, label="1", title="Bericht", name="de.txt",
        type="text", text=note, note=note, mark=1, summary=note, language="ru",
    )  # fmt: skip
    for engine in (whoosh, memory):
        engine.add_pages(PAGES[:3])
        with engine.writer(new_pages=True) as writer:  # as import workers hand them over
            for page in PAGES[3:]:
                writer.add_page(page, page_term_positions(page.text, page.language))
            writer.put(mark)
    yield {"whoosh": whoosh, "memory": memory}
    whoosh.close()
    memory.close()


def _everything(engine: SearchEngine, query: str) -> tuple[int, set[object]]:
    results = engine.search(parse(query), _page_texts, limit=50)
    return results.total, {(h.doc, h.page, h.source, h.hits) for h in results.results}


@pytest.mark.parametrize("query", QUERIES)
def test_both_engines_agree_across_languages(engines: dict[str, SearchEngine], query: str) -> None:
    assert _everything(engines["whoosh"], query) == _everything(engines["memory"], query)


def test_the_language_queries_find_something(engines: dict[str, SearchEngine]) -> None:
    assert {q for q in QUERIES if _everything(engines["memory"], q)[0] == 0} <= {"title:жалобы"}
    found = {(doc, source) for doc, _, source, _ in _everything(engines["whoosh"], "рабочие")[1]}
    assert found == {(1, "page"), (2, "page"), (6, "page"), (4, "mark")}


def test_a_reencoded_document_is_detected_again_unless_chosen(tmp_path: Path) -> None:
    path = tmp_path / "жалоба.txt"
    path.write_bytes(RUSSIAN_ONLY_GENITIVE.encode("cp1251"))
    with Case.create(tmp_path / "case") as case:
        case.import_paths([path], workers=0)
        (document,) = case.documents()
        case.reencode(document.id, "latin-1")  # read wrongly: Latin gibberish
        assert case.document(document.id).language != "ru"
        assert case.search("рабочие").total == 0
        case.reencode(document.id, "cp1251")
        assert case.document(document.id).language == "ru"
        assert case.search("рабочие").total == 1
        case.set_language(document.id, "kk")  # the user's choice outlives a re-read
        case.reencode(document.id, "cp1251")
        assert case.document(document.id).language == "kk"
