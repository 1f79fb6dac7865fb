"""The highlight colours: a fixed set of keys, each with a colour and a default name.

A mark stores the key ("yellow"), never the RGB value or the name, so that a
user can rename "Key fact" to "Admission" in the preferences without touching
any mark, and exports can still say which colour a quote was given.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HighlightColour:
    key: str
    rgb: str  # "#rrggbb", drawn translucent over the page
    default_name: str


HIGHLIGHT_COLOURS: tuple[HighlightColour, ...] = (
    HighlightColour("yellow", "#ffd60a", "Key fact"),
    HighlightColour("green", "#52c466", "Supports our case"),
    HighlightColour("blue", "#4ea8f5", "Background"),
    HighlightColour("pink", "#f26daa", "Contradiction"),
    HighlightColour("orange", "#ff9a3c", "Follow up"),
    HighlightColour("purple", "#a67cf0", "Quote for the brief"),
)
DEFAULT_COLOUR = HIGHLIGHT_COLOURS[0].key
COLOUR_KEYS = tuple(colour.key for colour in HIGHLIGHT_COLOURS)


def colour(key: str) -> HighlightColour:
    for candidate in HIGHLIGHT_COLOURS:
        if candidate.key == key:
            return candidate
    raise KeyError(f"unknown highlight colour {key!r}; known: {', '.join(COLOUR_KEYS)}")


def colour_names(custom: dict[str, str] | None = None) -> dict[str, str]:
    """Each key's display name: the user's own where set, else the default."""
    custom = custom or {}
    return {c.key: (custom.get(c.key) or c.default_name) for c in HIGHLIGHT_COLOURS}
