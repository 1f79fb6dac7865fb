"""A transcript's numbered lines in the reader: Ctrl+G to "27:4", and the line numbers
printed in a text document's margin shown as numbers, not words.

The line maps are the case's (core/transcripts): offsets into each page's stored
text, the reader's own coordinates. A PDF prints its numbers; nothing is drawn there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QPalette, QTextCharFormat, QTextCursor

from docket.core.case import Case
from docket.core.model.records import TextRange
from docket.core.storage.citing import LineMap

if TYPE_CHECKING:  # the text view loads when a text document is first shown
    from docket.app.reader.textview import TextPageView

_PAGE_LINE = re.compile(r"\s*(?P<page>[^:]+?)\s*:\s*(?P<line>\d{1,3})\s*")


def parse_page_line(typed: str) -> tuple[str, int] | None:
    """ "27:4" -> ("27", 4), the page as typed (a number or a label); None otherwise."""
    match = _PAGE_LINE.fullmatch(typed)
    return (match.group("page"), int(match.group("line"))) if match else None


class TranscriptLines:
    """The open document's line maps, by page (empty: not a transcript)."""

    def __init__(self) -> None:
        self.maps: dict[int, LineMap] = {}
        self._texts: list[str] = []

    def load(self, case: Case, doc_id: int, texts: Sequence[str]) -> None:
        self._texts = list(texts)
        self.maps = case.transcripts.line_maps(doc_id, range(1, len(texts) + 1))

    def clear(self) -> None:
        self.maps, self._texts = {}, []

    def span(self, page: int, line: int) -> TextRange | None:
        """The words of line `line` on page `page` (a blank line: its place), or None."""
        for number, start, end in self.maps.get(page, ()):
            if number == line:
                return TextRange(page, start, end)
        return None

    def line_at(self, page: int, offset: int) -> int | None:
        """The line holding `offset` on a mapped page (the next one between lines)."""
        lines = self.maps.get(page, ())
        for number, _start, end in lines:
            if offset < end:
                return number
        return lines[-1][0] if lines else None

    def mark_numbers(self, view: TextPageView) -> None:
        """Show the numbers before each mapped line's words small, grey and tabular, as a
        margin's numbers: the reader tells them from the testimony at a glance."""
        if not self.maps:
            return
        look = QTextCharFormat()
        look.setForeground(view.palette().color(QPalette.ColorRole.PlaceholderText))
        look.setFontStyleHint(QFont.StyleHint.Monospace)
        look.setFontWeight(QFont.Weight.DemiBold)
        edit = QTextCursor(view.document())
        edit.beginEditBlock()  # one layout pass for all the lines
        try:
            for page, lines in self.maps.items():
                text = self._texts[page - 1] if page <= len(self._texts) else ""
                for _number, start, _end in lines:
                    line_start = text.rfind("\n", 0, start) + 1
                    if line_start < start:
                        view.range_cursor(TextRange(page, line_start, start)).mergeCharFormat(look)
        finally:
            edit.endEditBlock()
