"""Tag names: free text with '/' for hierarchy ("Issue/Torture").

One spelling per tag: segments are trimmed, runs of spaces squeezed and empty
segments dropped, so " Issue / Torture/" and "Issue/Torture" are the same tag.
Comparison ignores case, as the database does (COLLATE NOCASE).
"""

from __future__ import annotations

import re

from docket.core.errors import DocketError

MAX_TAG_LENGTH = 200
_SPACES = re.compile(r"\s+")


def normalize_tag(name: str) -> str:
    segments = [_SPACES.sub(" ", segment).strip() for segment in name.split("/")]
    normal = "/".join(segment for segment in segments if segment)
    if not normal:
        raise DocketError(f"{name!r} is not a tag name: it has no letters")
    if len(normal) > MAX_TAG_LENGTH:
        raise DocketError(f"a tag name may have at most {MAX_TAG_LENGTH} characters")
    return normal


def ancestors(name: str) -> list[str]:
    """ "A/B/C" → ["A", "A/B", "A/B/C"]: the tag and every parent above it."""
    segments = name.split("/")
    return ["/".join(segments[: i + 1]) for i in range(len(segments))]


def is_within(name: str, parent: str) -> bool:
    """True for the tag itself and for every tag below it."""
    name, parent = name.casefold(), parent.casefold()
    return name == parent or name.startswith(parent + "/")


def moved(name: str, old: str, new: str) -> str:
    """The new name of `name` when the subtree `old` becomes `new`."""
    if name.casefold() == old.casefold():
        return new
    return new + name[len(old) :]
