"""One page read by OCR, start to finish: `read_page(request) -> result`, never raising.

Runs in a spawned worker process (no Q*Application). The page is drawn to a
gray image in a private temporary folder (removed whatever happens), read
the right way up by Tesseract, and its text layer laid over the page to
learn the text QtPdf will show for it: that is the page's canonical text.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from docket.core.errors import DocketError
from docket.core.ocr.graft import grafted_page_text
from docket.core.ocr.model import LOW_CONFIDENCE, OcrPageRequest, OcrPageResult, OcrWord
from docket.core.ocr.orientation import Reading, read_upright
from docket.core.ocr.render import PageImage, has_ink, pdf_page_image, render_image_frame
from docket.core.ocr.tesseract import check_languages, engine_version


def read_page(request: OcrPageRequest) -> OcrPageResult:
    """What OCR reads on one page; a failure is reported in `failure`, never raised."""
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="docket-ocr-") as folder:
            return _read(request, Path(folder), started)
    except DocketError as error:
        return _failed(request, str(error), started)
    except Exception as error:  # a worker must answer for every page it is given
        return _failed(
            request, f"OCR failed unexpectedly: {type(error).__name__}: {error}", started
        )


# The confidence of a page with marks on it where Tesseract found no word: the
# lowest there is, so the page is flagged (a blank page's -1 is not).
UNREAD_INK_CONFIDENCE = 0.0


def is_low_confidence(result: OcrPageResult) -> bool:
    """True for a page read with words Tesseract mostly doubts (search may miss there)."""
    return result.failure is None and 0 <= result.confidence < LOW_CONFIDENCE


def _read(request: OcrPageRequest, folder: Path, started: float) -> OcrPageResult:
    check_languages(request.languages)
    engine = engine_version()
    image = _page_image(request, folder)
    reading = read_upright(image, request.languages, folder)
    text, width, height = grafted_page_text(
        request.path,
        request.password,
        request.page,
        reading.layer,
        reading.rotation,
        request.source,
    )
    confidence = reading.confidence
    if not reading.words and has_ink(reading.image):
        # Read as empty though there are marks on it (handwriting, a faint or
        # mangled scan, a picture): search finds nothing there, so it is flagged.
        confidence = UNREAD_INK_CONFIDENCE
    return OcrPageResult(
        doc=request.doc,
        page=request.page,
        languages=request.languages,
        words=_in_points(reading, width, height),
        confidence=confidence,
        rotation=reading.rotation,
        layer=reading.layer,
        text=text,
        width=width,
        height=height,
        engine=engine,
        seconds=time.monotonic() - started,
    )


def _page_image(request: OcrPageRequest, folder: Path) -> PageImage:
    path = Path(request.path)
    if request.source == "pdf":
        return pdf_page_image(path, request.password, request.page, request.dpi, folder)
    if request.source == "image":
        return render_image_frame(path, request.page - 1, folder)
    raise DocketError(f"unknown page source {request.source!r}")


def _in_points(reading: Reading, width: float, height: float) -> tuple[OcrWord, ...]:
    """The words' boxes moved from the image's pixels to the shown page's points."""
    scale_x = width / reading.image.width
    scale_y = height / reading.image.height
    return tuple(
        OcrWord(
            text=word.text,
            x=word.left * scale_x,
            y=word.top * scale_y,
            width=word.width * scale_x,
            height=word.height * scale_y,
            confidence=word.confidence,
        )
        for word in reading.words
    )


def _failed(request: OcrPageRequest, reason: str, started: float) -> OcrPageResult:
    return OcrPageResult(
        doc=request.doc,
        page=request.page,
        languages=request.languages,
        failure=reason,
        seconds=time.monotonic() - started,
    )
