"""`docket ocr`, `docket import` waiting for OCR (or not, with --no-ocr), and what
`list`, `text` and `search` then say, on image-only PDFs the tests draw at 300 dpi."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from docket.core.case import Case
from tests.cli.runner import run
from tests.core.pdf_factory import qt_app

DPI = 300
LETTER = [
    "Almaty City Court",
    "The witness Karimova described the",
    "police convoy near the square.",
]
SECOND_PAGE = ["Exhibit twelve: a receipt", "for the delivery of timber."]


def scan_page(lines: Sequence[str], dpi: int = DPI) -> QImage:
    """An A4 page of black 14-point text on white, as a 300-dpi scanner gives it."""
    qt_app()
    image = QImage(round(8.27 * dpi), round(11.69 * dpi), QImage.Format.Format_Grayscale8)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    font = QFont("DejaVu Sans")
    font.setPixelSize(round(14 * dpi / 72))
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    for row, line in enumerate(lines):
        painter.drawText(dpi, round(dpi * (1.5 + 0.35 * row)), line)
    painter.end()
    return image


def write_scan(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """An image-only PDF: each page one picture of text, and no text layer at all."""
    qt_app()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setResolution(DPI)
    painter = QPainter(writer)
    for number, lines in enumerate(pages):
        if number:
            writer.newPage()
        page = QRectF(0, 0, writer.width(), writer.height())
        painter.drawImage(page, scan_page(lines))
    painter.end()
    return path


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scans")
    return write_scan(folder / "letter.pdf", [LETTER, SECOND_PAGE])


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    Case.create(tmp_path / "case").close()
    return tmp_path / "case"


def listed(capsys: pytest.CaptureFixture[str], case: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "list", str(case), "--json")
    assert code == 0
    documents = json.loads(out)
    assert isinstance(documents, list)
    return documents


def found_pages(capsys: pytest.CaptureFixture[str], case: Path, query: str) -> list[int]:
    code, out, _ = run(capsys, "search", str(case), query, "--json")
    assert code == 0
    return [result["page"] for result in json.loads(out)["results"]]


def test_import_waits_for_ocr_and_the_words_are_found_on_their_page(
    capsys: pytest.CaptureFixture[str], case_path: Path, scan: Path
) -> None:
    code, out, err = run(capsys, "import", str(case_path), str(scan), "--lang", "eng")
    assert code == 0, err
    assert "imported:" in out and "read: doc 1 (letter" in out and "2 pages" in out
    [document] = listed(capsys, case_path)
    assert document["ocr"] == {
        "state": "done",
        "note": "",
        "languages": "eng",
        "low_confidence_pages": [],
    }
    assert found_pages(capsys, case_path, "Karimova") == [1]
    assert found_pages(capsys, case_path, "timber") == [2]
    code, out, _ = run(capsys, "text", str(case_path), "1", "--page", "2")
    assert code == 0
    header, text = out.split("\n", 1)
    assert header.startswith("--- page 2 (OCR, eng, confidence ") and header.endswith(" ---")
    assert "timber" in text
    code, out, _ = run(capsys, "verify", str(case_path))
    assert code == 0, out  # the original is untouched


def test_import_no_ocr_leaves_the_pages_for_docket_ocr(
    capsys: pytest.CaptureFixture[str], case_path: Path, scan: Path
) -> None:
    code, _, err = run(capsys, "import", str(case_path), str(scan), "--no-ocr")
    assert code == 0
    assert "docket ocr" in err  # says how to read them later
    [document] = listed(capsys, case_path)
    assert document["ocr"]["state"] == "skipped"  # type: ignore[index]
    assert found_pages(capsys, case_path, "Karimova") == []
    code, out, _ = run(capsys, "list", str(case_path))
    assert "OCR not run" in out

    code, out, err = run(capsys, "ocr", str(case_path), "--json", "--lang", "eng")
    assert code == 0, err
    report = json.loads(out)
    assert isinstance(report, dict) and not report.get("cancelled")
    [document] = listed(capsys, case_path)
    assert document["ocr"]["state"] == "done"  # type: ignore[index]
    assert found_pages(capsys, case_path, "convoy") == [1]

    code, out, err = run(capsys, "ocr", str(case_path))  # nothing waits any more
    assert (code, out) == (0, "")
    assert "nothing to read" in err
    code, out, _ = run(capsys, "ocr", str(case_path), "--doc", "letter")
    assert (code, out) == (0, "already read: doc 1 (letter) (--force reads it again)\n")


def test_bad_languages_are_refused_before_anything_changes(
    capsys: pytest.CaptureFixture[str], case_path: Path, scan: Path
) -> None:
    code, _, err = run(capsys, "import", str(case_path), str(scan), "--lang", "eng; rm")
    assert code == 2 and "eng+rus" in err
    assert listed(capsys, case_path) == []  # nothing imported
    run(capsys, "import", str(case_path), str(scan), "--no-ocr")
    code, _, err = run(capsys, "ocr", str(case_path), "--lang", "eng+xyz")
    assert code == 1 and "install tesseract-ocr-xyz" in err  # names the package
    [document] = listed(capsys, case_path)
    assert document["ocr"]["state"] == "skipped"  # type: ignore[index]
    code, _, err = run(capsys, "ocr", str(case_path), "--doc", "99")
    assert code == 2 and "no document 99" in err


def test_without_tesseract_import_works_and_says_what_to_install(
    capsys: pytest.CaptureFixture[str],
    case_path: Path,
    scan: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOCKET_TESSERACT", "/nonexistent/tesseract")
    code, out, err = run(capsys, "import", str(case_path), str(scan))
    assert code == 0, err  # the document is imported all the same
    assert "imported:" in out
    assert "install tesseract-ocr" in out + err
    [document] = listed(capsys, case_path)
    assert document["ocr"]["state"] == "unavailable"  # type: ignore[index]
    assert "install tesseract-ocr" in document["ocr"]["note"]  # type: ignore[index]
    code, out, _ = run(capsys, "list", str(case_path))
    assert "install tesseract-ocr" in out
    code, out, _ = run(capsys, "ocr", str(case_path))  # still missing: it did not read
    assert code == 1 and out.startswith("unavailable: doc 1 (letter")
    assert "install tesseract-ocr" in out


def test_ctrl_c_stops_after_the_pages_being_read_and_keeps_them(
    capsys: pytest.CaptureFixture[str], case_path: Path, tmp_path: Path
) -> None:
    bundle = write_scan(tmp_path / "bundle.pdf", [[*LETTER, f"Page {n}"] for n in range(12)])
    assert run(capsys, "import", str(case_path), str(bundle), "--no-ocr")[0] == 0
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "docket", "ocr", str(case_path), "--progress", "--lang", "eng"],
            stdout=subprocess.PIPE,
            stderr=stream,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        try:
            deadline = time.monotonic() + 240
            # The progress line shows a page read: then Ctrl+C.
            while not re.search(r"OCR:.* [1-9]\d*/12 pages", errors.read_text()):
                assert process.poll() is None, errors.read_text()
                assert time.monotonic() < deadline, "no page was read"
                time.sleep(0.2)
            process.send_signal(signal.SIGINT)
            out, _ = process.communicate(timeout=240)
        finally:
            if process.poll() is None:
                process.kill()
    said = errors.read_text()
    assert process.returncode == 130, said
    assert "OCR cancelled; the pages already read are kept" in said
    assert out.startswith("pending: doc 1 (bundle)")
    with Case.open(case_path, readonly=True) as case:
        assert case.document(1).ocr == "pending"  # the next `docket ocr` reads the rest
        kept = case.ocr_pages(1)
    assert 1 <= len(kept) < 12


def test_pages_read_with_low_confidence_are_named_everywhere(
    capsys: pytest.CaptureFixture[str],
    case_path: Path,
    scan: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docket.core.ocr import chunks, model, recognize

    for module in (chunks, model, recognize):  # every page read is doubtful
        monkeypatch.setattr(module, "LOW_CONFIDENCE", 101.0)
    code, out, err = run(capsys, "import", str(case_path), str(scan), "--lang", "eng")
    assert code == 0, err
    assert "read: doc 1 (letter), 2 pages — low confidence on pages 1, 2" in out
    [document] = listed(capsys, case_path)
    assert document["ocr"]["low_confidence_pages"] == [1, 2]  # type: ignore[index]
    assert "ocr-low-confidence" in document["flags"]  # type: ignore[operator]
    code, out, _ = run(capsys, "list", str(case_path))
    assert out.rstrip().endswith("letter  [OCR: 2 pages low confidence]")
    code, out, _ = run(capsys, "text", str(case_path), "1", "--page", "1")
    assert out.split("\n", 1)[0].endswith(", low confidence) ---")
    code, out, _ = run(capsys, "text", str(case_path), "1", "--json")
    pages = json.loads(out)["pages"]
    assert [page["ocr"]["low_confidence"] for page in pages] == [True, True]
    assert {page["ocr"]["languages"] for page in pages} == {"eng"}


def test_reading_again_keeps_a_mark_whose_words_are_still_there(
    capsys: pytest.CaptureFixture[str], case_path: Path, scan: Path
) -> None:
    assert run(capsys, "import", str(case_path), str(scan), "--lang", "eng")[0] == 0
    code, out, err = run(
        capsys, "mark", str(case_path), "1", "--page", "1", "--quote", "police convoy", "--json"
    )
    assert code == 0, err
    mark = json.loads(out)["id"]

    code, out, err = run(capsys, "ocr", str(case_path), "--doc", "1", "--force", "--lang", "eng")
    assert code == 0, err
    assert out == "read: doc 1 (letter), 2 pages\n"  # no mark orphaned
    code, out, _ = run(capsys, "marks", str(case_path), "--json")
    [kept] = json.loads(out)
    assert (kept["id"], kept["page"], kept["quote"]) == (mark, 1, "police convoy")
