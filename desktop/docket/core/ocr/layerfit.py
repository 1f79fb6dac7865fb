"""Tesseract's text layer with each word's letters spread over the word alone.

Tesseract writes every word but a line's last with a trailing space, and
stretches the whole string (`Tz`) over the word's box: the n letters then
cover only n/(n + 1) of the word, so a highlight, a search hit or an exported
/Highlight on OCR text stopped a letter short of its last word (seen on every
scanned page of a real-document trial). Here each such word's stretch is
widened so its letters fill the box and the space falls just past it, in the
gap before the next word. Word positions do not move: Tesseract places each
word with `Td` from the line's start, not from where the last glyph ended.
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, FloatObject

from docket.core.ocr.glyphs import shown_glyphs

_SPACE = b"\x00\x20"  # GlyphLessFont's codes are Unicode, two bytes (Identity-H)


def fit_words_to_boxes(layer_pdf: bytes) -> bytes:
    """The layer with every word's `Tz` widened by (n + 1) / n when it ends with a space."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(layer_pdf)))
    page = writer.pages[0]
    if page.get_contents() is None:
        return layer_pdf
    content = ContentStream(page.get_contents(), writer)
    operations: list[tuple[list[Any], bytes]] = content.operations
    changed = False
    for index in range(1, len(operations)):
        operands, operator = operations[index]
        stretch_operands, stretch = operations[index - 1]
        if operator != b"TJ" or stretch != b"Tz" or not stretch_operands:
            continue
        glyphs = shown_glyphs(operands)
        letters = len(glyphs) - 1
        if letters < 1 or glyphs[-1] != _SPACE:
            continue
        widened = float(stretch_operands[0]) * len(glyphs) / letters
        operations[index - 1] = ([FloatObject(round(widened, 3))], b"Tz")
        changed = True
    if not changed:
        return layer_pdf
    content.operations = operations
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
