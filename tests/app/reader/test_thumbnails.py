"""The thumbnail column: one row per page, pictures only for rows in sight, clicks turn pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from docket.app.reader.thumbnails import ThumbnailList
from tests.core.pdf_factory import write_labelled_pdf, write_pdf


@pytest.fixture
def thumbnails(qtbot: QtBot) -> ThumbnailList:
    widget = ThumbnailList()
    qtbot.addWidget(widget)
    widget.resize(160, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def load(path: Path) -> QPdfDocument:
    document = QPdfDocument()
    assert document.load(str(path)) is QPdfDocument.Error.None_
    return document


@pytest.fixture
def pdf(qapp: QApplication, tmp_path: Path) -> Iterator[QPdfDocument]:
    pages = [f"Page {n}\nThe plaintiffs allege torture." for n in range(1, 41)]
    document = load(write_labelled_pdf(tmp_path / "forty.pdf", pages, labels=[(1, "r", "", 1)]))
    yield document
    document.close()


def picture(thumbnails: ThumbnailList, row: int) -> QImage:
    icon = thumbnails.model().index(row, 0).data(Qt.ItemDataRole.DecorationRole)
    return icon.pixmap(thumbnails.iconSize()).toImage()


def has_ink(image: QImage) -> bool:
    # Text shrunk to a thumbnail is grey, not black; the border is left out.
    return any(
        QColor(image.pixel(x, y)).lightness() < 200
        for x in range(2, image.width() - 2)
        for y in range(2, image.height() - 2)
    )


def test_one_row_per_page_with_its_label(
    qtbot: QtBot, thumbnails: ThumbnailList, pdf: QPdfDocument
) -> None:
    thumbnails.set_document(pdf)
    model = thumbnails.model()
    assert model.rowCount() == 40
    assert model.index(0, 0).data() == "i"  # the PDF's own page labels
    assert model.index(3, 0).data() == "iv"
    thumbnails.set_document(pdf, [f"A-{n}" for n in range(1, 41)])
    assert model.index(0, 0).data() == "A-1"  # labels given win
    thumbnails.set_document(None)
    assert model.rowCount() == 0


def test_pictures_render_for_the_rows_in_sight_only(
    qtbot: QtBot, thumbnails: ThumbnailList, pdf: QPdfDocument
) -> None:
    thumbnails.set_document(pdf)
    qtbot.waitUntil(lambda: has_ink(picture(thumbnails, 0)))
    qtbot.wait(200)
    rendered = thumbnails.model().rendered_pages()
    assert 1 in rendered and len(rendered) < 10  # 600 px show four or five of the forty
    assert 20 not in rendered
    thumbnails.set_current_page(20)
    qtbot.waitUntil(lambda: 20 in thumbnails.model().rendered_pages())
    assert has_ink(picture(thumbnails, 19))


def test_click_activates_the_page_and_current_page_is_selected(
    qtbot: QtBot, thumbnails: ThumbnailList, pdf: QPdfDocument
) -> None:
    thumbnails.set_document(pdf)
    thumbnails.set_current_page(3)
    assert thumbnails.currentIndex().row() == 2
    assert thumbnails.selectionModel().isSelected(thumbnails.currentIndex())
    second: QModelIndex = thumbnails.model().index(1, 0)
    with qtbot.waitSignal(thumbnails.pageActivated, check_params_cb=lambda page: page == 2):
        qtbot.mouseClick(
            thumbnails.viewport(),
            Qt.MouseButton.LeftButton,
            pos=thumbnails.visualRect(second).center(),
        )
    with qtbot.waitSignal(thumbnails.pageActivated, check_params_cb=lambda page: page == 3):
        qtbot.keyClick(thumbnails, Qt.Key.Key_Down)


def test_set_current_page_does_not_activate(
    qtbot: QtBot, thumbnails: ThumbnailList, pdf: QPdfDocument
) -> None:
    thumbnails.set_document(pdf)
    with qtbot.assertNotEmitted(thumbnails.pageActivated):
        thumbnails.set_current_page(10)
    assert thumbnails.visualRect(thumbnails.currentIndex()).intersects(thumbnails.viewport().rect())


def test_a_document_closed_by_its_owner_empties_the_list(
    qtbot: QtBot, thumbnails: ThumbnailList, tmp_path: Path
) -> None:
    document = load(write_pdf(tmp_path / "two.pdf", ["One", "Two"]))
    thumbnails.set_document(document)
    assert thumbnails.model().rowCount() == 2
    document.close()
    assert thumbnails.model().rowCount() == 0
    thumbnails.grab()
