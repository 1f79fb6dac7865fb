"""The Tags panel: the tree with its counts, rename in place, merge (also by dragging),
delete with the right question, and activation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from docket.app.operations.marks import MarkController
from docket.app.panels.marks.tagmodel import MIME_TYPE, PATH_ROLE
from docket.app.panels.marks.tagpanel import TagManager
from docket.core.case import Case
from tests.core.case_factory import highlight_words, write_matter

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    """Marks tagged Issue/Torture (2), Issue/Detention, Witness/…; documents tagged too."""
    with Case.create(tmp_path / "case") as opened:
        opened.import_paths([write_matter(tmp_path / "matter")], workers=0)
        docs = {d.title: d.id for d in opened.documents()}
        complaint, deposition = docs["Complaint"], docs["Deposition of Batkanbayev"]

        def mark(doc: int, page: int, words: str, *tags: str) -> None:
            highlight_words(opened, doc, page, words, *tags)

        mark(complaint, 1, "police fired", "Issue/Torture")
        mark(complaint, 2, "torture in custody", "Issue/Torture", "Witness/Karimova")
        mark(complaint, 2, "denial", "Issue/Detention")
        mark(deposition, 2, "firing without warning", "Witness/Batkanbayev")
        opened.marking.tag_document(complaint, ["Issue/Torture"])
        opened.marking.tag_document(deposition, ["Exhibit"])
        yield opened


@pytest.fixture
def controller(case: Case) -> Iterator[MarkController]:
    controller = MarkController(writer=None)
    controller.set_case(case)
    yield controller
    controller.set_case(None)


@pytest.fixture
def manager(qtbot: QtBot, controller: MarkController) -> TagManager:
    manager = TagManager(controller)
    qtbot.addWidget(manager)
    manager.resize(360, 420)
    manager.show()
    return manager


def rows(manager: TagManager) -> list[tuple[str, str]]:
    """(indented name, usage) for every row, parents before children."""
    model, found = manager.model, []

    def walk(parent, depth: int) -> None:  # type: ignore[no-untyped-def]
        for row in range(model.rowCount(parent)):
            name = model.index(row, 0, parent)
            found.append(("  " * depth + name.data(), model.index(row, 1, parent).data()))
            walk(name, depth + 1)

    walk(manager.model.invisibleRootItem().index(), 0)
    return found


def tags_of_marks(case: Case) -> list[tuple[str, ...]]:
    return [case.marking.get(m.id).tags for m in case.marking.marks()]


def answer(monkeypatch: pytest.MonkeyPatch, reply: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_the_tree_shows_parents_children_and_counts(manager: TagManager) -> None:
    assert rows(manager) == [
        ("Exhibit", "1 document"),
        ("Issue", "3 marks · 1 document"),
        ("  Detention", "1 mark"),
        ("  Torture", "2 marks · 1 document"),
        ("Witness", "2 marks"),
        ("  Batkanbayev", "1 mark"),
        ("  Karimova", "1 mark"),
    ]
    issue = manager.model.index_of("Issue")
    assert manager.view.isExpanded(issue)
    tooltip = issue.data(Qt.ItemDataRole.ToolTipRole)
    assert "Tagged Issue itself: not used" in tooltip
    assert "With its 2 subtags: 3 marks · 1 document" in tooltip


def test_refresh_keeps_expansion_and_selection(
    manager: TagManager, case: Case, controller: MarkController
) -> None:
    manager.view.setExpanded(manager.model.index_of("Witness"), False)
    assert manager.select_tag("Issue/Detention")
    case.marking.tag_document(case.documents()[0].id, ["Witness/Nazarbayev"])
    assert ("  Nazarbayev", "1 document") in rows(manager)  # marksChanged rebuilt the tree
    assert manager.current_tag() == "Issue/Detention"
    assert not manager.view.isExpanded(manager.model.index_of("Witness"))
    assert manager.view.isExpanded(manager.model.index_of("Issue"))


def test_renaming_in_place_renames_every_mark(
    qtbot: QtBot, manager: TagManager, case: Case
) -> None:
    manager.select_tag("Issue/Torture")
    manager.view.setFocus()
    qtbot.keyClick(manager.view, Qt.Key.Key_F2)
    editor = manager.view.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Torture"
    editor.selectAll()
    qtbot.keyClicks(editor, "Abuse")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "  Abuse" in [name for name, _ in rows(manager)])
    assert sum(("Issue/Abuse" in tags) for tags in tags_of_marks(case)) == 2
    assert not any("Issue/Torture" in tags for tags in tags_of_marks(case))
    assert manager.current_tag() == "Issue/Abuse"  # the selection follows the tag


def test_a_name_with_a_slash_moves_the_tag(manager: TagManager, case: Case) -> None:
    assert manager.rename("Witness/Karimova", "Party/Karimova")
    assert ("Party", "1 mark") in rows(manager)
    assert ("Issue/Torture", "Party/Karimova") in tags_of_marks(case)


def test_renaming_onto_an_existing_tag_asks_then_merges(
    monkeypatch: pytest.MonkeyPatch, manager: TagManager, case: Case
) -> None:
    asked = answer(monkeypatch, No)
    assert not manager.rename("Issue/Torture", "Detention")
    assert asked == [
        "Issue/Detention exists already: merge the 2 marks and 1 document of Issue/Torture into it?"
    ]
    assert sum(("Issue/Torture" in tags) for tags in tags_of_marks(case)) == 2

    answer(monkeypatch, Yes)
    assert manager.rename("Issue/Torture", "Detention")
    assert [name for name, _ in rows(manager)][1:3] == ["Issue", "  Detention"]
    assert rows(manager)[2] == ("  Detention", "3 marks · 1 document")


def test_merge_into_asks_for_the_target(
    monkeypatch: pytest.MonkeyPatch, manager: TagManager, case: Case
) -> None:
    offered: list[list[str]] = []

    def get_item(parent, title, label, items, *args):  # type: ignore[no-untyped-def]
        offered.append(list(items))
        return "Witness/Karimova", True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    asked = answer(monkeypatch, Yes)
    manager.select_tag("Witness/Batkanbayev")
    manager.merge_action.trigger()
    assert "Witness/Batkanbayev" not in offered[0] and "Issue/Torture" in offered[0]
    assert asked[0].startswith("Merge Witness/Batkanbayev into Witness/Karimova? The 1 mark")
    assert case.marking.tag_usage("Witness/Karimova") == (2, 0)
    assert case.marking.tag_usage("Witness/Batkanbayev") == (0, 0)


def drop_events(manager: TagManager, source: str, target: str) -> None:
    """A real drag of `source` entering the tree and dropped on the middle of `target`."""
    data = QMimeData()
    data.setData(MIME_TYPE, source.encode("utf-8"))
    viewport = manager.view.viewport()
    where = QPointF(manager.view.visualRect(manager.model.index_of(target)).center())
    move = Qt.DropAction.MoveAction
    for kind in (QDragEnterEvent, QDragMoveEvent):
        event = kind(where, move, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
    drop = QDropEvent(
        where,
        move,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QEvent.Type.Drop,
    )
    QApplication.sendEvent(viewport, drop)


def test_dropping_a_tag_onto_another_merges_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, manager: TagManager, case: Case
) -> None:
    asked = answer(monkeypatch, Yes)
    manager.rename("Issue/Detention", "Issue/Torture/Detention")  # a subtag that will move
    drop_events(manager, "Issue", "Witness")
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[-1] == (
        "Merge Issue into Witness? The 3 marks and 1 document tagged Issue "
        "will be tagged Witness instead. Its subtags move under Witness."
    )
    qtbot.waitUntil(lambda: manager.model.index_of("Witness/Torture/Detention").isValid())
    assert not manager.model.index_of("Issue").isValid()
    assert case.marking.tag_usage("Witness/Torture") == (3, 1)


def test_a_tag_cannot_be_dropped_into_itself(manager: TagManager) -> None:
    model = manager.model
    data = model.mimeData([model.index_of("Issue")])
    assert not model.canDropMimeData(
        data, Qt.DropAction.MoveAction, -1, -1, model.index_of("Issue/Torture")
    )
    assert not model.canDropMimeData(
        data,
        Qt.DropAction.MoveAction,
        0,
        0,  # between rows
        model.index_of("Witness"),
    )
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index_of("Witness"))


def test_delete_says_what_is_lost_and_no_keeps_everything(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, manager: TagManager, case: Case
) -> None:
    before = tags_of_marks(case)
    asked = answer(monkeypatch, No)
    manager.select_tag("Issue")
    manager.view.setFocus()
    qtbot.keyClick(manager.view, Qt.Key.Key_Delete)
    assert asked == ["Delete the tag Issue and its 2 subtags? 3 marks and 1 document will lose it."]
    assert tags_of_marks(case) == before

    answer(monkeypatch, Yes)
    manager.delete_action.trigger()
    assert not any(t.startswith("Issue") for tags in tags_of_marks(case) for t in tags)
    complaint = next(d.id for d in case.documents() if d.title == "Complaint")
    assert case.marking.document_tags(complaint) == []
    assert [name for name, _ in rows(manager)][:2] == ["Exhibit", "Witness"]


def test_errors_are_shown_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, manager: TagManager
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    assert not manager.rename("Issue", "/ /")
    assert shown and "no letters" in shown[0]


def test_activating_a_tag_asks_for_its_marks(qtbot: QtBot, manager: TagManager) -> None:
    index = manager.model.index_of("Witness/Karimova")
    centre = manager.view.visualRect(index).center()
    qtbot.mouseClick(manager.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(manager.tagActivated) as activated:
        qtbot.mouseDClick(manager.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert activated.args == ["Witness/Karimova"]
    manager.view.setFocus()
    with qtbot.waitSignal(manager.tagActivated) as activated:
        qtbot.keyClick(manager.view, Qt.Key.Key_Return)
    assert activated.args == ["Witness/Karimova"]

    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, centre, manager.view.viewport().mapToGlobal(centre)
    )
    QApplication.sendEvent(manager.view.viewport(), event)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Show Marks",
        "Rename",
        "Merge Into…",
        "Delete",
    ]
    with qtbot.waitSignal(manager.tagActivated) as activated:
        menu.actions()[0].trigger()
    menu.close()
    assert activated.args == ["Witness/Karimova"]


def test_no_case_and_no_tags(qtbot: QtBot, controller: MarkController) -> None:
    manager = TagManager(controller)
    qtbot.addWidget(manager)
    controller.set_case(None)
    assert manager.model.rowCount() == 0
    assert not manager.empty_label.isHidden() and manager.view.isHidden()
    assert not manager.delete_action.isEnabled()
    assert manager.model.index_of("Issue").data(PATH_ROLE) is None
