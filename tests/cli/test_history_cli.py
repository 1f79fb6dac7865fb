"""`docket history`: listing the audit log as text and JSON, and bringing a mark back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.cli.output import EXIT_FAILURES, EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from docket.core.model.marks import MarkChange
from docket.core.preferences import Preferences, save_preferences
from tests.cli.runner import run
from tests.core.mark_factory import doc_id


def _change_then_delete(case_path: Path) -> tuple[int, int]:
    """(a mark given a note and then deleted, the id of the entry that deleted it)."""
    save_preferences(Preferences(author="Dana"))
    with Case.open(case_path) as case:
        complaint = doc_id(case, "Complaint")
        mark = next(m for m in case.marking.marks() if m.doc == complaint and m.page == 1)
        case.marking.change(mark.id, MarkChange(note="gone but logged"))
        case.marking.delete(mark.id)
        return mark.id, case.marking.audit_entries(mark=mark.id)[-1].id


def test_history_json_lists_every_entry_with_its_shape(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mark_id, removal = _change_then_delete(case_path)
    code, out, err = run(capsys, "history", str(case_path), "--json")
    assert (code, err) == (EXIT_OK, "")
    entries = json.loads(out)
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert all(
        set(e) == {"id", "at", "author", "action", "mark", "doc", "before", "after", "summary"}
        for e in entries
    )
    mine = [e for e in entries if e["mark"] == mark_id]
    assert [e["action"] for e in mine] == ["mark-added", "mark-changed", "mark-removed"]
    changed, removed = mine[1], mine[2]
    assert changed["author"] == "Dana" and changed["at"].endswith("+00:00")
    assert changed["after"]["note"] == "gone but logged"
    assert changed["summary"].startswith("note ")
    assert removed["id"] == removal and removed["after"] is None
    assert {"uuid", "kind", "doc", "page", "range", "quote", "note", "colour", "tags"} <= set(
        removed["before"]
    )

    code, out, _ = run(capsys, "history", str(case_path), "--mark", str(mark_id), "--json")
    assert code == EXIT_OK and [e["id"] for e in json.loads(out)] == [e["id"] for e in mine]


def test_history_text_lists_and_filters_by_document(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mark_id, removal = _change_then_delete(case_path)
    code, out, _ = run(capsys, "history", str(case_path), "--doc", "Complaint")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert all("Complaint" in line for line in lines)
    (line,) = [line for line in lines if line.lstrip().startswith(f"{removal} ")]
    assert f"mark-removed  mark {mark_id} · Complaint:" in line and "Dana" in line

    code, out, _ = run(capsys, "history", str(case_path), "--mark", "9999")
    assert (code, out) == (EXIT_OK, "no changes recorded for that\n")


def test_history_restore_brings_a_deleted_mark_back(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mark_id, removal = _change_then_delete(case_path)
    code, out, err = run(capsys, "history", str(case_path), "--restore", str(removal))
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith(f"restored mark {mark_id} (Complaint, p. 1) from entry {removal}")
    with Case.open(case_path, readonly=True) as case:
        assert case.marking.get(mark_id).note == "gone but logged"
        assert case.marking.audit_entries()[-1].action == "mark-restored"

    code, _, err = run(capsys, "history", str(case_path), "--restore", str(removal))
    assert code == EXIT_FAILURES and "in the case already" in err
    code, _, err = run(capsys, "history", str(case_path), "--restore", "9999")
    assert code == EXIT_USAGE and "no entry 9999" in err
    code, _, err = run(capsys, "history", str(case_path), "--restore", "1", "--mark", "1")
    assert code == EXIT_USAGE and "--restore takes no --mark" in err
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "history", str(case_path), "--mark", "-3")
    assert exit_info.value.code == EXIT_USAGE
    assert "not a positive number" in capsys.readouterr().err


def test_history_restore_json(case_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mark_id, removal = _change_then_delete(case_path)
    code, out, _ = run(capsys, "history", str(case_path), "--restore", str(removal), "--json")
    restored = json.loads(out)
    assert code == EXIT_OK
    assert (restored["id"], restored["old_id"], restored["entry"]) == (mark_id, mark_id, removal)
    assert restored["note"] == "gone but logged"


def test_history_of_a_case_from_before_the_log_is_empty(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.core.test_schema import _downgrade_to_version_3

    _downgrade_to_version_3(case_path / "case.sqlite")  # a schema 3 case: no audit_log yet
    code, out, err = run(capsys, "history", str(case_path), "--json")  # upgraded first
    assert (code, out, err) == (EXIT_OK, "[]\n", "")
