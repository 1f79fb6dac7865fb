"""The MarkController: tag actions onto the undo stack, change-sets to the views, and the
marks it has read kept up to date from them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from docket.app.dialogs.documenttags import TagDocumentDialog
from docket.app.operations.marks import MarkController
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.model.changes import Changes, Delta
from docket.core.model.marks import Anchor, MarkFilter
from tests.core.case_factory import write_matter


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.create(tmp_path / "case") as opened:
        opened.import_paths([write_matter(tmp_path / "matter")], workers=0)
        yield opened


@pytest.fixture
def controller(case: Case) -> Iterator[MarkController]:
    control = MarkController(writer=None)
    control.set_case(case)
    yield control
    control.set_case(None)


@pytest.fixture
def heard(controller: MarkController) -> list[Changes | None]:
    told: list[Changes | None] = []
    controller.marksChanged.connect(told.append)
    return told


def _complaint(case: Case) -> int:
    return next(d.id for d in case.documents() if d.title == "Complaint")


def _anchor(case: Case, doc: int, page: int, words: str) -> Anchor:
    start = case.page(doc, page).text.index(words)
    return Anchor(page, start, page, start + len(words))


def test_views_hear_each_change_set_and_none_when_the_case_changes(
    case: Case, controller: MarkController, heard: list[Changes | None]
) -> None:
    doc = _complaint(case)
    mark = controller.highlight(doc, _anchor(case, doc, 1, "police fired"))
    assert mark is not None
    controller.set_tags(mark.id, ["Issue"])
    assert heard == [
        Changes(marks=Delta.of(added=[mark.id])),
        Changes(marks=Delta.of(changed=[mark.id]), tags=Delta.of(added=["Issue"])),
    ]
    controller.set_case(None)
    assert heard[-1] is None


def test_the_marks_read_follow_each_change_without_reading_them_all(
    case: Case, controller: MarkController
) -> None:
    doc = _complaint(case)
    first = controller.add_note(doc, "First", page=2)
    assert first is not None
    assert [m.id for m in controller.marks(doc)] == [first.id]
    assert [m.id for m in controller.marks()] == [first.id]
    mark = controller.highlight(doc, _anchor(case, doc, 1, "police fired"))
    assert mark is not None
    controller.recolour(mark.id, "blue")
    controller.delete(first.id)
    controller.undo()  # the deletion: the note comes back under its id
    expected = case.marking.marks(MarkFilter(doc=doc))
    assert controller.cached_marks(doc) == expected  # same order, same versions
    assert controller.cached_marks(None) == case.marking.marks()
    assert [m.colour for m in expected] == ["blue", "yellow"]


def test_tag_actions_are_undone_and_redone_through_the_history(
    case: Case, controller: MarkController
) -> None:
    doc = _complaint(case)
    mark = controller.highlight(doc, _anchor(case, doc, 1, "police fired"))
    assert mark is not None
    controller.set_tags(mark.id, ["Issue/Torture", "Witness"])
    controller.tag_document(doc, ["Issue/Torture"])
    assert controller.history.undo_label == "Tag Document"
    controller.rename_tag("Issue", "Matter")
    assert controller.history.undo_label == "Rename Tag"
    controller.merge_tag("Witness", "Matter/Torture")
    assert controller.history.undo_label == "Merge Tag"
    controller.delete_tag("Matter")
    assert controller.history.undo_label == "Delete Tag"
    assert case.marking.get(mark.id).tags == ()

    controller.undo()
    assert case.marking.get(mark.id).tags == ("Matter/Torture",)
    controller.undo()
    assert case.marking.get(mark.id).tags == ("Matter/Torture", "Witness")
    controller.undo()
    assert case.marking.get(mark.id).tags == ("Issue/Torture", "Witness")
    assert case.marking.document_tags(doc) == ["Issue/Torture"]
    controller.undo()
    assert case.marking.document_tags(doc) == []
    controller.redo()
    assert case.marking.document_tags(doc) == ["Issue/Torture"]

    with pytest.raises(DocketError, match="no tag"):
        controller.rename_tag("Nothing", "Else")
    assert controller.history.undo_label == "Tag Document"  # a refused change is not recorded
    controller.tag_document(doc, ["issue/torture"])  # it has it: nothing to undo
    assert controller.history.undo_label == "Tag Document" and controller.history.redo_label


def test_ok_in_the_tag_dialog_is_one_undo_step(
    qtbot: QtBot, case: Case, controller: MarkController
) -> None:
    doc = _complaint(case)
    controller.tag_document(doc, ["Exhibit", "Privileged"])
    dialog = TagDocumentDialog(controller, doc)
    qtbot.addWidget(dialog)
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)  # Exhibit
    dialog.edit.setText("Issue/Torture")
    dialog.accept()
    assert case.marking.document_tags(doc) == ["Issue/Torture", "Privileged"]
    assert controller.history.undo_label == "Tag Document"
    controller.undo()
    assert case.marking.document_tags(doc) == ["Exhibit", "Privileged"]
    assert case.search("tag:Issue").total == 0


def test_changes_made_on_another_thread_reach_the_views_on_theirs_as_one(
    qtbot: QtBot, case: Case, controller: MarkController, heard: list[Changes | None]
) -> None:
    doc = _complaint(case)
    made: list[int] = []

    def import_notes() -> None:  # as an import adds a PDF's marks, on the writer thread
        made.append(case.marking.add_note(doc, "From an import", page=1).id)
        made.append(case.marking.add_note(doc, "And another", page=2).id)

    worker = threading.Thread(target=import_notes)
    worker.start()
    worker.join()
    assert heard == []  # not on the worker's thread
    qtbot.waitUntil(lambda: bool(heard))
    assert heard == [Changes(marks=Delta.of(added=made))]
    assert [m.id for m in controller.marks(doc)] == made
