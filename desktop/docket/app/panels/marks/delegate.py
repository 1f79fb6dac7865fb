"""How a mark looks: its row in a list, its colour swatch, its quote cut to a few lines.

A row is at most four short lines (where and tags · the quote, two lines ·
the note's first line), so its height is known from one width measurement,
without laying text out: 2,000 rows size in a few milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from docket.app.panels.marks.model import UNKNOWN_RGB, Role, rgb_of
from docket.app.panels.search.delegate import ELLIPSIS, draw_row_background, layout_snippet
from docket.core.model.marks import Mark

Index = QModelIndex | QPersistentModelIndex

PAD_V = 6
PAD_H = 8
BAR = 4  # the colour bar's width
BAR_GAP = 8
QUOTE_LINES = 2
TAG_SHARE = 0.45  # tags may take this much of the first line; the place comes first
QUOTE_CHARS = 400  # two lines never show more than this


def one_line(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` with its line breaks and runs of spaces as single spaces (PDF quotes have many)."""
    return " ".join(text[: limit * 2].split())[:limit]


def first_line(note: str) -> str:
    lines = [line.strip() for line in note.strip().splitlines()]
    return lines[0] + (" …" if len(lines) > 1 else "") if lines else ""


class MarkDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Whether a quote needs one line or two, by (mark id, quote length, width).
        self._two_lines: dict[tuple[int, int, int], bool] = {}

    # -- fonts ------------------------------------------------------------------------

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
        return small

    @staticmethod
    def _italic(font: QFont) -> QFont:
        italic = QFont(font)
        italic.setItalic(True)
        return italic

    # -- size -------------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        mark: Mark = index.data(Role.MARK)
        width = self._text_width(option.rect.width() or self._view_width(option))
        spacing = QFontMetrics(option.font).lineSpacing()
        lines = (
            1 + self._quote_lines(mark, option.font, width) + (1 if self._shows_note(mark) else 0)
        )
        return QSize(-1, lines * spacing + 2 * PAD_V)

    def _quote_lines(self, mark: Mark, font: QFont, width: int) -> int:
        if not mark.quote:
            return 0
        key = (mark.id, len(mark.quote), width)
        two = self._two_lines.get(key)
        if two is None:
            if len(self._two_lines) > 20_000:  # a bound, not an LRU: measuring is cheap
                self._two_lines.clear()
            two = self._two_lines[key] = (
                QFontMetrics(font).horizontalAdvance(one_line(mark.quote)) > width
            )
        return QUOTE_LINES if two else 1

    @staticmethod
    def _shows_note(mark: Mark) -> bool:
        return bool(mark.note.strip()) or not mark.quote  # an empty note says so

    @staticmethod
    def _text_width(row_width: int) -> int:
        return max(row_width - 2 * PAD_H - BAR - BAR_GAP, 40)

    @staticmethod
    def _view_width(option: QStyleOptionViewItem) -> int:
        # QListView asks sizes with an empty rect; the viewport is the row's width.
        view = option.widget
        viewport = getattr(view, "viewport", None)
        return viewport().width() if viewport is not None else 300

    # -- painting ---------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        ink, muted = draw_row_background(self, painter, option, index)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        mark: Mark = index.data(Role.MARK)
        rect = option.rect.adjusted(PAD_H, PAD_V, -PAD_H, -PAD_V)
        painter.save()
        painter.setClipRect(option.rect)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(rgb_of(mark.colour)))
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), BAR, rect.height()), 2, 2)
        text = rect.adjusted(BAR + BAR_GAP, 0, 0, 0)
        spacing = QFontMetrics(option.font).lineSpacing()
        self._paint_header(painter, option.font, index, text, ink, muted)
        top = text.top() + spacing
        if mark.quote:
            top += self._paint_quote(painter, option.font, mark, text, top, ink)
        if self._shows_note(mark):
            self._paint_note(
                painter,
                option.font,
                mark,
                QRect(text.left(), top, text.width(), spacing),
                ink,
                muted,
            )
        if not selected:  # a hairline between rows: the quotes of two marks never run together
            line = QColor(ink)
            line.setAlpha(28)
            painter.setPen(line)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            bottom = option.rect.bottom()
            painter.drawLine(
                option.rect.left() + PAD_H, bottom, option.rect.right() - PAD_H, bottom
            )
        painter.restore()

    def _paint_header(
        self, painter: QPainter, font: QFont, index: Index, rect: QRect, ink: QColor, muted: QColor
    ) -> None:
        mark: Mark = index.data(Role.MARK)
        metrics = QFontMetrics(font)
        line = QRect(rect.left(), rect.top(), rect.width(), metrics.lineSpacing())
        middle = Qt.AlignmentFlag.AlignVCenter
        tags_width = 0
        if mark.tags:
            small = self._small(font)
            small_metrics = QFontMetrics(small)
            tags = small_metrics.elidedText(
                "  ".join(mark.tags), Qt.TextElideMode.ElideRight, int(rect.width() * TAG_SHARE)
            )
            tags_width = small_metrics.horizontalAdvance(tags) + 12
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(line, Qt.AlignmentFlag.AlignRight | middle, tags)
        left = line.adjusted(0, 0, -tags_width, 0)
        place = index.data(Role.WHERE)
        title = index.data(Role.TITLE)
        painter.setPen(ink)
        if title:
            bold = QFont(font)
            bold.setBold(True)
            room = left.width() - metrics.horizontalAdvance(f"  {place}")
            shown = QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight, max(room, 30))
            painter.setFont(bold)
            painter.drawText(left, Qt.AlignmentFlag.AlignLeft | middle, shown)
            left.setLeft(
                left.left()
                + QFontMetrics(bold).horizontalAdvance(shown)
                + metrics.horizontalAdvance("  ")
            )
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(
            left,
            Qt.AlignmentFlag.AlignLeft | middle,
            metrics.elidedText(place, Qt.TextElideMode.ElideRight, left.width()),
        )

    def _paint_quote(
        self, painter: QPainter, font: QFont, mark: Mark, rect: QRect, top: int, ink: QColor
    ) -> int:
        """Draw the quote below `top`; returns the height used."""
        lines = self._quote_lines(mark, font, rect.width())
        layout, cut = layout_snippet(one_line(mark.quote), (), font, rect.width(), lines)
        painter.setFont(font)
        painter.setPen(ink)
        layout.draw(painter, QPointF(rect.left(), top))
        if cut:
            last = layout.lineAt(layout.lineCount() - 1)
            painter.drawText(
                QPointF(
                    rect.left()
                    + last.naturalTextWidth()
                    + QFontMetrics(font).horizontalAdvance(" "),
                    top + last.y() + last.ascent(),
                ),
                ELLIPSIS,
            )
        return lines * QFontMetrics(font).lineSpacing()

    def _paint_note(
        self, painter: QPainter, font: QFont, mark: Mark, line: QRect, ink: QColor, muted: QColor
    ) -> None:
        italic = self._italic(font)
        note = first_line(mark.note)
        painter.setFont(italic)
        painter.setPen(ink if note else muted)
        painter.drawText(
            line,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(italic).elidedText(
                note or "Empty note", Qt.TextElideMode.ElideRight, line.width()
            ),
        )


# -- the same look outside lists ------------------------------------------------------


def swatch_icon(rgb: str, size: int = 16) -> QIcon:
    """A rounded square of `rgb`; checked, it carries a tick (the colour a mark has)."""
    icon = QIcon()
    for state in (QIcon.State.Off, QIcon.State.On):
        pixmap = QPixmap(size * 2, size * 2)  # drawn at 2× so it stays sharp on high DPI
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(0, 0, 0, 70), 1))
        painter.setBrush(QColor(rgb))
        painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 3, 3)
        if state is QIcon.State.On:  # every swatch colour is light enough for a dark tick
            painter.setPen(
                QPen(
                    QColor("#1b1b1b"),
                    2,
                    Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin,
                )
            )
            painter.drawPolyline(
                [
                    QPointF(size * 0.3, size * 0.52),
                    QPointF(size * 0.45, size * 0.67),
                    QPointF(size * 0.72, size * 0.36),
                ]
            )
        painter.end()
        icon.addPixmap(pixmap, QIcon.Mode.Normal, state)
    return icon


class QuoteView(QWidget):
    """A quote in at most `max_lines` lines, cut with an ellipsis; all of it in the tooltip."""

    def __init__(self, max_lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._rgb = UNKNOWN_RGB
        self._max_lines = max_lines
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        copy = QAction("Copy Quote", self)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(self._text))
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def set_text(self, text: str, rgb: str = UNKNOWN_RGB) -> None:
        """Show `text` beside a bar in the mark's colour `rgb`."""
        self._text, self._rgb = text, rgb
        self.setToolTip(text[:2000])
        self.setAccessibleDescription(text[:2000])
        self._fit()
        self.update()

    def text(self) -> str:
        return self._text

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout, _ = layout_snippet(
            one_line(self._text, 1000), (), self.font(), width - BAR - BAR_GAP, self._max_lines
        )
        return max(layout.lineCount(), 1) * self.fontMetrics().lineSpacing()

    def sizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(max(self.width(), 200)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Layouts inside a QStackedLayout do not ask heightForWidth: fix the height here.
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        height = self.heightForWidth(self.width())
        if height != self.height():
            self.setFixedHeight(height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self._rgb))
        painter.drawRoundedRect(QRectF(0, 0, BAR, self.height()), 2, 2)
        left = BAR + BAR_GAP
        layout, cut = layout_snippet(
            one_line(self._text, 1000), (), self.font(), self.width() - left, self._max_lines
        )
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        layout.draw(painter, QPointF(left, 0))
        if cut:
            last = layout.lineAt(layout.lineCount() - 1)
            gap = self.fontMetrics().horizontalAdvance(" ")
            painter.drawText(
                QPointF(left + last.naturalTextWidth() + gap, last.y() + last.ascent()), ELLIPSIS
            )
