"""The glyph codes a text-showing operator of Tesseract's layer shows."""

from __future__ import annotations

import codecs
from typing import Any

from pypdf.generic import TextStringObject


def shown_glyphs(operands: list[Any]) -> list[bytes]:
    """The two-byte glyph codes a TJ shows (Tesseract shows one string a word;
    its GlyphLessFont is Identity-H, each code the character's Unicode)."""
    codes = b"".join(
        _string_bytes(item)
        for element in operands
        for item in (element if isinstance(element, list) else [element])
    )
    return [codes[index : index + 2] for index in range(0, len(codes) - 1, 2)]


def _string_bytes(item: object) -> bytes:
    if isinstance(item, TextStringObject):  # pypdf decoded the UTF-16 codes as text
        raw = item.get_original_bytes()
        return raw[2:] if raw.startswith(codecs.BOM_UTF16_BE) else raw
    return bytes(item) if isinstance(item, bytes) else b""
