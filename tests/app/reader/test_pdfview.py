"""The PDF page view: layout, rendering on demand, zoom, keys and marks, on generated PDFs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from docket.app.reader.overlays import MarkStyle
from docket.app.reader.pagecache import ImageCache, RenderQueue
from docket.app.reader.pagelayout import GAP, MARGIN, PageLayout, PageSizes, zoom_step
from docket.app.reader.pdfview import FitMode, PdfPageView
from docket.core.model.records import TextRange
from tests.core.pdf_factory import LEFT_MARGIN, LINE_HEIGHT, TOP_MARGIN, write_pdf

PAGES = [
    "Page one\nThe plaintiffs allege torture by the police.\nA second line.",
    "Page two\nWitness statement of Batkanbayev.",
    "Page three\nThe court adjourned until Monday.",
]


@pytest.fixture
def pdf(qapp: QApplication, tmp_path: Path) -> Iterator[QPdfDocument]:
    # qapp first: write_pdf makes a QGuiApplication when none exists, and
    # widgets need a QApplication.
    path = write_pdf(tmp_path / "three.pdf", PAGES)
    document = QPdfDocument()
    assert document.load(str(path)) is QPdfDocument.Error.None_
    yield document
    document.close()


@pytest.fixture
def view(qtbot: QtBot) -> PdfPageView:
    widget = PdfPageView()
    qtbot.addWidget(widget)
    widget.resize(700, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def opened(qtbot: QtBot, view: PdfPageView, document: QPdfDocument) -> PdfPageView:
    """The view showing `document`, once page 1 has ink on it."""
    with qtbot.waitSignal(view.pagePainted, check_params_cb=lambda page: page == 1):
        view.set_document(document)
    return view


def points_to_px(view: PdfPageView) -> float:
    return view.zoom() * view.logicalDpiX() / 72


def word_range(document: QPdfDocument, page: int, word: str) -> TextRange:
    text = document.getAllText(page - 1).text()
    start = text.index(word)
    return TextRange(page, start, start + len(word))


def dark_pixels(image: QImage, rect: QRect) -> int:
    rect = rect.intersected(image.rect())
    return sum(
        1
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
        if QColor(image.pixel(x, y)).lightness() < 100
    )


def tinted_pixels(image: QImage, rect: QRect) -> int:
    """Pixels clearly coloured (warm) rather than white, grey or black."""
    rect = rect.intersected(image.rect())
    count = 0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            colour = QColor(image.pixel(x, y))
            count += colour.red() - colour.blue() > 40
    return count


# -- the view ----------------------------------------------------------------------


def test_first_page_gets_ink_where_the_text_is(
    qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument
) -> None:
    opened(qtbot, view, pdf)
    assert view.page_count() == 3
    assert view.current_page() == 1
    assert view.first_paint_ms() is not None
    page = view.page_rect_in_viewport(1)
    scale = points_to_px(view)
    size = pdf.pagePointSize(0)
    assert page.width() == pytest.approx(size.width() * scale, abs=1)
    assert page.height() == pytest.approx(size.height() * scale, abs=1)
    image = view.viewport().grab().toImage()
    # "Page one": baseline at TOP_MARGIN, from LEFT_MARGIN, about 50 points long.
    text = QRectF(
        page.x() + LEFT_MARGIN * scale,
        page.y() + (TOP_MARGIN - 10) * scale,
        50 * scale,
        12 * scale,
    ).toRect()
    assert dark_pixels(image, text) > 20
    # A margin of the page is white, and the background around the page is not.
    margin = QRectF(page.x() + 10, page.y() + 10, 20, 20).toRect()
    assert dark_pixels(image, margin) == 0
    assert QColor(image.pixel(3, 3)).lightness() < 250


def test_go_to_page_scrolls_there_and_says_so(
    qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument
) -> None:
    opened(qtbot, view, pdf)
    with qtbot.waitSignal(view.pageChanged, check_params_cb=lambda page: page == 3):
        view.go_to_page(3)
    assert view.current_page() == 3
    assert view.page_rect_in_viewport(3).top() == pytest.approx(GAP, abs=1)
    with qtbot.waitSignal(view.pagePainted, check_params_cb=lambda page: page == 3):
        pass
    view.go_to_page(2, y_points=400)
    assert view.current_page() == 2
    assert view.page_rect_in_viewport(2).top() == pytest.approx(
        GAP - 400 * points_to_px(view), abs=2
    )


def test_zoom_steps_and_fits_change_the_page_size(
    qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument
) -> None:
    opened(qtbot, view, pdf)
    width = view.page_rect_in_viewport(1).width()
    with qtbot.waitSignal(view.zoomChanged, check_params_cb=lambda zoom: zoom == 1.1):
        view.zoom_in()
    assert view.page_rect_in_viewport(1).width() == pytest.approx(width * 1.1, abs=1)
    view.zoom_out()
    view.zoom_out()
    assert view.zoom() == 0.9
    assert view.page_rect_in_viewport(1).width() == pytest.approx(width * 0.9, abs=1)
    view.set_zoom(50)
    assert view.zoom() == 8.0  # clamped
    view.set_zoom(0.01)
    assert view.zoom() == 0.1

    view.set_fit(FitMode.WIDTH)
    room = view.viewport().width() - 2 * MARGIN
    assert view.page_rect_in_viewport(1).width() == pytest.approx(room, abs=1)
    wide = view.viewport().width()
    view.resize(500, 800)  # fit width follows the window
    qtbot.waitUntil(lambda: view.viewport().width() == wide - 200)
    room = view.viewport().width() - 2 * MARGIN
    assert view.page_rect_in_viewport(1).width() == pytest.approx(room, abs=1)

    view.set_fit(FitMode.PAGE)
    page = view.page_rect_in_viewport(1)
    assert page.height() <= view.viewport().height()
    assert page.width() <= view.viewport().width()
    assert QRectF(view.viewport().rect()).contains(page)
    view.zoom_in()  # a zoom step leaves the fit
    assert view.fit() is FitMode.NONE


def test_zoom_keeps_the_page_being_read(qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument) -> None:
    opened(qtbot, view, pdf)
    view.go_to_page(2, y_points=300)
    at_top = -view.page_rect_in_viewport(2).top() / points_to_px(view)  # points
    for _ in range(3):
        view.zoom_in()
    assert view.current_page() == 2
    # The point of the page that was at the top is at the top still.
    top = view.page_rect_in_viewport(2).top()
    assert top == pytest.approx(-at_top * points_to_px(view), abs=2)


def test_ctrl_wheel_zooms_and_plain_wheel_scrolls(
    qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument
) -> None:
    opened(qtbot, view, pdf)

    def wheel(delta: int, modifiers: Qt.KeyboardModifier) -> None:
        position = QPointF(200, 200)
        event = QWheelEvent(
            position,
            QPointF(view.viewport().mapToGlobal(position.toPoint())),
            QPoint(),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(view.viewport(), event)

    wheel(120, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 1.1
    wheel(-240, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 0.9
    top = view.page_rect_in_viewport(1).top()
    wheel(-120, Qt.KeyboardModifier.NoModifier)
    assert view.zoom() == 0.9
    assert view.page_rect_in_viewport(1).top() < top


def test_keys_move_through_the_document(qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument) -> None:
    opened(qtbot, view, pdf)
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    with qtbot.waitSignal(view.pageChanged, check_params_cb=lambda page: page == 3):
        qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page() == 3
    with qtbot.waitSignal(view.pageChanged, check_params_cb=lambda page: page == 1):
        qtbot.keyClick(view, Qt.Key.Key_Home)
    top = view.page_rect_in_viewport(1).top()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    moved = top - view.page_rect_in_viewport(1).top()
    assert 0.8 * view.viewport().height() <= moved <= view.viewport().height()
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.page_rect_in_viewport(1).top() == top
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.page_rect_in_viewport(1).top() < top


def test_marks_lie_over_their_words_and_tint_them(
    qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument
) -> None:
    opened(qtbot, view, pdf)
    torture = word_range(pdf, 1, "torture")
    before = view.viewport().grab().toImage()
    view.set_marks(
        [(torture, MarkStyle.SEARCH_HIT), (word_range(pdf, 2, "Witness"), MarkStyle.FIND_MATCH)]
    )
    (rect,) = view.mark_rects_in_viewport(torture)
    page = view.page_rect_in_viewport(1)
    scale = points_to_px(view)
    # Line 2 of page 1: baseline at TOP_MARGIN + LINE_HEIGHT, after "The plaintiffs allege ".
    baseline = page.y() + (TOP_MARGIN + LINE_HEIGHT) * scale
    assert rect.top() < baseline < rect.bottom() + 4 * scale
    assert rect.height() < LINE_HEIGHT * scale
    assert page.x() + (LEFT_MARGIN + 100) * scale < rect.left()
    assert rect.right() < page.x() + (LEFT_MARGIN + 250) * scale
    after = view.viewport().grab().toImage()
    assert tinted_pixels(before, rect.toRect()) == 0
    assert tinted_pixels(after, rect.toRect()) > rect.width() * rect.height() / 3
    assert dark_pixels(after, rect.toRect()) > 10  # the word's ink shows through

    view.set_marks([])
    assert tinted_pixels(view.viewport().grab().toImage(), rect.toRect()) == 0


def test_reveal_scrolls_to_the_range_and_outlines_it(
    qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument
) -> None:
    opened(qtbot, view, pdf)
    view.set_zoom(2.0)
    adjourned = word_range(pdf, 3, "adjourned")
    view.set_marks([(adjourned, MarkStyle.FIND_MATCH)])
    with qtbot.waitSignal(view.pageChanged):
        view.reveal(adjourned)
    (rect,) = view.mark_rects_in_viewport(adjourned)
    viewport = QRectF(view.viewport().rect())
    assert viewport.contains(rect)
    assert abs(rect.center().y() - viewport.center().y()) < 2  # was off-screen: centred
    assert view.page_rect_in_viewport(3).intersects(viewport)
    with qtbot.waitSignal(view.pagePainted, check_params_cb=lambda page: page == 3):
        pass
    image = view.viewport().grab().toImage()
    outline = rect.adjusted(-2, -2, 2, 2).toRect()
    edge = QRect(outline.left() - 1, outline.top(), 3, outline.height())
    assert tinted_pixels(image, edge) > outline.height() // 2
    # Revealing it again, now in sight, does not move the view.
    top = view.page_rect_in_viewport(3).top()
    view.reveal(adjourned)
    assert view.page_rect_in_viewport(3).top() == top


def test_closing_and_replacing_documents(
    qtbot: QtBot, view: PdfPageView, pdf: QPdfDocument, tmp_path: Path
) -> None:
    opened(qtbot, view, pdf)
    view.set_document(None)
    assert view.page_count() == 0
    assert view.current_page() == 0
    view.grab()  # paints an empty view without trouble
    other = QPdfDocument()
    other.load(str(write_pdf(tmp_path / "one.pdf", ["Only page"])))
    opened(qtbot, view, other)
    assert view.page_count() == 1
    other.close()  # its owner closes it under the view: the view empties
    assert view.page_count() == 0
    view.grab()

    owner = QObject()
    doomed = QPdfDocument(owner)
    doomed.load(str(write_pdf(tmp_path / "doomed.pdf", ["Soon gone", "Gone"])))
    opened(qtbot, view, doomed)
    view.set_zoom(4.0)  # something to render when the document goes
    view.set_marks([(TextRange(1, 0, 4), MarkStyle.FIND_MATCH)])
    del doomed
    owner.deleteLater()  # deleted without set_document(None) first
    qtbot.waitUntil(lambda: view.page_count() == 0)
    view.grab()


@pytest.mark.slow
def test_a_2000_page_pdf_opens_as_fast_as_a_small_one(
    qtbot: QtBot, view: PdfPageView, tmp_path: Path
) -> None:
    pages = [f"Page {n}\nThe plaintiffs allege torture." for n in range(1, 2001)]
    big = QPdfDocument()
    big.load(str(write_pdf(tmp_path / "big.pdf", pages)))
    started = time.perf_counter()
    with qtbot.waitSignal(view.pagePainted, timeout=10_000):
        view.set_document(big)
        opened_ms = (time.perf_counter() - started) * 1000
    first_paint = view.first_paint_ms()
    print(
        f"\n2,000 pages: set_document {opened_ms:.1f} ms, first page with ink {first_paint:.1f} ms"
    )
    assert view.page_count() == 2000
    with qtbot.waitSignal(view.pagePainted, check_params_cb=lambda page: page == 1500):
        view.go_to_page(1500)
    assert view.current_page() == 1500
    view.set_document(None)
    big.close()


# -- the parts: layout, cache, render queue ----------------------------------------


def test_layout_stacks_pages_with_gaps() -> None:
    layout = PageLayout([(100.0, 200.0), (200.0, 100.0), (100.0, 200.0)], scale=2.0)
    assert [layout.top(i) for i in range(3)] == [MARGIN, MARGIN + 400 + GAP, MARGIN + 600 + 2 * GAP]
    assert layout.width == 400 + 2 * MARGIN
    assert layout.height == 1000 + 2 * GAP + 2 * MARGIN
    assert layout.left(0, 1000) == 400  # centred in a wide viewport
    assert layout.page_at(0) == 0
    assert layout.page_at(layout.top(1) - 1) == 1  # the gap above a page is that page's
    assert layout.page_at(layout.top(1) - GAP - 1) == 0
    assert list(layout.pages_between(0, layout.top(2) + 1)) == [0, 1, 2]


def test_page_sizes_are_measured_on_demand() -> None:
    measured: list[int] = []

    def measure(index: int) -> tuple[float, float]:
        measured.append(index)
        return (842.0, 595.0) if index == 7 else (595.0, 842.0)

    sizes = PageSizes(10, measure)
    assert measured == [0]
    assert sizes[5] == (595.0, 842.0)  # the estimate, not measured
    assert not sizes.ensure([1, 2])
    assert sizes.ensure([7])  # differs from the estimate
    assert sizes[7] == (842.0, 595.0)
    while not sizes.complete:
        sizes.measure_more(1.0)
    assert sorted(measured) == list(range(10))


def test_zoom_steps() -> None:
    assert zoom_step(1.0, +1) == 1.1
    assert zoom_step(1.0, -1) == 0.9
    assert zoom_step(0.93, -1) == 0.9
    assert zoom_step(0.6699, +1) == 0.75
    assert zoom_step(8.0, +1) == 8.0
    assert zoom_step(0.1, -1) == 0.1


def test_image_cache_is_bounded_in_bytes() -> None:
    image = QImage(100, 100, QImage.Format.Format_ARGB32_Premultiplied)  # 40,000 bytes
    cache = ImageCache(max_bytes=100_000)
    cache.put((1, 100, 100), image)
    cache.put((2, 100, 100), image)
    assert cache.get((1, 100, 100)) is not None  # now the most recent
    cache.put((3, 100, 100), image)
    assert (2, 100, 100) not in cache
    assert (1, 100, 100) in cache and (3, 100, 100) in cache
    assert cache.bytes == 80_000
    assert cache.best_for(1) is not None and cache.best_for(2) is None


def test_render_queue_drops_what_is_no_longer_wanted(qtbot: QtBot, tmp_path: Path) -> None:
    pages = [f"Page {n}" for n in range(1, 21)]
    document = QPdfDocument()
    document.load(str(write_pdf(tmp_path / "twenty.pdf", pages)))
    cache = ImageCache(50_000_000)
    queue = RenderQueue(document, cache)
    rendered: list[int] = []
    queue.rendered.connect(rendered.append)
    queue.want([(n, 300, 420) for n in range(1, 21)])  # scrolled past quickly…
    with qtbot.waitSignal(queue.rendered, check_params_cb=lambda page: page == 20):
        queue.want([(20, 300, 420)])  # …to stop on page 20
    qtbot.waitUntil(lambda: not queue.busy)
    assert len(rendered) <= 3  # the two already handed to the renderer, and page 20
    image = cache.get((20, 300, 420))
    assert image is not None and image.size() == QSize(300, 420)
    assert image.format() is QImage.Format.Format_ARGB32_Premultiplied
    queue.close()
    document.close()
