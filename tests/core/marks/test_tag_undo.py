"""Undo and redo of tag rename, merge, delete and a document's tags: exactly as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.marks.history import (
    History,
    document_tagged,
    document_untagged,
    tag_deleted,
    tag_merged,
    tag_renamed,
)
from tests.core.case_factory import highlight_words, write_matter

State = tuple[dict[int, tuple[str, ...]], dict[int, list[str]], list[str]]


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    """Marks tagged Issue/Torture, Issue/Abuse, Witness (several per mark); documents too."""
    with Case.create(tmp_path / "case") as opened:
        opened.import_paths([write_matter(tmp_path / "matter")], workers=0)
        docs = {d.title: d.id for d in opened.documents()}
        complaint, deposition = docs["Complaint"], docs["Deposition of Batkanbayev"]

        def mark(doc: int, page: int, words: str, *tags: str) -> None:
            highlight_words(opened, doc, page, words, *tags)

        mark(complaint, 1, "police fired", "Issue/Torture")
        mark(complaint, 2, "torture in custody", "Issue/Torture", "Issue/Abuse")
        mark(complaint, 2, "denial", "Issue/Abuse", "Witness")
        mark(deposition, 2, "firing without warning", "Witness")
        opened.marking.tag_document(complaint, ["Issue/Torture", "Exhibit"])
        opened.marking.tag_document(deposition, ["Issue/Abuse"])
        yield opened


def state(case: Case) -> State:
    """Every mark's tags, every document's tags and every tag name, spelt as stored."""
    marking = case.marking
    return (
        {m.id: m.tags for m in marking.marks()},
        marking.all_document_tags(),
        [count.name for count in marking.tag_counts()],
    )


def _doc(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def test_undo_of_a_rename_puts_the_old_name_back_and_redo_renames_again(case: Case) -> None:
    history, marking = History(), case.marking
    before = state(case)
    edit = marking.rename_tag("Issue", "Matters")
    history.push(tag_renamed(marking, "Issue", "Matters", edit))
    after = state(case)
    assert "Matters/Torture" in after[2] and not any(n.startswith("Issue") for n in after[2])
    assert case.search("tag:Issue").total == 0

    assert history.undo() == "Rename Tag"
    assert state(case) == before
    assert case.search("tag:Issue/Torture").total == 3  # two marks and the Complaint
    assert case.search("tag:Matters").total == 0
    assert history.redo() == "Rename Tag"
    assert state(case) == after


def test_undo_of_a_rename_that_only_changes_case_restores_the_spelling(case: Case) -> None:
    history, marking = History(), case.marking
    before = state(case)
    history.push(
        tag_renamed(marking, "Witness", "WITNESS", marking.rename_tag("Witness", "WITNESS"))
    )
    assert "WITNESS" in state(case)[2]
    history.undo()
    assert state(case) == before


def test_undo_of_a_rename_into_a_tag_in_use_unmerges_exactly(case: Case) -> None:
    history, marking = History(), case.marking
    before = state(case)
    # Issue/Abuse into Issue/Torture: one mark and the Complaint have both, one mark
    # and the Deposition have Abuse alone. The reverse rename would take every
    # Torture mark along; the undo must give each its own tags back.
    edit = marking.rename_tag("Issue/Abuse", "Issue/Torture")
    command = tag_renamed(marking, "Issue/Abuse", "Issue/Torture", edit)
    history.push(command)
    assert command.label == "Merge Tag" and edit.merged
    merged = state(case)
    assert "Issue/Abuse" not in merged[2]
    assert sorted(t for tags in merged[0].values() for t in tags).count("Issue/Torture") == 3

    history.undo()
    assert state(case) == before
    assert case.search("tag:Issue/Abuse").total == 3  # two marks and the Deposition
    history.redo()
    assert state(case) == merged


def test_undo_of_a_merge_and_of_a_delete(case: Case) -> None:
    history, marking = History(), case.marking
    before = state(case)
    history.push(tag_merged(marking, "Witness", "Issue", marking.merge_tag("Witness", "Issue")))
    merged = state(case)
    history.push(tag_deleted(marking, "Issue", marking.delete_tag("Issue")))
    assert state(case)[2] == ["Exhibit"]
    assert case.search("tag:Issue").total == 0

    assert history.undo() == "Delete Tag"
    assert state(case) == merged
    assert history.undo() == "Merge Tag"
    assert state(case) == before
    assert history.redo() == "Merge Tag" and history.redo() == "Delete Tag"
    assert state(case)[2] == ["Exhibit"]


def test_undo_of_tagging_and_untagging_a_document(case: Case) -> None:
    history, marking = History(), case.marking
    complaint = _doc(case, "Complaint")
    before = state(case)
    names = ["Exhibit", "Privileged"]
    history.push(document_tagged(marking, complaint, names, marking.tag_document(complaint, names)))
    assert marking.document_tags(complaint) == ["Exhibit", "Issue/Torture", "Privileged"]
    tagged = state(case)
    names = ["exhibit", "Issue/Torture"]
    history.push(
        document_untagged(marking, complaint, names, marking.untag_document(complaint, names))
    )
    assert marking.document_tags(complaint) == ["Privileged"]
    assert "Exhibit" not in state(case)[2]  # no one else had it
    assert case.search("tag:Exhibit").total == 0

    assert history.undo() == "Untag Document"
    assert state(case) == tagged  # "Exhibit" back with its own spelling
    assert case.search("tag:Exhibit").results[0].doc == complaint
    assert history.undo() == "Tag Document"
    assert state(case) == before
    assert case.search("tag:Privileged").total == 0
    history.redo()
    history.redo()
    assert marking.document_tags(complaint) == ["Privileged"]


def test_undo_passes_over_a_mark_deleted_meanwhile(case: Case) -> None:
    history, marking = History(), case.marking
    edit = marking.rename_tag("Witness", "Person")
    history.push(tag_renamed(marking, "Witness", "Person", edit))
    gone = next(m for m in marking.marks() if "Person" in m.tags)
    marking.delete(gone.id)
    history.undo()
    assert all("Person" not in m.tags for m in marking.marks())
    assert sum("Witness" in m.tags for m in marking.marks()) == 1
