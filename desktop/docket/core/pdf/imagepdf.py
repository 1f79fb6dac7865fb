"""The PDF pages an image document is shown as: each frame, whole, at its size in points.

`image_page_pdf(path, frame)` gives one frame (0-based) as a one-page PDF's
bytes; `image_document_pdf(path)` gives a pypdf PdfWriter with a page for
every frame, in order — the base the OCR rendition (core/ocr/rendition.py)
lays its text layers over. A page is as large as `Frame.width_points` ×
`height_points` (core/pdf/imageframes.py), exactly the size stored for it at
import, and the image fills it.

Lossless: a grey or colour JPEG is embedded as it is, with /DCTDecode (its
bytes unchanged, so nothing is decoded and compressed again) unless its EXIF
orientation turns it (then it is decoded, turned and kept whole); every other
frame is decoded by Qt and embedded with /FlateDecode as 1-bit (a black and
white scan, as fax TIFFs are), 8-bit grey or 8-bit RGB samples. A
transparent image is laid on white first, as a page is white. No Pillow:
pypdf objects only, so nothing new is needed to read images.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from docket.core.pdf.imageframes import (
    JPEG,
    Frame,
    jpeg_layout,
    read_frame,
    read_frames,
    sniff_image,
)

__all__ = ["image_document_pdf", "image_page_pdf"]

_IMAGE_NAME = "/Im0"
_BILEVEL_FORMATS = (QImage.Format.Format_Mono, QImage.Format.Format_MonoLSB)
_BLACK, _WHITE = 0xFF000000, 0xFFFFFFFF
_JPEG_COLOUR_SPACES = {1: "/DeviceGray", 3: "/DeviceRGB"}  # CMYK JPEGs are decoded instead


def image_page_pdf(path: Path, frame: int) -> bytes:
    """Frame `frame` (0-based) of the image at `path` as a one-page PDF; ExtractionError
    (damaged, too large, no such frame) as reading it for import."""
    writer = PdfWriter()
    _add_page(writer, read_frame(path, frame), _jpeg_bytes(path))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_document_pdf(path: Path) -> PdfWriter:
    """Every frame of the image at `path`, a page each; ExtractionError as for import."""
    writer = PdfWriter()
    jpeg = _jpeg_bytes(path)
    for frame in read_frames(path):
        _add_page(writer, frame, jpeg)
    return writer


def _jpeg_bytes(path: Path) -> bytes | None:
    """The file's bytes when it is a JPEG that PDF readers draw as it is, else None."""
    if sniff_image(path) is not JPEG:
        return None
    data = path.read_bytes()
    layout = jpeg_layout(data)
    upright = layout.orientation == 1  # a turned photo's stored bytes are not the page
    if layout.components in _JPEG_COLOUR_SPACES and layout.precision == 8 and upright:
        return data
    return None


def _add_page(writer: PdfWriter, frame: Frame, jpeg: bytes | None) -> None:
    width, height = frame.width_points, frame.height_points
    page = writer.add_blank_page(width=width, height=height)
    image = _jpeg_stream(frame, jpeg) if jpeg is not None else _decoded_stream(frame.image)
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(
                {NameObject(_IMAGE_NAME): writer._add_object(image)}
            )
        }
    )
    drawing = DecodedStreamObject()
    # The image space is the unit square: scaled to the page, it fills it.
    drawing.set_data(f"q {width:.4f} 0 0 {height:.4f} 0 0 cm {_IMAGE_NAME} Do Q".encode())
    page[NameObject("/Contents")] = writer._add_object(drawing)


def _image_stream(
    image: QImage, data: bytes, colour_space: str, bits: int, pdf_filter: str
) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width()),
            NameObject("/Height"): NumberObject(image.height()),
            NameObject("/ColorSpace"): NameObject(colour_space),
            NameObject("/BitsPerComponent"): NumberObject(bits),
            NameObject("/Filter"): NameObject(pdf_filter),
        }
    )
    return stream


def _jpeg_stream(frame: Frame, jpeg: bytes) -> StreamObject:
    layout = jpeg_layout(jpeg)
    return _image_stream(frame.image, jpeg, _JPEG_COLOUR_SPACES[layout.components], 8, "/DCTDecode")


def _decoded_stream(image: QImage) -> StreamObject:
    if image.hasAlphaChannel():
        image = _on_white(image)
    if _is_bilevel(image):
        mono = image.convertToFormat(QImage.Format.Format_Mono)
        stream = _image_stream(
            mono, _compressed_rows(mono, (mono.width() + 7) // 8), "/DeviceGray", 1, "/FlateDecode"
        )
        if mono.colorTable()[0] != _BLACK:  # a set bit is black: PDF's grey has 0 black
            stream[NameObject("/Decode")] = ArrayObject([NumberObject(1), NumberObject(0)])
        return stream
    if image.isGrayscale():
        grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
        return _image_stream(
            grey, _compressed_rows(grey, grey.width()), "/DeviceGray", 8, "/FlateDecode"
        )
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return _image_stream(
        rgb, _compressed_rows(rgb, rgb.width() * 3), "/DeviceRGB", 8, "/FlateDecode"
    )


def _is_bilevel(image: QImage) -> bool:
    return image.format() in _BILEVEL_FORMATS and sorted(image.colorTable()) == [_BLACK, _WHITE]


def _on_white(image: QImage) -> QImage:
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


def _compressed_rows(image: QImage, row_bytes: int) -> bytes:
    """The image's rows without Qt's padding to 32 bits, deflated."""
    pixels = image.constBits()
    stride = image.bytesPerLine()
    compressor = zlib.compressobj(6)
    if stride == row_bytes:
        return compressor.compress(pixels[: stride * image.height()]) + compressor.flush()
    parts = [
        compressor.compress(pixels[y * stride : y * stride + row_bytes])
        for y in range(image.height())
    ]
    return b"".join(parts) + compressor.flush()
