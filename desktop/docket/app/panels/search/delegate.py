"""Draws search results: document rows (title, counts) and page rows (label, snippet).

Snippets are laid out with QTextLayout rather than a QTextDocument per row:
it wraps at word boundaries, keeps the hits bold through format ranges, and
stops after `MAX_LINES` with an ellipsis, cheaply enough for hundreds of rows.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from docket.app.panels.search.model import Role

Index = QModelIndex | QPersistentModelIndex

MAX_LINES = 3
PAD_V = 5
PAD_H = 6
LABEL_GAP = 10
ELLIPSIS = "…"


def layout_snippet(
    text: str, spans: tuple[tuple[int, int], ...], font: QFont, width: float, max_lines: int
) -> tuple[QTextLayout, bool]:
    """Lay `text` out in at most `max_lines` lines of `width`; True if it had to be cut."""
    layout = QTextLayout(text, font)
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    ranges = []
    for start, end in spans:
        fmt = QTextLayout.FormatRange()
        fmt.start, fmt.length, fmt.format = start, end - start, bold
        ranges.append(fmt)
    layout.setFormats(ranges)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    width = max(width, 20.0)
    layout.beginLayout()
    y = 0.0
    last = None
    for _ in range(max_lines):
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += line.height()
        last = line
    cut = last is not None and last.textStart() + last.textLength() < len(text)
    if cut and last is not None:
        # Re-lay the last line narrower so that the ellipsis fits after it.
        last.setLineWidth(width - QFontMetrics(font).horizontalAdvance(ELLIPSIS + " "))
    layout.endLayout()
    return layout, cut


def draw_row_background(
    delegate: QStyledItemDelegate, painter: QPainter, option: QStyleOptionViewItem, index: Index
) -> tuple[QColor, QColor]:
    """Let the style draw a row's selection and focus (no text), and return the ink
    and the muted colour its own text is drawn in."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    opt.text = ""  # the style draws the selection and focus; the text is ours
    style = opt.widget.style() if opt.widget else None
    if style is not None:
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    group = (
        QPalette.ColorGroup.Active
        if option.state & QStyle.StateFlag.State_Active
        else QPalette.ColorGroup.Inactive
    )
    ink = option.palette.color(
        group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    )
    muted = ink if selected else option.palette.color(group, QPalette.ColorRole.PlaceholderText)
    return ink, muted


class SnippetDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # QTreeView asks each row's size about three times per layout; laying out
        # 500 snippets once is enough. Keyed by text, width and font.
        self._lines: dict[tuple[str, int, str], int] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = QFontMetrics(option.font)
        if index.data(Role.IS_DOCUMENT):
            return QSize(-1, metrics.height() + 2 * PAD_V + 2)
        text, spans = index.data(Role.SNIPPET)
        width = self._row_width(option, index) - 2 * PAD_H - self._label_width(option.font)
        key = (text, width, option.font.key())
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) > 5000:  # a bound, not an LRU: relaying out is cheap
                self._lines.clear()
            layout, _ = layout_snippet(text, spans, option.font, width, MAX_LINES)
            lines = self._lines[key] = max(1, layout.lineCount())
        return QSize(-1, lines * metrics.lineSpacing() + 2 * PAD_V)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        ink, muted = draw_row_background(self, painter, option, index)
        rect = option.rect.adjusted(PAD_H, PAD_V, -PAD_H, -PAD_V)
        painter.save()
        painter.setClipRect(option.rect)
        if index.data(Role.IS_DOCUMENT):
            self._paint_document(painter, option, index, rect, ink, muted)
        else:
            self._paint_page(painter, option, index, rect, ink, muted)
        painter.restore()

    def _paint_document(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        rect: QRect,
        ink: object,
        muted: object,
    ) -> None:
        counts = index.data(Role.COUNTS)
        painter.setFont(option.font)
        counts_width = QFontMetrics(option.font).horizontalAdvance(counts)
        painter.setPen(muted)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, counts)
        title_font = QFont(option.font)
        title_font.setBold(True)
        title_rect = rect.adjusted(0, 0, -(counts_width + LABEL_GAP), 0)
        title = QFontMetrics(title_font).elidedText(
            index.data(), Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.setFont(title_font)
        painter.setPen(ink)
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )

    def _paint_page(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        rect: QRect,
        ink: object,
        muted: object,
    ) -> None:
        font = option.font
        metrics = QFontMetrics(font)
        label_width = self._label_width(font)
        label = metrics.elidedText(
            index.data(Role.PAGE_LABEL), Qt.TextElideMode.ElideRight, label_width - LABEL_GAP
        )
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(
            QRect(rect.left(), rect.top(), label_width - LABEL_GAP, metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            label,
        )
        text, spans = index.data(Role.SNIPPET)
        left = rect.left() + label_width
        layout, cut = layout_snippet(text, spans, font, rect.right() - left, MAX_LINES)
        painter.setPen(ink)
        layout.draw(painter, QPointF(left, rect.top()))
        if cut:
            last = layout.lineAt(layout.lineCount() - 1)
            painter.drawText(
                QPointF(
                    left + last.naturalTextWidth() + metrics.horizontalAdvance(" "),
                    rect.top() + last.y() + last.ascent(),
                ),
                ELLIPSIS,
            )

    @staticmethod
    def _label_width(font: QFont) -> int:
        # Wide enough for "p. 1234" and short labels like "Dep. 12" or "A-123";
        # longer page labels are elided (the tooltip has them).
        return QFontMetrics(font).horizontalAdvance("p. Dep. 000") + LABEL_GAP

    @staticmethod
    def _row_width(option: QStyleOptionViewItem, index: Index) -> int:
        """The width the row will get, which sizeHint is not told by QTreeView."""
        view = option.widget
        if isinstance(view, QTreeView):
            depth = (1 if index.parent().isValid() else 0) + (1 if view.rootIsDecorated() else 0)
            return view.viewport().width() - view.indentation() * depth
        return option.rect.width()
