"""Fixtures shared by the window tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.app.window.mainwindow import MainWindow


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1300, 850)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
