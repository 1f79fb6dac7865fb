"""Values out of PDF dictionaries: text strings, dates, colours, Docket's tags line.

Other programs write these loosely (a date without its zone, a colour in
CMYK, rich text where plain text belongs); each reader here gives a
sensible value or an empty one, never an exception.
"""

from __future__ import annotations

import colorsys
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from docket.core.model.colours import DEFAULT_COLOUR
from docket.core.pdf.markup import TAGS_PREFIX


def split_tags(contents: str) -> tuple[str, tuple[str, ...]]:
    """A note and the tags on its last line, as Docket's export writes them."""
    head, _, last = contents.rstrip().rpartition("\n")
    if not last.startswith(TAGS_PREFIX):
        return contents.strip(), ()
    tags = tuple(t.strip() for t in last[len(TAGS_PREFIX) :].split(",") if t.strip())
    return head.strip(), tags


# Hue bands (degrees) named as people name colours, each given the key that
# carries that name; every key's own colour falls in its band, so a colour
# Docket exported comes back as itself. Nearest by RGB distance called pure
# blue purple and Acrobat's pale yellow orange.
_HUE_BANDS = (
    (15, "pink"),
    (42, "orange"),
    (75, "yellow"),
    (170, "green"),
    (250, "blue"),
    (295, "purple"),
    (360, "pink"),
)


def nearest_colour(value: Any) -> str:
    """The colour key that names a /C array's colour; greys, black and odd values get the
    default (an underline or strike-out is often black: it says nothing about colour)."""
    try:
        numbers = [min(1.0, max(0.0, float(v))) for v in value]
    except (TypeError, ValueError):
        return DEFAULT_COLOUR
    if len(numbers) == 4:  # CMYK
        c, m, y, k = numbers
        numbers = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    if len(numbers) != 3:
        return DEFAULT_COLOUR
    hue, saturation, value_ = colorsys.rgb_to_hsv(*numbers)
    if saturation < 0.15 or value_ < 0.2:
        return DEFAULT_COLOUR
    degrees = hue * 360
    return next(key for limit, key in _HUE_BANDS if degrees < limit) if degrees < 360 else "pink"


_DATE = re.compile(
    r"(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?"
)


def parse_pdf_date(value: Any) -> datetime | None:
    """A PDF date string (D:YYYYMMDDHHmmSS+HH'mm') as an aware datetime; None if unreadable."""
    match = _DATE.match(text_of(value))
    if not match:
        return None
    year, month, day, hour, minute, second = (
        int(p) if p else default
        for p, default in zip(match.groups()[:6], (0, 1, 1, 0, 0, 0), strict=True)
    )
    zone = UTC
    if match[8]:
        offset = timedelta(hours=int(match[9]), minutes=int(match[10] or 0))
        zone = timezone(offset if match[8] == "+" else -offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def contents_of(annotation: Any) -> str:
    text = text_of(annotation.get("/Contents"))
    if not text and "/RC" in annotation:  # rich text only (some FreeText writers)
        text = re.sub(r"<[^>]*>", " ", text_of(annotation.get("/RC")))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def text_of(value: Any) -> str:
    if value is None:
        return ""
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value) if isinstance(value, str) else ""
