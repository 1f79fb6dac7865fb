"""Image files read frame by frame: what image documents and their PDF pages are made of.

Formats are recognised by their first bytes, never by the file's name: PNG,
JPEG and TIFF (every frame of a TIFF is a page: scanners write multi-page
TIFFs), and GIF, BMP and WebP, of which only the first image is read (an
animation's frames are not pages). Anything else — HEIC, JPEG 2000, PSD, or
Qt's own PDF and SVG readers — is not an image document.

Decoding is guarded. A frame's size is read from its header before it is
decoded, so an image bomb (a 100 KB PNG whose header claims 100,000 ×
100,000 pixels) is refused without allocating a byte; a side longer than
Tesseract accepts, more pixels than MAX_FRAME_PIXELS or more frames than
MAX_FRAMES are refused the same way. A frame Qt cannot decode, a JPEG whose
end is missing (Qt would show it grey-filled and say nothing) and a TIFF with
no frames are "damaged". A frame is turned as its EXIF or TIFF orientation
says: a phone's photo of a letter is upright, as every viewer shows it.

Page sizes: points = pixels × 72 / dpi, with the file's own resolution when
it is plausible (see `image_dpi`).

Runs in worker processes without a Q*Application: QImageReader needs none.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader

from docket.core.errors import ExtractionError

TOO_LARGE = "too large to process safely"

# 60 million pixels: an A3 page scanned at 600 dpi in colour fits (about 35
# million), and decoded as 32-bit colour it stays under Qt's own 256 MB
# allocation limit and leaves an import worker room (its ceiling is 1 GB).
MAX_FRAME_PIXELS = 60_000_000
# Tesseract (Leptonica) refuses an image with a side longer than this.
MAX_SIDE_PIXELS = 32_767
# A multi-page TIFF of a whole bundle has hundreds of pages; tens of
# thousands of frames is a crafted file, each frame a page row to store.
MAX_FRAMES = 5_000
# A JPEG is read whole to check that its end is there (see `jpeg_layout`).
MAX_JPEG_BYTES = 256 * 1024 * 1024

# The resolution of an image that states none (or an absurd one): what
# scanners default to. The rule is OCR's too (core/ocr/render.py image_dpi,
# which core/pdf cannot import: core/ocr imports the ingest that imports it);
# a test holds the two to the same answers.
DEFAULT_DPI = 300.0
_PLAUSIBLE_DPI = (50.0, 1200.0)
_DOTS_PER_METER_PER_DPI = 39.3700787


@dataclass(frozen=True)
class ImageFormat:
    qt_name: bytes  # the name QImageReader knows it by
    label: str  # the name a person knows it by
    paged: bool  # every frame is a page; otherwise only the first image is read
    suffix: str  # what its stored original is named with, whatever the file was called


PNG = ImageFormat(b"png", "PNG", paged=False, suffix=".png")
JPEG = ImageFormat(b"jpeg", "JPEG", paged=False, suffix=".jpg")
TIFF = ImageFormat(b"tiff", "TIFF", paged=True, suffix=".tif")
GIF = ImageFormat(b"gif", "GIF", paged=False, suffix=".gif")
BMP = ImageFormat(b"bmp", "BMP", paged=False, suffix=".bmp")
WEBP = ImageFormat(b"webp", "WebP", paged=False, suffix=".webp")

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"II+\x00", TIFF),  # BigTIFF
    (b"MM\x00+", TIFF),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
_SNIFF_BYTES = 16
SUPPORTED_LABELS = "PNG, JPEG, TIFF, GIF, BMP or WebP"


def image_format(head: bytes) -> ImageFormat | None:
    """The image format the first bytes of a file announce, or None."""
    for magic, found in _MAGIC:
        if head.startswith(magic):
            return found
    # "BM" alone is two letters any text may start with; a BMP's reserved
    # header words are zero.
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":
        return BMP
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    return None


def sniff_image(path: Path) -> ImageFormat | None:
    """The image format of the file at `path` by its content; None if not an image or unreadable."""
    try:
        with open(path, "rb") as handle:
            return image_format(handle.read(_SNIFF_BYTES))
    except OSError:
        return None


def image_dpi(dots_per_meter_x: int, dots_per_meter_y: int) -> float:
    """The resolution a frame's pixels are taken at: its own if plausible, else DEFAULT_DPI.

    Files store dots per meter: 300 dpi is 11811, 299.9994 dpi, hence the rounding.
    """
    dpi_x = dots_per_meter_x / _DOTS_PER_METER_PER_DPI
    dpi_y = dots_per_meter_y / _DOTS_PER_METER_PER_DPI
    low, high = _PLAUSIBLE_DPI
    if not (low <= dpi_x <= high and low <= dpi_y <= high):
        return DEFAULT_DPI
    return float(round((dpi_x + dpi_y) / 2))


@dataclass(frozen=True)
class Frame:
    index: int  # 0-based, in the file
    image: QImage  # turned upright as the file's orientation says
    dpi: float

    @property
    def width_points(self) -> float:
        return self.image.width() * 72.0 / self.dpi

    @property
    def height_points(self) -> float:
        return self.image.height() * 72.0 / self.dpi


@dataclass(frozen=True)
class JpegLayout:
    width: int
    height: int
    components: int  # 1 grey, 3 colour, 4 CMYK
    precision: int  # bits per sample
    orientation: int = 1  # EXIF's: 1 upright as stored, 2-8 turned or mirrored


def read_frames(path: Path) -> Iterator[Frame]:
    """Every page-making frame of the image at `path`, decoded one at a time.

    Raises ExtractionError with the reason (not an image, damaged, too large);
    a reason can come after some frames were given, so a caller keeps nothing
    until the iteration ends.
    """
    found = _check_file(path)
    reader = _reader(path, found)
    count = _frame_count(reader, found)
    for index in range(count):
        if index and not reader.jumpToNextImage():
            raise ExtractionError(_damaged(found, index, count, "cannot be found"))
        yield _decode(reader, found, index, count)


def read_frame(path: Path, index: int) -> Frame:
    """Frame `index` (0-based) of the image at `path`; ExtractionError as `read_frames`."""
    found = _check_file(path)
    reader = _reader(path, found)
    count = _frame_count(reader, found)
    if not 0 <= index < count:
        raise ExtractionError(f"the image has no page {index + 1} (it has {count})")
    if index and not reader.jumpToImage(index):
        raise ExtractionError(_damaged(found, index, count, "cannot be found"))
    return _decode(reader, found, index, count)


def jpeg_layout(data: bytes) -> JpegLayout:
    """A JPEG's size and samples from its frame header; ExtractionError when its end is missing.

    The markers are walked from the start, so that the thumbnail a camera
    puts in its EXIF block (a whole JPEG, end marker included) is skipped.
    In the compressed data that follows the first scan, 0xFF is always
    followed by 0x00 or a restart marker, so an end marker there is the
    image's own end: when none is found, the file was cut short.
    """
    position = 2
    layout: JpegLayout | None = None
    orientation = 1
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ExtractionError("damaged image: the JPEG's structure cannot be read")
        marker = data[position + 1]
        if marker == 0xFF:  # fill bytes before a marker
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segment = data[position + 4 : position + 2 + length]
        # Start of frame: C0-CF but C4 (Huffman tables), C8 (reserved) and CC (arithmetic tables).
        if marker == 0xE1 and segment.startswith(b"Exif\x00\x00"):
            orientation = _exif_orientation(segment[6:])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and len(segment) >= 6:
            precision, height, width, components = struct.unpack(">BHHB", segment[:6])
            layout = JpegLayout(width, height, components, precision, orientation)
        if marker == 0xDA:  # start of scan: the compressed data follows
            if layout is None:
                break
            if data.find(b"\xff\xd9", position + 2 + length) < 0:
                raise ExtractionError("damaged image: the JPEG is cut short (its end is missing)")
            return layout
        position += 2 + length
    raise ExtractionError("damaged image: the JPEG's structure cannot be read")


def _exif_orientation(tiff: bytes) -> int:
    """The Orientation tag (0x0112) of an EXIF block's first directory; 1 when absent."""
    try:
        order = "<" if tiff.startswith(b"II") else ">"
        (offset,) = struct.unpack(order + "I", tiff[4:8])
        (entries,) = struct.unpack(order + "H", tiff[offset : offset + 2])
        for at in range(offset + 2, offset + 2 + 12 * min(entries, 1000), 12):
            tag, _kind, _count, value = struct.unpack(order + "HHIH", tiff[at : at + 10])
            if tag == 0x0112:
                return value if 1 <= value <= 8 else 1
    except struct.error:  # a damaged EXIF block: the image is read as stored
        pass
    return 1


# --- the steps -----------------------------------------------------------------


def _check_file(path: Path) -> ImageFormat:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            found = image_format(head)
            if found is JPEG:
                data = head + handle.read(MAX_JPEG_BYTES)
                if len(data) > MAX_JPEG_BYTES:
                    raise ExtractionError(f"{TOO_LARGE}: a JPEG of more than 256 MB")
                jpeg_layout(data)
            lost_page = _tiff_page_lost(handle, head) if found is TIFF else None
    except OSError as error:
        raise ExtractionError(f"cannot read the file: {error.strerror or error}") from error
    if found is None:
        raise ExtractionError(f"unsupported image format: Docket reads {SUPPORTED_LABELS} images")
    first_frame = _tiff_first_frame_offset(head) if found is TIFF else None
    if first_frame == 0:
        raise ExtractionError("damaged image: the TIFF has no pages (zero frames)")
    # A scanner's TIFF keeps each page's directory after its pixels: a copy cut short
    # loses the last ones, and Qt would silently give the pages before (or say "no
    # pages", libtiff complaining on the terminal) - a lawyer would miss pages unwarned.
    if lost_page == 1:
        raise ExtractionError("damaged image: the TIFF is cut short (its first page is missing)")
    if lost_page is not None:
        raise ExtractionError(
            f"damaged image: the TIFF is cut short after page {lost_page - 1} "
            f"(page {lost_page} and any after it are missing)"
        )
    return found


def _tiff_page_lost(handle: BinaryIO, head: bytes) -> int | None:
    """The first page (1-based) of a classic TIFF whose directory lies past the file's
    end, following the chain of directories; None when every one is there (or BigTIFF)."""
    offset = _tiff_first_frame_offset(head)
    if not offset:
        return None
    order = "<" if head.startswith(b"II") else ">"
    seen: set[int] = set()
    page = 1
    while offset and offset not in seen and page <= MAX_FRAMES:
        seen.add(offset)  # a loop of directories ends the walk; Qt judges the rest
        handle.seek(offset)
        count_bytes = handle.read(2)
        if len(count_bytes) < 2:
            return page
        (entries,) = struct.unpack(order + "H", count_bytes)
        handle.seek(offset + 2 + 12 * entries)
        next_bytes = handle.read(4)
        if len(next_bytes) < 4:
            return page
        (offset,) = struct.unpack(order + "I", next_bytes)
        page += 1
    return None


def _tiff_first_frame_offset(head: bytes) -> int | None:
    """Where a classic TIFF's first frame directory is (0: there is none); None for BigTIFF."""
    if head[2:4] not in (b"*\x00", b"\x00*") or len(head) < 8:
        return None
    order = "<" if head.startswith(b"II") else ">"
    offset: int = struct.unpack(order + "I", head[4:8])[0]
    return offset


def _reader(path: Path, found: ImageFormat) -> QImageReader:
    reader = QImageReader(str(path), found.qt_name)
    reader.setAutoTransform(True)  # EXIF orientation: see the module's docstring
    if not reader.canRead():
        raise ExtractionError(_damaged(found, 0, 1, "cannot be read"))
    return reader


def _frame_count(reader: QImageReader, found: ImageFormat) -> int:
    if not found.paged:
        return 1
    count = reader.imageCount()
    if count <= 0:
        raise ExtractionError(f"damaged image: the {found.label} has no pages (zero frames)")
    if count > MAX_FRAMES:
        raise ExtractionError(
            f"{TOO_LARGE}: {count:,} pages in one image (the limit is {MAX_FRAMES:,})"
        )
    return count


def _decode(reader: QImageReader, found: ImageFormat, index: int, count: int) -> Frame:
    _check_size(reader.size(), index, count)
    image = reader.read()
    if image.isNull():
        raise ExtractionError(_damaged(found, index, count, "cannot be decoded"))
    _check_size(image.size(), index, count)  # a header may say nothing of the size
    dpi = DEFAULT_DPI
    if declares_resolution(Path(reader.fileName()), found, index):
        dpi = image_dpi(image.dotsPerMeterX(), image.dotsPerMeterY())
    return Frame(index, image, dpi)


def _check_size(size: QSize, index: int, count: int) -> None:
    width, height = size.width(), size.height()
    if width <= 0 or height <= 0:  # unknown before decoding: Qt's allocation limit guards
        return
    if width * height > MAX_FRAME_PIXELS or max(width, height) > MAX_SIDE_PIXELS:
        where = f"page {index + 1} is " if count > 1 else ""
        raise ExtractionError(
            f"{TOO_LARGE}: {where}{width:,} × {height:,} pixels (the limit is "
            f"{MAX_FRAME_PIXELS // 1_000_000} million pixels and {MAX_SIDE_PIXELS:,} a side)"
        )


# --- whether a file gives its resolution ------------------------------------------
#
# Qt gives an image that states no resolution one of its own: 96 dpi in a
# process with a Q*Application and 100 dpi in one without (an import worker),
# so a scan saved without one would be sized differently by import and by the
# reader, and as a poster either way. Only the headers tell whether the
# figure is the file's.

_PNG_CHUNKS_SCANNED = 64
_TIFF_RESOLUTION_TAGS = (282, 283)  # XResolution, YResolution
_TIFF_RESOLUTION_UNIT = 296  # 1: no unit (an aspect ratio only)


def declares_resolution(path: Path, found: ImageFormat, index: int = 0) -> bool:
    """Whether frame `index` of the image at `path` states its resolution in its header."""
    try:
        with open(path, "rb") as handle:
            if found is PNG:
                return _png_declares(handle)
            if found is JPEG:
                return _jpeg_declares(handle.read(64 * 1024))
            if found is TIFF:
                return _tiff_declares(handle, index)
            if found is BMP:
                head = handle.read(46)
                return len(head) >= 46 and head[38:46] != bytes(8)
    except (OSError, struct.error, ValueError):
        return False
    return False  # GIF and WebP have no resolution


def _png_declares(handle: BinaryIO) -> bool:
    handle.seek(8)
    for _ in range(_PNG_CHUNKS_SCANNED):
        length, kind = struct.unpack(">I4s", handle.read(8))
        if kind == b"pHYs":
            return handle.read(9)[8] == 1  # unit 1: per meter; 0: an aspect ratio only
        if kind in (b"IDAT", b"IEND"):  # pHYs must come before the image data
            return False
        handle.seek(length + 4, 1)
    return False


def _jpeg_declares(head: bytes) -> bool:
    """A JFIF header with dots per inch or per centimetre (unit 0 is an aspect ratio)."""
    at = head.find(b"JFIF\x00", 2, 64)
    return at > 0 and len(head) > at + 7 and head[at + 7] in (1, 2)


def _tiff_declares(handle: BinaryIO, index: int) -> bool:
    head = handle.read(8)
    offset = _tiff_first_frame_offset(head)
    if offset is None:  # BigTIFF: trust what Qt read
        return True
    order = "<" if head.startswith(b"II") else ">"
    for _ in range(index):  # follow the chain of frame directories to frame `index`
        handle.seek(offset)
        (entries,) = struct.unpack(order + "H", handle.read(2))
        handle.seek(offset + 2 + 12 * entries)
        (offset,) = struct.unpack(order + "I", handle.read(4))
        if offset == 0:
            return False
    handle.seek(offset)
    (entries,) = struct.unpack(order + "H", handle.read(2))
    tags: dict[int, int] = {}
    for _ in range(min(entries, 1000)):
        tag, kind, _count, value = struct.unpack(order + "HHI4s", handle.read(12))
        short = kind == 3  # SHORT values sit left-justified in the value field
        tags[tag] = struct.unpack(order + ("H" if short else "I"), value[: 2 if short else 4])[0]
    unit = tags.get(_TIFF_RESOLUTION_UNIT, 2)  # absent: inches
    return all(tag in tags for tag in _TIFF_RESOLUTION_TAGS) and unit != 1


def _damaged(found: ImageFormat, index: int, count: int, why: str) -> str:
    what = (
        f"page {index + 1} of {count} of the {found.label}" if count > 1 else f"the {found.label}"
    )
    return f"damaged image: {what} {why} (truncated or corrupted)"


def stored_suffix(path: Path) -> str:
    """The suffix an image's stored original gets: its format's, whatever it was named."""
    found = sniff_image(path)
    return found.suffix if found is not None else path.suffix.lower()
