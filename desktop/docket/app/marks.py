"""How marks look on a page: one style per kind of mark, shared by every view.

A mark is data — a `TextRange` and a `MarkStyle` — and each view turns it
into pixels its own way (rectangles over a PDF page, a background in a text
view). Keeping the colours here means a search hit looks the same in both.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QColor


class MarkStyle(Enum):
    SEARCH_HIT = "search-hit"
    FIND_MATCH = "find-match"
    # Highlights in the user's colours come later, as more members here.


# Translucent, so the text stays readable under them; views draw them with
# a multiplying blend where they can, which keeps black text black.
MARK_COLOURS: dict[MarkStyle, QColor] = {
    MarkStyle.SEARCH_HIT: QColor(255, 150, 40, 110),
    MarkStyle.FIND_MATCH: QColor(255, 230, 0, 120),
}

# The hit or match the user is on now: an outline strong enough to find at a glance.
CURRENT_OUTLINE = QColor(230, 80, 0)
