"""Tesseract's invisible text layer laid over the page it was read from.

The layer is a one-page PDF the size of the *upright* page image, its text
drawn in render mode 3 (invisible) where the words are. Laid over the page
with pypdf, it makes PDFium (QtPdf) read the words as the page's own text, in
reading order with `\\r\\n` line ends, and select them where they are drawn.

Coordinates. A page shows its CropBox turned by its /Rotate. The layer is in
the frame of the page as shown upright, origin bottom-left: it is scaled to
the shown size, then mapped into the page's unrotated user space by the
page's final rotation R (display (X, Y) -> user (u, v)):

    R = 0:   u = x0 + X,      v = y0 + Y
    R = 90:  u = x0 + w - Y,  v = y0 + X
    R = 180: u = x0 + w - X,  v = y0 + h - Y
    R = 270: u = x0 + Y,      v = y0 + h - X

where (x0, y0, w, h) is the CropBox. A page Tesseract had to turn to read
keeps the turn: its /Rotate grows by it, so the page shows upright.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument

from docket.core.errors import DocketError
from docket.core.ocr.glyphs import shown_glyphs
from docket.core.ocr.render import open_reader
from docket.core.pdf.imagepdf import image_page_pdf

# The layer's name among the page's XObjects.
LAYER_NAME = "/DocketOcrText"


class GraftFailed(DocketError):
    """The text layer could not be laid over the page; the message says why."""


def lay_over(page: PageObject, layer_pdf: bytes, rotation: int) -> None:
    """Lays the layer over `page`, which is turned a further `rotation` degrees clockwise."""
    layer = _layer_page(layer_pdf)
    final = (_page_rotation(page) + rotation) % 360
    if final % 90:
        raise GraftFailed(f"a page cannot be turned by {final} degrees")
    if rotation % 360:
        page[NameObject("/Rotate")] = NumberObject(final)
    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    shown_width, shown_height = (height, width) if final in (90, 270) else (width, height)
    layer_box = layer.mediabox
    layer_width, layer_height = float(layer_box.width), float(layer_box.height)
    if layer_width <= 0 or layer_height <= 0 or width <= 0 or height <= 0:
        raise GraftFailed("the page or its text layer has no size")
    to_shown = (
        Transformation()
        .translate(-float(layer_box.left), -float(layer_box.bottom))
        .scale(shown_width / layer_width, shown_height / layer_height)
    )
    matrix = to_shown.transform(_shown_to_user(final, x0, y0, width, height))
    writer = page.indirect_reference.pdf if page.indirect_reference is not None else None
    if isinstance(writer, PdfWriter):
        _draw_as_form(page, layer, matrix, writer)
    else:  # a page of no writer: pypdf's merge (which parses both pages' contents)
        page.merge_transformed_page(layer, matrix, over=True)


def _draw_as_form(
    page: PageObject, layer: PageObject, matrix: Transformation, writer: PdfWriter
) -> None:
    """Draws the layer over the page as a form XObject: nothing parsed, the page's own
    content kept byte for byte between q and Q."""
    form = DecodedStreamObject()
    form.set_data(b"".join(_stream_data(item) for item in _contents(layer)))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(value) for value in layer.mediabox)
    layer_resources = layer.get("/Resources")
    if layer_resources is not None:
        form[NameObject("/Resources")] = layer_resources.get_object().clone(writer)
    form_reference = writer._add_object(form.flate_encode())

    own = page.get("/Resources")
    resources = DictionaryObject(own.get_object() if own is not None else {})
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    name = LAYER_NAME
    while NameObject(name) in xobjects:
        name += "X"
    xobjects[NameObject(name)] = form_reference
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources

    numbers = " ".join(f"{value:.6f}".rstrip("0").rstrip(".") for value in matrix.ctm)
    before = DecodedStreamObject()
    before.set_data(b"q\n")
    after = DecodedStreamObject()
    after.set_data(f"\nQ\nq {numbers} cm {name} Do Q\n".encode("ascii"))
    streams = [writer._add_object(before)]
    for item in _contents(page):
        streams.append(item if isinstance(item, IndirectObject) else writer._add_object(item))
    streams.append(writer._add_object(after))
    page[NameObject("/Contents")] = ArrayObject(streams)


def _contents(page: PageObject) -> list[Any]:
    """The page's content streams as stored (references where they are references)."""
    contents = page.get("/Contents")
    if contents is None:
        return []
    resolved = contents.get_object()
    if isinstance(resolved, ArrayObject):
        return list(resolved)
    return [contents]


def _stream_data(item: Any) -> bytes:
    data: bytes = item.get_object().get_data()
    return data


def tilted_layer(layer_pdf: bytes, degrees: float) -> bytes:
    """The layer with its lines turned `degrees` counter-clockwise about the page's centre.

    A page read straightened (its skew undone) gives a layer for the straight
    image; tilted back, its words lie on the page's skewed ink again, and the
    layer stays a plain upright-frame layer for whoever lays it over.

    Each line becomes one text object (one TJ) whose glyphs are kerned to
    where Tesseract put them. Tesseract writes a text object per word; PDFium
    joins a text object to the line of the one before when their heights are
    close, sorting it in by x, so a line running downhill (a page skewed
    clockwise) that ends lower than the next line starts would have the two
    lines' words woven together. Whole lines start a line apart.
    """
    reader = PdfReader(io.BytesIO(layer_pdf))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    box = page.mediabox
    centre_x = float(box.left) + float(box.width) / 2
    centre_y = float(box.bottom) + float(box.height) / 2
    turn = Transformation().translate(-centre_x, -centre_y).rotate(degrees)
    turn = turn.translate(centre_x, centre_y)
    content = ContentStream(page.get_contents(), writer)
    content.operations = _as_whole_lines(content.operations, turn)
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


Operation = tuple[list[Any], bytes]
_GLYPH_WIDTH = 0.5  # Tesseract's GlyphLessFont: every glyph 500/1000 em (/DW 500)


@dataclass
class _Word:
    x: float  # text space, from the line's start
    scale: float  # Tz / 100
    glyphs: list[bytes]  # two bytes each (Identity-H)


@dataclass
class _Line:
    matrix: Transformation
    font: list[Any] = field(default_factory=list)  # Tf's operands
    words: list[_Word] = field(default_factory=list)


def _as_whole_lines(operations: list[Operation], turn: Transformation) -> list[Operation]:
    """Tesseract's word-by-word text rewritten line by line, each line turned by `turn`."""
    out: list[Operation] = []
    line: _Line | None = None
    scale, x = 1.0, 0.0
    for operands, operator in operations:
        if operator == b"Tm" and len(operands) == 6:
            out.extend(_line_operations(line, turn))
            line, x = _Line(Transformation(_six(operands))), 0.0
        elif operator == b"Tf" and line is not None and not line.words:
            line.font = list(operands)
        elif operator == b"Tz" and operands:
            scale = float(operands[0]) / 100
        elif operator == b"Td" and len(operands) == 2 and line is not None:
            step_x, step_y = float(operands[0]), float(operands[1])
            if step_y:  # a step off the line: what follows is a line of its own
                moved = Transformation().translate(x + step_x, step_y).transform(line.matrix)
                out.extend(_line_operations(line, turn))
                line, x = _Line(moved, line.font), 0.0
            else:
                x += step_x
        elif operator == b"TJ" and line is not None and line.font:
            line.words.append(_Word(x, scale, shown_glyphs(operands)))
        elif operator == b"ET":
            out.extend(_line_operations(line, turn))
            line = None
            out.append((operands, operator))
        elif operator not in (b"Tf", b"Td", b"TJ", b"Tm"):
            out.append((operands, operator))
    out.extend(_line_operations(line, turn))
    return out


def _line_operations(line: _Line | None, turn: Transformation) -> list[Operation]:
    if line is None or not line.words or len(line.font) != 2:
        return []
    size = float(line.font[1])
    # One stretch for the line, its widest word's: each glyph is then at least as
    # wide as the step to the next, so PDFium sees no space inside a word (a gap
    # wider than a glyph reads as one), and a word's last letter gets a box that
    # reaches the end of its ink. Positions inside the TJ are divided by it, as
    # TJ's moves are stretched by it too.
    stretch = max(word.scale for word in line.words) or 1.0
    shown: list[Any] = []
    position = 0.0  # where the pen is, text space before the stretch
    for word in line.words:
        for index, glyph in enumerate(word.glyphs):
            wanted = (word.x + index * _GLYPH_WIDTH * size * word.scale) / stretch
            gap = wanted - position
            if abs(gap) > 0.001:
                shown.append(FloatObject(round(-gap * 1000 / size, 2)))
            shown.append(ByteStringObject(glyph))
            position = wanted + _GLYPH_WIDTH * size
    matrix = line.matrix.transform(turn)
    return [
        ([FloatObject(round(value, 4)) for value in matrix.ctm], b"Tm"),
        (line.font, b"Tf"),
        ([FloatObject(round(stretch * 100, 3))], b"Tz"),
        ([ArrayObject(shown)], b"TJ"),
    ]


def _six(operands: list[Any]) -> tuple[float, float, float, float, float, float]:
    a, b, c, d, e, f = (float(value) for value in operands)
    return a, b, c, d, e, f


def grafted_page_text(
    original_path: Path | str,
    password: str | None,
    page_number: int,
    layer: bytes,
    rotation: int,
    source: str,
) -> tuple[str, float, float]:
    """The page's text, width and height (points, as shown) as QtPdf reads it with the layer.

    This is the page's canonical text: what the reader, search offsets and
    highlights will meet in the rendition. `source` "pdf": page `page_number`
    (1-based) of the PDF; "image": frame `page_number - 1` of the image file.
    """
    writer = _page_alone(Path(original_path), password, page_number, source)
    lay_over(writer.pages[0], layer, rotation)
    grafted = io.BytesIO()
    writer.write(grafted)
    return read_single_page(grafted.getvalue())


def read_single_page(pdf: bytes) -> tuple[str, float, float]:
    """QtPdf's text and shown size of the first page of an in-memory PDF."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise GraftFailed("the page with its text layer could not be read back")
        size = document.pagePointSize(0)
        return document.getAllText(0).text(), float(size.width()), float(size.height())
    finally:
        document.close()
        buffer.close()


def _page_alone(path: Path, password: str | None, page_number: int, source: str) -> PdfWriter:
    """A one-page PDF of the page the layer goes on."""
    if source == "image":
        return PdfWriter(clone_from=PdfReader(io.BytesIO(_image_page(path, page_number - 1))))
    if source != "pdf":
        raise GraftFailed(f"unknown page source {source!r}")
    try:
        reader = open_reader(path, password)
        if not 0 < page_number <= len(reader.pages):
            raise GraftFailed(f"the PDF has no page {page_number}")
        writer = PdfWriter()
        writer.add_page(reader.pages[page_number - 1])
    except GraftFailed:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise GraftFailed(f"the PDF page could not be copied ({error})") from error
    return writer


def _image_page(path: Path, frame: int) -> bytes:
    # The image's page as the rendition makes it, so that the text read here
    # is exactly the text the reader will show.
    return image_page_pdf(path, frame)


def _layer_page(layer_pdf: bytes) -> PageObject:
    try:
        reader = PdfReader(io.BytesIO(layer_pdf))
        return reader.pages[0]
    except Exception as error:  # a truncated or empty layer
        raise GraftFailed(f"the text layer is not a readable PDF ({error})") from error


def _page_rotation(page: PageObject) -> int:
    rotate = page.get("/Rotate", 0)
    try:
        return int(rotate) % 360
    except (TypeError, ValueError):
        return 0


def _shown_to_user(rotation: int, x0: float, y0: float, w: float, h: float) -> Transformation:
    matrices = {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x0 + w, y0),
        180: (-1, 0, 0, -1, x0 + w, y0 + h),
        270: (0, -1, 1, 0, x0, y0 + h),
    }
    return Transformation(matrices[rotation])
