"""`docket self-test`: checks that this installation can do its work.

Above all for the PyInstaller bundle, where a missing module, plugin or
resource only shows when it is used: it opens (making it on first use) the
sample case from the bundled resources, searches it with Whoosh, extracts a PDF
in a spawned worker process as an import does, and renders a page with QtPdf.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from docket.cli.output import EXIT_FAILURES, EXIT_OK, error, print_json
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.model.records import DocumentKind

if TYPE_CHECKING:  # Qt is loaded only when the test renders: other commands start faster
    from PySide6.QtGui import QImage

RENDER_DPI = 96
SAMPLE_QUERY = '"police fired"~5'  # the sample case's complaint and deposition match it


class SelfTestFailure(Exception):
    """A check failed; the message says which and why."""


def run_self_test(args: argparse.Namespace) -> int:
    try:
        report = self_test()
    except (SelfTestFailure, DocketError) as failure:
        error(f"self-test failed: {failure}")
        return EXIT_FAILURES
    if args.json:
        print_json(report)
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
        print("self-test passed")
    return EXIT_OK


def self_test() -> dict[str, object]:
    from docket.core.samplecase import sample_case_path

    path = sample_case_path()
    with Case.open(path, readonly=True) as case:
        documents = case.documents()
        pdfs = [document for document in documents if document.kind is DocumentKind.PDF]
        if not pdfs:
            raise SelfTestFailure(f"the sample case at {path} has no PDF")
        pdf = case.original_path(pdfs[0].id)
        hits = case.search(SAMPLE_QUERY, limit=1).total
    if hits == 0:
        raise SelfTestFailure(f"searching the sample case for {SAMPLE_QUERY} found nothing")
    width, height, ink, platform = _render_first_page(pdf)
    return {
        "documents": len(documents),
        "pdf": str(pdf),
        "rendered": [width, height],
        "ink": round(ink, 4),
        "qtpdf": True,
        "platform": platform,
        "search_hits": hits,
        "worker_pages": _extract_in_worker(pdf),
    }


def _extract_in_worker(pdf: Path) -> int:
    """Import's worker processes are spawned: in a bundle that re-runs the executable."""
    from docket.core.ingest.workers import ExtractionPool

    pool = ExtractionPool(1)
    try:
        future = pool.submit(str(pdf), None)
        result = pool.result(future)
    finally:
        pool.shutdown()
    if result.document is None:
        raise SelfTestFailure(f"a worker process could not extract {pdf}: {result.failure}")
    return len(result.document.pages)


def _render_first_page(pdf: Path) -> tuple[int, int, float, str]:
    """Page 1 as QtPdf renders it for the window: its size, share of ink, Qt platform."""
    if sys.platform == "linux" and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a server has no screen to open
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    document = QPdfDocument()
    try:
        status = document.load(str(pdf))
        if status != QPdfDocument.Error.None_:
            raise SelfTestFailure(f"QtPdf cannot load {pdf}: {status.name}")
        points = document.pagePointSize(0)
        size = QSize(
            round(points.width() * RENDER_DPI / 72), round(points.height() * RENDER_DPI / 72)
        )
        rendered = document.render(0, size)
    finally:
        document.close()
    if rendered.isNull():
        raise SelfTestFailure(f"QtPdf rendered nothing for page 1 of {pdf}")
    # QtPdf leaves the paper transparent; the page view paints white paper under it.
    page = QImage(rendered.size(), QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page.width(), page.height(), _ink(page), QGuiApplication.platformName()


def _ink(image: QImage) -> float:
    """The share of pixels that are not (nearly) white."""
    from PySide6.QtGui import QImage

    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())
    stride, width, height = grey.bytesPerLine(), grey.width(), grey.height()
    paper = bytes(range(240, 256))  # white, and the faintest edge of antialiasing
    inked = sum(
        len(data[row * stride : row * stride + width].translate(None, paper))
        for row in range(height)
    )
    return inked / (width * height)
