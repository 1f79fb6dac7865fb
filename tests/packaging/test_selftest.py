"""`docket self-test` in this process: the same checks the bundle test runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.cli import selftest
from docket.cli.main import main


def test_self_test_renders_searches_and_extracts_the_sample_case(
    capsys, isolated_user_dirs: Path
) -> None:
    assert main(["self-test", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 5 and report["qtpdf"] is True
    assert Path(report["pdf"]).is_relative_to(isolated_user_dirs)  # the user's data dir
    width, height = report["rendered"]
    assert width > 500 and height > 700  # a page at 96 dpi
    assert 0.01 < report["ink"] < 0.5
    assert report["search_hits"] > 0 and report["worker_pages"] > 0


def test_self_test_says_what_failed(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    def blank(pdf: Path) -> tuple[int, int, float, str]:
        raise selftest.SelfTestFailure(f"QtPdf rendered nothing for page 1 of {pdf}")

    monkeypatch.setattr(selftest, "_render_first_page", blank)
    assert main(["self-test"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("docket: self-test failed: QtPdf rendered nothing")
    assert "self-test passed" not in captured.out


def test_ink_is_the_share_of_pixels_that_are_not_white(qapp) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = QImage(101, 10, QImage.Format.Format_RGB32)  # an odd width: rows are padded
    image.fill(Qt.GlobalColor.white)
    assert selftest._ink(image) == 0
    for x in range(50):
        for y in range(10):
            image.setPixelColor(x, y, Qt.GlobalColor.darkGray)
    assert selftest._ink(image) == pytest.approx(50 / 101)
