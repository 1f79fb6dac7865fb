"""The library panel: filter as you type, sort, flags in words, activation, refresh, tags."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from docket.app.panels.library.model import DOC_ID_ROLE, Column, flag_words, fold, same_name_ids
from docket.app.panels.library.panel import LibraryPanel
from docket.core.case import Case
from docket.core.model.changes import Changes, Delta
from docket.core.model.records import Document, DocumentKind, OcrState
from tests.core.case_factory import write_matter


@pytest.fixture
def case_documents(tmp_path: Path) -> Iterator[list[Document]]:
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        yield case.documents()


@pytest.fixture
def panel(qtbot: QtBot) -> LibraryPanel:
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(640, 400)
    panel.show()
    return panel


def document(
    doc_id: int,
    title: str,
    source_name: str,
    pages: int = 1,
    flags: tuple[str, ...] = (),
    day: int = 1,
) -> Document:
    return Document(
        doc_id,
        DocumentKind.PDF,
        title,
        "",
        pages,
        f"{doc_id:064x}",
        source_name,
        f"/matters/karimova/{source_name}",
        1000,
        datetime(2025, 3, day, 9, 30, tzinfo=UTC),
        None,
        None,
        "",
        flags,
    )


def column(panel: LibraryPanel, which: Column) -> list[object]:
    proxy = panel.proxy
    return [proxy.index(row, which).data() for row in range(proxy.rowCount())]


def test_shows_the_case_documents(panel: LibraryPanel, case_documents: list[Document]) -> None:
    panel.set_documents(case_documents)
    assert column(panel, Column.TITLE) == [
        "Complaint",
        "Dear Counsel,",
        "Deposition of Batkanbayev",
    ]  # by title
    assert column(panel, Column.TYPE) == ["PDF", "Text", "PDF"]
    assert column(panel, Column.PAGES) == [3, 1, 2]
    assert panel.count_label.text() == "3 documents"
    tooltip = panel.proxy.index(0, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    complaint = next(d for d in case_documents if d.title == "Complaint")
    assert complaint.source_path in tooltip and complaint.sha256 in tooltip


def test_the_filter_narrows_rows_as_you_type(
    qtbot: QtBot, panel: LibraryPanel, case_documents: list[Document]
) -> None:
    panel.set_documents(case_documents)
    qtbot.keyClicks(panel.filter_box, "depo")
    assert column(panel, Column.TITLE) == ["Deposition of Batkanbayev"]
    assert panel.count_label.text() == "1 of 3 documents"
    panel.filter_box.clear()
    qtbot.keyClicks(panel.filter_box, "letter.txt")  # the file name counts too
    assert column(panel, Column.TITLE) == ["Dear Counsel,"]
    panel.filter_box.clear()
    qtbot.keyClicks(panel.filter_box, "pdf complaint")  # every word must match
    assert column(panel, Column.TITLE) == ["Complaint"]
    qtbot.keyClicks(panel.filter_box, " nothing")
    assert column(panel, Column.TITLE) == []
    assert panel.count_label.text() == "No documents match the filter"


def test_clicking_the_pages_header_sorts_by_pages(
    qtbot: QtBot, panel: LibraryPanel, case_documents: list[Document]
) -> None:
    panel.set_documents(case_documents)
    header = panel.view.horizontalHeader()
    x = header.sectionViewportPosition(Column.PAGES) + header.sectionSize(Column.PAGES) // 2
    for expected in ([1, 2, 3], [3, 2, 1]):
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
        assert column(panel, Column.PAGES) == expected


def test_double_click_and_enter_activate_a_document(
    qtbot: QtBot, panel: LibraryPanel, case_documents: list[Document]
) -> None:
    panel.set_documents(case_documents)
    row = column(panel, Column.TITLE).index("Deposition of Batkanbayev")
    index = panel.proxy.index(row, Column.TITLE)
    deposition = next(d.id for d in case_documents if d.title.startswith("Deposition"))
    centre = panel.view.visualRect(index).center()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(panel.documentActivated) as activated:
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert activated.args == [deposition]

    assert panel.select_document(case_documents[0].id)
    with qtbot.waitSignal(panel.documentActivated) as activated:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert activated.args == [case_documents[0].id]


def test_flags_are_words(panel: LibraryPanel) -> None:
    documents = [
        document(1, "Scan", "scan.pdf", flags=("no-text-layer",)),
        document(2, "Report", "report.pdf", flags=("some-pages-without-text", "encrypted")),
        document(3, "Letter", "letter.pdf"),
        document(4, "Letter (copy)", "Letter.pdf"),
        document(5, "Plain", "plain.pdf"),
    ]
    panel.set_documents(documents)
    flags = dict(zip(column(panel, Column.TITLE), column(panel, Column.FLAGS), strict=True))
    assert flags == {
        "Letter": "same file name as doc 4",
        "Letter (copy)": "same file name as doc 3",
        "Plain": "",
        "Report": "some pages without text; encrypted",
        "Scan": "no text layer — needs OCR",
    }
    panel.filter_box.setText("ocr")
    assert column(panel, Column.TITLE) == ["Scan"]
    panel.filter_box.setText("same file")
    assert column(panel, Column.TITLE) == ["Letter", "Letter (copy)"]


def test_ocr_state_is_said_in_the_flags_and_the_menu(panel: LibraryPanel) -> None:
    scan = document(1, "Scan", "scan.pdf", pages=4, flags=("no-text-layer",))
    documents = [
        replace(scan, ocr=OcrState.PENDING),
        replace(
            scan,
            id=2,
            title="Fax",
            source_name="fax.pdf",
            ocr=OcrState.UNAVAILABLE,
            ocr_note="OCR needs Tesseract 5: install tesseract-ocr (Debian/Ubuntu)",
        ),
        replace(
            scan,
            id=3,
            title="Blurred",
            source_name="blurred.pdf",
            ocr=OcrState.DONE,
            flags=("ocr-low-confidence",),
        ),
        replace(
            scan, id=4, title="Clean", source_name="c.pdf", ocr=OcrState.DONE, ocr_languages="kaz"
        ),
    ]
    panel.model.low_confidence_pages = lambda doc: {3: 3}.get(doc, 0)
    panel.set_documents(documents)
    flags = dict(zip(column(panel, Column.TITLE), column(panel, Column.FLAGS), strict=True))
    assert flags == {
        "Blurred": "OCR: 3 pages low confidence",
        "Clean": "",
        "Fax": "OCR needs Tesseract 5: install tesseract-ocr (Debian/Ubuntu)",
        "Scan": "OCR pending",
    }
    entries = {action.text(): action for action in panel.context_menu(4).actions()}
    assert entries["Read with OCR… (kaz)"].isEnabled()
    with_text = replace(
        scan, id=5, kind=DocumentKind.TEXT, title="Memo", source_name="memo.txt", flags=()
    )
    panel.set_documents([*documents, with_text])
    entries = {action.text(): action for action in panel.context_menu(5).actions()}
    assert not entries["Read with OCR…"].isEnabled()  # a text file has no scan to read


def test_refreshing_keeps_the_sort_and_the_selection(panel: LibraryPanel) -> None:
    documents = [document(n, f"Exhibit {n}", f"ex{n}.pdf", pages=10 - n) for n in range(1, 6)]
    panel.set_documents(documents)
    panel.view.sortByColumn(Column.PAGES, Qt.SortOrder.AscendingOrder)
    assert panel.select_document(3)
    panel.set_documents([*documents, document(6, "Exhibit 6", "ex6.pdf", pages=1)])
    assert column(panel, Column.PAGES) == [1, 5, 6, 7, 8, 9]
    assert panel.selected_documents() == [3] and panel.current_document() == 3
    assert panel.view.horizontalHeader().sortIndicatorSection() == Column.PAGES


class Shelf:
    """The documents a case holds, read by id as the window reads them for the library."""

    def __init__(self, documents: list[Document]) -> None:
        self.documents = {d.id: d for d in documents}
        self.reads: list[list[int]] = []

    def read(self, ids: Collection[int]) -> list[Document]:
        self.reads.append(sorted(ids))
        return [self.documents[doc_id] for doc_id in sorted(ids)]

    def add(self, *documents: Document) -> Changes:
        self.documents.update((d.id, d) for d in documents)
        return Changes(documents=Delta.of(added=(d.id for d in documents)))


@pytest.fixture
def shelf() -> Shelf:
    return Shelf([document(n, f"Exhibit {n}", f"ex{n}.pdf", pages=n) for n in (2, 4, 6)])


@pytest.fixture
def shelf_panel(qtbot: QtBot, shelf: Shelf) -> LibraryPanel:
    panel = LibraryPanel(shelf.read)
    qtbot.addWidget(panel)
    panel.resize(640, 400)
    panel.show()
    panel.set_documents(list(shelf.documents.values()))
    return panel


def resets_and_inserts(panel: LibraryPanel) -> list[str]:
    events: list[str] = []
    panel.model.modelReset.connect(lambda: events.append("reset"))
    panel.model.rowsInserted.connect(lambda _parent, first, last: events.append(f"{first}-{last}"))
    return events


def test_added_documents_are_inserted_where_the_sort_puts_them(
    shelf_panel: LibraryPanel, shelf: Shelf
) -> None:
    panel = shelf_panel
    assert panel.select_document(4)
    events = resets_and_inserts(panel)

    panel.apply_changes(shelf.add(document(5, "Exhibit 5", "ex5.pdf", pages=5)))

    assert shelf.reads == [[5]]  # only the new document is read
    assert events == ["2-2"]  # one row inserted, no reset
    assert column(panel, Column.TITLE) == ["Exhibit 2", "Exhibit 4", "Exhibit 5", "Exhibit 6"]
    assert panel.selected_documents() == [4] and panel.current_document() == 4
    assert panel.count_label.text() == "4 documents"
    assert panel.totals() == (4, 17)


def test_added_documents_follow_a_descending_sort_and_the_filter(
    shelf_panel: LibraryPanel, shelf: Shelf
) -> None:
    panel = shelf_panel
    panel.view.sortByColumn(Column.PAGES, Qt.SortOrder.DescendingOrder)
    panel.filter_box.setText("exhibit")
    events = resets_and_inserts(panel)

    panel.apply_changes(
        shelf.add(
            document(9, "Exhibit 9", "ex9.pdf", pages=9),
            document(3, "Exhibit 3", "ex3.pdf", pages=3),
            document(7, "Memo", "memo.pdf", pages=1),
        )
    )

    assert events == ["3-3", "2-2", "0-0"]  # from the end, so that earlier places hold
    assert column(panel, Column.PAGES) == [9, 6, 4, 3, 2]  # the memo is filtered out
    panel.filter_box.clear()
    assert column(panel, Column.PAGES) == [9, 6, 4, 3, 2, 1]


def test_many_places_at_once_rebuild_the_rows_keeping_the_selection(
    qtbot: QtBot, shelf: Shelf
) -> None:
    shelf.documents = {n: document(n, f"Exhibit {n:02d}", f"ex{n}.pdf") for n in range(2, 41, 2)}
    panel = LibraryPanel(shelf.read)
    qtbot.addWidget(panel)
    panel.set_documents(list(shelf.documents.values()))
    assert panel.select_document(6)
    events = resets_and_inserts(panel)

    odd = [document(n, f"Exhibit {n:02d}", f"ex{n}.pdf") for n in range(1, 40, 2)]
    panel.apply_changes(shelf.add(*odd))  # one between each two rows: 20 places

    assert events == ["reset"]  # more than MAX_INSERTIONS places
    assert column(panel, Column.TITLE) == [f"Exhibit {n:02d}" for n in range(1, 41)]
    assert panel.selected_documents() == [6] and panel.current_document() == 6


def test_a_new_file_name_twin_flags_both_documents(shelf_panel: LibraryPanel, shelf: Shelf) -> None:
    panel = shelf_panel
    panel.apply_changes(shelf.add(document(8, "Exhibit 4, again", "EX4.pdf")))
    flags = dict(zip(column(panel, Column.TITLE), column(panel, Column.FLAGS), strict=True))
    assert flags["Exhibit 4"] == "same file name as doc 8"
    assert flags["Exhibit 4, again"] == "same file name as doc 4"
    assert flags["Exhibit 6"] == ""


def test_changed_and_removed_documents(shelf_panel: LibraryPanel, shelf: Shelf) -> None:
    panel = shelf_panel
    shelf.documents[6] = document(6, "A renamed exhibit", "ex6.pdf", pages=6)
    panel.apply_changes(Changes(documents=Delta.of(changed=[6], removed=[2])))
    assert shelf.reads == [[6]]
    assert column(panel, Column.TITLE) == ["A renamed exhibit", "Exhibit 4"]
    assert panel.totals() == (2, 10)


def test_changes_to_marks_alone_leave_the_rows_be(shelf_panel: LibraryPanel, shelf: Shelf) -> None:
    events = resets_and_inserts(shelf_panel)
    shelf_panel.apply_changes(Changes(marks=Delta.of(added=[1])))
    assert events == [] and shelf.reads == []


def test_a_panel_with_no_way_to_read_documents_says_so(panel: LibraryPanel) -> None:
    with pytest.raises(RuntimeError, match="no way to read documents"):
        panel.apply_changes(Changes(documents=Delta.of(added=[1])))


def test_select_document_hidden_by_the_filter_is_refused(panel: LibraryPanel) -> None:
    panel.set_documents([document(1, "Complaint", "c.pdf"), document(2, "Answer", "a.pdf")])
    panel.filter_box.setText("complaint")
    assert not panel.select_document(2)
    assert panel.select_document(1)
    assert panel.view.currentIndex().data(DOC_ID_ROLE) == 1


def test_an_empty_case_says_how_to_fill_it(panel: LibraryPanel) -> None:
    panel.set_documents([])
    assert panel.count_label.text().startswith("No documents yet")


def test_helpers() -> None:
    assert fold("Zhanaözen") == "zhanaozen"
    twins = [
        document(1, "A", "memo.pdf"),
        document(2, "B", "memo.pdf"),
        document(3, "C", "MEMO.pdf"),
        document(4, "D", "x.pdf"),
    ]
    assert same_name_ids(twins) == {1: [2, 3], 2: [1, 3], 3: [1, 2]}
    assert flag_words(twins[0], [2, 3]) == ["same file name as docs 2, 3"]
    assert flag_words(document(9, "", "z.pdf", flags=("future-flag",))) == ["future flag"]


# -- tags ------------------------------------------------------------------------------


@pytest.fixture
def tagged_case(tmp_path: Path) -> Iterator[Case]:
    """Complaint: Issue/Torture and Exhibit; Deposition: Issue; the letter: none."""
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        ids = {d.title: d.id for d in case.documents()}
        case.marking.tag_document(ids["Complaint"], ["Issue/Torture", "Exhibit"])
        case.marking.tag_document(ids["Deposition of Batkanbayev"], ["Issue"])
        yield case


def show_tagged(panel: LibraryPanel, case: Case) -> None:
    panel.set_documents(case.documents())
    panel.set_document_tags(case.marking.all_document_tags())


def test_a_tags_column_shows_each_documents_tags(panel: LibraryPanel, tagged_case: Case) -> None:
    panel.set_documents(tagged_case.documents())
    assert panel.view.isColumnHidden(Column.TAGS) and panel.tag_box.isHidden()  # none yet
    panel.set_document_tags(tagged_case.marking.all_document_tags())
    assert not panel.view.isColumnHidden(Column.TAGS) and not panel.tag_box.isHidden()
    assert column(panel, Column.TAGS) == ["Exhibit, Issue/Torture", "", "Issue"]
    tooltip = panel.proxy.index(0, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Tags: Exhibit, Issue/Torture" in tooltip
    panel.filter_box.setText("tortur")  # the text filter reads tags too
    assert column(panel, Column.TITLE) == ["Complaint"]
    panel.view.sortByColumn(Column.TAGS, Qt.SortOrder.AscendingOrder)
    panel.filter_box.clear()
    assert column(panel, Column.TAGS) == ["Exhibit, Issue/Torture", "Issue", ""]


def test_the_tag_filter_includes_children_and_adds_to_the_text_filter(
    panel: LibraryPanel, tagged_case: Case
) -> None:
    show_tagged(panel, tagged_case)
    box = panel.tag_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "All documents",
        "Exhibit",
        "Issue",
        "Issue/Torture",
    ]
    assert panel.set_tag_filter("issue")  # any case; Issue/Torture is inside it
    assert column(panel, Column.TITLE) == ["Complaint", "Deposition of Batkanbayev"]
    assert panel.count_label.text() == "2 of 3 documents"
    panel.filter_box.setText("depo")
    assert column(panel, Column.TITLE) == ["Deposition of Batkanbayev"]
    panel.filter_box.clear()
    panel.set_tag_filter("Issue/Torture")
    assert column(panel, Column.TITLE) == ["Complaint"]
    assert not panel.set_tag_filter("Nothing")
    panel.set_tag_filter(None)
    assert len(column(panel, Column.TITLE)) == 3


def test_retagging_keeps_the_chosen_tag_while_it_exists(
    panel: LibraryPanel, tagged_case: Case
) -> None:
    show_tagged(panel, tagged_case)
    letter = next(d.id for d in tagged_case.documents() if d.title == "Dear Counsel,")
    panel.set_tag_filter("Issue")
    panel.select_document(next(d.id for d in tagged_case.documents() if d.title == "Complaint"))
    tagged_case.marking.tag_document(letter, ["Issue/Detention"])
    panel.set_document_tags(tagged_case.marking.all_document_tags())
    assert panel.tag_filter() == "Issue"
    assert column(panel, Column.TITLE) == [
        "Complaint",
        "Dear Counsel,",
        "Deposition of Batkanbayev",
    ]
    assert panel.current_document() is not None
    tagged_case.marking.delete_tag("Issue")
    panel.set_document_tags(tagged_case.marking.all_document_tags())
    assert panel.tag_filter() is None and len(column(panel, Column.TITLE)) == 3


def test_the_context_menu_asks_to_tag_or_note_a_document(
    qtbot: QtBot, panel: LibraryPanel, tagged_case: Case
) -> None:
    show_tagged(panel, tagged_case)
    complaint = next(d.id for d in tagged_case.documents() if d.title == "Complaint")
    centre = panel.view.visualRect(panel.proxy.index(0, Column.TITLE)).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, centre, panel.view.viewport().mapToGlobal(centre)
    )
    QApplication.sendEvent(panel.view.viewport(), event)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Open",
        "Tag Document…",
        "Add Document Note…",
        "Short Title…",
        "Transcript (Page:Line)",
        "Language…",
        "Read with OCR…",
    ]
    with qtbot.waitSignal(panel.tagDocumentRequested) as requested:
        next(a for a in menu.actions() if a.text() == "Tag Document…").trigger()
    menu.close()
    assert requested.args == [complaint]
    note = next(
        a for a in panel.context_menu(complaint).actions() if a.text() == "Add Document Note…"
    )
    with qtbot.waitSignal(panel.documentNoteRequested) as requested:
        note.trigger()
    assert requested.args == [complaint]
