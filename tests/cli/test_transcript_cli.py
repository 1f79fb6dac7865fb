"""`docket transcript`, and page:line in `search` and `marks` output on transcripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.cli.output import EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from tests.cli.runner import run
from tests.core.pdf_factory import qt_app
from tests.core.transcript_factory import write_numbered_brief, write_text_transcript


@pytest.fixture
def transcript_case(tmp_path: Path) -> Path:
    qt_app()
    with Case.create(tmp_path / "case") as case:  # one at a time: the transcript is 1
        case.import_paths([write_text_transcript(tmp_path / "dep.txt")], workers=0)
        case.import_paths([write_numbered_brief(tmp_path / "brief.txt")], workers=0)
    return tmp_path / "case"


def test_search_json_and_plain_give_page_and_line(
    transcript_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "search", str(transcript_case), '"page 2 line 4"', "--json")
    assert (code, err) == (EXIT_OK, "")
    hits = json.loads(out)["results"]
    assert [hit["lines"] for hit in hits] == [[[2, 4], [2, 4]]]
    code, out, _ = run(capsys, "search", str(transcript_case), '"page 2 line 4"')
    assert "at 2:4" in out
    code, out, _ = run(capsys, "search", str(transcript_case), "warrant", "--json")
    assert all("lines" not in hit for hit in json.loads(out)["results"])


def test_marks_carry_lines(transcript_case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "mark", str(transcript_case), "1", "--page", "2", "--quote", "Page 2 line 4 words."
    )
    assert (code, err) == (EXIT_OK, "")
    code, out, _ = run(capsys, "marks", str(transcript_case), "--json")
    assert json.loads(out)[0]["lines"] == [[2, 4], [2, 4]]
    code, out, _ = run(capsys, "marks", str(transcript_case))
    assert ", p. 2, at 2:4 " in out


def test_transcript_off_on_and_refused(
    transcript_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "transcript", str(transcript_case), "1", "--json")
    assert json.loads(out) == {
        "doc": 1,
        "transcript": True,
        "set_by_hand": False,
        "pages_with_lines": [1, 2, 3],
    }
    code, out, _ = run(capsys, "transcript", str(transcript_case), "1", "--off")
    assert code == EXIT_OK and "not a transcript (set by hand)" in out
    code, out, _ = run(capsys, "search", str(transcript_case), '"page 2 line 4"', "--json")
    assert "lines" not in json.loads(out)["results"][0]
    code, out, _ = run(capsys, "transcript", str(transcript_case), "1", "--on")
    assert "a transcript (set by hand), line numbers on 3 pages" in out
    code, out, err = run(capsys, "transcript", str(transcript_case), "2", "--on")
    assert code == EXIT_USAGE and "no numbered lines" in err and out == ""
    code, out, _ = run(capsys, "transcript", str(transcript_case), "2", "--json")
    assert json.loads(out)["transcript"] is False
