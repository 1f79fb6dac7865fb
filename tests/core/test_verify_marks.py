"""`docket verify` checks every mark: its quote still stands at its offsets in the stored
page text, and the original it was made on still has its hash."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from docket.cli.main import main
from docket.core.case import Case
from docket.core.storage import documents as store
from tests.core.mark_factory import marked_case


def test_a_clean_case_has_no_mark_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case, marks = marked_case(tmp_path)
    report = case.verify()
    case.close()
    assert report.ok and report.marks == () and len(marks) == 8
    assert main(["verify", str(tmp_path / "case"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ok"] is True and shown["marks"] == [] and shown["documents"] == 3


def test_verify_names_the_mark_whose_words_changed_under_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case, marks = marked_case(tmp_path)
    police = marks["police"]
    case.close()
    with sqlite3.connect(tmp_path / "case" / "case.sqlite") as db:
        (text,) = db.execute(
            "SELECT text FROM pages WHERE doc_id = ? AND number = ?", (police.doc, police.page)
        ).fetchone()
        assert text.count("police fired") == 1
        db.execute(  # the same length: the offsets still fit, the words do not
            "UPDATE pages SET text = ? WHERE doc_id = ? AND number = ?",
            (text.replace("police fired", "troops fired"), police.doc, police.page),
        )
    db.close()

    assert main(["verify", str(tmp_path / "case"), "--json"]) == 1
    shown = json.loads(capsys.readouterr().out)
    assert shown["ok"] is False
    assert shown["marks"] == [
        {
            "mark": police.id,
            "document": police.doc,
            "page": police.page,
            "reason": "quote-moved",
            "expected": "police fired",
            "found": "troops fired",
        }
    ]
    assert main(["verify", str(tmp_path / "case")]) == 1
    out = capsys.readouterr().out
    assert f"problem: mark {police.id} (document {police.doc} page {police.page})" in out
    assert "'police fired'" in out and "'troops fired'" in out


def test_verify_names_the_marks_on_a_document_whose_original_changed(tmp_path: Path) -> None:
    case, marks = marked_case(tmp_path)
    complaint = marks["police"].doc
    blob = next(b for d, _, b, _ in store.blobs(case.database.read()) if d == complaint)
    case.close()
    original = tmp_path / "case" / blob
    original.chmod(0o644)
    original.write_bytes(original.read_bytes() + b"\n% altered\n")

    with Case.open(tmp_path / "case", readonly=True) as reopened:
        report = reopened.verify()
    on_complaint = {m.id for m in marks.values() if m.doc == complaint}
    assert len(on_complaint) == 3  # two highlights and a page note
    changed = {m.mark for m in report.marks if m.reason == "original-changed"}
    assert changed == on_complaint
    assert not report.ok
    assert any("made on an original that has since changed" in p for p in report.problems)
