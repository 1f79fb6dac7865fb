"""The library panel: filter as you type, sort, flags in words, activation, refresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from docket.app.library import LibraryPanel
from docket.app.librarymodel import DOC_ID_ROLE, Column, flag_words, fold, same_name_ids
from docket.core.case import Case
from docket.core.records import Document, DocumentKind
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


def test_refreshing_keeps_the_sort_and_the_selection(panel: LibraryPanel) -> None:
    documents = [document(n, f"Exhibit {n}", f"ex{n}.pdf", pages=10 - n) for n in range(1, 6)]
    panel.set_documents(documents)
    panel.view.sortByColumn(Column.PAGES, Qt.SortOrder.AscendingOrder)
    assert panel.select_document(3)
    panel.set_documents([*documents, document(6, "Exhibit 6", "ex6.pdf", pages=1)])
    assert column(panel, Column.PAGES) == [1, 5, 6, 7, 8, 9]
    assert panel.selected_documents() == [3] and panel.current_document() == 3
    assert panel.view.horizontalHeader().sortIndicatorSection() == Column.PAGES


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
