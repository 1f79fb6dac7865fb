"""One open PDF as the page views see it: page sizes, and page images on demand.

Both the page view and the thumbnails hold one. It follows the document
through its owner's hands — closed, loaded again, replaced — and stops
rendering before the document can go away, so the owner may delete the old
document as soon as `set_document` returns.
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, QTimer, Signal
from PySide6.QtPdf import QPdfDocument

from docket.app.reader.pagecache import ImageCache, ImageKey, RenderQueue, disconnect
from docket.app.reader.pagelayout import PageSizes

EAGER_SIZES = 20  # pages measured at once: a first screenful at any zoom
MEASURE_SLICE_S = 0.003  # the rest a slice at a time, while nothing renders


class PageSource(QObject):
    reset = Signal()  # another document, or this one closed or loaded: start over
    sizesChanged = Signal()  # pages measured later differ from what was assumed
    rendered = Signal(int)  # 1-based page: an image of it is in `cache`

    def __init__(self, cache_bytes: int, measure_all: bool, parent: QObject | None = None) -> None:
        """`measure_all`: measure every page's size in the background (for a layout)."""
        super().__init__(parent)
        self.cache = ImageCache(cache_bytes)
        self.sizes: PageSizes | None = None
        self._document: QPdfDocument | None = None
        self._status: QMetaObject.Connection | None = None
        self._queue: RenderQueue | None = None
        self._measure_all = measure_all
        self._measuring = QTimer(self)
        self._measuring.setInterval(15)
        self._measuring.timeout.connect(self._measure_more)

    @property
    def document(self) -> QPdfDocument | None:
        return self._document

    @property
    def page_count(self) -> int:
        return len(self.sizes) if self.sizes is not None else 0

    def set_document(self, document: QPdfDocument | None) -> None:
        if self._status is not None:
            disconnect(self._status)
            self._status = None
        self._document = document
        if document is not None:
            # Its owner may close it or load it again: follow.
            self._status = document.statusChanged.connect(self._load)
        self._load()

    def want(self, keys: Sequence[ImageKey]) -> None:
        """The images to render, most wanted first; replaces the previous wish."""
        if self._queue is not None:
            self._queue.want(keys)

    def _load(self) -> None:
        self._stop()
        if self._document is not None and not shiboken6.isValid(self._document):
            # Deleted by its owner without set_document(None): it says so while
            # it goes, and rendering has stopped (above) before it is gone.
            self._document = self._status = None
        document = self._document
        if document is not None and document.status() is QPdfDocument.Status.Ready:
            count = document.pageCount()

            def measure(index: int) -> tuple[float, float]:
                size = document.pagePointSize(index)
                return size.width(), size.height()

            self.sizes = PageSizes(count, measure)
            self.sizes.ensure(range(min(count, EAGER_SIZES)))
            self._queue = RenderQueue(document, self.cache, self)
            self._queue.rendered.connect(self.rendered)
            if self._measure_all and not self.sizes.complete:
                self._measuring.start()
        self.reset.emit()

    def _stop(self) -> None:
        """Forgets the document; returns once no page of it is being rendered."""
        self._measuring.stop()
        if self._queue is not None:
            self._queue.close()
            self._queue.deleteLater()
            self._queue = None
        self.sizes = None
        self.cache.clear()

    def _measure_more(self) -> None:
        if self.sizes is None or self.sizes.complete:
            self._measuring.stop()
        elif self._queue is not None and self._queue.busy:
            return  # PDFium has one lock: measuring now would wait for the render
        elif self.sizes.measure_more(MEASURE_SLICE_S):
            self.sizesChanged.emit()
