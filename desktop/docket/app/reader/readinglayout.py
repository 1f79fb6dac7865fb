"""QPlainTextEdit's fast layout with a book's line spacing and centred separator lines.

QPlainTextEdit lays out only the blocks it shows, which is what lets a 5 MB
text open at once; QTextEdit lays out the whole document and takes seconds
(and again on every resize). But the plain layout ignores QTextBlockFormat's
line height and alignment, so this subclass moves the lines itself, right
after Qt lays a block out: every query of a block's rectangle (painting,
scrolling, hit-testing, centring) goes through blockBoundingRect, so all of
them see the same spaced lines.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import QPlainTextDocumentLayout

SEPARATOR = 1  # QTextBlock.userState() of a line that separates two pages
LINE_SPACING = 1.4  # of the font's height: loose enough for long reading
SEPARATOR_AIR = 1.0  # extra lines' height above and below a separator


class ReadingLayout(QPlainTextDocumentLayout):
    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out if needed
        layout = block.layout()
        if not block.isVisible() or layout is None or layout.lineCount() == 0:
            return rect
        separator = block.userState() == SEPARATOR
        air = layout.lineAt(0).height() * SEPARATOR_AIR if separator else 0.0
        # Qt puts a freshly laid out block's first line at y=0; spaced lines never are.
        if layout.lineAt(0).y() == 0:
            self._space(block, air, centred=separator)
        height = sum(layout.lineAt(i).height() for i in range(layout.lineCount()))
        height = height * LINE_SPACING + 2 * air
        if not block.next().isValid():
            height += self.document().documentMargin()
        rect.setHeight(height)
        return rect

    def _space(self, block: QTextBlock, air: float, centred: bool) -> None:
        layout = block.layout()
        y = air
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            half_leading = line.height() * (LINE_SPACING - 1) / 2
            # Qt gives every line the whole text width; a centred one moves by half its slack.
            slack = max(0.0, line.width() - line.naturalTextWidth())
            x = line.x() + slack / 2 if centred else line.x()
            line.setPosition(QPointF(x, y + half_leading))
            y += line.height() * LINE_SPACING
