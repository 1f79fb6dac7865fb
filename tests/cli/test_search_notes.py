"""`docket search` says when a wildcard was cut to its most frequent words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.core.search.whoosh import matching
from tests.cli.runner import run


def test_a_cut_wildcard_is_noted_in_plain_and_json_output(
    case_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "MAX_EXPANSION", 1)
    code, out, err = run(capsys, "search", str(case_path), "st*")  # statements, station, striking…
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].startswith("note: st* matched ")
    assert lines[1].endswith("words; showing the 1 most frequent (add letters to narrow it)")
    code, out, _ = run(capsys, "search", str(case_path), "st*", "--json")
    shown = json.loads(out)
    assert shown["notes"] == [lines[1].removeprefix("note: ")]
    assert shown["results"]


def test_a_narrow_wildcard_has_no_note(case_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", str(case_path), "offic*", "--json")
    assert code == 0
    shown = json.loads(out)
    assert "notes" not in shown and shown["results"]
