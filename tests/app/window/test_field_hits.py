"""A form field found by search: the window opens its page and outlines the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from docket.app.reader.reader import FLASH_MS
from docket.app.window.mainwindow import MainWindow
from tests.app.window.test_mainwindow import import_through_window, open_new_case, search
from tests.core.pdf.form_factory import write_form


def test_opening_a_field_hit_shows_the_field_on_its_page(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    form = write_form(tmp_path / "form.pdf")
    open_new_case(window, tmp_path)
    assert import_through_window(qtbot, window, [form]).count("imported") == 1

    search(qtbot, window, "almaty")
    [hit] = window.search.hits()
    assert (hit.source, hit.page) == ("field", 2)
    assert hit.snippet == "Field \u201capplicant.city\u201d: <b>Almaty</b>"
    window.search.hitActivated.emit(hit)  # what a click in the results does

    reader = window.reader
    assert reader.document is not None and reader.document.id == hit.doc
    assert reader.current_page() == 2
    view = reader.pdf_view
    area = view.area_in_viewport()
    assert area is not None
    # Where the field's rectangle (72, 212, 200, 20 points) falls on page 2 as drawn.
    page = view.page_rect_in_viewport(2)
    scale = page.width() / 612
    expected = QRectF(page.x() + 72 * scale, page.y() + 212 * scale, 200 * scale, 20 * scale)
    for got, wanted in zip(
        (area.x(), area.y(), area.width(), area.height()),
        (expected.x(), expected.y(), expected.width(), expected.height()),
        strict=True,
    ):
        assert got == pytest.approx(wanted, abs=1.0)
    assert QRectF(view.viewport().rect()).contains(area)  # in sight
    image = view.viewport().grab().toImage()  # drawn: tinted over the white page
    tint = image.pixelColor(area.center().toPoint())
    assert tint.red() - tint.blue() > 60
    # The outline is brief: gone after the flash.
    qtbot.waitUntil(lambda: view.area_in_viewport() is None, timeout=FLASH_MS + 3000)


def test_a_page_hit_in_the_same_form_still_lands_on_its_words(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    form = write_form(tmp_path / "form.pdf")
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, [form])
    search(qtbot, window, '"second page"')
    [hit] = window.search.hits()
    assert (hit.source, hit.page, hit.hits) == ("page", 2, ((0, 6), (7, 11)))
    window.search.hitActivated.emit(hit)
    assert window.reader.current_page() == 2
    assert window.reader.pdf_view.area_in_viewport() is None
