"""A column of small page pictures with their labels, rendered only for the rows in sight.

The list view asks its model for a row's picture only when it paints that
row (uniform item sizes keep it from asking every row to measure it), so
the model renders exactly what is seen: each paint's rows replace the
previous wish list, and a fast scroll through 2,000 pages renders only the
pages it stops on. Rendering is the page view's (`pagesource.PageSource`).

Pages nobody has reviewed yet (review coverage, `set_reviewed`) carry a small
dot in their picture's corner, and say so in their tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QKeyEvent, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from docket.app.reader.pagecache import ImageKey
from docket.app.reader.pagesource import PageSource

Index = QModelIndex | QPersistentModelIndex

THUMB_WIDTH = 96  # logical px
CACHE_BYTES = 24 * 1024 * 1024  # ~400 thumbnails at 96 × 136 on a 2× screen
BORDER = QColor(0, 0, 0, 60)
UNREAD_DOT = QColor(40, 120, 220)
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 1  # True for a page nobody has reviewed


class ThumbnailModel(QAbstractListModel):
    """Rows are pages: the label to show, and the page's picture once rendered."""

    def __init__(self, pixel_ratio: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixel_ratio = pixel_ratio
        self._source = PageSource(CACHE_BYTES, measure_all=False, parent=self)
        self._source.reset.connect(self._reset)
        self._source.rendered.connect(self._rendered)
        self._labels: list[str] = []
        self._count = 0
        self._box = QSize(THUMB_WIDTH, round(THUMB_WIDTH * 1.414))
        self._blanks: dict[ImageKey, QImage] = {}
        self._asked: list[ImageKey] = []
        self._reviewed: frozenset[int] | None = None  # None: coverage not shown

    @property
    def box(self) -> QSize:
        """The space each picture gets: the first page's shape, THUMB_WIDTH wide."""
        return self._box

    def rendered_pages(self) -> set[int]:
        """The pages whose pictures are rendered and kept (1-based)."""
        return {key[0] for key in self._source.cache}

    def set_document(self, document: QPdfDocument | None, labels: Sequence[str]) -> None:
        """Shows `document`'s pages (not owned); the previous document may go once this returns."""
        self._labels = list(labels)
        self._reviewed = None
        self._source.set_document(document)

    def set_reviewed(self, pages: frozenset[int] | None) -> None:
        """The pages reviewed (1-based); the others get the unread dot. None: no dots."""
        self._reviewed = pages
        if self._count:
            self.dataChanged.emit(
                self.index(0),
                self.index(self._count - 1),
                [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, UNREAD_ROLE],
            )

    def unread(self, row: int) -> bool:
        return self._reviewed is not None and row + 1 not in self._reviewed

    def _reset(self) -> None:
        self.beginResetModel()
        self._blanks.clear()
        sizes = self._source.sizes
        self._count = len(sizes) if sizes is not None else 0
        if sizes is not None and self._count:
            width, height = sizes[0]
            ratio = min(2.0, height / width)  # a long scroll of a page stays usable
            self._box = QSize(THUMB_WIDTH, round(THUMB_WIDTH * ratio))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        document = self._source.document
        if not index.isValid() or document is None or index.row() >= self._count:
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._labels[row] if row < len(self._labels) else document.pageLabel(row)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._picture(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Page {row + 1}" + (" — not reviewed yet" if self.unread(row) else "")
        if role == UNREAD_ROLE:
            return self.unread(row)
        return None

    def _picture(self, row: int) -> QIcon:
        key = self._key(row)
        image = self._source.cache.get(key)
        if image is None:
            self._ask(key)
            image = self._blank(key)
        if self.unread(row):
            image = _with_dot(image)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self._pixel_ratio())
        # The same picture when selected: the list would tint the whole page in
        # the highlight colour, hiding it; the label shows the selection instead.
        icon = QIcon(pixmap)
        icon.addPixmap(pixmap, QIcon.Mode.Selected)
        return icon

    def _key(self, row: int) -> ImageKey:
        """The picture of page `row + 1`: its shape, fitted in the box, in device pixels."""
        sizes = self._source.sizes
        assert sizes is not None
        sizes.ensure([row])
        width, height = sizes[row]
        scale = min(self._box.width() / width, self._box.height() / height) * self._pixel_ratio()
        return row + 1, max(1, round(width * scale)), max(1, round(height * scale))

    def _blank(self, key: ImageKey) -> QImage:
        """A white page with a border, the page's shape, while its picture renders."""
        blank = self._blanks.get(key)
        if blank is None:
            blank = _on_paper(None, key[1], key[2])
            if len(self._blanks) > 64:  # page shapes vary little; this is a bound, not a cache
                self._blanks.clear()
            self._blanks[key] = blank
        return blank

    def _ask(self, key: ImageKey) -> None:
        # The rows asked for within one paint become the wish list once it ends.
        if not self._asked:
            QTimer.singleShot(0, self, self._flush)
        if key not in self._asked:
            self._asked.append(key)

    def _flush(self) -> None:
        asked, self._asked = self._asked, []
        self._source.want(asked)

    def _rendered(self, page: int) -> None:
        # PDFium leaves the paper transparent: put it on white, with an edge, once.
        cache = self._source.cache
        for key in cache:
            if key[0] == page:
                image = cache.get(key)
                if image is not None and image.hasAlphaChannel():
                    cache.put(key, _on_paper(image, key[1], key[2]))
        if page <= self._count:
            index = self.index(page - 1)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ThumbnailList(QListView):
    pageActivated = Signal(int)  # 1-based page the user picked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = ThumbnailModel(self.devicePixelRatioF, self)
        self.setModel(self._model)
        self.setViewMode(QListView.ViewMode.IconMode)  # the label under the picture
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)  # else the view asks every row for its size
        self.setSpacing(6)
        self.setIconSize(self._model.box)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.clicked.connect(self._clicked)

    def set_document(self, document: QPdfDocument | None, labels: Sequence[str] = ()) -> None:
        """Shows `document`'s pages (not owned). Once this returns, the previous may be deleted."""
        self._model.set_document(document, labels)
        self.setIconSize(self._model.box)

    def set_reviewed(self, pages: frozenset[int] | None) -> None:
        """Pages reviewed (review coverage); the others show a small dot."""
        self._model.set_reviewed(pages)

    def set_current_page(self, number: int) -> None:
        """Selects and shows page `number` (1-based) without emitting pageActivated."""
        index = self._model.index(number - 1)
        if index.isValid() and index != self.currentIndex():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.pageActivated.emit(index.row() + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Moving through the pictures with the keys turns the pages, as a click does.
        before = self.currentIndex().row()
        super().keyPressEvent(event)
        row = self.currentIndex().row()
        if row >= 0 and row != before:
            self.pageActivated.emit(row + 1)


def _on_paper(ink: QImage | None, width: int, height: int) -> QImage:
    """`ink` drawn on a white page with a thin border (opaque, so it draws fast)."""
    paper = QImage(width, height, QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    if ink is not None:
        painter.drawImage(0, 0, ink)
    painter.setPen(BORDER)
    painter.drawRect(0, 0, width - 1, height - 1)
    painter.end()
    return paper


def _with_dot(image: QImage) -> QImage:
    """A copy of a page picture with the unread dot in its top right corner."""
    marked = image.copy()
    size = max(6, marked.width() // 10)
    painter = QPainter(marked)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(UNREAD_DOT)
    painter.drawEllipse(marked.width() - size - 4, 4, size, size)
    painter.end()
    return marked
