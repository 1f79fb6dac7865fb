"""Reads a page the right way up: as it is, and turned only when that read poorly.

Most pages are upright, so they pay nothing: the page is read once as it
is. Only when that reading is poor (few words, or words Tesseract itself
doubts) is Tesseract's orientation detector asked (`--psm 0`, a fraction of
a reading's time), and the page read again turned the way it says; the
better of the two readings is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docket.core.ocr.render import PageImage, turned
from docket.core.ocr.tesseract import (
    PixelWord,
    available_languages,
    detect_orientation,
    parse_words,
    run_tesseract,
)

# A reading is "poor" below either figure; upright pages of text score far
# above both (mean confidence 90+, hundreds of words), a sideways page's
# reading is a handful of fragments Tesseract gives ~30-50 for.
POOR_WORD_COUNT = 12
POOR_CONFIDENCE = 70.0
# The detector's own confidence below which its answer is not acted on.
MIN_ORIENTATION_CONFIDENCE = 1.0

_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_ORIENTATION_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)


@dataclass(frozen=True)
class Reading:
    """One reading of a page: the words, the layer, and how the page was turned."""

    image: PageImage  # the image Tesseract read (turned, if it was)
    rotation: int  # degrees clockwise the page was turned: 0, 90, 180, 270
    words: tuple[PixelWord, ...]
    layer: bytes

    @property
    def confidence(self) -> float:
        if not self.words:
            return -1.0
        return sum(word.confidence for word in self.words) / len(self.words)

    @property
    def score(self) -> float:
        """What comparing two readings of the same page weighs: confident letters."""
        return sum(len(word.text) * word.confidence for word in self.words)


def read_upright(image: PageImage, languages: str, folder: Path) -> Reading:
    """The page read the right way up (see the module's note)."""
    first = read(image, languages, folder, rotation=0)
    if not is_poor(first):
        return first
    rotation = detected_rotation(image)
    if rotation == 0:
        return first
    second = read(turned(image, rotation, folder), languages, folder, rotation=rotation)
    return second if second.score > first.score else first


def read(image: PageImage, languages: str, folder: Path, rotation: int) -> Reading:
    """One Tesseract reading of `image`, which is the page turned `rotation` degrees."""
    output = run_tesseract(image.path, folder / f"read{rotation}", languages, image.dpi)
    return Reading(image, rotation, tuple(parse_words(output.tsv)), output.layer)


def is_poor(reading: Reading) -> bool:
    return len(reading.words) < POOR_WORD_COUNT or reading.confidence < POOR_CONFIDENCE


def detected_rotation(image: PageImage) -> int:
    """Degrees clockwise to turn the image upright (0 when unsure or undetectable)."""
    if "osd" not in available_languages():
        return 0
    report = detect_orientation(image.path, image.dpi)
    rotate, confidence = _ROTATE.search(report), _ORIENTATION_CONFIDENCE.search(report)
    if rotate is None or confidence is None:
        return 0
    if float(confidence.group(1)) < MIN_ORIENTATION_CONFIDENCE:
        return 0
    degrees = int(rotate.group(1)) % 360
    return degrees if degrees in (90, 180, 270) else 0
