"""The audit log: every change to a mark, a tag or a note leaves one entry, in the change's
own transaction, and a mark deleted long ago comes back from it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from docket.core.archive.restore import restore_case
from docket.core.archive.write import archive_case
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.exchange.importing import import_web_annotations
from docket.core.marks.auditlog import describe
from docket.core.marks.history import History, deleted
from docket.core.model.audit import AUTOMATIC, AuditEntry, mark_state
from docket.core.model.marks import Anchor, MarkChange
from docket.core.preferences import Preferences, save_preferences
from docket.core.storage import marks as markstore
from tests.core.case_factory import highlight_words, write_matter


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    save_preferences(Preferences(author="Dana Reviewer"))
    opened = Case.create(tmp_path / "case")
    opened.import_paths([write_matter(tmp_path / "matter")], workers=1)
    yield opened
    opened.close()


def _doc(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def _new_entries(case: Case, since: int) -> list[AuditEntry]:
    return [e for e in case.marking.audit_entries() if e.id > since]


def _last_id(case: Case) -> int:
    found = case.marking.audit_entries()
    return found[-1].id if found else 0


def _only(case: Case, since: int) -> AuditEntry:
    found = _new_entries(case, since)
    assert len(found) == 1, [(e.action, e.mark, e.doc) for e in found]
    return found[0]


def test_a_new_highlight_is_logged_with_its_whole_state(case: Case) -> None:
    doc = _doc(case, "Complaint")
    start = case.page(doc, 1).text.index("police fired")
    mark = case.marking.highlight(
        doc,
        Anchor(1, start, 1, start + 12),
        colour="pink",
        note="volley",
        tags=["Issue/Force"],
        author="Ann",
    )
    entry = _only(case, 0)
    assert (entry.action, entry.mark, entry.doc, entry.author) == (
        "mark-added",
        mark.id,
        doc,
        "Ann",
    )
    assert entry.before is None
    after = entry.after
    assert after is not None
    assert after == mark_state(mark)
    assert after["range"] == [1, start, 1, start + 12]
    assert (after["quote"], after["note"], after["colour"], after["tags"]) == (
        "police fired",
        "volley",
        "pink",
        ["Issue/Force"],
    )
    assert after["uuid"] == mark.uuid and after["kind"] == "highlight"
    assert entry.at.utcoffset() is not None and entry.at.utcoffset().total_seconds() == 0


def test_notes_changes_deletes_and_undos_each_leave_one_entry(case: Case) -> None:
    doc = _doc(case, "Deposition of Batkanbayev")
    since = _last_id(case)
    note = case.marking.add_note(doc, "ask about the square", page=2)
    entry = _only(case, since)
    assert (entry.action, entry.author) == ("mark-added", "Dana Reviewer")  # the preferences'
    assert entry.after is not None and entry.after["kind"] == "page-note"

    since = entry.id
    whole = case.marking.add_note(doc, "whole deposition")
    entry = _only(case, since)
    assert entry.after is not None and entry.after["kind"] == "document-note"
    assert entry.after["page"] is None and entry.after["range"] is None

    since = entry.id
    before, after = case.marking.change(
        note.id, MarkChange(colour="green", note="ask twice", tags=("Witness/B",))
    )
    entry = _only(case, since)
    assert (entry.action, entry.mark, entry.author) == ("mark-changed", note.id, "Dana Reviewer")
    assert entry.before == mark_state(before) and entry.after == mark_state(after)
    assert entry.before is not None and entry.after is not None
    assert (entry.before["colour"], entry.before["note"], entry.before["tags"]) == (
        "yellow",
        "ask about the square",
        [],
    )
    assert (entry.after["colour"], entry.after["note"], entry.after["tags"]) == (
        "green",
        "ask twice",
        ["Witness/B"],
    )
    assert describe(entry) == (
        "colour yellow → green; note “ask about the square” → “ask twice”; tags +Witness/B"
    )

    since = entry.id
    case.marking.change(note.id, MarkChange(note="ask twice"))  # nothing differs
    assert _new_entries(case, since) == []

    history = History()
    gone = case.marking.delete(whole.id)
    history.push(deleted(case.marking, gone))
    entry = _only(case, since)
    assert (entry.action, entry.mark, entry.after) == ("mark-removed", whole.id, None)
    assert entry.before == mark_state(gone)

    since = entry.id
    history.undo()
    entry = _only(case, since)
    assert (entry.action, entry.mark, entry.before) == ("mark-restored", whole.id, None)
    assert entry.after is not None and entry.after["note"] == "whole deposition"


def test_tag_actions_log_each_mark_and_document_they_touch(case: Case) -> None:
    complaint, deposition = _doc(case, "Complaint"), _doc(case, "Deposition of Batkanbayev")
    first = highlight_words(case, complaint, 1, "police fired", "Issue/Force")
    second = highlight_words(case, deposition, 2, "firing without warning", "Issue/Force/Guns")
    other = highlight_words(case, complaint, 2, "torture", "Issue/Torture")
    case.marking.tag_document(complaint, ["Issue/Force"])

    since = _last_id(case)
    case.marking.tag_document(deposition, ["Witness"])
    entry = _only(case, since)
    assert (entry.action, entry.doc, entry.mark) == ("document-tagged", deposition, None)
    assert entry.before == {"doc": deposition, "tags": []}
    assert entry.after == {"doc": deposition, "tags": ["Witness"]}

    since = entry.id
    edit = case.marking.rename_tag("Issue/Force", "Force")
    found = _new_entries(case, since)
    assert {e.action for e in found} == {"tag-renamed"}
    by_mark = {e.mark: e for e in found if e.mark is not None}
    assert set(by_mark) == {first.id, second.id}  # not `other`: its tag did not move
    assert by_mark[first.id].before is not None and by_mark[first.id].after is not None
    assert by_mark[first.id].before["tags"] == ["Issue/Force"]
    assert by_mark[first.id].after["tags"] == ["Force"]
    assert by_mark[second.id].after is not None
    assert by_mark[second.id].after["tags"] == ["Force/Guns"]
    (document,) = [e for e in found if e.mark is None]
    assert (document.doc, document.before, document.after) == (
        complaint,
        {"doc": complaint, "tags": ["Issue/Force"]},
        {"doc": complaint, "tags": ["Force"]},
    )

    since = found[-1].id
    case.marking.restore_tags(edit)  # the undo of the rename
    found = _new_entries(case, since)
    assert {e.action for e in found} == {"tags-restored"}
    assert {e.mark for e in found} == {first.id, second.id, None}

    since = found[-1].id
    case.marking.merge_tag("Issue/Torture", "Witness")
    (merged,) = _new_entries(case, since)
    assert (merged.action, merged.mark) == ("tag-merged", other.id)
    assert merged.after is not None and merged.after["tags"] == ["Witness"]

    since = merged.id
    case.marking.delete_tag("Witness")
    found = _new_entries(case, since)
    assert {e.action for e in found} == {"tag-deleted"}
    assert {(e.mark, e.doc) for e in found} == {(other.id, complaint), (None, deposition)}

    since = found[-1].id
    case.marking.untag_document(complaint, ["Issue/Force"])
    entry = _only(case, since)
    assert (entry.action, entry.after) == ("document-tagged", {"doc": complaint, "tags": []})


def _minutes(case: Case, folder: Path) -> int:
    """A UTF-8 text with Russian before English: read again as cp1251, each Cyrillic
    letter becomes two characters, so the English words move and the Russian go."""
    source = folder / "minutes.txt"
    source.write_bytes((MINUTES_RUSSIAN + MINUTES_ENGLISH).encode("utf-8"))
    case.import_paths([source], workers=1)
    return next(d.id for d in case.documents() if d.source_name == "minutes.txt")


MINUTES_RUSSIAN = "Протокол заседания суда.\n"
MINUTES_ENGLISH = "The hearing was adjourned to Monday.\n"
_SHIFT = sum(1 for c in MINUTES_RUSSIAN if not c.isascii())  # a second character each


def test_re_reading_a_text_logs_each_mark_it_moves_as_dockets(case: Case, tmp_path: Path) -> None:
    minutes = _minutes(case, tmp_path)
    kept = highlight_words(case, minutes, 1, "hearing was adjourned")
    lost = highlight_words(case, minutes, 1, "Протокол")
    since = _last_id(case)
    case.reencode(minutes, "utf-8")  # the same text: nothing moves, nothing is logged
    assert _new_entries(case, since) == []
    case.reencode(minutes, "cp1251")
    found = {e.mark: e for e in _new_entries(case, since)}
    assert set(found) == {kept.id, lost.id}
    assert {(e.action, e.author) for e in found.values()} == {("mark-reanchored", AUTOMATIC)}
    moved = found[kept.id]
    assert moved.before is not None and moved.after is not None
    assert moved.after["range"][1] == moved.before["range"][1] + _SHIFT
    assert moved.after["quote"] == moved.before["quote"] == "hearing was adjourned"
    orphan = found[lost.id]
    assert orphan.after is not None and orphan.after["kind"] == "page-note"
    assert describe(orphan).endswith("now a page-note")


def test_marks_imported_from_w3c_annotations_are_logged(case: Case, tmp_path: Path) -> None:
    sha = case.document(_doc(case, "Complaint")).sha256
    foreign = [
        {
            "type": "Annotation",
            "bodyValue": "From another reader",
            "target": {
                "source": {"id": f"urn:sha256:{sha}"},
                "selector": {"type": "TextQuoteSelector", "exact": "Relief sought"},
            },
        }
    ]
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    since = _last_id(case)
    (mark,) = import_web_annotations(case, path).imported
    entry = _only(case, since)
    assert (entry.action, entry.mark, entry.author) == ("mark-added", mark.id, "Dana Reviewer")
    assert entry.after is not None and entry.after["note"] == "From another reader"


def test_a_change_that_fails_leaves_no_entry_and_no_change(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark = highlight_words(case, _doc(case, "Complaint"), 1, "police fired")
    since = _last_id(case)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(markstore, "set_mark_tags", broken)
    with pytest.raises(OSError):
        case.marking.change(mark.id, MarkChange(colour="pink", tags=("A",)))
    assert _new_entries(case, since) == []
    assert case.marking.get(mark.id).colour == "yellow"
    with pytest.raises(DocketError):
        case.marking.change(mark.id, MarkChange(colour="no-such-colour"))
    assert _new_entries(case, since) == []


def test_a_mark_removed_meanwhile_is_an_error_not_an_entry(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another thread deleted it between the caller's read and the change's transaction.
    mark = highlight_words(case, _doc(case, "Complaint"), 1, "police fired")
    case.marking.delete(mark.id)
    since = _last_id(case)
    monkeypatch.setattr(case.marking, "get", lambda _mark_id: mark)
    with pytest.raises(DocketError, match=f"no mark {mark.id}"):
        case.marking.change(mark.id, MarkChange(colour="pink"))
    with pytest.raises(DocketError, match=f"no mark {mark.id}"):
        case.marking.delete(mark.id)
    assert _new_entries(case, since) == []


def test_a_mark_deleted_long_ago_comes_back_with_its_note_and_tags(case: Case) -> None:
    doc = _doc(case, "Complaint")
    mark = highlight_words(case, doc, 1, "police fired", "Issue/Force", "Zh")
    case.marking.change(mark.id, MarkChange(note="the first volley", colour="pink"))
    case.marking.delete(mark.id)
    removal = case.marking.audit_entries(mark=mark.id)[-1]
    assert removal.action == "mark-removed"
    # Long ago: other work since, and the tag it alone carried is gone from the case.
    for words in ("torture", "denial"):
        highlight_words(case, doc, 2, words, "Other")
    assert "Zh" not in {count.name for count in case.marking.tag_counts()}

    back = case.marking.restore_from_log(removal.id)
    assert back.id == mark.id  # its old id was free
    assert (back.quote, back.note, back.colour, back.tags) == (
        "police fired",
        "the first volley",
        "pink",
        ("Issue/Force", "Zh"),
    )
    assert (back.uuid, back.anchor, back.rects) == (mark.uuid, mark.anchor, mark.rects)
    restored = case.marking.audit_entries(mark=mark.id)[-1]
    assert (restored.action, restored.before) == ("mark-restored", None)
    assert [hit.mark for hit in case.search("note:volley").results] == [mark.id]

    with pytest.raises(DocketError, match="in the case already"):
        case.marking.restore_from_log(removal.id)
    added = case.marking.audit_entries(mark=mark.id)[0]
    with pytest.raises(DocketError, match="holds no mark"):
        case.marking.restore_from_log(added.id)
    with pytest.raises(DocketError, match="no entry 9999"):
        case.marking.restore_from_log(9999)


def test_a_restored_mark_takes_a_new_id_when_its_old_one_is_taken(case: Case) -> None:
    doc = _doc(case, "Complaint")
    mark = highlight_words(case, doc, 1, "police fired")
    case.marking.delete(mark.id)
    removal = case.marking.audit_entries(mark=mark.id)[-1]
    # Only a case rebuilt by hand (or a recovery) could give the id away again.
    squatter = highlight_words(case, doc, 2, "torture")
    case.marking.delete(squatter.id)
    with case.database.write() as connection:
        markstore.insert_mark(connection, replace(squatter, id=mark.id), keep_id=True)
    back = case.marking.restore_from_log(removal.id)
    assert back.id != mark.id and back.uuid == mark.uuid and back.quote == "police fired"


def test_a_mark_whose_words_moved_comes_back_where_they_are_now(case: Case, tmp_path: Path) -> None:
    minutes = _minutes(case, tmp_path)
    mark = highlight_words(case, minutes, 1, "hearing was adjourned")
    russian = highlight_words(case, minutes, 1, "Протокол")
    case.marking.delete(mark.id)
    case.marking.delete(russian.id)
    removal = case.marking.audit_entries(mark=mark.id)[-1]
    case.reencode(minutes, "cp1251")
    back = case.marking.restore_from_log(removal.id)
    assert back.anchor is not None and mark.anchor is not None
    assert back.anchor.start == mark.anchor.start + _SHIFT
    assert back.quote == "hearing was adjourned"
    removal = case.marking.audit_entries(mark=russian.id)[-1]
    with pytest.raises(DocketError, match="are no longer in"):
        case.marking.restore_from_log(removal.id)


_KILL_SCRIPT = r"""
import os, signal, sys
from pathlib import Path

import docket  # noqa: F401
from docket.core.case import Case
from docket.core.model.marks import MarkChange

case = Case.open(Path(sys.argv[1]))
mark_id = int(sys.argv[2])
case.marking.change(mark_id, MarkChange(note="changed, then killed"))
case.marking.delete(mark_id)
os.kill(os.getpid(), signal.SIGKILL)  # at once: no close, no checkpoint
"""


def test_the_log_survives_sigkill_right_after_a_change(tmp_path: Path) -> None:
    case_path = tmp_path / "case"
    with Case.create(case_path) as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=1)
        mark = highlight_words(case, _doc(case, "Complaint"), 1, "police fired", "Issue")
    script = tmp_path / "change_and_die.py"
    script.write_text(_KILL_SCRIPT, encoding="utf-8")
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "desktop"), str(root)])}
    done = subprocess.run(
        [sys.executable, str(script), str(case_path), str(mark.id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    with Case.open(case_path) as case:
        actions = [e.action for e in case.marking.audit_entries(mark=mark.id)]
        assert actions == ["mark-added", "mark-changed", "mark-removed"]
        removal = case.marking.audit_entries(mark=mark.id)[-1]
        assert case.marking.find(mark.id) is None
        back = case.marking.restore_from_log(removal.id)
        assert (back.note, back.tags) == ("changed, then killed", ("Issue",))


def test_an_archive_carries_the_log(case: Case, tmp_path: Path) -> None:
    mark = highlight_words(case, _doc(case, "Complaint"), 1, "police fired", "Issue")
    case.marking.change(mark.id, MarkChange(note="kept in the zip"))
    case.marking.delete(mark.id)
    entries = case.marking.audit_entries()
    archive_case(case.path, tmp_path / "case.zip")
    restore_case(tmp_path / "case.zip", tmp_path / "restored")
    with Case.open(tmp_path / "restored") as restored:
        assert restored.marking.audit_entries() == entries
        back = restored.marking.restore_from_log(entries[-1].id)
        assert (back.note, back.tags) == ("kept in the zip", ("Issue",))
