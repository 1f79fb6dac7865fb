"""The Chronology panel and the mark editor's Date: real case, real widgets (offscreen)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from docket.app.operations.marks import MarkController
from docket.app.panels.chronology.panel import ChronologyPanel
from docket.app.panels.marks.editor import MarkEditor
from docket.core.case import Case
from docket.core.export.formats import ExportFormat
from docket.core.model.marks import Mark
from tests.core.chronology.chronology_factory import DATE_ORDER, chronology_case


@pytest.fixture
def dated(tmp_path: Path) -> Iterator[tuple[Case, dict[str, Mark]]]:
    case, marks = chronology_case(tmp_path)
    yield case, marks
    case.close()


@pytest.fixture
def controller(dated: tuple[Case, dict[str, Mark]]) -> Iterator[MarkController]:
    control = MarkController(writer=None)
    control.set_case(dated[0])
    yield control
    control.set_case(None)


def _rows(panel: ChronologyPanel) -> list[int]:
    tree = panel.tree
    return [
        tree.topLevelItem(n).data(0, Qt.ItemDataRole.UserRole)
        for n in range(tree.topLevelItemCount())
    ]


def _choose(box: object, text: str) -> None:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(box, QComboBox)
    index = box.findText(text)
    assert index >= 0, text
    box.setCurrentIndex(index)


def test_facts_listed_in_date_order_and_filtered(
    qtbot: QtBot, controller: MarkController, dated: tuple[Case, dict[str, Mark]]
) -> None:
    _, marks = dated
    panel = ChronologyPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    assert _rows(panel) == [marks[n].id for n in DATE_ORDER]
    first = panel.tree.topLevelItem(0)
    assert [first.text(c) for c in range(5)] == [
        "May 2011",
        "“The strike began”",
        "Incident report at 2",
        "undisputed",
        "Issue/Strike",
    ]
    assert panel.count_label.text() == "5 facts"
    # People are the tags under People/: the person filter lists only those.
    people = [panel.person_box.itemText(n) for n in range(panel.person_box.count())]
    assert people == ["Everyone", "People/Batkanbayev", "People/Karimova"]
    _choose(panel.person_box, "People/Karimova")
    assert _rows(panel) == [marks["fired"].id, marks["released"].id]
    assert panel.count_label.text() == "2 facts of 5"
    _choose(panel.status_box, "Disputed")
    assert _rows(panel) == [marks["fired"].id]
    _choose(panel.person_box, "Everyone")
    _choose(panel.status_box, "Any status")
    _choose(panel.tag_box, "Issue/Shooting")
    assert _rows(panel) == [marks["fired"].id]


def test_a_click_opens_the_source(
    qtbot: QtBot, controller: MarkController, dated: tuple[Case, dict[str, Mark]]
) -> None:
    _, marks = dated
    panel = ChronologyPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    item = panel.tree.topLevelItem(DATE_ORDER.index("questioned"))
    place = panel.tree.visualItemRect(item).center()
    with qtbot.waitSignal(controller.markActivated) as opened:
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(place))
    shown = opened.args[0]
    assert isinstance(shown, Mark)
    assert (shown.id, shown.page) == (marks["questioned"].id, 3)


def test_a_new_date_moves_the_fact_and_undo_takes_it_back(
    qtbot: QtBot, controller: MarkController, dated: tuple[Case, dict[str, Mark]]
) -> None:
    _, marks = dated
    panel = ChronologyPanel(controller)
    editor = MarkEditor(controller)
    qtbot.addWidget(panel)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_mark(marks["undated"])
    row = editor.fact_row
    assert not row.status_box.isEnabled()  # a status belongs to a fact
    row.date_edit.setText("31 February 2012")
    row.save_date()
    assert "February 2012 has 29 days" in row.problem_label.text()
    assert not controller.case.marking.get(marks["undated"].id).is_fact  # type: ignore[union-attr]
    row.date_edit.setText("c. 2010")
    row.save_date()
    assert _rows(panel)[0] == marks["undated"].id  # 2010: first in date order
    assert panel.tree.topLevelItem(0).text(0) == "c. 2010"
    assert row.status_box.isEnabled()
    _choose(row.status_box, "Disputed")
    assert panel.tree.topLevelItem(0).text(3) == "disputed"
    controller.undo()  # the status
    controller.undo()  # the date
    assert marks["undated"].id not in _rows(panel)
    assert row.date_edit.text() == ""


def test_the_editor_offers_the_date_read_from_the_words(
    qtbot: QtBot, controller: MarkController, dated: tuple[Case, dict[str, Mark]]
) -> None:
    case, marks = dated
    doc = marks["fired"].doc
    mark = case.marking.highlight(doc, case.marking.anchor_for_quote(doc, 1, "On December 16"))
    editor = MarkEditor(controller)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_mark(mark)
    row = editor.fact_row
    assert row.date_edit.placeholderText() == "16 Dec 2011 (from “December 16”)"
    assert row.use_button.isVisible()
    row.use_suggestion()
    assert case.marking.get(mark.id).fact.date == "2011-12-16"


def test_export_buttons_write_the_chronology(
    qtbot: QtBot,
    controller: MarkController,
    dated: tuple[Case, dict[str, Mark]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, marks = dated
    panel = ChronologyPanel(controller)
    qtbot.addWidget(panel)
    target = tmp_path / "out" / "chronology.csv"
    monkeypatch.setattr(
        "docket.app.panels.chronology.panel.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (str(target), ""),
    )
    with qtbot.waitSignal(panel.exported):
        qtbot.mouseClick(
            panel.export_buttons[ExportFormat.CHRONOLOGY_CSV], Qt.MouseButton.LeftButton
        )
    with target.open(encoding="utf-8-sig", newline="") as handle:
        ids = [int(row["Mark ID"]) for row in csv.DictReader(handle)]
    assert ids == [marks[n].id for n in DATE_ORDER]
    _choose(panel.person_box, "People/Karimova")
    result = panel.export_to(ExportFormat.CHRONOLOGY_MD, tmp_path / "karimova.md")
    assert result is not None and result.marks == 2
