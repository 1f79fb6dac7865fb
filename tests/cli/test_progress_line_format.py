"""The progress lines read as a sentence: "2/3 pages, 12 pages/min Letter", with no
space left before tqdm's comma."""

from __future__ import annotations

import pytest

from docket.cli.ocr import ProgressLine
from docket.core.progress import Progress


def test_the_ocr_line_puts_the_rate_after_a_comma(capsys: pytest.CaptureFixture[str]) -> None:
    line = ProgressLine("OCR", disabled=False)
    line.show(Progress(files_done=2, files_total=3, pages_done=2, current="Letter"))
    line.close()
    err = capsys.readouterr().err
    assert "2/3 pages, " in err
    assert "pages/min Letter" in err
    assert " , " not in err
