"""Re-reading a text document in another encoding: pages, index and marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import ExtractionError
from docket.core.model.marks import Anchor, Mark, MarkKind
from docket.core.model.records import Flag
from docket.core.storage import marks as markstore
from tests.core.ingest.test_encoding import RUSSIAN

ENGLISH = "Witness list: Petrov, Sidorova. The hearing was adjourned to Monday.\n"


def text_case(tmp_path: Path, data: bytes) -> tuple[Case, int]:
    source = tmp_path / "minutes.txt"
    source.write_bytes(data)
    case = Case.create(tmp_path / "case")
    case.import_paths([source])
    return case, case.documents()[0].id


def get_mark(case: Case, mark_id: int) -> Mark | None:
    return markstore.mark(case.database.read(), mark_id)


def highlight(case: Case, doc: int, words: str) -> int:
    text = case.page(doc, 1).text
    start = text.index(words)
    return case.marking.highlight(doc, Anchor(1, start, 1, start + len(words))).id


def test_reencode_replaces_the_text_keeps_found_marks_and_orphans_the_rest(tmp_path: Path):
    # A mostly-ASCII KOI8-R file; pretend the guess was wrong by re-reading as cp1251.
    data = (ENGLISH + RUSSIAN).encode("koi8-r")
    case, doc = text_case(tmp_path, data)
    original = case.original_path(doc).read_bytes()
    kept = highlight(case, doc, "hearing was adjourned")
    lost = highlight(case, doc, "Протокол судебного")
    note = case.marking.add_note(doc, "check the minutes", page=1).id

    result, changes = case.reencode(doc, "cp1251")

    assert case.document(doc).encoding == "cp1251"
    assert case.page(doc, 1).text == (ENGLISH + RUSSIAN).encode("koi8-r").decode("cp1251")
    assert result.kept == (kept,)
    assert [orphan.mark for orphan in result.orphaned] == [lost]
    assert result.orphaned[0].quote == "Протокол судебного"
    orphan = get_mark(case, lost)
    assert orphan is not None and orphan.kind is MarkKind.PAGE_NOTE
    assert orphan.quote == "Протокол судебного"
    assert get_mark(case, note) is not None
    assert doc in changes.documents.changed and lost in changes.marks.changed
    assert case.original_path(doc).read_bytes() == original  # never modified
    assert case.search("adjourned").total >= 1

    result, _ = case.reencode(doc, "koi8-r")
    assert case.page(doc, 1).text == ENGLISH + RUSSIAN
    assert result.kept == (kept,)
    assert case.search("Протокол").total >= 1
    case.close()


def test_reencode_drops_the_guess_flag(tmp_path: Path):
    case, doc = text_case(tmp_path, "Witness: Петров.\n".encode("koi8-r"))
    assert Flag.ENCODING_GUESSED in case.document(doc).flags
    case.reencode(doc, "koi8-r")
    document = case.document(doc)
    assert Flag.ENCODING_GUESSED not in document.flags
    assert case.page(doc, 1).text == "Witness: Петров.\n"
    case.close()


@pytest.mark.parametrize("encoding", ["utf-8", "no-such-encoding", "base64"])
def test_an_encoding_that_cannot_decode_leaves_the_case_unchanged(tmp_path: Path, encoding: str):
    case, doc = text_case(tmp_path, (RUSSIAN * 2).encode("cp1251"))
    mark = highlight(case, doc, "Протокол")
    before = (case.document(doc), case.pages(doc), get_mark(case, mark))
    with pytest.raises(ExtractionError):
        case.reencode(doc, encoding)
    assert (case.document(doc), case.pages(doc), get_mark(case, mark)) == before
    case.close()
