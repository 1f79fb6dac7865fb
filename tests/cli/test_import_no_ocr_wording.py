"""`docket import --no-ocr` says how many documents wait for OCR, in grammatical English."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.case import Case
from tests.cli.runner import run
from tests.cli.test_ocr_cli import LETTER, SECOND_PAGE, write_scan


@pytest.fixture
def empty_case(tmp_path: Path) -> Path:
    Case.create(tmp_path / "case").close()
    return tmp_path / "case"


def test_one_document_needs_ocr(
    capsys: pytest.CaptureFixture[str], empty_case: Path, tmp_path: Path
) -> None:
    scan = write_scan(tmp_path / "letter.pdf", [LETTER])
    code, _, err = run(capsys, "import", str(empty_case), str(scan), "--no-ocr")
    assert code == 0
    assert f"1 document needs OCR; `docket ocr {empty_case}` reads it\n" in err


def test_two_documents_need_ocr(
    capsys: pytest.CaptureFixture[str], empty_case: Path, tmp_path: Path
) -> None:
    first = write_scan(tmp_path / "letter.pdf", [LETTER])
    second = write_scan(tmp_path / "receipt.pdf", [SECOND_PAGE])
    code, _, err = run(capsys, "import", str(empty_case), str(first), str(second), "--no-ocr")
    assert code == 0
    assert f"2 documents need OCR; `docket ocr {empty_case}` reads them\n" in err
