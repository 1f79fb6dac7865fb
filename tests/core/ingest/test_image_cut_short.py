"""A TIFF cut short (its page directory was after the pixels, as scanners and
ImageMagick write it) is refused as cut short, not as a TIFF with no pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import ExtractionError
from docket.core.pdf.imageframes import read_frames
from tests.core.image_factory import solid_image, write_tiff


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


def test_a_multipage_tiff_cut_after_its_first_page_is_refused_not_shortened(
    tmp_path: Path,
) -> None:
    # Page 1's directory points on to page 2's, 1 MB in: the copy ends before it.
    # Qt would give page 1 alone, and the lawyer would never know page 2 existed.
    whole = write_tiff(tmp_path / "two.tif", [solid_image(300, 400, "black", dpi=100)] * 2)
    data = bytearray(whole.read_bytes())
    first = int.from_bytes(data[4:8], "little")
    entries = int.from_bytes(data[first : first + 2], "little")
    next_at = first + 2 + 12 * entries
    data[next_at : next_at + 4] = (1_000_000).to_bytes(4, "little")
    cut = tmp_path / "fax.tif"
    cut.write_bytes(bytes(data))
    with pytest.raises(ExtractionError) as refused:
        list(read_frames(cut))
    assert str(refused.value) == (
        "damaged image: the TIFF is cut short after page 1 (page 2 and any after it are missing)"
    )
    assert len(list(read_frames(whole))) == 2  # the whole file still reads both pages
