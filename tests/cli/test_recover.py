"""`docket recover CASE [--out NEWCASE] [--json]`: the report, the exit status, a new
case that opens and searches, and the damaged case left as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docket.core.case import Case
from tests.cli.runner import run
from tests.core.test_damaged_case import garble_pages, garble_table
from tests.core.test_recover_case import folder_bytes, leaf_pages, rows, template

__all__ = ["template"]  # the module's fixture: a case of 24 text files of 5 pages


@pytest.fixture
def exhibits(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "exhibits"))


def test_recover_saves_what_is_left_and_says_what_was_lost(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garble_table(case_path / "case.sqlite", "marks")
    damaged = folder_bytes(case_path)
    assert run(capsys, "marks", str(case_path))[0] == 3

    code, out, err = run(capsys, "recover", str(case_path), "--out", str(tmp_path / "saved"))

    assert code == 1, err  # something was lost: a script must not take it as whole
    assert err == ""
    lines = out.splitlines()
    assert (
        lines[0]
        == f"recovered {case_path} into {tmp_path / 'saved'} (the damaged case is untouched)"
    )
    assert "  documents: 3 saved of 3 originals" in lines
    assert "  marks: 0 saved of 0 read; rows in 1 damaged place(s) were lost" in lines
    assert lines[-1] == "some of the case was lost; the index was rebuilt"
    assert folder_bytes(case_path) == damaged

    code, out, _ = run(capsys, "list", str(tmp_path / "saved"), "--json")
    assert code == 0 and len(json.loads(out)) == 3
    code, out, _ = run(capsys, "search", str(tmp_path / "saved"), "police", "--json")
    assert code == 0 and json.loads(out)["total"] >= 1
    assert run(capsys, "verify", str(tmp_path / "saved"))[0] == 0


def test_recover_json(case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    garble_table(case_path / "case.sqlite", "mark_tags")
    code, out, _ = run(capsys, "recover", str(case_path), "--json")
    report = json.loads(out)
    assert code == 1
    assert report["case"] == str(case_path.with_name("case (recovered)"))
    assert report["complete"] is False
    assert report["tables"]["documents"] == {"read": 3, "saved": 3, "damaged_spots": 0}
    marks = report["tables"]["marks"]
    assert marks["read"] == marks["saved"] > 0
    assert report["tables"]["mark_tags"]["damaged_spots"] >= 1
    assert report["originals_without_document"] == []
    assert report["unreadable"] == ""


def test_a_whole_case_recovers_with_exit_0(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "recover", str(case_path), "--out", str(tmp_path / "copy"))
    assert code == 0
    assert out.splitlines()[-1] == "everything was saved; the index was rebuilt"


def test_recover_refusals_are_exit_3(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "recover", str(tmp_path / "nowhere"))
    assert code == 3 and "no case at" in err
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "recover", str(case_path), "--out", str(full))
    assert code == 3 and "is not empty" in err


MARK_COLUMNS = "id, page, start, end_page, end, quote, note, colour, author, created"


def marks_by_title(case: Path) -> list[tuple[object, ...]]:
    return rows(
        case / "case.sqlite",
        f"SELECT d.title, {', '.join('m.' + c.strip() for c in MARK_COLUMNS.split(','))}, "
        "(SELECT group_concat(t.name, '|') FROM mark_tags mt JOIN tags t ON t.id = mt.tag_id "
        "WHERE mt.mark_id = m.id) FROM marks m JOIN documents d ON d.id = m.doc_id ORDER BY m.id",
    )


def test_reimport_brings_lost_documents_back_with_their_marks(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documents' rows are lost, their pages and marks are not: imported again, the
    originals read as before, and every mark goes back with its note and tags, and
    each document with its own tags."""
    with Case.open(case_path) as case:
        brief = next(d.id for d in case.documents() if d.title == "Brief")
        case.marking.tag_document(brief, ["Filed/2012"])
    whole = marks_by_title(case_path)
    garble_table(case_path / "case.sqlite", "documents")
    saved = tmp_path / "saved"

    code, out, _ = run(capsys, "recover", str(case_path), "--out", str(saved), "--reimport")

    assert code == 1, out  # the documents' own rows (titles, names) did not come back
    assert (
        f"  imported again: 3 of 3 originals whose document was lost; {len(whole)} of "
        "their marks put back (their titles are lost)" in out.splitlines()
    )
    assert marks_by_title(saved) == whole
    assert rows(
        saved / "case.sqlite",
        "SELECT d.title, t.name FROM document_tags dt JOIN documents d ON d.id = dt.doc_id "
        "JOIN tags t ON t.id = dt.tag_id",
    ) == [("Brief", "Filed/2012")]
    code, out, _ = run(capsys, "search", str(saved), "note:trial", "--json")
    assert code == 0 and json.loads(out)["total"] >= 1
    assert run(capsys, "verify", str(saved))[0] == 0


def test_without_reimport_the_lost_documents_are_named(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garble_table(case_path / "case.sqlite", "documents")
    code, out, _ = run(capsys, "recover", str(case_path), "--out", str(tmp_path / "saved"))
    assert code == 1
    lost = [line for line in out.splitlines() if line.startswith("  lost: the document of files/")]
    assert len(lost) == 3
    assert "--reimport imports them again" in out


PAGES_SQL = "SELECT doc_id, number, label, text, width, height FROM pages ORDER BY 1, 2"


def test_lost_pages_are_read_again_from_the_originals(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every page text lost (PDFs and a text file): each document is read again, and its
    pages come back exactly as imported, so the marks' offsets still fit."""
    whole = rows(case_path / "case.sqlite", PAGES_SQL)
    garble_table(case_path / "case.sqlite", "pages")
    saved = tmp_path / "saved"

    code, out, _ = run(capsys, "recover", str(case_path), "--out", str(saved))

    assert code == 0, out
    assert "  pages: 0 saved of 0 read; rows in 3 damaged place(s) were lost" in out.splitlines()
    assert sum("read again from its original" in line for line in out.splitlines()) == 3
    assert out.splitlines()[-1] == "everything was saved; the index was rebuilt"
    assert rows(saved / "case.sqlite", PAGES_SQL) == whole
    code, out, _ = run(capsys, "search", str(saved), '"police fired"', "--json")
    assert code == 0 and json.loads(out)["total"] >= 1


def test_a_leaf_of_pages_lost_in_a_large_case_is_read_again(
    exhibits: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = exhibits / "case.sqlite"
    whole = rows(database, PAGES_SQL)
    leaves = leaf_pages(database, "pages")
    garble_pages(database, leaves[len(leaves) // 2], 2)

    code, out, _ = run(capsys, "recover", str(exhibits), "--json")

    report = json.loads(out)
    assert code == 0 and report["complete"] is True, report
    assert report["tables"]["pages"]["saved"] < len(whole)
    assert (
        sum(report["pages_read_again"].values()) == len(whole) - report["tables"]["pages"]["saved"]
    )
    assert report["pages_lost"] == []
    assert rows(Path(report["case"]) / "case.sqlite", PAGES_SQL) == whole
