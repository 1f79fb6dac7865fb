"""`docket mark`, `marks`, `tag`, `untag`, run as a script runs them: output, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.cli.output import EXIT_CASE, EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from docket.core.preferences import Preferences, save_preferences
from tests.cli.runner import run
from tests.core.mark_factory import doc_id


def test_mark_highlights_words_with_note_tags_colour_and_author(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "mark",
        str(case_path),
        "Complaint",
        "--page",
        "1",
        "--quote",
        "striking oil workers in Zhanaozen",
        "--note",
        "Who ordered it?",
        "--tag",
        "Issue/Strike",
        "--tag",
        "Witness",
        "--color",
        "Contradiction",
        "--author",
        "Bob",
        "--json",
    )
    assert code == EXIT_OK
    mark = json.loads(out)
    assert mark["quote"] == "striking oil workers in Zhanaözen" and mark["page"] == 1
    assert (mark["note"], mark["tags"], mark["color"], mark["author"]) == (
        "Who ordered it?",
        ["Issue/Strike", "Witness"],
        "pink",
        "Bob",
    )
    code, out, _ = run(capsys, "marks", str(case_path), "--tag", "Issue/Strike", "--json")
    assert code == EXIT_OK and json.loads(out) == [mark]


def test_mark_takes_the_author_from_the_preferences_and_says_what_it_did(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_preferences(Preferences(author="Default Author"))
    code, out, _ = run(capsys, "mark", str(case_path), "2", "--page", "4", "--quote", "the square")
    assert code == EXIT_OK and out.startswith("marked ") and "“the square”" in out
    with Case.open(case_path, readonly=True) as case:
        newest = max(case.marking.marks(), key=lambda m: m.id)
        assert (newest.author, newest.colour, newest.page) == ("Default Author", "yellow", 4)


def test_marks_lists_every_mark_or_those_filtered(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "marks", str(case_path))
    lines = out.splitlines()
    assert code == EXIT_OK and len(lines) == 8
    police = next(line for line in lines if "police fired" in line)
    assert "Complaint, p. 1 · Contradiction" in police and "#Issue/Torture" in police
    assert "— Key admission second line" in police
    _, out, _ = run(capsys, "marks", str(case_path), "--doc", "Brief", "--json")
    assert [m["kind"] for m in json.loads(out)] == ["document-note", "highlight"]
    _, out, _ = run(capsys, "marks", str(case_path), "--tag", "nothing")
    assert out == "no marks match\n"


def test_tag_and_untag_a_document(case_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tag", str(case_path), "Complaint", "Issue/Torture", "Privileged")
    assert code == EXIT_OK and out == "tagged Complaint: Issue/Torture, Privileged\n"
    code, out, _ = run(capsys, "untag", str(case_path), "complaint.pdf", "privileged")
    assert code == EXIT_OK and out == "removed 1 tag from Complaint; it keeps Issue/Torture\n"
    with Case.open(case_path, readonly=True) as case:
        assert case.marking.document_tags(doc_id(case, "Complaint")) == ["Issue/Torture"]


def _found_by(capsys: pytest.CaptureFixture[str], case_path: Path, query: str) -> list[tuple]:
    """(source, doc) of every result `docket search CASE QUERY --json` gives."""
    code, out, _ = run(capsys, "search", str(case_path), query, "--json")
    assert code == EXIT_OK
    return sorted((hit.get("source", "page"), hit["doc"]) for hit in json.loads(out)["results"])


def test_untag_then_search_no_longer_finds_the_document_by_that_tag(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Case.open(case_path, readonly=True) as case:
        complaint = doc_id(case, "Complaint")
    run(capsys, "tag", str(case_path), "Complaint", "Privileged", "Issue/Torture")
    assert _found_by(capsys, case_path, "tag:Privileged") == [("document", complaint)]

    code, out, _ = run(capsys, "untag", str(case_path), "Complaint", "Privileged")
    assert code == EXIT_OK and out == "removed 1 tag from Complaint; it keeps Issue/Torture\n"
    assert _found_by(capsys, case_path, "tag:Privileged") == []
    # The tag it keeps still finds it (beside the two marks tagged Issue/Torture).
    assert ("document", complaint) in _found_by(capsys, case_path, "tag:Issue/Torture")

    run(capsys, "untag", str(case_path), "Complaint", "Issue/Torture")
    assert _found_by(capsys, case_path, "tag:Issue/Torture") == [
        ("mark", complaint),
        ("mark", complaint),
    ]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["mark", "{case}", "99", "--page", "1", "--quote", "x"], EXIT_USAGE, "no document 99"),
        (
            ["mark", "{case}", "Nobody", "--page", "1", "--quote", "x"],
            EXIT_USAGE,
            "no document is called 'Nobody'",
        ),
        (
            ["mark", "{case}", "Complaint", "--page", "1", "--quote", "soldiers"],
            EXIT_USAGE,
            "are not on page 1",
        ),
        (
            ["mark", "{case}", "Complaint", "--page", "9", "--quote", "police"],
            EXIT_USAGE,
            "Complaint has no page 9",
        ),
        (
            ["mark", "{case}", "Deposition", "--page", "1", "--quote", "x"],
            EXIT_USAGE,
            "no document",
        ),
        (
            ["mark", "{case}", "Brief", "--page", "4", "--quote", "the", "--color", "mauve"],
            EXIT_USAGE,
            "unknown colour 'mauve'; choose one of: yellow (Key fact)",
        ),
        (
            ["mark", "{case}", "Brief", "--page", "4", "--quote", "the"],
            EXIT_USAGE,
            "occur 2 times on page 4; choose one with --occurrence 1…2",
        ),
        (["tag", "{case}", "Brief", "//"], EXIT_USAGE, "is not a tag name"),
        (["marks", "{missing}"], EXIT_CASE, "the folder does not exist"),
    ],
)
def test_bad_arguments_give_one_line_and_an_exit_code(
    case_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    filled = [a.format(case=case_path, missing=tmp_path / "missing") for a in args]
    result, out, err = run(capsys, *filled)
    assert result == code and out == ""
    assert err.count("\n") == 1 and err.startswith("docket: ") and message in err
    with Case.open(case_path, readonly=True) as case:
        assert len(case.marking.marks()) == 8  # nothing was changed


def test_an_occurrence_picks_among_repeated_words(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "mark",
        str(case_path),
        "Brief",
        "--page",
        "4",
        "--quote",
        "the",
        "--occurrence",
        "2",
        "--json",
    )
    assert code == EXIT_OK and json.loads(out)["start"] > 40


def test_a_case_another_docket_is_writing_is_refused(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Case.open(case_path):
        code, _, err = run(
            capsys, "mark", str(case_path), "Complaint", "--page", "1", "--quote", "police"
        )
        assert code == EXIT_CASE and "open in another Docket" in err
        code, _, err = run(capsys, "tag", str(case_path), "Complaint", "A")
        assert code == EXIT_CASE
        code, out, _ = run(capsys, "marks", str(case_path), "--json")  # reading still works
        assert code == EXIT_OK and len(json.loads(out)) == 8
