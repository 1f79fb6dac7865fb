"""`docket cite`, `title`, `coverage` and `review`: text, --json shapes and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.cli.output import EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from tests.cli.runner import run
from tests.core.mark_factory import doc_id


def _mark(case_path: Path, title: str, page: int) -> int:
    with Case.open(case_path, readonly=True) as case:
        doc = doc_id(case, title)
        return next(m.id for m in case.marking.marks() if m.doc == doc and m.page == page)


def test_cite_json_has_the_documented_shape(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mark = _mark(case_path, "Brief", 4)
    code, out, err = run(capsys, "cite", str(case_path), str(mark), "--json")
    assert (code, err) == (EXIT_OK, "")
    found = json.loads(out)
    assert {"mark", "quote", "cite", "doc", "page", "label"} <= found.keys()
    assert found["mark"] == mark and found["quote"] == "firing without warning"
    assert (found["page"], found["label"]) == (4, "iv")
    assert found["cite"] == "Brief, at iv"
    assert "lines" not in found


def test_title_short_then_cite_short_and_full(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "title", str(case_path), "Brief", "--short", "Pl. Br.", "--json")
    assert code == EXIT_OK
    assert json.loads(out)["short_title"] == "Pl. Br."
    mark = str(_mark(case_path, "Brief", 4))
    code, out, _ = run(capsys, "cite", str(case_path), mark)
    assert out.strip() == "\u201cfiring without warning\u201d (Brief (\u201cPl. Br.\u201d), at iv)"
    code, out, _ = run(capsys, "cite", str(case_path), mark, "--style", "short")
    assert out.strip() == "\u201cfiring without warning\u201d (Pl. Br. at iv)"
    code, out, _ = run(capsys, "title", str(case_path), "Brief")
    assert "short title: Pl. Br." in out


def test_cite_of_a_deleted_or_unknown_mark_says_so(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mark = _mark(case_path, "Brief", 4)
    with Case.open(case_path) as case:
        case.marking.delete(mark)
    code, out, err = run(capsys, "cite", str(case_path), str(mark))
    assert (code, out) == (EXIT_USAGE, "")
    assert f"mark {mark} was deleted" in err and "--restore" in err
    code, _, err = run(capsys, "cite", str(case_path), "9999")
    assert code == EXIT_USAGE and "no mark 9999" in err


def test_review_then_coverage_json(case_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "review",
        str(case_path),
        "Complaint",
        "--pages",
        "1-2",
        "--reviewer",
        "Dana",
        "--json",
    )
    assert (code, err) == (EXIT_OK, "")
    assert json.loads(out)["added"] == 2
    code, out, _ = run(capsys, "coverage", str(case_path), "--json")
    assert code == EXIT_OK
    by_title = {d["title"]: d for d in json.loads(out)}
    complaint = by_title["Complaint"]
    assert {"doc", "pages", "reviewed_pages"} <= complaint.keys()
    assert (complaint["pages"], complaint["reviewed_pages"]) == (3, 2)
    assert complaint["by_reviewer"] == {"Dana": 2}
    assert by_title["Brief"]["reviewed_pages"] == 0
    code, out, _ = run(capsys, "coverage", str(case_path))
    assert "2/3" in out and "Dana 2" in out


def test_review_and_coverage_refuse_bad_input(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "review", str(case_path), "Complaint", "--pages", "2-9")
    assert code == EXIT_USAGE and "pages 1–3" in err
    code, _, err = run(capsys, "coverage", str(case_path), "--reviewer", "Nobody")
    assert code == EXIT_USAGE and "Nobody" in err
    code, out, _ = run(capsys, "coverage", str(case_path), "--json")
    assert all(d["reviewed_pages"] == 0 for d in json.loads(out))  # nothing was written
