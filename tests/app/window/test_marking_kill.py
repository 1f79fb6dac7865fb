"""A mark shown as made survives the program being killed at once (SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from docket.core.case import Case
from tests.core.case_factory import write_matter

# Runs the real window offscreen, highlights words through the window's own
# code path, and says so only once the reader draws the highlight.
_SCRIPT = r"""
import sys
from pathlib import Path

import docket  # noqa: F401
from docket.app.main import make_application
from docket.app.window.mainwindow import MainWindow
from docket.core.model.records import TextRange

app = make_application()
window = MainWindow()
window.show()
assert window.open_case(Path(sys.argv[1]))
doc = next(d.id for d in window.case.documents() if d.title == "Complaint")
window.open_document(doc)
text = window.reader.page_text(1)
start = text.index("police fired")
window.reader.select([TextRange(1, start, start + len("police fired"))])
mark = window.marking.highlight("pink")
window.marking.controller.set_note(mark.id, "volley at noon")
assert any(m.id == mark.id for m in window.reader.highlights.marks)
print("SHOWN", mark.id, flush=True)
app.exec()
"""


def test_a_mark_shown_survives_sigkill(tmp_path: Path) -> None:
    case_path = tmp_path / "case"
    with Case.create(case_path) as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=1)
    script = tmp_path / "mark_and_wait.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join([str(root / "desktop"), str(root)]),
    }
    process = subprocess.Popen(
        [sys.executable, str(script), str(case_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("SHOWN"), process.stderr.read() if process.stderr else ""
        os.kill(process.pid, signal.SIGKILL)  # at once: no index commit has had its turn
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    mark_id = int(line.split()[1])
    with Case.open(case_path) as case:
        mark = case.marking.get(mark_id)
        assert (mark.quote, mark.colour, mark.note) == ("police fired", "pink", "volley at noon")
        assert case.verify().ok
        # The index missed the mark; opening the case caught it up.
        assert [hit.mark for hit in case.search("note:volley").results] == [mark_id]
