"""What an OCR job is asked and what it answers: plain data that crosses processes."""

from __future__ import annotations

from dataclasses import dataclass

# Pages are rendered for Tesseract at this resolution: its documented sweet
# spot for body text, and what scanners default to.
OCR_DPI = 300

# A page whose mean word confidence is below this is flagged: search may
# miss words on it. bench_ocr (8 letter pages of real text, 7 scan
# conditions): clean, blurred, 200-dpi and 2°-skewed pages average 95.7-95.8
# (none under 94), 3% salt-and-pepper noise 86.7 (min 83.7) with 92% of words
# found; of 56 pages every one under 85 was read badly (< 90% of its words)
# and none read well (>= 95%), while under 90 would flag 7 pages read well.
# A page with no words is blank (confidence -1, not "low") unless it has ink
# on it: then it is 0, flagged, as search will find nothing there.
# Here, with the plain data, so that reading the flag (docket list) loads no Qt.
LOW_CONFIDENCE = 85.0


@dataclass(frozen=True)
class OcrWord:
    """One word as Tesseract read it, on the upright page."""

    text: str
    x: float  # points; origin top-left of the page as shown upright
    y: float
    width: float
    height: float
    confidence: float  # 0-100


@dataclass(frozen=True)
class OcrPageRequest:
    """One page to read. `source` is "pdf" (a page of the file at `path`) or
    "image" (frame `page - 1` of the image file at `path`)."""

    doc: int
    page: int  # 1-based
    path: str  # the stored original
    source: str  # "pdf" | "image"
    languages: str  # Tesseract's "eng+rus"
    password: str | None = None
    dpi: int = OCR_DPI


@dataclass(frozen=True)
class OcrPageResult:
    """What reading one page gave; `failure` set means nothing else is meaningful."""

    doc: int
    page: int  # 1-based
    languages: str
    words: tuple[OcrWord, ...] = ()
    confidence: float = -1.0  # mean word confidence 0-100; no words: -1, or 0 if inked
    rotation: int = 0  # 0, 90, 180, 270: degrees clockwise the page was turned to read upright
    layer: bytes = b""  # Tesseract's one-page text-only PDF, the size of the upright page
    text: str = ""  # the canonical text: QtPdf's text of the page with `layer` laid over it
    width: float = 0.0  # points: the upright page as shown
    height: float = 0.0
    engine: str = ""  # "tesseract 5.3.0"
    failure: str | None = None
    seconds: float = 0.0  # time spent, for progress estimates and benchmarks
