"""The first run on a 1366 × 768 laptop: the library shows a title and its flags side by side.

Qt's offscreen platform is given a 1366 × 768 screen (its config file), so the
window runs in a process of its own; the settings are fresh, as on a first run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCREEN = {
    "synchronousWindowSystemEvents": True,
    "windowFrameMargins": False,
    "screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}],
}

MEASURE = r"""
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from docket.app.window.mainwindow import MainWindow
from docket.app.panels.library.model import Column
from docket.core.case import Case
from tests.core.mark_factory import write_documents
from tests.core.pdf_factory import write_image_only_pdf

app = QApplication([])
folder = write_documents(Path(sys.argv[1]) / "documents")
write_image_only_pdf(folder / "scanned exhibit.pdf", 1)
case = Case.create(Path(sys.argv[1]) / "case")
case.import_paths([folder], workers=0)
case.close()
window = MainWindow()
window.show()
assert window.open_case(Path(sys.argv[1]) / "case")
for _ in range(20):
    app.processEvents()
view = window.library.view
columns = {
    column.name: {
        "x": view.columnViewportPosition(column),
        "width": view.columnWidth(column),
        "hidden": view.isColumnHidden(column),
    }
    for column in Column
}
scanned = next(r for r in range(view.model().rowCount())
               if "scanned" in view.model().index(r, Column.TITLE).data())
print(json.dumps({
    "window": [window.frameGeometry().width(), window.frameGeometry().height()],
    "library": window.library.width(),
    "viewport": view.viewport().width(),
    "reader": window.centralWidget().width(),
    "columns": columns,
    "scanned_flags": view.model().index(scanned, Column.FLAGS).data(),
}))
window.close()
"""


def test_the_library_shows_titles_and_flags_at_1366_by_768(tmp_path: Path) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(SCREEN), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parents[3],
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    layout = json.loads(result.stdout.strip().splitlines()[-1])
    width, height = layout["window"]
    assert width <= 1366 and height <= 768  # the window fits the laptop's screen
    assert layout["library"] >= 420  # not a 330-pixel strip
    assert layout["reader"] >= 500  # the page still has the middle
    viewport = layout["viewport"]
    title, flags = layout["columns"]["TITLE"], layout["columns"]["FLAGS"]
    assert title["width"] >= 200  # a title is read, not guessed at
    assert not flags["hidden"] and flags["x"] > title["x"]
    # The flags ("no text layer — needs OCR", "OCR pending"…) are in view, unscrolled.
    assert flags["x"] + flags["width"] <= viewport, layout
    assert layout["scanned_flags"], layout  # the scanned exhibit does carry a flag
