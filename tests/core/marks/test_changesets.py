"""Every marking action hands its listeners one change-set saying what it did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.model.changes import Changes, Delta
from docket.core.model.marks import Anchor, MarkChange
from tests.core.case_factory import write_matter


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.create(tmp_path / "case") as opened:
        opened.import_paths([write_matter(tmp_path / "matter")], workers=0)
        yield opened


@pytest.fixture()
def heard(case: Case) -> list[Changes]:
    """The change-sets the listeners were told, in order."""
    told: list[Changes] = []
    case.marking.listeners.append(told.append)
    return told


def _doc(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def _words(case: Case, doc: int, page: int, words: str) -> Anchor:
    start = case.page(doc, page).text.index(words)
    return Anchor(page, start, page, start + len(words))


def test_making_changing_deleting_and_restoring_a_mark(case: Case, heard: list[Changes]) -> None:
    doc = _doc(case, "Complaint")
    first = case.marking.highlight(doc, _words(case, doc, 1, "police"), tags=["Issue"])
    assert heard == [Changes(marks=Delta.of(added=[first.id]), tags=Delta.of(added=["Issue"]))]

    note = case.marking.add_note(doc, "Ask", page=2, tags=["issue", "Witness"])
    assert heard[-1] == Changes(
        marks=Delta.of(added=[note.id]),
        tags=Delta.of(added=["Witness"], changed=["Issue"]),  # the first spelling stays
    )

    case.marking.change(first.id, MarkChange(colour="blue"))
    assert heard[-1] == Changes(marks=Delta.of(changed=[first.id]))  # no tag moved

    case.marking.change(first.id, MarkChange(tags=("Witness", "New")))
    assert heard[-1] == Changes(
        marks=Delta.of(changed=[first.id]),
        tags=Delta.of(added=["New"], changed=["Issue", "Witness"]),  # Issue: on the note only
    )
    # "Issue" is still on the note: its use changed, it was not removed.
    case.marking.change(first.id, MarkChange(tags=("Issue",)))
    assert heard[-1].tags == Delta.of(changed=["Issue", "Witness"], removed=["New"])

    gone = case.marking.delete(note.id)
    assert heard[-1] == Changes(
        marks=Delta.of(removed=[note.id]), tags=Delta.of(changed=["Issue", "Witness"])
    )
    case.marking.restore(gone)
    assert heard[-1] == Changes(
        marks=Delta.of(added=[note.id]), tags=Delta.of(changed=["Issue", "Witness"])
    )
    assert len(heard) == 7


def test_tag_actions_say_which_marks_documents_and_tags_they_touched(
    case: Case, heard: list[Changes]
) -> None:
    complaint, deposition = _doc(case, "Complaint"), _doc(case, "Deposition of Batkanbayev")
    a = case.marking.highlight(complaint, _words(case, complaint, 1, "police"), tags=["Issue/A"])
    b = case.marking.highlight(complaint, _words(case, complaint, 2, "torture"), tags=["Issue/B"])
    c = case.marking.highlight(deposition, _words(case, deposition, 2, "square"), tags=["Other"])
    del heard[:]

    tagged = case.marking.tag_document(deposition, ["Issue/A", "Exhibit"])
    assert tagged.changes == Changes(
        tags=Delta.of(added=["Exhibit"], changed=["Issue/A"]), document_tags={deposition}
    )
    assert tagged.documents_before == {deposition: ()}
    again = case.marking.tag_document(deposition, ["exhibit"])
    assert not again.changes and again.documents == 0  # it had it: nothing changed

    renamed = case.marking.rename_tag("Issue", "Matter")
    assert renamed.changes == Changes(
        marks=Delta.of(changed=[a.id, b.id]),
        tags=Delta.of(added=["Matter/A", "Matter/B"], removed=["Issue/A", "Issue/B"]),
        document_tags={deposition},
    )
    assert (renamed.marks, renamed.documents, renamed.merged) == (2, 1, False)
    assert renamed.marks_before == {a.id: ("Issue/A",), b.id: ("Issue/B",)}

    merged = case.marking.merge_tag("Matter/B", "Other")
    assert merged.changes == Changes(
        marks=Delta.of(changed=[b.id]),
        tags=Delta.of(changed=["Other"], removed=["Matter/B"]),
    )
    assert merged.merged and c.id not in merged.marks_before  # c had Other already

    deleted = case.marking.delete_tag("Matter")
    assert deleted.changes == Changes(
        marks=Delta.of(changed=[a.id]),
        tags=Delta.of(removed=["Matter/A"]),
        document_tags={deposition},
    )

    untagged = case.marking.untag_document(deposition, ["Exhibit", "Nothing"])
    assert untagged.changes == Changes(
        tags=Delta.of(removed=["Exhibit"]), document_tags={deposition}
    )
    assert untagged.documents_before == {deposition: ("Exhibit",)}
    # Each action was heard once, as returned; the one that changed nothing was not.
    assert heard == [e.changes for e in (tagged, renamed, merged, deleted, untagged)]
