"""An image imported in the window: listed as an image, opened in the PDF reader, its
frames drawn as pages at their size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter

from docket.app.window.mainwindow import MainWindow
from docket.core.model.records import DocumentKind
from tests.app.window.test_mainwindow import import_through_window, open_new_case
from tests.core.image_factory import solid_image, write_tiff


def test_a_multi_page_tiff_opens_as_pages_in_the_reader(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    frames = [solid_image(400, 600, "white", dpi=100) for _ in range(2)]
    for frame, shade in zip(frames, (30, 160), strict=True):  # a dark block on each page
        painter = QPainter(frame)
        painter.fillRect(0, 0, 400, 300, QColor(shade, shade, shade))
        painter.end()
    tiff = write_tiff(tmp_path / "Fax of 3 May.tif", frames, dpi=100)
    open_new_case(window, tmp_path)

    report = import_through_window(qtbot, window, [tiff])

    assert report.count("imported") == 1
    [document] = window.case.documents()
    assert (document.kind, document.page_count) == (DocumentKind.IMAGE, 2)
    row = window.library.proxy.index(0, 0)
    type_column = next(
        column
        for column in range(window.library.proxy.columnCount())
        if window.library.proxy.headerData(column, Qt.Orientation.Horizontal) == "Type"
    )
    assert window.library.proxy.index(row.row(), type_column).data() == "Image"

    window.library.select_document(document.id)
    qtbot.keyClick(window.library.view, Qt.Key.Key_Return)
    reader = window.reader
    assert reader.document is not None and reader.document.id == document.id
    assert reader.stack.currentWidget() is reader.pdf_view
    pdf = reader.pdf_document
    assert pdf is not None and pdf.pageCount() == 2
    size = pdf.pagePointSize(1)
    assert (round(size.width()), round(size.height())) == (288, 432)  # 400 × 600 px at 100 dpi
    assert reader.labels == ["1", "2"]

    reader.view.go_to_page(2)
    qtbot.waitUntil(lambda: reader.current_page() == 2, timeout=5_000)
    view = reader.pdf_view
    page = view.page_rect_in_viewport(2)
    assert page.top() < view.viewport().height() / 2  # page 2's top is in view

    def shade_at(fraction_down: float) -> int:
        point = page.topLeft() + (page.bottomLeft() - page.topLeft()) * fraction_down
        point.setX(page.center().x())
        return view.viewport().grab().toImage().pixelColor(point.toPoint()).red()

    # Its top half is the frame's grey block, drawn from the image's pixels.
    qtbot.waitUntil(lambda: abs(shade_at(0.1) - 160) <= 3, timeout=10_000)
    if page.top() + page.height() * 0.75 < view.viewport().height():
        assert shade_at(0.75) >= 250  # and below it, white
