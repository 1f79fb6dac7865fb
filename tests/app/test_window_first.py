"""The window first, work after: opening a case shows page 1 before loading the rest.

Run in a fresh process, since this test process has long imported Whoosh and
pypdf: `open_window` on a case, then the event loop until the reader has
painted page 1 of the first document. At that moment neither Whoosh (the
index) nor pypdf (exports, OCR) is loaded, and the panels (library, marks…)
are not yet made: they come right after, the library listing the documents,
the one open selected. A search then loads Whoosh.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from docket.core.case import Case
from tests.core.pdf_factory import write_pdf

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

# Prints what the window shows, and which of the heavy modules were loaded,
# when page 1 is painted and again after a search.
WINDOW_CHILD = """
import json, sys, time
from pathlib import Path
from typing import Any

from docket.app.main import make_application, open_window
from docket.logs import current_log_path

partial = next(Path(sys.argv[1], "files").glob("*/*.partial"))  # a killed import's
app = make_application()
window = open_window(Path(sys.argv[1]), sample_if_new=False)
painted = []
window.reader.pdf_view.pagePainted.connect(painted.append)
deadline = time.monotonic() + 30
while not painted and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)

def loaded():
    heavy = ("whoosh", "pypdf", "docket.app.reader.textview", "docket.core.cite.citation")
    return [name for name in heavy if name in sys.modules]

shown = window.reader.document
report = {
    "painted": painted[:1],
    "document": shown.title if shown is not None else None,
    "page": window.reader.current_page(),
    "panels_at_first_paint": window.panels_built,
    "loaded_at_first_paint": loaded(),
    "log_at_first_paint": current_log_path() is not None,
    "partial_at_first_paint": partial.exists(),
}
while (not window.panels_built or window.library.totals()[0] < 2) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
while partial.exists() and time.monotonic() < deadline:  # the writer removes it
    app.processEvents()
    time.sleep(0.005)
report["partial_after"] = partial.exists()
report["log_after"] = current_log_path() is not None
report["library"] = window.library.totals()[0]
report["selected"] = window.library.selected_documents()
report["open"] = shown.id if shown is not None else None
hits = window.case.search("courthouse").total
report["hits"] = hits
report["loaded_after_search"] = loaded()
print(json.dumps(report), flush=True)
window.close()
"""


def run_child(script: str, *args: str) -> dict[str, Any]:
    """`script` run by a fresh Python (offscreen Qt, the XDG folders of
    isolated_user_dirs: settings in tmp); the JSON object its last line prints."""
    environment = {**os.environ, "PYTHONPATH": str(DESKTOP), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return report


def open_in_a_fresh_process(tmp_path: Path) -> dict[str, Any]:
    """Two generated PDFs imported into a case, opened by `open_window` in a child."""
    (tmp_path / "docs").mkdir()
    first = write_pdf(tmp_path / "docs" / "a-first.pdf", ["Page one.", "The courthouse."])
    second = write_pdf(tmp_path / "docs" / "b-second.pdf", ["Another courthouse."])
    with Case.create(tmp_path / "case") as case:
        case.import_paths([first, second])
        first_title = case.documents()[0].title
        copied = next(case.layout.files.glob("*/*.pdf"))
    copied.with_name("half-written.pdf.partial").write_bytes(b"%PDF-1.7 cut short")
    report = run_child(WINDOW_CHILD, str(tmp_path / "case"))
    report["first_title"] = first_title
    return report


def test_page_1_is_painted_before_pypdf_is_loaded(tmp_path: Path) -> None:
    report = open_in_a_fresh_process(tmp_path)
    assert report["painted"] == [1]  # the reader painted page 1 with its image
    assert report["document"] == report["first_title"] and report["page"] == 1
    assert not report["panels_at_first_paint"]  # the library, marks… panels come after
    assert report["library"] == 2  # and then list the case's documents
    assert report["selected"] == [report["open"]]  # the one open, selected
    assert "pypdf" not in report["loaded_at_first_paint"]
    # Nor the text documents' view, nor the citing code (the toolbar's Bates number).
    assert "docket.app.reader.textview" not in report["loaded_at_first_paint"]
    assert "docket.core.cite.citation" not in report["loaded_at_first_paint"]
    # The log, and the removal of what a killed import left, wait until after page 1.
    assert not report["log_at_first_paint"] and report["log_after"]
    assert report["partial_at_first_paint"] and not report["partial_after"]
    assert report["hits"] == 2  # the search that follows finds both documents
    assert "whoosh" in report["loaded_after_search"]


def test_whoosh_is_not_loaded_until_a_search_runs(tmp_path: Path) -> None:
    report = open_in_a_fresh_process(tmp_path)
    assert report["painted"] == [1]
    assert "whoosh" not in report["loaded_at_first_paint"]


# Lists, when the window is first shown, which of the window's parts, the case's
# code and the command line's parser were loaded, then ends the start.
FRAME_CHILD = """
import json, os, sys

import docket.app.window.mainwindow as mainwindow

show = mainwindow.MainWindow.show

def watched_show(self):
    show(self)
    watched = ("docket.app.reader.reader", "docket.app.panels.library.panel",
               "docket.core.case", "docket.core.marks.marking",
               "docket.cli.main",  # `docket CASE` skips the command line's parser
               "logging.handlers")  # the log starts after page 1
    print(json.dumps({
        "loaded_at_show": [name for name in watched if name in sys.modules],
        "built_at_show": self.built,
        "panels_at_show": self.panels_built,
    }), flush=True)
    os._exit(0)

mainwindow.MainWindow.show = watched_show
from docket.entry import main
main([sys.argv[1]])
"""


def test_the_frame_is_shown_before_the_window_parts_and_the_case_load(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    first = write_pdf(tmp_path / "docs" / "a.pdf", ["Page one."])
    with Case.create(tmp_path / "case") as case:
        case.import_paths([first])
    report = run_child(FRAME_CHILD, str(tmp_path / "case"))
    assert report == {"loaded_at_show": [], "built_at_show": False, "panels_at_show": False}


# Imports a part of the window after docket.app, counting the modules whose source
# PySide6 reads to look for `from __feature__ import`.
SCAN_CHILD = """
import inspect, json, sys

import docket.app

read = []
getsource = inspect.getsource
def counted(module):
    read.append(getattr(module, "__name__", "?"))
    return getsource(module)
inspect.getsource = counted

import docket.app.reader.reader
import xml.dom.minidom  # the standard library's, not loaded before

feature = sys.modules["shibokensupport.feature"].pyside_feature_dict
print(json.dumps({"read": read, "findbar": feature.get("docket.app.reader.findbar")}))
"""


def test_pyside_reads_no_source_of_dockets_modules_or_the_standard_librarys() -> None:
    """PySide6 reads each module's source after import (~0.15 ms each, 20 ms over a
    start); docket.app answers for Docket's and the standard library's by name."""
    report = run_child(SCAN_CHILD)
    assert report["findbar"] == 0  # as PySide6 sets a module that uses it: no feature
    assert not [name for name in report["read"] if name.startswith(("docket", "xml"))]
