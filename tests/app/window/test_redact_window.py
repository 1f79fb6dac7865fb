"""Redacting in the real window: select words, Ctrl+Shift+R, pick a reason; the box is
drawn dark but see-through, with its reason; undo takes it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QInputDialog

from docket.app.window.mainwindow import MainWindow
from docket.core.model.marks import MarkKind
from tests.app.window.test_mainwindow import import_through_window, open_new_case
from tests.app.window.test_marking_window import PAGES, open_pdf_page, word_box
from tests.core.pdf_factory import write_pdf


@pytest.fixture
def opened(qtbot, window: MainWindow, tmp_path: Path) -> int:
    folder = tmp_path / "matter"
    folder.mkdir()
    pdf = write_pdf(folder / "statement.pdf", PAGES, title="Statement")
    open_new_case(window, tmp_path)
    import_through_window(qtbot, window, [pdf])
    assert window.case is not None
    return window.case.documents()[0].id


def test_selected_words_are_redacted_with_the_reason_chosen_and_drawn_see_through(
    qtbot, window: MainWindow, opened: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    open_pdf_page(qtbot, window, opened)
    span, rects = word_box(window, 1, "police")
    window.reader.select([span])
    asked: list[list[str]] = []

    def choose(_parent, _title, _label, items, *_args):  # the reason dialog, answered
        asked.append(list(items))
        return items[2], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.reader.pdf_view, Qt.Key.Key_R, keys)

    assert asked and asked[0][0] == "AC — Attorney-Client Privilege"
    assert window.case is not None
    (mark,) = window.case.marking.marks()
    assert (mark.kind, mark.reason, mark.quote) == (MarkKind.REDACTION, "PII", "police")
    assert mark.rects and window.reader.selection() == []
    # Drawn dark over the word, yet the word's own black ink still shows darker.
    qtbot.waitUntil(lambda: bool(window.reader.highlights.redactions), timeout=5000)
    window.reader.pdf_view.viewport().repaint()
    image = window.reader.pdf_view.viewport().grab().toImage()
    image.save(str(tmp_path / "redaction.png"))
    box = rects[0]
    ratio = image.width() / window.reader.pdf_view.viewport().width()
    greys = [
        image.pixelColor(round(x * ratio), round(box.center().y() * ratio)).lightness()
        for x in range(round(box.left()) + 1, round(box.right()) - 1)
    ]
    assert max(greys) < 200  # tinted: no white paper left in the box
    assert min(greys) < max(greys) - 40  # the ink of the letters shows through
    # Right-click on it offers Delete Redaction; undo takes the redaction back out.
    assert window.reader.highlights.at_point(1, _centre_in_points(mark)) == mark
    window.marking.controller.undo()
    assert window.case.marking.marks() == []


def _centre_in_points(mark):
    from PySide6.QtCore import QPointF

    r = mark.rects[0]
    return QPointF(r.x + r.width / 2, r.y + r.height / 2)


def test_redact_an_area_draws_a_box_on_the_page_and_redacts_it(
    qtbot, window: MainWindow, opened: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.window.test_marking_window import drag

    open_pdf_page(qtbot, window, opened)
    _, rects = word_box(window, 1, "Statement")
    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda _p, _t, _l, items, *_a: (items[3], True))
    )
    window.marking.actions["redact_area"].trigger()
    assert window.reader.selector.drawing_box
    word = rects[0]
    drag(
        window.reader.pdf_view.viewport(),
        word.topLeft() - QPointF(2, 2),
        word.bottomRight() + QPointF(2, 2),
    )

    assert window.case is not None
    (mark,) = window.case.marking.marks()
    assert (mark.kind, mark.reason, mark.anchor) == (MarkKind.REDACTION, "CONF", None)
    (box,) = mark.rects
    assert box.page == 1 and box.width > 20 and box.height > 5
    assert not window.reader.selector.drawing_box and window.reader.selection() == []
    # The box covers the word where it stands on the page.
    text = window.case.page(opened, 1).text
    start = text.index("Statement")
    from docket.core.model.marks import Anchor
    from docket.core.pdf.markrects import rects_for

    (stored,) = rects_for(
        window.case.pdf_path(opened), None, Anchor(1, start, 1, start + 9), {1: len(text)}
    )
    assert box.x <= stored.x and box.x + box.width >= stored.x + stored.width
    assert box.y <= stored.y and box.y + box.height >= stored.y + stored.height
