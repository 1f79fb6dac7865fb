"""Scanned pages shared by the OCR tests: each read by Tesseract once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.ocr.model import OcrPageRequest, OcrPageResult
from docket.core.ocr.recognize import read_page
from tests.core.ocr.scans import ENGLISH, RUSSIAN, scan_image, write_scanned_pdf


@pytest.fixture(scope="session")
def scanned_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1 English, page 2 Russian with a little noise: an image-only PDF at 300 dpi."""
    path = tmp_path_factory.mktemp("scans") / "scanned.pdf"
    return write_scanned_pdf(path, [scan_image(ENGLISH), scan_image(RUSSIAN, noise=0.01)])


@pytest.fixture(scope="session")
def english_result(scanned_pdf: Path) -> OcrPageResult:
    return read_page(
        OcrPageRequest(doc=1, page=1, path=str(scanned_pdf), source="pdf", languages="eng")
    )
