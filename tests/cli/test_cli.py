"""The command line, run as a user runs it: JSON shapes, messages, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docket.cli.main import main
from docket.core.case import Case
from tests.core.case_factory import write_matter
from tests.core.pdf_factory import write_encrypted_pdf


def docket(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run(
        [sys.executable, "-m", "docket", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture
def matter_case(tmp_path: Path) -> Path:
    case = tmp_path / "case"
    assert main(["new", str(case)]) == 0
    assert main(["import", str(case), str(write_matter(tmp_path / "matter")), "--quiet"]) == 0
    return case


def test_import_json_lines_and_exit_status(tmp_path: Path, capsys) -> None:
    case = tmp_path / "case"
    main(["new", str(case)])
    capsys.readouterr()
    matter = write_matter(tmp_path / "matter")
    (matter / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    code = main(["import", str(case), str(matter), "--json", "--quiet"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1  # something failed
    assert all(set(line) == {"path", "status", "doc", "reason"} for line in lines)
    by_name = {Path(line["path"]).name: line for line in lines}
    assert by_name["broken.pdf"]["status"] == "failed"
    assert by_name["broken.pdf"]["doc"] is None and by_name["broken.pdf"]["reason"]
    assert by_name["complaint.pdf"]["status"] == "imported"
    assert isinstance(by_name["complaint.pdf"]["doc"], int)
    assert main(["import", str(case), str(matter / "letter.txt"), "--json", "--quiet"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["status"] == "duplicate" and again["doc"] == by_name["letter.txt"]["doc"]


def test_import_text_output_names_each_outcome(tmp_path: Path) -> None:
    case = tmp_path / "case"
    assert docket("new", str(case)).returncode == 0
    locked = write_encrypted_pdf(tmp_path / "locked.pdf", ["Sealed"], password="abc")
    result = docket("import", str(case), str(locked))
    assert result.returncode == 1
    assert result.stdout.startswith(f"failed: {locked}: ")
    assert "password" in result.stdout
    with Case.open(case, readonly=True) as opened:
        assert opened.documents() == []  # a failed file leaves nothing behind
    result = docket("import", str(case), str(locked), "--password", "abc")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"imported: {locked} (doc 1, 1 page)")
    assert "1 imported, 0 duplicates, 0 failed" in result.stderr
    with Case.open(case, readonly=True) as opened:
        (document,) = opened.documents()
        assert (document.id, document.source_name, document.page_count) == (1, "locked.pdf", 1)
        assert [page.text.strip() for page in opened.pages(1)] == ["Sealed"]
        assert opened.password(1) == "abc"  # kept, so the window can open it again


def test_list_json_shape(matter_case: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["list", str(matter_case), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [set(item) for item in listed] == [
        {"doc", "title", "type", "pages", "sha256", "flags", "encoding", "notes", "language", "ocr"}
    ] * 3
    assert {item["ocr"]["state"] for item in listed} == {""}  # every page had a text layer
    assert sorted((item["type"], item["pages"]) for item in listed) == [
        ("pdf", 2),
        ("pdf", 3),
        ("text", 1),
    ]


def test_search_json_offsets_point_at_the_words(matter_case: Path, capsys) -> None:
    from docket.core.case import Case

    capsys.readouterr()
    assert main(["search", str(matter_case), '"police fired"~3', "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["query"] == '"police fired"~3' and found["total"] == 1
    (result,) = found["results"]
    assert set(result) == {"doc", "title", "page", "label", "score", "snippet", "hits"}
    assert (result["title"], result["page"], result["label"]) == ("Complaint", 1, "1")
    with Case.open(matter_case, readonly=True) as case:
        text = case.page(result["doc"], result["page"]).text
    assert [text[start:end] for start, end in result["hits"]] == ["police", "fired"]
    assert "<b>police</b> <b>fired</b>" in result["snippet"]


def test_search_syntax_error_is_a_message_not_a_traceback(matter_case: Path) -> None:
    result = docket("search", str(matter_case), '"police fired')
    assert result.returncode == 2
    assert result.stderr.startswith("docket: bad query:")
    assert "Traceback" not in result.stderr


def test_verify_and_reindex_from_the_command_line(matter_case: Path) -> None:
    result = docket("verify", str(matter_case))
    assert result.returncode == 0 and "verified 3 documents: ok" in result.stdout
    before = docket("search", str(matter_case), "tortur* OR firing", "--json").stdout
    import shutil

    shutil.rmtree(matter_case / "index")
    assert docket("reindex", str(matter_case)).returncode == 0
    assert docket("verify", str(matter_case)).returncode == 0
    assert docket("search", str(matter_case), "tortur* OR firing", "--json").stdout == before
    assert json.loads(before)["total"] == 5  # fired, firing ×2, torture, tortured


def test_missing_case_is_exit_3_with_a_message(tmp_path: Path) -> None:
    result = docket("list", str(tmp_path / "no-such-case"))
    assert result.returncode == 3
    assert "no case at" in result.stderr and "Traceback" not in result.stderr


def test_search_rebuilds_a_deleted_index_and_verify_reports_it(matter_case: Path) -> None:
    import shutil

    before = docket("search", str(matter_case), "Zhanaozen", "--json").stdout
    shutil.rmtree(matter_case / "index")
    report = docket("verify", str(matter_case))
    assert report.returncode == 1 and "run `docket reindex`" in report.stdout
    after = docket("search", str(matter_case), "Zhanaozen", "--json")
    assert after.returncode == 0 and "bringing the search index up to date" in after.stderr
    assert after.stdout == before and json.loads(before)["total"] == 2
    assert docket("verify", str(matter_case)).returncode == 0
