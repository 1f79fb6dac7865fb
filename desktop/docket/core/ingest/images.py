"""Image files as documents: one page per image, every page waiting for OCR.

A PNG, JPEG, TIFF (each of its frames a page), GIF, BMP or WebP — recognised
by content, see core/pdf/imageframes.py — becomes a document of kind IMAGE.
Its pages have no text until OCR reads them, so the document carries
Flag.NO_TEXT_LAYER; each page is as large in points as the image is at its
own resolution (300 dpi when it gives none). The reader shows it through a PDF
made of the frames (core/pdf/imagepdf.py). Every frame is decoded here, so a
damaged or oversized one stops the import of the file with the reason before
anything is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from docket.core import heartbeat
from docket.core.errors import ExtractionError
from docket.core.model.records import DocumentKind, ExtractedDocument, ExtractedPage, Flag
from docket.core.pdf.extract import choose_title
from docket.core.pdf.imageframes import SUPPORTED_LABELS, read_frames, sniff_image

# What a folder walk picks up as images; a file named otherwise is still read
# as an image when its content is one.
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".tif", ".tiff", ".gif", ".bmp", ".webp"}
)
# Image files people keep next to scans that Docket cannot read: named in the
# reason rather than called "not a PDF or text file".
UNSUPPORTED_IMAGE_SUFFIXES = frozenset(
    {".heic", ".heif", ".avif", ".jp2", ".j2k", ".jpx", ".jxl", ".psd", ".xcf", ".cr2",
     ".nef", ".dng", ".arw", ".raw", ".djvu", ".pcx", ".emf", ".wmf"}
)  # fmt: skip


def is_image(path: Path) -> bool:
    """Whether the file's content is an image of a format Docket reads."""
    return sniff_image(path) is not None


def not_an_image_reason(path: Path) -> str | None:
    """The reason for a file named as an image that is not one Docket reads, else None."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_IMAGE_SUFFIXES:
        return f"unsupported image format ({suffix}): Docket reads {SUPPORTED_LABELS} images"
    if suffix in IMAGE_SUFFIXES:
        return f"damaged image: its content is not a {SUPPORTED_LABELS} image ({suffix})"
    return None


def read_image_document(path: Path) -> ExtractedDocument:
    """The image at `path` as a document; ExtractionError with the reason if it cannot be."""
    pages = []
    heartbeat.beat(heartbeat.OPENING)
    for frame in read_frames(path):
        heartbeat.beat(frame.index + 1)  # the worker pool judges hangs by these
        pages.append(
            ExtractedPage(
                text="",
                label=str(frame.index + 1),
                width=frame.width_points,
                height=frame.height_points,
            )
        )
    return ExtractedDocument(
        kind=DocumentKind.IMAGE,
        pages=tuple(pages),
        title=choose_title("", "", path.stem),
        modified=_modified(path),
        flags=(Flag.NO_TEXT_LAYER,),
    )


def _modified(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError as error:
        raise ExtractionError(f"cannot read the file: {error.strerror or error}") from error
