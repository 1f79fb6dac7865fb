"""Reads a page the right way up and straight: as it is, turned or straightened only when needed.

Most pages are upright and nearly level, so they pay nothing: the page is
read once as it is. Only when that reading is poor (few words, or words
Tesseract itself doubts) or stands on end (a page turned 90° read as
vertical text) is Tesseract's orientation detector asked (`--psm 0`, under a
second), and the page read again turned the way it says. Then, when the
reading is still poor or its lines slope (measured free from the words'
boxes) by STRAIGHTEN_FROM or more, the skew is measured from the image by
projection profile (~0.1 s) and the page read again straightened; the words
and text layer of that reading are put back on the skewed ink (the original
page is shown as it is). The better reading is kept.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from docket.core.ocr.graft import tilted_layer
from docket.core.ocr.render import PageImage, rotated_about_centre, straightened, turned
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
# Skew: searched within ±MAX_SKEW degrees, coarsely then finely, on the page
# shrunk to PROFILE_WIDTH pixels; a skew under MIN_SKEW is left alone.
MAX_SKEW = 5.0
COARSE_STEP = 0.5
FINE_STEP = 0.1
PROFILE_WIDTH = 500
MIN_SKEW = 0.5
# A turn must sharpen the profile by this much over the page as it is to count.
SHARPER_THAN_LEVEL = 1.05
# Tesseract 5.3 reads dense letter pages skewed up to 1.5° either way in full,
# and misses most of one skewed 2° clockwise (bench_ocr; 59 of 354 words).
# A page whose read lines slope this much is read again straightened.
STRAIGHTEN_FROM = 1.0
MIN_LINE_WORDS = 4
CLEARLY_BETTER = 1.02
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
    """The page read the right way up and straight (see the module's note)."""
    reading = read(image, languages, folder, rotation=0)
    if is_poor(reading) or is_sideways(reading):
        rotation = detected_rotation(image)
        if rotation:
            turned_reading = read(turned(image, rotation, folder), languages, folder, rotation)
            # Turned as the detector says unless that reads clearly worse: the
            # page then shows upright, and a skew is looked for the right way up.
            if is_sideways(reading) or reading.score <= turned_reading.score * CLEARLY_BETTER:
                reading = turned_reading
    if is_poor(reading) or abs(skew_of_lines(reading.words)) >= STRAIGHTEN_FROM:
        straight = _read_straightened(reading.image, languages, folder, reading.rotation)
        if straight is not None:
            reading = _better(reading, straight)
    return reading


def _read_straightened(
    image: PageImage, languages: str, folder: Path, rotation: int
) -> Reading | None:
    """The page read with its skew undone, words and layer put back on the skewed ink."""
    skew = estimated_skew(image)
    if abs(skew) < MIN_SKEW:
        return None
    straight = straightened(image, -skew, folder)
    reading = read(straight, languages, folder, rotation=rotation)
    return _tilted_back(reading, image, skew)


def read(image: PageImage, languages: str, folder: Path, rotation: int) -> Reading:
    """One Tesseract reading of `image`, which is the page turned `rotation` degrees."""
    output = run_tesseract(image.path, folder / f"read{rotation}", languages, image.dpi)
    return Reading(image, rotation, tuple(parse_words(output.tsv)), output.layer)


def is_poor(reading: Reading) -> bool:
    return len(reading.words) < POOR_WORD_COUNT or reading.confidence < POOR_CONFIDENCE


def is_sideways(reading: Reading) -> bool:
    """Most words standing on end: Tesseract read a page turned by 90° as vertical text.

    It does that for a page turned one way (not the other), reading the words
    right but leaving the page sideways; the reader must show it upright.
    """
    long_words = [word for word in reading.words if len(word.text) >= 3]
    standing = sum(1 for word in long_words if word.height > word.width)
    return bool(long_words) and standing > len(long_words) / 2


def skew_of_lines(words: Sequence[PixelWord]) -> float:
    """Degrees clockwise the lines Tesseract read run downhill (median of their slopes), 0 unknown.

    Free: it comes from a reading already made. Word bottoms vary with
    descenders, so a line's slope is fitted through all its words' bottoms.
    """
    lines: dict[tuple[int, int, int], list[PixelWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    slopes = []
    for members in lines.values():
        if len(members) < MIN_LINE_WORDS:
            continue
        xs = [word.left + word.width / 2 for word in members]
        ys = [word.top + word.height for word in members]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        if spread:
            slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
            slopes.append(slope)
    if not slopes:
        return 0.0
    return math.degrees(math.atan(statistics.median(slopes)))


def estimated_skew(image: PageImage) -> float:
    """Degrees clockwise the page's lines run off the horizontal (projection profile).

    The page, shrunk to PROFILE_WIDTH pixels, is turned through candidate
    angles; the angle whose row darkness changes most sharply from row to row
    (text lines crisp, the gaps between them white) is the one that makes the
    lines level, and the skew is its opposite. ~0.1 s a page.
    """
    page = QImage(str(image.path))
    if page.isNull():
        return 0.0
    small = page.scaledToWidth(PROFILE_WIDTH, Qt.TransformationMode.SmoothTransformation)
    small = small.convertToFormat(QImage.Format.Format_Grayscale8)

    def sharpness(degrees: float) -> float:
        return _profile_sharpness(rotated_about_centre(small, degrees, smooth=False))

    steps = round(MAX_SKEW / COARSE_STEP)
    coarse = _sharpest([COARSE_STEP * step for step in range(-steps, steps + 1)], sharpness)
    best, fine = max(
        (sharpness(angle), angle) for angle in [coarse + FINE_STEP * s for s in range(-4, 5)]
    )
    if best <= sharpness(0.0) * SHARPER_THAN_LEVEL:
        return 0.0  # no lines to level: a blank page, a photo, a stamp
    return -round(fine, 2)


def _sharpest(angles: list[float], sharpness: Callable[[float], float]) -> float:
    return max((sharpness(angle), angle) for angle in angles)[1]


def _profile_sharpness(image: QImage) -> float:
    column = image.scaled(
        1,
        image.height(),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_Grayscale8)
    stride = column.bytesPerLine()
    data = bytes(column.constBits())
    rows = [data[row * stride] for row in range(column.height())]
    return float(sum((above - below) ** 2 for above, below in itertools.pairwise(rows)))


def _tilted_back(reading: Reading, upright: PageImage, skew: float) -> Reading:
    """A reading of the straightened image, its words and layer put back on the skewed page."""
    centre_x, centre_y = upright.width / 2, upright.height / 2
    angle = math.radians(skew)
    cos, sin = math.cos(angle), math.sin(angle)
    words = []
    for word in reading.words:
        x = word.left + word.width / 2 - centre_x
        y = word.top + word.height / 2 - centre_y
        # Straightening turned the page by -skew (clockwise, y down); this turns it back.
        moved_x = centre_x + x * cos - y * sin
        moved_y = centre_y + x * sin + y * cos
        words.append(
            replace(
                word,
                left=round(moved_x - word.width / 2),
                top=round(moved_y - word.height / 2),
            )
        )
    layer = tilted_layer(reading.layer, -skew)
    return Reading(upright, reading.rotation, tuple(words), layer)


def _better(first: Reading, second: Reading) -> Reading:
    """The reading with more confident letters; the first unless clearly beaten."""
    return second if second.score > first.score * CLEARLY_BETTER else first


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
