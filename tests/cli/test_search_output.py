"""Plain `docket search` output: marks, tagged documents and pages told and counted apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.cli.output import EXIT_OK
from tests.cli.runner import run


def _blocks(out: str) -> tuple[str, list[str]]:
    """The summary line, and the first line of each result."""
    lines = out.splitlines()
    heads = [line for line in lines if line.startswith("[")]
    return lines[0], heads


def test_a_mark_hit_is_labelled_a_mark_and_counted_apart(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", str(case_path), "police")
    assert code == EXIT_OK
    summary, heads = _blocks(out)
    # The highlight "police fired" and page 1 of the complaint: one of each, not "2 matching pages".
    assert summary == "2 results: 1 page, 1 mark"
    assert "matching pages" not in out
    assert any("— mark " in head and "(a highlight) on page 1" in head for head in heads)
    assert any(head.endswith("— page 1  (2 hits)") for head in heads)


def test_notes_and_tags_are_marks_never_pages(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", str(case_path), "tag:Issue")
    assert code == EXIT_OK
    summary, heads = _blocks(out)
    assert summary == "3 results: 3 marks"
    assert any("(a note on the document)" in head for head in heads)
    assert not any(" — page " in head for head in heads)
    code, out, _ = run(capsys, "search", str(case_path), "note:amount")
    summary, heads = _blocks(out)
    assert summary == "1 result: 1 mark"  # one, not "1 matching pages"
    assert heads == [heads[0]] and "(a note on the page) on page 3" in heads[0]


def test_a_tagged_document_is_labelled_as_its_tags(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "tag", str(case_path), "Brief", "Exhibits/Filed")[0] == EXIT_OK
    code, out, _ = run(capsys, "search", str(case_path), "tag:Exhibits")
    summary, heads = _blocks(out)
    assert code == EXIT_OK and summary == "1 result: 1 document tag"
    assert len(heads) == 1 and heads[0].endswith("] Brief — the document's tags")


def test_one_hit_is_singular_and_a_shortened_list_says_so(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", str(case_path), "Aktau")
    assert code == EXIT_OK and "(1 hit)" in out and "1 hits" not in out
    code, out, _ = run(capsys, "search", str(case_path), "police", "--limit", "1")
    summary, heads = _blocks(out)
    assert summary.startswith("2 results, showing 1: ") and len(heads) == 1
