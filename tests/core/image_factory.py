"""Image files for tests, made here: QImage for PNG/JPEG, a tiny writer for multi-page TIFFs.

QImageWriter writes one frame per TIFF, and no system tool is used, so
`write_tiff` lays out a baseline TIFF itself: uncompressed 8-bit grey
frames, one strip each, with or without a resolution.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QColor, QImage, QPainter

_DOTS_PER_METER_PER_DPI = 1 / 0.0254


def solid_image(width: int, height: int, colour: str, dpi: int | None = None) -> QImage:
    """A one-colour image whose left half is `colour` and right half white (so its
    placement on a page can be checked), at `dpi` (None: Qt's default)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(0, 0, width // 2, height, QColor(colour))
    painter.end()
    if dpi is not None:
        dots = round(dpi * _DOTS_PER_METER_PER_DPI)
        image.setDotsPerMeterX(dots)
        image.setDotsPerMeterY(dots)
    return image


def write_image(path: Path, image: QImage, fmt: str, quality: int = -1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(path), fmt, quality), f"could not write {path}"
    return path


def write_tiff(path: Path, frames: Sequence[QImage], dpi: int | None = 200) -> Path:
    """A multi-page TIFF of `frames` as 8-bit grey; `dpi` None writes no resolution."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    link = 4  # where the offset of the next frame's directory goes
    for image in frames:
        grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
        width, height = grey.width(), grey.height()
        rows = b"".join(bytes(grey.constScanLine(y))[:width] for y in range(height))
        strip = len(out)
        out += rows + b"\x00" * (len(rows) % 2)
        entries = [
            (256, 4, width),  # ImageWidth
            (257, 4, height),  # ImageLength
            (258, 3, 8),  # BitsPerSample
            (259, 3, 1),  # Compression: none
            (262, 3, 1),  # PhotometricInterpretation: black is zero
            (273, 4, strip),  # StripOffsets
            (277, 3, 1),  # SamplesPerPixel
            (278, 4, height),  # RowsPerStrip
            (279, 4, len(rows)),  # StripByteCounts
        ]
        if dpi is not None:
            resolution = len(out)
            out += struct.pack("<IIII", dpi, 1, dpi, 1)
            entries += [(282, 5, resolution), (283, 5, resolution + 8), (296, 3, 2)]
        directory = len(out)
        struct.pack_into("<I", out, link, directory)
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + packed
        link = len(out)
        out += b"\x00\x00\x00\x00"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path


def write_png_claiming(path: Path, width: int, height: int) -> Path:
    """An image bomb: a tiny PNG whose header claims `width` × `height` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(bytes(64 * 1024))) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def with_exif_orientation(path: Path, orientation: int) -> Path:
    """The JPEG at `path` given an EXIF block whose Orientation is `orientation`
    (6: to be turned 90° clockwise to show upright), as phone cameras write."""
    data = path.read_bytes()
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    tiff = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">H", 1) + entry + b"\x00\x00\x00\x00"
    block = b"Exif\x00\x00" + tiff
    path.write_bytes(data[:2] + b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block + data[2:])
    return path
