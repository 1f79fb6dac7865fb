"""Tag rename and delete in the Tags panel of the real window, undone with Ctrl+Z and the
Undo action: the old tag is back on the same marks and documents, and in the index."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from docket.app.panels.marks.tagpanel import TagManager
from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from docket.core.model.marks import Anchor
from tests.core.case_factory import write_matter

Tagged = dict[int, tuple[str, ...]]


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    """Marks tagged Issue/Torture (two), Issue/Detention and Witness; the Complaint
    tagged Issue/Torture itself."""
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        complaint = next(d.id for d in case.documents() if d.title == "Complaint")

        def mark(page: int, words: str, *tags: str) -> None:
            start = case.page(complaint, page).text.index(words)
            case.marking.highlight(
                complaint, Anchor(page, start, page, start + len(words)), tags=tags
            )

        mark(1, "police fired", "Issue/Torture")
        mark(2, "torture in custody", "Issue/Torture", "Witness")
        mark(2, "denial", "Issue/Detention")
        case.marking.tag_document(complaint, ["Issue/Torture"])
    return tmp_path / "case"


@pytest.fixture
def tags_panel(qtbot: QtBot, window: MainWindow, case_path: Path) -> TagManager:
    assert window.open_case(case_path)
    manager = window.findChild(TagManager)
    assert manager is not None
    dock: QWidget | None = manager
    while dock is not None and not isinstance(dock, QDockWidget):
        dock = dock.parentWidget()
    assert dock is not None
    dock.show()
    dock.raise_()
    qtbot.waitUntil(manager.view.isVisible)
    return manager


def tagged(window: MainWindow) -> tuple[Tagged, dict[int, list[str]]]:
    """Every mark's tags by id, and every document's own tags."""
    assert window.case is not None
    marking = window.case.marking
    return {m.id: m.tags for m in marking.marks()}, marking.all_document_tags()


def found_by_tag(window: MainWindow, tag: str) -> int:
    assert window.case is not None
    return window.case.search(f'tag:"{tag}"').total


def test_a_tag_renamed_in_the_panel_is_undone_with_ctrl_z(
    qtbot: QtBot, window: MainWindow, tags_panel: TagManager
) -> None:
    before = tagged(window)
    torture = {mark for mark, tags in before[0].items() if "Issue/Torture" in tags}
    assert len(torture) == 2
    tags_panel.select_tag("Issue/Torture")
    tags_panel.view.setFocus()
    qtbot.keyClick(tags_panel.view, Qt.Key.Key_F2)
    editor = tags_panel.view.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Abuse")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tags_panel.model.index_of("Issue/Abuse").isValid())
    marks, _ = tagged(window)
    assert {mark for mark, tags in marks.items() if "Issue/Abuse" in tags} == torture
    assert window.actions_["undo"].text() == "&Undo Rename Tag"
    qtbot.waitUntil(lambda: found_by_tag(window, "Issue/Abuse") == 3)  # the writer synced

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tagged(window) == before  # the same marks, and the document, have it again
    assert tags_panel.model.index_of("Issue/Torture").isValid()
    assert not tags_panel.model.index_of("Issue/Abuse").isValid()
    assert tags_panel.current_tag() == "Issue/Torture"  # the selection followed the undo
    assert window.actions_["redo"].text() == "&Redo Rename Tag"
    qtbot.waitUntil(lambda: found_by_tag(window, "Issue/Torture") == 3)
    assert found_by_tag(window, "Issue/Abuse") == 0

    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    marks, _ = tagged(window)
    assert {mark for mark, tags in marks.items() if "Issue/Abuse" in tags} == torture
    assert tags_panel.current_tag() == "Issue/Abuse"


def test_a_tag_deleted_in_the_panel_comes_back_with_undo(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow, tags_panel: TagManager
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    before = tagged(window)
    tags_panel.select_tag("Issue")
    tags_panel.view.setFocus()
    qtbot.keyClick(tags_panel.view, Qt.Key.Key_Delete)
    marks, documents = tagged(window)
    assert not any(t.startswith("Issue") for tags in marks.values() for t in tags)
    assert documents == {}
    assert [
        tags_panel.model.index(row, 0).data() for row in range(tags_panel.model.rowCount())
    ] == ["Witness"]
    assert window.actions_["undo"].text() == "&Undo Delete Tag"

    window.actions_["undo"].trigger()
    assert tagged(window) == before
    assert tags_panel.model.index_of("Issue/Detention").isValid()
    qtbot.waitUntil(lambda: found_by_tag(window, "Issue") == 4)  # three marks, one document
