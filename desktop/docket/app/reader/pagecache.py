"""Rendered page images: a byte-bounded LRU cache, and a latest-wins render queue.

Rendering runs on QPdfPageRenderer's own C++ thread. A Python worker thread
was measured and rejected: PySide6 keeps the GIL through
`QPdfDocument.render`, so the UI thread stood still for each render (gaps of
37 ms at 300 dpi), while QPdfPageRenderer kept the event loop's longest gap
at 7 ms for the same pages. A second QPdfDocument per worker would buy no
parallelism either: QtPdf guards every PDFium call with one global mutex.

QPdfPageRenderer forwards every request to its thread at once and cannot
cancel one, so `RenderQueue` keeps its own list of wanted pages and hands
the renderer at most two at a time (one rendering, one ready to start):
when the user scrolls or zooms, the new list replaces the old and pages no
longer wanted are never rendered.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence

from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, QSize, Signal
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions, QPdfPageRenderer

# (1-based page, width in device px, height in device px)
ImageKey = tuple[int, int, int]

_IN_FLIGHT = 2


def disconnect(connection: QMetaObject.Connection) -> None:
    """Undoes one connect, by the handle `connect` returned.

    Not `signal.disconnect(slot)`: in PySide6 6.12 that (like `emit`) drops a
    reference to True on every call, which only `docket._nonefix` keeps from
    aborting Python; undoing by handle takes none.
    """
    QObject.disconnect(connection)


class ImageCache:
    """Page images by (page, pixel size), least recently used dropped first past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._images: OrderedDict[ImageKey, QImage] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._images)

    def __contains__(self, key: ImageKey) -> bool:
        return key in self._images

    def __iter__(self) -> Iterator[ImageKey]:
        return iter(list(self._images))  # a copy: callers may put while iterating

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, key: ImageKey) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def best_for(self, page: int) -> QImage | None:
        """The largest image of `page` at any size: shown scaled while the right size renders."""
        best: QImage | None = None
        for (number, width, _), image in self._images.items():
            if number == page and (best is None or width > best.width()):
                best = image
        return best

    def put(self, key: ImageKey, image: QImage) -> None:
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > self.max_bytes and len(self._images) > 1:
            _, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()

    def clear(self) -> None:
        self._images.clear()
        self._bytes = 0


class RenderQueue(QObject):
    """Renders the pages asked for last into `cache`, off the UI thread, for one document."""

    rendered = Signal(int)  # 1-based page: an image of it is now in the cache

    def __init__(self, document: QPdfDocument, cache: ImageCache, parent: QObject | None = None):
        super().__init__(parent)
        self._cache = cache
        self._options = QPdfDocumentRenderOptions()
        # Without this flag PDFium leaves out the highlights, stamps and notes
        # other readers put in the file, which a case file often carries.
        self._options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
        self._renderer: QPdfPageRenderer | None = QPdfPageRenderer(self)
        self._renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        self._renderer.setDocument(document)
        self._connection = self._renderer.pageRendered.connect(self._received)
        self._wanted: list[ImageKey] = []
        self._in_flight: dict[int, ImageKey] = {}  # renderer's request id → key
        self._failed: set[ImageKey] = set()
        app = QCoreApplication.instance()
        if app is not None:
            # The document may be deleted before this object at exit; stop first.
            app.aboutToQuit.connect(self.close)

    @property
    def busy(self) -> bool:
        return bool(self._in_flight)

    def want(self, keys: Sequence[ImageKey]) -> None:
        """Replaces whatever was still waiting: these pages, most wanted first."""
        self._wanted = [key for key in keys if key not in self._cache and key not in self._failed]
        self._pump()

    def close(self) -> None:
        """Stops rendering. Returns once no render of the document is running.

        After this the caller may close or delete the document.
        """
        if self._renderer is None:
            return
        disconnect(self._connection)
        # setDocument takes the render worker's lock, so it waits for the page
        # being rendered; renders still queued then find no document and skip.
        # Qt takes a null document to detach; PySide6's stubs leave out None.
        self._renderer.setDocument(None)  # type: ignore[arg-type]
        self._renderer.deleteLater()
        self._renderer = None
        self._wanted.clear()
        self._in_flight.clear()

    def _pump(self) -> None:
        while self._renderer is not None and self._wanted and len(self._in_flight) < _IN_FLIGHT:
            key = self._wanted.pop(0)
            if key in self._cache or key in self._in_flight.values():
                continue
            page, width, height = key
            request = self._renderer.requestPage(page - 1, QSize(width, height), self._options)
            if request:  # 0: the document is not ready
                self._in_flight[request] = key

    def _received(
        self, index: int, size: QSize, image: QImage, _options: object, request: int
    ) -> None:
        key = self._in_flight.pop(request, None)
        if key is not None:
            if image.isNull():
                self._failed.add(key)  # a page PDFium cannot draw: don't ask again
            else:
                # Rendered as straight ARGB32; premultiplied draws ~4× faster, and
                # the view draws each image again on every scroll step.
                image.convertTo(QImage.Format.Format_ARGB32_Premultiplied)
                self._cache.put(key, image)
            self.rendered.emit(index + 1)
        self._pump()
