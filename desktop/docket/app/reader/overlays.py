"""How marks look on a page: one style per kind of mark, shared by every view.

A mark is data — a `TextRange` and a `MarkStyle` — and each view turns it
into pixels its own way (rectangles over a PDF page, a background in a text
view). Keeping the colours here means a search hit looks the same in both.
"""

from __future__ import annotations

from enum import Enum
from functools import cache

from PySide6.QtGui import QColor


class MarkStyle(Enum):
    SEARCH_HIT = "search-hit"
    FIND_MATCH = "find-match"
    SELECTION = "selection"


# A mark is drawn in a MarkStyle's colour, or in a highlight's own colour.
Style = MarkStyle | QColor


# Translucent, so the text stays readable under them; views draw them with
# a multiplying blend where they can, which keeps black text black.
MARK_COLOURS: dict[MarkStyle, QColor] = {
    MarkStyle.SEARCH_HIT: QColor(255, 150, 40, 110),
    MarkStyle.FIND_MATCH: QColor(255, 230, 0, 120),
    MarkStyle.SELECTION: QColor(70, 130, 240, 110),
}
HIGHLIGHT_ALPHA = 150  # with the multiply blend: a marker's strength, text still black


def style_colour(style: Style) -> QColor:
    return style if isinstance(style, QColor) else MARK_COLOURS[style]


@cache  # one QColor per key, shared: painters only read it
def highlight_colour(key: str) -> QColor:
    """The translucent colour a highlight of colour `key` is drawn in."""
    from docket.core.model.colours import colour

    try:
        found = QColor(colour(key).rgb)
    except KeyError:
        found = QColor(255, 214, 10)  # a colour from a newer Docket: draw it as yellow
    found.setAlpha(HIGHLIGHT_ALPHA)
    return found


# The hit or match the user is on now: an outline strong enough to find at a glance.
CURRENT_OUTLINE = QColor(230, 80, 0)
