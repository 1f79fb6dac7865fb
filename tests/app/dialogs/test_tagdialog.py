"""Tagging a document: completion anywhere in the path, Enter adds, OK stores; the note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from docket.app.dialogs.documenttags import TagDocumentDialog, case_tag_names, document_note_text
from docket.app.operations.marks import MarkController
from docket.core.case import Case
from docket.core.model.marks import Anchor
from tests.core.case_factory import write_matter


@pytest.fixture
def controller(tmp_path: Path) -> Iterator[MarkController]:
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        doc = next(d.id for d in case.documents() if d.title == "Complaint")
        start = case.page(doc, 1).text.index("police fired")
        case.marking.highlight(
            doc, Anchor(1, start, 1, start + 12), tags=["Issue/Torture", "Witness/Karimova"]
        )
        case.marking.tag_document(doc, ["Exhibit"])
        controller = MarkController(writer=None)
        controller.set_case(case)
        yield controller
        controller.set_case(None)


@pytest.fixture
def dialog(qtbot: QtBot, controller: MarkController) -> TagDocumentDialog:
    assert controller.case is not None
    doc = next(d.id for d in controller.case.documents() if d.title == "Complaint")
    dialog = TagDocumentDialog(controller, doc)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def completions(dialog: TagDocumentDialog) -> list[str]:
    model = dialog.edit.completer().completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_names_offered_include_parents(controller: MarkController) -> None:
    assert sorted(case_tag_names(controller)) == [
        "Exhibit",
        "Issue",
        "Issue/Torture",
        "Witness",
        "Witness/Karimova",
    ]


def test_typing_part_of_a_tag_offers_it(qtbot: QtBot, dialog: TagDocumentDialog) -> None:
    qtbot.keyClicks(dialog.edit, "tort")
    assert completions(dialog) == ["Issue/Torture"]
    assert dialog.edit.completer().popup().isVisible()
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, "Exhibit, KARIM")  # the part after the last comma
    assert completions(dialog) == ["Witness/Karimova"]
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, "exhib")  # the document has it already: not offered
    assert completions(dialog) == []
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, "Exhibit, KARIM")
    popup = dialog.edit.completer().popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # takes the completion and adds both
    qtbot.waitUntil(lambda: dialog.tags() == ["Exhibit", "Witness/Karimova"])
    assert dialog.edit.text() == ""


def test_ok_stores_added_and_removes_unticked_tags(
    qtbot: QtBot, dialog: TagDocumentDialog, controller: MarkController
) -> None:
    assert dialog.tags() == ["Exhibit"]
    qtbot.keyClicks(dialog.edit, "Issue/Torture,  witness / batkanbayev ")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)  # adds; the dialog stays open
    assert dialog.isVisible()
    assert dialog.tags() == ["Exhibit", "Issue/Torture", "witness/batkanbayev"]
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.keyClicks(dialog.edit, "Issue/Detention")  # typed, not added: OK takes it
    with qtbot.waitSignal(controller.marksChanged):
        dialog.accept()
    assert dialog.changed and not dialog.isVisible()
    assert controller.marking.document_tags(dialog.doc_id) == [
        "Issue/Detention",
        "Issue/Torture",
        "witness/batkanbayev",
    ]


def test_a_bad_name_is_explained_and_nothing_saved(
    qtbot: QtBot, dialog: TagDocumentDialog, controller: MarkController
) -> None:
    qtbot.keyClicks(dialog.edit, "Issue, ///")
    dialog.accept()
    assert dialog.isVisible() and "no letters" in dialog.problem.text()
    assert controller.marking.document_tags(dialog.doc_id) == ["Exhibit"]


def test_the_note_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    replies = iter([("Ask about the square", True), ("  ", True), ("text", False)])
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *args: next(replies))
    assert document_note_text(None, "Complaint") == "Ask about the square"
    assert document_note_text(None, "Complaint") is None  # empty
    assert document_note_text(None, "Complaint") is None  # cancelled
