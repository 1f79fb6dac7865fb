"""Generates the PDFs the tests read, so that no test depends on files beside the repo.

Pages are drawn with QPdfWriter + QPainter (real embedded fonts, so QtPdf
extracts the text back); what QPdfWriter cannot write (page labels, an
outline, raw Info entries, encryption) is added afterwards with pypdf, which
also reshapes Qt's glyph-by-glyph text into one text object per line so that
PDFium reads it back as written (see _merge_glyph_runs).

    write_pdf(path, ["Page one\\nsecond line", "Page two"], title="T", author="A")
    write_image_only_pdf(path, 3)
    write_encrypted_pdf(path, ["Secret"], "pässwört")
    write_labelled_pdf(path, pages, labels=[(1, "r", "", 1), (3, "D", "", 1)],
                       outline=[("Preface", 1, 0), ("Chapter 1", 3, 0), ("1.1", 4, 1)])
    write_truncated_pdf(path)
    write_pageless_pdf(path)

Coordinates: pages are A4 (595 × 842 points); line n (0-based) of a page has
its baseline at TOP_MARGIN + n * LINE_HEIGHT points from the top, starting at
LEFT_MARGIN, so geometry tests can predict where text lands.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

LEFT_MARGIN = 72.0
TOP_MARGIN = 72.0
LINE_HEIGHT = 16.0
FONT_SIZE = 11.0
PAGE_WIDTH = 595.0
PAGE_HEIGHT = 842.0

# (first page, 1-based; style: "D" decimal, "r"/"R" roman, "a"/"A" letters, "" none;
#  prefix; first number)
LabelRange = tuple[int, str, str, int]
# (title, 1-based page, level: 0 for top level)
OutlineItem = tuple[str, int, int]

Widths = tuple[dict[int, float], float]  # CID → width (1/1000 em), and the default width

_app: QGuiApplication | None = None


def qt_app() -> QGuiApplication:
    """The QGuiApplication QPainter needs for fonts; offscreen, so no display is needed."""
    global _app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    # Kept in a module global: a QGuiApplication that is garbage-collected takes
    # the fonts with it and the next QPainter crashes.
    from PySide6.QtWidgets import QApplication  # tests may show widgets after this

    _app = QApplication([])
    return _app


def _new_writer(path: Path, title: str, author: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setResolution(72)  # one device pixel = one point: coordinates below are points
    writer.setTitle(title)
    writer.setAuthor(author)
    writer.setCreator("Docket tests")
    return writer


def write_pdf(
    path: Path | str,
    pages: Sequence[str],
    title: str = "",
    author: str = "",
    info: Mapping[str, str] | None = None,
) -> Path:
    """A PDF with one page per string; each line of a string is drawn as one text line.

    `info` adds raw Info-dictionary entries afterwards with pypdf, e.g.
    {"/CreationDate": "D:20120514103000+06'00'"} or a broken date to test tolerance.
    """
    path = Path(path)
    qt_app()
    writer = _new_writer(path, title, author)
    painter = QPainter(writer)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(FONT_SIZE)
    painter.setFont(font)
    for number, text in enumerate(pages):
        if number:
            writer.newPage()
        for row, line in enumerate(text.split("\n")):
            if line:
                painter.drawText(int(LEFT_MARGIN), int(TOP_MARGIN + row * LINE_HEIGHT), line)
    painter.end()
    _rewrite(path, info=info, merge_glyphs=True)
    return path


def write_image_only_pdf(path: Path | str, n_pages: int = 2) -> Path:
    """A "scanned" PDF: each page has a picture and drawn lines but no text layer."""
    path = Path(path)
    qt_app()
    writer = _new_writer(path, "", "")
    painter = QPainter(writer)
    scan = QImage(200, 120, QImage.Format.Format_RGB32)
    scan.fill(QColor(235, 235, 225))
    for number in range(n_pages):
        if number:
            writer.newPage()
        painter.drawImage(QRectF(72, 72, 400, 240), scan)
        painter.drawRect(QRectF(72, 360, 450, 300))
        for row in range(10):  # lines that look like text to a person, not to a PDF reader
            y = 380 + row * 24
            painter.drawLine(90, y, 500, y)
    painter.end()
    return path


def write_encrypted_pdf(
    path: Path | str, pages: Sequence[str], password: str, title: str = "", author: str = ""
) -> Path:
    """A PDF that needs `password` to open (AES-256, as current Acrobat writes)."""
    path = Path(path)
    write_pdf(path, pages, title=title, author=author)
    _rewrite(path, password=password)
    return path


def write_labelled_pdf(
    path: Path | str,
    pages: Sequence[str],
    labels: Sequence[LabelRange] = (),
    outline: Sequence[OutlineItem] = (),
    title: str = "",
) -> Path:
    """A PDF with page labels (e.g. i, ii, then 1, 2…) and an outline.

    Each label range runs from its first page to the page before the next
    range's first page (or the last page). Outline items are given in order;
    an item of level n is a child of the nearest earlier item of level n - 1.
    """
    path = Path(path)
    write_pdf(path, pages, title=title)
    _rewrite(path, labels=labels, outline=outline)
    return path


def merge_text_runs(path: Path | str) -> Path:
    """Rewrite a QPdfWriter PDF in place with one text run per line, as real PDFs have."""
    path = Path(path)
    _rewrite(path, merge_glyphs=True)
    return path


def write_truncated_pdf(
    path: Path | str, pages: Sequence[str] = ("First page", "Second page", "Third page")
) -> Path:
    """The first half of a good PDF's bytes, as an interrupted download leaves it."""
    path = Path(path)
    write_pdf(path, pages)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_pageless_pdf(path: Path | str) -> Path:
    """A well-formed PDF whose page tree is empty."""
    from pypdf import PdfWriter

    path = Path(path)
    with open(path, "wb") as handle:
        PdfWriter().write(handle)
    return path


_STYLES = {"D": "/D", "r": "/r", "R": "/R", "a": "/a", "A": "/A", "": None}


def _rewrite(
    path: Path,
    *,
    info: Mapping[str, str] | None = None,
    labels: Sequence[LabelRange] = (),
    outline: Sequence[OutlineItem] = (),
    password: str | None = None,
    merge_glyphs: bool = False,
) -> None:
    """Adds what QPdfWriter cannot write, with pypdf, in place.

    `merge_glyphs` is for the first pass over QPdfWriter's output only: pypdf
    loses rewritten content streams when it also encrypts in the same pass.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    writer = PdfWriter(clone_from=reader)
    if merge_glyphs:
        for page in writer.pages:
            _merge_glyph_runs(page)
            page.compress_content_streams()  # rewritten streams are stored plain
    if info:
        writer.add_metadata(dict(info))
    count = len(writer.pages)
    ordered = sorted(labels)
    for index, (first, style, prefix, start) in enumerate(ordered):
        last = ordered[index + 1][0] - 1 if index + 1 < len(ordered) else count
        code = _STYLES[style]
        writer.set_page_label(
            first - 1,
            last - 1,
            style=PageLabelStyle(code) if code else None,
            prefix=prefix or None,
            start=start,
        )
    parents: list[object] = []
    for title, page, level in outline:
        parent = parents[level - 1] if level > 0 else None
        item = writer.add_outline_item(title=title, page_number=page - 1, parent=parent)
        del parents[level:]
        parents.append(item)
    if password is not None:
        writer.encrypt(password, algorithm="AES-256")
    with open(path, "wb") as handle:
        writer.write(handle)


def _merge_glyph_runs(page: Any) -> None:
    """Turns QPdfWriter's one-text-object-per-glyph lines into one TJ per line.

    QPdfWriter draws every glyph as its own `Td … Tj`. PDFium guesses a
    page's text direction from how much of the page its text objects cover
    across and down; with one object per glyph, short lines leave gaps and it
    guesses "vertical", so a page like "The plaintiffs allege torture" comes
    back one letter per line. Real PDFs show a word or a line per object, so
    each line's glyphs are joined into one `TJ`, with kerning numbers that
    keep every glyph where Qt put it (so geometry tests can predict positions).
    Qt writes these blocks in one fixed shape, so a regular expression does
    it (pypdf's content parser takes 0.2 s a page); other blocks stay as they are.
    """
    fonts = page.get("/Resources", {}).get("/Font", {})
    widths = {str(name): _cid_widths(font.get_object()) for name, font in fonts.items()}
    for font in fonts.values():
        _map_space_to_space(font.get_object())
    contents = page.get_contents()
    if contents is None:
        return
    data = contents.get_data()
    merged = _QT_TEXT_LINE.sub(lambda match: _merged_line(match, widths), data)
    if merged != data:
        contents.set_data(merged)
        page.replace_contents(contents)


# One line of text as Qt writes it: font, matrix, then `dx 0 Td <glyph> Tj` per glyph.
_QT_TEXT_LINE = re.compile(
    rb"BT\n(?P<head>(?P<font>/\S+) (?P<size>[\d.]+) Tf [^\n]* Tm\n)"
    rb"(?P<start>-?[\d.]+ -?[\d.]+) Td <(?P<first>[0-9A-Fa-f]+)> Tj\n"
    rb"(?P<rest>(?:-?[\d.]+ 0 Td <[0-9A-Fa-f]+> Tj\n)*)ET"
)
_QT_GLYPH = re.compile(rb"(-?[\d.]+) 0 Td <([0-9A-Fa-f]+)> Tj\n")


def _merged_line(match: re.Match[bytes], widths: dict[str, Widths | None]) -> bytes:
    font_widths = widths.get(match["font"].decode())
    size = float(match["size"])
    if font_widths is None or size <= 0:
        return match[0]
    table, default = font_widths
    items = [b"<" + match["first"] + b">"]
    previous = bytes.fromhex(match["first"].decode())
    for advance, glyph in _QT_GLYPH.findall(match["rest"]):
        # TJ moves the pen by the previous glyph's width; Qt moved it by `advance`
        # (hinted): the difference, in 1/1000 em, keeps each glyph where Qt put it.
        shown = sum(table.get(cid, default) for cid in _cids(previous))
        kerning = round(shown - float(advance) * 1000 / size, 4)
        if kerning:
            items.append(b"%g" % kerning)
        items.append(b"<" + glyph + b">")
        previous = bytes.fromhex(glyph.decode())
    return b"BT\n%s%s Td [%s] TJ\nET" % (match["head"], match["start"], b" ".join(items))


def _map_space_to_space(font: Any) -> None:
    """Makes the space glyph read back as U+0020.

    Qt's font subsets map the space glyph to U+0009 (the first character the
    font's cmap sends to it). PDFium ignored that while every glyph was its
    own object; inside one TJ it would read every space as a tab.
    """
    if "/ToUnicode" not in font:
        return
    stream = font["/ToUnicode"].get_object()
    lines = stream.get_data().split(b"\n")
    fixed = [
        _TARGETS.sub(lambda m: m.group(1) + m.group(2).replace(b"<0009>", b"<0020>"), line)
        for line in lines
    ]
    if fixed != lines:
        stream.set_data(b"\n".join(fixed))


# A bfchar or bfrange line: the source code(s), then the Unicode target(s).
_TARGETS = re.compile(rb"^(<[0-9A-Fa-f]+>\s+(?:<[0-9A-Fa-f]+>\s+)?)(\[.*\]|<[0-9A-Fa-f]+>)\s*$")


def _cids(raw: bytes) -> list[int]:
    return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]


def _cid_widths(font: Any) -> Widths | None:
    """Glyph widths of a Type0 (two-byte) font, as QPdfWriter embeds them; None for others."""
    if font.get("/Subtype") != "/Type0":
        return None
    descendant = font["/DescendantFonts"][0].get_object()
    table: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    index = 0
    while index + 1 < len(entries):
        first, following = int(entries[index]), entries[index + 1]
        if isinstance(following, list):  # c [w1 w2 …]
            table.update((first + n, float(width)) for n, width in enumerate(following))
            index += 2
        else:  # c_first c_last w
            table.update(
                (cid, float(entries[index + 2])) for cid in range(first, int(following) + 1)
            )
            index += 3
    return table, float(descendant.get("/DW", 1000))


def write_brotli_pdf(path: Path | str) -> Path:
    """A PDF whose catalog and page tree sit in an object stream compressed with
    Brotli (/BrotliDecode, a proposed extension PDFium cannot decode), found through
    a cross-reference stream, as the Brotli prototype files are made. The stream's
    bytes need not be real Brotli: no reader here can decode it either way."""
    path = Path(path)
    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    packed = b"\x1b\x4a\x00\xf8\x25\x01\x40\x02" * 8
    object_stream = (
        b"1 0 obj\n<</Type/ObjStm/N 2/First 12/Filter/BrotliDecode/Length "
        + str(len(packed)).encode()
        + b">>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n"
    )
    stream_offset = len(header)
    xref_offset = stream_offset + len(object_stream)

    def entry(kind: int, field2: int, field3: int) -> bytes:
        return bytes([kind]) + field2.to_bytes(4, "big") + field3.to_bytes(2, "big")

    entries = (
        entry(0, 0, 65535)
        + entry(1, stream_offset, 0)
        + entry(2, 1, 0)  # the catalog: object 2, first in the object stream
        + entry(2, 1, 1)  # the page tree: object 3, second
        + entry(1, xref_offset, 0)
    )
    xref = (
        b"4 0 obj\n<</Type/XRef/Size 5/W[1 4 2]/Root 2 0 R/Length "
        + str(len(entries)).encode()
        + b">>\nstream\n"
        + entries
        + b"\nendstream\nendobj\n"
    )
    path.write_bytes(
        header + object_stream + xref + b"startxref\n" + str(xref_offset).encode() + b"\n%%EOF\n"
    )
    return path
