"""Two engines behind one seam: both are `SearchEngine`s, and both find the same.

The Whoosh index and the in-memory engine share nothing but Docket's query
tree and analyzer, so a query language or analyzer rule that only works
through Whoosh's private machinery shows up here as a disagreement.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

import pytest

from docket.core.model.records import DocumentKind, IndexedPage, SearchResults
from docket.core.search.analysis import page_term_positions
from docket.core.search.engine import IndexRecord, IndexWriter, SearchEngine
from docket.core.search.parser import parse
from docket.core.search.whoosh.index import SearchIndex
from tests.core.search.memory_engine import MemoryEngine

Key = tuple[int, int]

WORDS = (
    *("police", "policy", "fired", "firing", "fire", "torture", "tortured", "station"),
    *("statement", "state", "the", "a", "of", "workers", "oil", "crowd", "square"),
    *("Zhanaözen", "ZHANAOZEN", "Nazarbayev", "Nazarbaev", "O'Brien", "O’Brien's", "1,500"),
    *("16.12.2011", "self-defence", "interven\ufffe\r\ntion", "court", "witness", "shot"),
)
TITLES = ("Complaint to the Prosecutor", "Deposition of a witness", "Court schedule", "Memo")
AUTHORS = ("Bureau for Human Rights", "Court reporter", "")
# Lines added to some pages (without drawing from the generator): unsegmented CJK, and
# the word forms a fuzzy query must find before stemming.
EXTRA_LINES = (
    "他们讨论了这个问题，法院认为文档不完整。",
    "证人没有回答问题文档的问题",
    "自動採点システムの導入",
    "한국어 문서를 검토했습니다",
    "the documents and one document; Docket文档",
)


def generated_pages(count: int, seed: int = 7) -> list[IndexedPage]:
    rng = random.Random(seed)
    pages = []
    for doc in range(1, count + 1):
        title, author = rng.choice(TITLES), rng.choice(AUTHORS)
        kind = rng.choice((DocumentKind.PDF, DocumentKind.TEXT))
        date = datetime(rng.choice((2011, 2012, 2013)), rng.randint(1, 12), rng.randint(1, 28))
        for number in range(1, rng.randint(1, 3) + 1):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 40))]
            text = " ".join(words).replace(" the ", " the\r\n")
            if (doc + number) % 3 == 0:
                text += "\r\n" + EXTRA_LINES[(doc + number) % len(EXTRA_LINES)]
            pages.append(
                IndexedPage(doc, number, str(number), text, title, author, kind,
                            f"exhibit-{doc}.pdf", date)
            )  # fmt: skip
    return pages


PAGES = generated_pages(40)
TEXTS = {(p.doc, p.page): p.text for p in PAGES}


def mark(number: int, doc: int, quote: str, note: str, tags: tuple[str, ...]) -> IndexRecord:
    page = next(p for p in PAGES if p.doc == doc)
    words = "\n".join(part for part in (quote, note) if part)
    return IndexRecord(
        kind="mark", key=f"mark:{number}", doc=doc, page=page.page, label=page.label,
        title=page.title, name=page.source_name, type=str(page.kind), text=words, note=note,
        author="Jane Karimova", tags=tags, mark=number, summary=words,
        summary_spans=((0, len(quote)),),
    )  # fmt: skip


def tagged_document(doc: int, tags: tuple[str, ...]) -> IndexRecord:
    page = next(p for p in PAGES if p.doc == doc)
    return IndexRecord(
        kind="document", key=f"document:{doc}", doc=doc, page=1, label="1", title=page.title,
        name=page.source_name, type=str(page.kind), tags=tags,
        summary="Document tagged " + ", ".join(tags),
    )  # fmt: skip


RECORDS = [
    mark(1, 1, "the police fired on the crowd", "witness saw it", ("Issue/Torture",)),
    mark(2, 2, "Zhanaözen square", "", ("Witness/Jane Doe", "Issue")),
    mark(3, 5, "", "a note alone: self-defence claimed", ()),
    mark(4, 17, "in a deleted document", "witness", ("Issue",)),  # deleted with doc 17
    tagged_document(6, ("Matters/Oil", "Witness/Jane Doe")),
    tagged_document(8, ("Issue/Torture",)),
]


def page_texts(keys: Sequence[Key]) -> dict[Key, str]:
    return {key: TEXTS[key] for key in keys}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SearchEngine]]:
    whoosh = SearchIndex.open(tmp_path_factory.mktemp("whoosh") / "index")
    memory = MemoryEngine()
    for engine in (whoosh, memory):
        engine.add_pages(PAGES[: len(PAGES) // 2])  # two batches, as imports leave them
        engine.add_pages(PAGES[len(PAGES) // 2 :])
        with engine.writer(flush_pages=None) as writer:
            for record in RECORDS:
                writer.put(record)
        with engine.writer(flush_pages=None) as writer:
            writer.delete_key("mark:1")
            writer.put(RECORDS[1])  # put again: replaced, there once
        engine.delete_documents([3, 17])
    yield {"whoosh": whoosh, "memory": memory}
    whoosh.close()
    memory.close()


def use(engine: SearchEngine) -> SearchResults:
    """Typed for the protocol: mypy checks that both engines may be passed here."""
    with engine.writer(flush_pages=None) as writer:
        assert isinstance(writer.added, int)
    return engine.search(parse("police"), page_texts, limit=3)


def test_both_engines_are_search_engines(engines: dict[str, SearchEngine]) -> None:
    whoosh: SearchEngine = engines["whoosh"]
    memory: SearchEngine = engines["memory"]
    assert use(whoosh).total == use(memory).total > 0
    for engine in (whoosh, memory):
        _has_the_protocols_members(engine, SearchEngine)


@pytest.mark.parametrize("kind", ["whoosh", "memory"])
def test_their_writers_are_index_writers(engines: dict[str, SearchEngine], kind: str) -> None:
    with engines[kind].writer(flush_pages=None) as writer:
        _has_the_protocols_members(writer, IndexWriter)


def _has_the_protocols_members(engine: object, protocol: type) -> None:
    """What mypy checks statically, checked at run time: every member, same parameters."""
    for name, member in vars(protocol).items():
        if name.startswith("_") and name not in ("__enter__", "__exit__"):
            continue
        assert hasattr(engine, name), f"{type(engine).__name__} has no {name}"
        if callable(member):
            wanted = list(inspect.signature(member).parameters)[1:]
            have = list(inspect.signature(getattr(engine, name)).parameters)
            assert have[: len(wanted)] == wanted[: len(have)], (type(engine).__name__, name)
    for name in getattr(protocol, "__annotations__", {}):
        assert hasattr(engine, name), f"{type(engine).__name__} has no {name}"


QUERIES = [
    "police",
    "fired",
    "police fired",
    "police AND NOT fired",
    "torture OR station",
    "(torture OR shot) AND crowd",
    "NOT police",
    "police NOT (fired OR crowd)",
    "a b OR c",
    '"the police"',
    '"police fired"~3',
    "police w/3 fired",
    "fired W/2 police",
    "police pre/3 fired",
    "fired PRE/5 police",
    "police w/4 fired AND NOT crowd",
    "tag:Issue AND zhanaozen",
    "tag:Witness/Jane Doe AND square",
    '"oil workers" OR "the crowd"',
    "self-defence",
    "16.12.2011",
    "1500",
    "O'Brien",
    "intervention",
    "zhanaozen",
    "polic*",
    "police*",
    "st*",
    "t?rture",
    "Zhanaöz*",
    "Nazarbaev~",
    "Nazarbaev~2/3",
    "statment~2",
    "title:deposition",
    'title:"court schedule"',
    "author:bureau",
    "name:exhibit-12.pdf",
    "name:exhib*",
    "type:pdf",
    "type:TEXT police",
    "date:2012",
    "date:2012-03",
    "date:[2011 TO 2012-06]",
    "date:[2013 TO]",
    "date:[TO 2011]",
    "tag:Issue",
    "tag:Issue/Torture",
    "tag:torture",  # a child's name alone is not a tag
    'tag:"Witness/Jane Doe"',
    "tag:Iss*",
    "tag:Matters~1",
    "note:witness",
    "note:self-defence",
    "author:karimova",
    "witness OR crowd",
    '"police fired"',
    "type:pdf NOT tag:Issue",
    "title:(memo OR schedule) NOT firing",
    "police OR NOT torture",
    "问题",
    "文档",
    "问题文档",
    '"问题 文档"',
    "自動採点",
    "문서",
    "Docket文档",
    "问题 police",
    "问题*",
    "documant~1",
    "documant~2/4",
]


def _everything(engine: SearchEngine, query: str) -> tuple[int, set[object]]:
    results = engine.search(parse(query), page_texts, limit=len(PAGES) + 10)
    assert results.query == query
    return results.total, {(h.doc, h.page, h.source, h.hits) for h in results.results}


@pytest.mark.parametrize("query", QUERIES)
def test_both_engines_find_the_same_pages_and_hits(
    engines: dict[str, SearchEngine], query: str
) -> None:
    whoosh = _everything(engines["whoosh"], query)
    memory = _everything(engines["memory"], query)
    assert whoosh == memory
    assert whoosh[0] == len(whoosh[1])  # everything was returned: the sets are complete


def test_terms_made_by_a_worker_find_what_the_text_finds(tmp_path: Path) -> None:
    """Pages handed over with `PageTerms` (as import workers make them) are found alike."""
    queries = ["police fired", '"the police"~2', "tortur*", "intervention", "16.12.2011"]
    found = {}
    for kind, engine in (("whoosh", SearchIndex.open(tmp_path / "ix")), ("memory", MemoryEngine())):
        with engine.writer(new_pages=True) as writer:
            for page in PAGES:
                writer.add_page(page, page_term_positions(page.text))
        found[kind] = [_everything(engine, query) for query in queries]
        engine.close()
    text_fed = MemoryEngine()
    text_fed.add_pages(PAGES)
    assert found["whoosh"] == found["memory"] == [_everything(text_fed, q) for q in queries]
    assert all(total > 0 for total, _ in found["memory"])


def test_the_queries_are_not_trivial(engines: dict[str, SearchEngine]) -> None:
    """Most queries find something, and not everything: the comparison means something."""
    counts = [_everything(engines["memory"], q)[0] for q in QUERIES]
    pages = engines["memory"].page_count()
    assert sum(0 < count < pages for count in counts) >= len(QUERIES) * 3 // 4
    assert (
        engines["whoosh"].page_count()
        == pages
        == len(PAGES) - sum(1 for p in PAGES if p.doc in (3, 17))
    )


def test_order_is_deterministic(engines: dict[str, SearchEngine]) -> None:
    for engine in engines.values():
        first = engine.search(parse("police OR fired"), page_texts, limit=20)
        again = engine.search(parse("police OR fired"), page_texts, limit=20)
        assert first == again
        scores = [hit.score for hit in first.results]
        assert scores == sorted(scores, reverse=True)


def test_a_new_memory_engine_is_empty() -> None:
    engine = MemoryEngine()
    assert engine.was_reset
    assert engine.page_count() == 0
    assert engine.search(parse("police"), page_texts).total == 0


@pytest.mark.parametrize("kind", ["whoosh", "memory"])
def test_a_key_put_twice_in_one_batch_is_one_record(tmp_path: Path, kind: str) -> None:
    engine: SearchEngine = (
        SearchIndex.open(tmp_path / "index") if kind == "whoosh" else MemoryEngine()
    )
    engine.add_pages(PAGES[:4])
    first, edited = mark(9, 1, "the police fired", "", ()), mark(9, 1, "the crowd ran", "", ())
    with engine.writer(flush_pages=None) as writer:
        writer.put(first)
        writer.put(edited)  # a mark changed twice before the index heard of it
    with engine.writer(flush_pages=None) as writer:
        writer.put(first)
        writer.delete_key("mark:9")
        writer.put(edited)
    found = engine.search(parse("author:karimova"), page_texts, limit=10)
    assert [(hit.source, hit.mark) for hit in found.results] == [("mark", 9)]
    assert found.total == 1
    assert engine.search(parse('author:karimova AND "police fired"'), page_texts).total == 0
    engine.close()


def test_dtsearch_w_finds_either_order_and_pre_only_the_typed_one(
    engines: dict[str, SearchEngine],
) -> None:
    def pages(query: str, engine: SearchEngine) -> set[object]:
        return {found[:2] for found in _everything(engine, query)[1]}  # type: ignore[index]

    for engine in engines.values():
        either = pages("police w/3 fired", engine)
        police_first = pages("police PRE/3 fired", engine)
        fired_first = pages("fired pre/3 police", engine)
        assert police_first and fired_first and police_first != fired_first
        assert either == police_first | fired_first
        assert either == pages('"police fired"~3 OR "fired police"~3', engine)


def test_a_tag_and_a_word_find_the_marks_so_tagged_whose_quote_or_note_has_it(
    engines: dict[str, SearchEngine],
) -> None:
    for engine in engines.values():
        found = _everything(engine, "tag:Issue AND zhanaozen")[1]
        assert {hit[:3] for hit in found} == {(2, 1, "mark")}  # type: ignore[index]
        assert _everything(engine, "tag:Issue")[0] > 1  # document 8's tag too: no word
        assert _everything(engine, "tag:Issue AND crowd")[0] == 0  # not in mark 2's quote
