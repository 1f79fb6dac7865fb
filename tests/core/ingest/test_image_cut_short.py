"""A TIFF cut short (its page directory was after the pixels, as scanners and
ImageMagick write it) is refused as cut short, not as a TIFF with no pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import ExtractionError
from docket.core.pdf.imageframes import read_frames


def tiff_whose_first_page_lies_past_its_end(path: Path) -> Path:
    # Header: little-endian TIFF whose first directory is 1 MB in, then 4 KB of pixels.
    path.write_bytes(b"II*\x00" + (1_000_000).to_bytes(4, "little") + bytes(4096))
    return path


def test_a_tiff_cut_short_says_so(tmp_path: Path) -> None:
    path = tiff_whose_first_page_lies_past_its_end(tmp_path / "fax.tif")
    with pytest.raises(ExtractionError) as refused:
        list(read_frames(path))
    assert str(refused.value) == "damaged image: the TIFF is cut short (its first page is missing)"


def test_importing_it_fails_with_that_reason_and_stores_nothing(tmp_path: Path) -> None:
    path = tiff_whose_first_page_lies_past_its_end(tmp_path / "fax.tif")
    case = Case.create(tmp_path / "case")
    try:
        report = case.import_paths([path], workers=0)
        assert [(str(o.status), o.reason) for o in report.outcomes] == [
            ("failed", "damaged image: the TIFF is cut short (its first page is missing)")
        ]
        assert case.documents() == []
    finally:
        case.close()
