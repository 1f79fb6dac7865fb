"""A page made into the grayscale image Tesseract reads: a PDF page rendered, or an image's frame.

Runs in worker processes with no Q*Application: QtPdf and QImage need none.
Images are written as uncompressed TIFF: cheap to write and to read. Measured
on 300-dpi letter pages (CPU, busy 2-core machine): Qt writes TIFF in 12 ms,
PGM in 10, PNG in 147; Tesseract's image library (Leptonica 1.82) reads the
TIFF in 5 ms, the PNG in 47 and the PGM in 101 (it reads a PNM a byte at a
time), out of ~2.2 s Tesseract spends on the page. The temporary file is on
local disk for a second or two.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, Transformation
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtPdf import QPdfDocument

from docket.core.errors import DocketError
from docket.core.pdf.imageframes import read_frame

IMAGE_SUFFIX = ".tif"  # Qt picks the format by the suffix
_FALLBACK_SUFFIX = ".pgm"

# Tesseract refuses sides over 32767 pixels, and holds several bytes per
# pixel of the page (binarised copies, line finding): 60 Mpx is an A1 sheet
# at 200 dpi or A3 at 400 dpi and needs ~1 GB. A PDF page larger than that
# at OCR_DPI is drawn at a lower resolution; an image frame over it is refused
# (imageframes.MAX_FRAME_PIXELS, the same figure).
MAX_PIXELS = 60_000_000
MAX_SIDE = 32_767

# A file's own resolution is believed between these; outside them (0 when
# not recorded, absurd values) 300 is assumed, what scanners write by default.
MIN_PLAUSIBLE_DPI = 50.0
MAX_PLAUSIBLE_DPI = 1200.0
ASSUMED_DPI = 300.0
_INCHES_PER_METER = 39.3700787


class RenderFailed(DocketError):
    """The page could not be made into an image for OCR; the message says why."""


@dataclass(frozen=True)
class PageImage:
    """The image written for Tesseract and the resolution it stands for."""

    path: Path
    dpi: float
    width: int  # pixels
    height: int


def image_dpi(dots_per_meter_x: int, dots_per_meter_y: int) -> float:
    """The resolution an image's pixels are taken at, from what the file records.

    The file's own (QImage.dotsPerMeterX/Y) when it is plausible, else 300.
    Page sizes of images as documents follow from it: points = pixels * 72 / dpi.
    """
    dpi_x = dots_per_meter_x / _INCHES_PER_METER
    dpi_y = dots_per_meter_y / _INCHES_PER_METER
    if not all(MIN_PLAUSIBLE_DPI <= dpi <= MAX_PLAUSIBLE_DPI for dpi in (dpi_x, dpi_y)):
        return ASSUMED_DPI
    # Scanners write e.g. 299.9994 for 300 (11811 dots per meter): rounded.
    return float(round((dpi_x + dpi_y) / 2))


def pdf_page_image(
    path: Path, password: str | None, page_number: int, dpi: float, folder: Path
) -> PageImage:
    """The PDF page as Tesseract should see it: its scan as stored when the page is only
    that (see `stored_scan`), else drawn by PDFium (`render_pdf_page`)."""
    try:
        stored = stored_scan(open_reader(path, password), page_number, dpi, folder)
    except Exception:  # pypdf's view of a damaged file: PDFium may still draw it
        stored = None
    return stored or render_pdf_page(path, password, page_number, dpi, folder)


def stored_scan(reader: PdfReader, page_number: int, dpi: float, folder: Path) -> PageImage | None:
    """The page's scanned image written as stored, when the page is nothing but that image.

    A scanned page is one image drawn over the whole page. Drawing it through
    PDFium costs ~0.2 s of CPU a page (decoding, scaling, compositing) — an
    eighth of what Tesseract takes to read it — only to give back the same
    pixels. So when the page draws exactly one 8-bit gray or RGB image (JPEG
    or Flate), upright, covering its CropBox, at close to the resolution asked
    for, the JPEG is handed to Tesseract as it is and a Flate image as a TIFF
    of its pixels. Anything else (a stamp or text over it, a turned page, a
    bilevel fax image, a mask, a 600-dpi scan) is drawn by PDFium. None then.
    """
    if not 0 < page_number <= len(reader.pages):
        return None
    page = reader.pages[page_number - 1]
    if int(page.get("/Rotate", 0)) % 360:
        return None
    placed = _single_image(page)
    if placed is None:
        return None
    image, (a, b, c, d, e, f) = placed
    box = page.cropbox
    fits = all(
        abs(mine - theirs) <= _PLACEMENT_TOLERANCE
        for mine, theirs in ((e, box.left), (f, box.bottom), (a, box.width), (d, box.height))
    )
    if not fits or abs(b) > 1e-6 or abs(c) > 1e-6:
        return None
    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        return None
    dpi_x, dpi_y = width * 72 / float(box.width), height * 72 / float(box.height)
    if abs(dpi_x - dpi_y) > dpi_x * 0.01 or abs(dpi_x - dpi) > dpi * _DPI_TOLERANCE:
        return None
    written = _write_pixels(image, width, height, folder)
    return None if written is None else PageImage(written, dpi_x, width, height)


def render_pdf_page(
    path: Path, password: str | None, page_number: int, dpi: float, folder: Path
) -> PageImage:
    """Page `page_number` (1-based) of the PDF as shown (its /Rotate applied), in gray.

    A page too large for `dpi` within MAX_PIXELS is rendered at the highest
    resolution that fits, so a large drawing is still read rather than refused.
    """
    document = QPdfDocument()
    try:
        _open(document, path, password)
        index = page_number - 1
        if not 0 <= index < document.pageCount():
            raise RenderFailed(f"the PDF has no page {page_number}")
        size = document.pagePointSize(index)
        width_points, height_points = float(size.width()), float(size.height())
        if not (width_points > 0 and height_points > 0):
            raise RenderFailed(f"page {page_number} has no size: it cannot be drawn")
        dpi = _fitting_dpi(width_points, height_points, dpi)
        pixels = QSize(
            max(1, round(width_points * dpi / 72)), max(1, round(height_points * dpi / 72))
        )
        image = document.render(index, pixels)
    finally:
        document.close()
    if image.isNull():
        raise RenderFailed(f"page {page_number} could not be drawn")
    return _save(image.convertToFormat(QImage.Format.Format_Grayscale8), dpi, folder)


def open_reader(path: Path, password: str | None) -> PdfReader:
    """pypdf's reader of the PDF, kept for the next page of the same file.

    A worker reads a document's pages one after another; parsing the file's
    cross-reference table once for all of them, not per page, matters for
    long documents. One file is kept, and only while it is unchanged.
    """
    global _reader
    status = path.stat()
    key = (str(path), status.st_mtime_ns, status.st_size, password)
    if _reader is None or _reader[0] != key:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(password or ""):
            raise RenderFailed("the PDF needs its password to be read")
        _reader = (key, reader)
    return _reader[1]


_reader: tuple[tuple[str, int, int, str | None], PdfReader] | None = None
_PLACEMENT_TOLERANCE = 0.5  # points
_DPI_TOLERANCE = 0.1  # a stored scan within 10% of the resolution asked for is used as is
_DRAWING_ONLY = {b"q", b"Q", b"cm", b"gs", b"cs", b"CS", b"Do"}
_MAX_SCAN_CONTENT = 4096  # bytes: a scanned page's own content is a few lines
_CHANNELS = {"/DeviceGray": 1, "/DeviceRGB": 3}


def _single_image(page: PageObject) -> tuple[Any, tuple[float, ...]] | None:
    """The one image the page draws and where (the matrix at its Do), if it draws only that."""
    contents = page.get_contents()
    if contents is None or len(contents.get_data()) > _MAX_SCAN_CONTENT:
        return None
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return None
    xobjects = xobjects.get_object()
    matrix, stack, found = Transformation(), [], None
    for operands, operator in contents.operations:
        if operator not in _DRAWING_ONLY:
            return None
        if operator == b"q":
            stack.append(matrix)
        elif operator == b"Q" and stack:
            matrix = stack.pop()
        elif operator == b"cm" and len(operands) == 6:
            matrix = Transformation(tuple(float(value) for value in operands)).transform(matrix)  # type: ignore[arg-type]
        elif operator == b"Do":
            drawn = xobjects.get(operands[0]) if operands else None
            if found is not None or drawn is None:
                return None
            drawn = drawn.get_object()
            if drawn.get("/Subtype") != "/Image":
                return None
            found = (drawn, matrix.ctm)
    return found


def _write_pixels(image: Any, width: int, height: int, folder: Path) -> Path | None:
    """The image's pixels in a file Tesseract reads: the JPEG as stored, or a TIFF."""
    if any(key in image for key in ("/SMask", "/Mask", "/Decode")) or image.get("/ImageMask"):
        return None
    if int(image.get("/BitsPerComponent", 0)) != 8:
        return None
    channels = _channels(image.get("/ColorSpace"))
    filters = image.get("/Filter")
    filters = list(filters) if isinstance(filters, list) else [filters]
    if channels is None or (image.get("/DecodeParms") is not None and filters != ["/FlateDecode"]):
        return None
    if filters == ["/DCTDecode"]:
        target = folder / "page.jpg"
        target.write_bytes(image.get_data())  # pypdf passes JPEG data through undecoded
        return target
    if filters == ["/FlateDecode"]:
        pixels = image.get_data()
        if len(pixels) != width * height * channels:
            return None
        target = folder / f"page{IMAGE_SUFFIX}"
        target.write_bytes(tiff_of_pixels(pixels, width, height, channels))
        return target
    return None


def tiff_of_pixels(pixels: bytes, width: int, height: int, channels: int) -> bytes:
    """An uncompressed one-strip TIFF of 8-bit gray (1 channel) or RGB (3) rows.

    Written here rather than through QImage: the pixels are already in the
    order TIFF wants, so this is one copy (~3 ms for a 300-dpi page).
    """
    short, long_ = 3, 4
    header_size, entry_size = 8, 12
    count = 9
    ifd_size = 2 + count * entry_size + 4
    bits_offset = header_size + ifd_size  # RGB's three BitsPerSample go after the IFD
    data_offset = bits_offset + (2 * channels if channels > 1 else 0)
    entries = [  # tag, type, count, value (or where the values are)
        (256, long_, 1, width),  # ImageWidth
        (257, long_, 1, height),  # ImageLength
        (258, short, channels, 8 if channels == 1 else bits_offset),  # BitsPerSample
        (259, short, 1, 1),  # Compression: none
        (262, short, 1, 1 if channels == 1 else 2),  # Photometric: black is zero / RGB
        (273, long_, 1, data_offset),  # StripOffsets
        (277, short, 1, channels),  # SamplesPerPixel
        (278, long_, 1, height),  # RowsPerStrip
        (279, long_, 1, len(pixels)),  # StripByteCounts
    ]
    parts = [b"II*\x00", struct.pack("<I", header_size), struct.pack("<H", count)]
    for tag, kind, number, value in entries:
        # A short value is padded to the entry's four bytes.
        packed = struct.pack("<HH", value, 0) if kind == short else struct.pack("<I", value)
        parts.append(struct.pack("<HHI", tag, kind, number) + packed)
    parts.append(struct.pack("<I", 0))  # no next IFD
    if channels > 1:
        parts.append(struct.pack("<" + "H" * channels, *([8] * channels)))
    parts.append(pixels)
    return b"".join(parts)


def _channels(colour_space: Any) -> int | None:
    if colour_space is None:
        return None
    colour_space = colour_space.get_object()
    if isinstance(colour_space, list) and len(colour_space) == 2 and colour_space[0] == "/ICCBased":
        components = int(colour_space[1].get_object().get("/N", 0))
        return components if components in (1, 3) else None
    return _CHANNELS.get(str(colour_space))


def render_image_frame(path: Path, frame: int, folder: Path) -> PageImage:
    """Frame `frame` (0-based) of the image file, in gray, at the resolution its page has.

    The frame is read as image documents read it (imageframes: turned as its
    EXIF says, bombs and damage refused with the reason), so the words land
    on the page the rendition shows.
    """
    read = read_frame(path, frame)
    image = read.image.convertToFormat(QImage.Format.Format_Grayscale8)
    return _save(image, read.dpi, folder)


# Ink: the page shrunk so that each cell averages INK_CELL × INK_CELL pixels;
# a cell darker than INK_LEVEL holds a stroke (a pen line 4 px wide over half
# a cell averages ~128), while specks of scanner noise average out (3% salt and
# pepper leaves a cell at ~247). A page with INK_CELLS such cells has marks on it:
# a signature is a few hundred, a page number alone ~10.
INK_CELL = 8
INK_LEVEL = 160
INK_CELLS = 50


def has_ink(page: PageImage) -> bool:
    """True when the page image has marks on it (strokes, a stamp, a picture), not just paper."""
    image = QImage(str(page.path))
    if image.isNull():
        return False
    small = image.convertToFormat(QImage.Format.Format_Grayscale8).scaled(
        max(1, image.width() // INK_CELL),
        max(1, image.height() // INK_CELL),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    data, stride, width = bytes(small.constBits()), small.bytesPerLine(), small.width()
    dark = bytes(1 if level < INK_LEVEL else 0 for level in range(256))
    cells = sum(
        data[row * stride : row * stride + width].translate(dark).count(1)
        for row in range(small.height())
    )
    return cells >= INK_CELLS


def turned(page: PageImage, degrees: int, folder: Path) -> PageImage:
    """The page image turned `degrees` clockwise (90, 180, 270), saved beside it."""
    image = QImage(str(page.path))
    if image.isNull():
        raise RenderFailed("the page image could not be read back")
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)  # a stored scan may be colour
    rotated = gray.transformed(QTransform().rotate(degrees))
    return _save(rotated, page.dpi, folder, name=f"turned{degrees}")


def straightened(page: PageImage, degrees: float, folder: Path) -> PageImage:
    """The page image turned `degrees` clockwise about its centre, on white: a skew undone."""
    image = QImage(str(page.path))
    if image.isNull():
        raise RenderFailed("the page image could not be read back")
    return _save(rotated_about_centre(image, degrees), page.dpi, folder, name="straightened")


def rotated_about_centre(image: QImage, degrees: float, smooth: bool = True) -> QImage:
    """`image` turned `degrees` clockwise about its centre, same size, corners white."""
    out = QImage(image.size(), QImage.Format.Format_Grayscale8)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
    painter.translate(image.width() / 2, image.height() / 2)
    painter.rotate(degrees)
    painter.translate(-image.width() / 2, -image.height() / 2)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


def _open(document: QPdfDocument, path: Path, password: str | None) -> None:
    if password:
        document.setPassword(password)
    error = document.load(str(path))
    if error == QPdfDocument.Error.IncorrectPassword:
        raise RenderFailed("the PDF needs its password to be read")
    if error != QPdfDocument.Error.None_:
        raise RenderFailed(f"the PDF cannot be opened ({error.name})")


def _fitting_dpi(width_points: float, height_points: float, dpi: float) -> float:
    limit = math.sqrt(MAX_PIXELS / (width_points * height_points)) * 72
    limit = min(limit, MAX_SIDE * 72 / max(width_points, height_points))
    return min(dpi, math.floor(limit))


def _save(image: QImage, dpi: float, folder: Path, name: str = "page") -> PageImage:
    target = folder / f"{name}{IMAGE_SUFFIX}"
    if not image.save(str(target)):
        # A Qt without its TIFF plugin: PGM, which Qt always writes (Tesseract reads it slower).
        target = folder / f"{name}{_FALLBACK_SUFFIX}"
        if not image.save(str(target)):
            raise RenderFailed(f"the page image could not be written to {folder}")
    return PageImage(path=target, dpi=dpi, width=image.width(), height=image.height())
