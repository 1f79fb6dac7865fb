"""The case's mark browser: every mark, filtered by words, tag, colour and document."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from docket.app.operations.marks import MarkController
from docket.app.panels.marks.browser import DEPTH, NAME, MarkBrowser
from docket.app.panels.marks.model import Role
from docket.core.case import Case
from docket.core.model.marks import Mark
from tests.app.panels.marks_helpers import (
    click_row,
    doc_id,
    highlight,
    rows,
    show,
)


@pytest.fixture
def marks(case: Case) -> dict[str, Mark]:
    return {
        "torture": highlight(
            case,
            "Complaint",
            2,
            "torture in custody",
            colour="pink",
            tags=["Issue/Torture"],
            note="The core of the claim",
        ),
        "counsel": highlight(case, "Complaint", 2, "denial", tags=["Issue/Counsel"]),
        "fired": highlight(case, "Complaint", 1, "police fired", colour="green"),
        "firing": highlight(
            case,
            "Deposition of Batkanbayev",
            2,
            "firing without warning",
            colour="pink",
            tags=["Witness/Batkanbayev"],
        ),
        "letter": case.marking.add_note(
            doc_id(case, "Dear Counsel,"), "Never answered", tags=["Issue"]
        ),
    }


@pytest.fixture
def browser(
    qtbot: QtBot,
    controller: MarkController,
    marks: dict[str, Mark],
) -> MarkBrowser:
    widget = MarkBrowser(controller)
    show(qtbot, widget)
    return widget


def shown(browser: MarkBrowser) -> set[int]:
    return {mark.id for mark in rows(browser)}


def ids(marks: dict[str, Mark], *names: str) -> set[int]:
    return {marks[name].id for name in names}


def choose(box: object, value: object) -> None:
    box.setCurrentIndex(box.findData(value))  # type: ignore[attr-defined]


def test_every_mark_of_the_case_is_listed_with_its_document(
    browser: MarkBrowser, marks: dict[str, Mark]
) -> None:
    assert shown(browser) == ids(marks, *marks)
    assert browser.count_label.text() == "5 marks"
    row = browser.model.row_of(marks["firing"].id)
    assert browser.model.index(row).data(Role.TITLE) == "Deposition of Batkanbayev"
    assert browser.model.index(row).data(Role.WHERE) == "p. 2"


def test_a_parent_tag_takes_in_its_children(browser: MarkBrowser, marks: dict[str, Mark]) -> None:
    box = browser.tag_box
    assert box.itemText(0) == "Any tag"
    paths = [box.itemData(row) for row in range(1, box.count())]
    assert paths == ["Issue", "Issue/Counsel", "Issue/Torture", "Witness", "Witness/Batkanbayev"]
    assert box.itemData(2, DEPTH) == 1 and box.itemData(2, NAME) == "Counsel  (1)"
    assert box.itemData(1, NAME) == "Issue  (3)"
    choose(box, "Issue")
    assert shown(browser) == ids(marks, "torture", "counsel", "letter")
    choose(box, "Issue/Torture")
    assert shown(browser) == ids(marks, "torture")
    choose(box, None)
    assert len(shown(browser)) == 5


def test_colour_and_document_filters_combine(
    browser: MarkBrowser,
    case: Case,
    marks: dict[str, Mark],
) -> None:
    colours = [browser.colour_box.itemText(row) for row in range(browser.colour_box.count())]
    assert colours[:3] == ["Any colour", "Key fact", "Supports our case"]
    choose(browser.colour_box, "pink")
    assert shown(browser) == ids(marks, "torture", "firing")
    choose(browser.document_box, doc_id(case, "Complaint"))
    assert shown(browser) == ids(marks, "torture")
    choose(browser.colour_box, "blue")
    assert shown(browser) == set()
    assert browser.count_label.text() == "No marks match"
    assert browser.view.hint == "No marks match these filters."


def test_words_filter_as_typing_pauses(
    qtbot: QtBot, browser: MarkBrowser, marks: dict[str, Mark]
) -> None:
    qtbot.keyClicks(browser.text_box, "warning")
    assert len(shown(browser)) == 5  # not yet: typing has not paused
    qtbot.waitUntil(lambda: shown(browser) == ids(marks, "firing"))
    browser.text_box.clear()
    qtbot.keyClicks(browser.text_box, "claim")  # notes count
    qtbot.waitUntil(lambda: shown(browser) == ids(marks, "torture"))


def test_set_tag_filter_is_for_the_tag_manager(
    browser: MarkBrowser, marks: dict[str, Mark]
) -> None:
    browser.set_tag_filter("witness")
    assert browser.tag_box.currentData() == "Witness"
    assert shown(browser) == ids(marks, "firing")
    browser.set_tag_filter("Unused/Tag")
    assert browser.tag_box.currentText() == "Unused/Tag" and shown(browser) == set()
    browser.set_tag_filter(None)
    assert len(shown(browser)) == 5


def test_activating_a_row_opens_its_mark(
    qtbot: QtBot,
    browser: MarkBrowser,
    controller: MarkController,
    marks: dict[str, Mark],
) -> None:
    with qtbot.waitSignal(controller.markActivated) as opened:
        click_row(qtbot, browser, marks["letter"].id)
    assert opened.args[0].id == marks["letter"].id
    assert browser.editor.note_edit.toPlainText() == "Never answered"


def test_changes_anywhere_show_up_and_keep_the_filter(
    qtbot: QtBot,
    browser: MarkBrowser,
    controller: MarkController,
    case: Case,
    marks: dict[str, Mark],
) -> None:
    choose(browser.colour_box, "pink")
    browser.select_mark(marks["firing"].id)
    controller.recolour(marks["torture"].id, "green")
    qtbot.waitUntil(lambda: shown(browser) == ids(marks, "firing"))
    assert browser.selected_mark().id == marks["firing"].id
    controller.set_tags(marks["fired"].id, ["Issue/Police"])
    qtbot.waitUntil(lambda: browser.tag_box.findData("Issue/Police") > 0)
    assert browser.colour_box.currentData() == "pink"


def test_a_filtered_out_selection_clears_the_editor(
    browser: MarkBrowser, marks: dict[str, Mark]
) -> None:
    browser.select_mark(marks["fired"].id)
    assert browser.editor.mark().id == marks["fired"].id
    choose(browser.colour_box, "pink")
    assert browser.editor.mark() is None
