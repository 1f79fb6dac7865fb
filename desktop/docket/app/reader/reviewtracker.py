"""Which pages the reader really had in view: a page counts once it was mostly
visible for DWELL_SECONDS, so flicking through a document counts nothing.

"Mostly visible": at least half of the page is on screen, or (zoomed in) the
page fills at least half of the view. A text document counts the page at the
top of the view. The tracker polls cheaply (a few rectangles every
POLL_MS) and only says so (`pageDwelled`); the window records it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QRectF, QTimer, Signal

from docket.app.reader.pdfview import PdfPageView
from docket.app.reader.reader import ReaderPane

DWELL_SECONDS = 2.0  # tests shorten it with monkeypatch
POLL_MS = 250
MOSTLY = 0.5


class PageDwellTracker(QObject):
    pageDwelled = Signal(int, int)  # doc id, 1-based page: in view long enough

    def __init__(self, reader: ReaderPane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._doc: int | None = None
        self._since: dict[int, float] = {}  # page -> when it came into view
        self._told: set[int] = set()  # pages already announced for this document
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        reader.documentOpened.connect(self._document_opened)

    def set_known(self, pages: set[int] | frozenset[int]) -> None:
        """Pages already recorded for the open document: not announced again."""
        self._told |= set(pages)

    def stop(self) -> None:
        self._timer.stop()
        self._doc = None
        self._since.clear()
        self._told.clear()

    def _document_opened(self, document: object) -> None:
        self._doc = getattr(document, "id", None)
        self._since.clear()
        self._told.clear()
        if self._doc is not None:
            self._timer.start(POLL_MS)  # read here: tests shorten it

    def poll(self) -> None:
        doc = self._reader.document.id if self._reader.document is not None else None
        if doc is None or doc != self._doc:
            self._since.clear()
            return
        now = time.monotonic()
        visible = set(self.pages_in_view())
        self._since = {page: self._since.get(page, now) for page in visible}
        for page, since in sorted(self._since.items()):
            if page not in self._told and now - since >= DWELL_SECONDS:
                self._told.add(page)
                self.pageDwelled.emit(doc, page)

    def pages_in_view(self) -> list[int]:
        view = self._reader.view
        if (
            not self._reader.isVisible()
            or not view.isVisible()
            or self._reader.window().isMinimized()
        ):
            return []  # nothing is seen in a minimized window
        if not isinstance(view, PdfPageView):
            page = view.current_page()
            return [page] if page > 0 else []
        current = view.current_page()
        if current <= 0:
            return []
        viewport = QRectF(view.viewport().rect())
        found = []
        for number in range(max(1, current - 1), min(view.page_count(), current + 3) + 1):
            rect = view.page_rect_in_viewport(number)
            if rect.isEmpty():
                continue
            seen = rect.intersected(viewport)
            if seen.isEmpty():
                continue
            share = (seen.width() * seen.height()) / (rect.width() * rect.height())
            fills = seen.height() >= MOSTLY * viewport.height()
            if share >= MOSTLY or fills:
                found.append(number)
        return found
