"""How soon the window is there: `docket CASE` against a bare PySide6 window.

    python tests/benchmarks/bench_startup.py [--case CASE] [--runs 7]

In one run, each start a fresh process, alternated: a bare PySide6 window (a
QApplication and an empty 1280 × 820 QMainWindow) and `docket CASE` through the
program's own entry point (docket.entry.main, as the console script calls it).
Each child prints CLOCK_MONOTONIC timestamps (the same clock in every process
on Linux) when its window is first exposed (mapped) and, for Docket, when the
reader first paints page 1 with its rendered image; the parent subtracts the
moment it started the child. Prints the median of each and the ratio to the
bare window (issue 16 asks for mapped within 1.5× and first paint within 3×).

Without --case, the case is built once from the real corpus
(/tmp/docket-real-pdfs/pdf, ~20,000 pages; build that with
/work/shared/bench/real-pdf-corpus.sh) and kept in /tmp/docket-bench-startup.
Settings and logs of the children go to a scratch folder, so the user's recent
cases are left alone. Run by hand on a quiet machine, not in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path("/tmp/docket-real-pdfs/pdf")
CACHED_CASE = Path("/tmp/docket-bench-startup/case20k")

# The child for the reference: nothing but Qt's own start and one empty window.
BARE_CHILD = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class Exposed(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Expose and watched.isExposed():
            print(f"mapped {time.monotonic()}", flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 820)
window.show()
exposed = Exposed()
window.windowHandle().installEventFilter(exposed)
app.exec()
"""

# The child for Docket: the program's entry point, watched from outside. The
# hooks wrap the application factory (an event filter for the first expose)
# and the PDF view's constructor (its pagePainted signal); nothing else changes.
DOCKET_CHILD = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QWindow

import docket.app.main as app_main
import docket.app.reader.pdfview as pdfview
import docket.app.reader.textview as textview

class Exposed(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if (not self.seen and event.type() == QEvent.Type.Expose
                and isinstance(watched, QWindow) and watched.isExposed()
                and watched.width() > 400):
            self.seen = True
            print(f"mapped {time.monotonic()}", flush=True)
        return False

exposed = Exposed()
make_application = app_main.make_application

def watched_application(*args, **kwargs):
    app = make_application(*args, **kwargs)
    app.installEventFilter(exposed)
    return app

app_main.make_application = watched_application

def painted(page):
    if page == 1:
        print(f"painted {time.monotonic()}", flush=True)
        print(f"modules {' '.join(m for m in ('whoosh', 'pypdf') if m in sys.modules)}",
              flush=True)
        os._exit(0)

view_init = pdfview.PdfPageView.__init__

def watched_view(self, *args, **kwargs):
    view_init(self, *args, **kwargs)
    self.pagePainted.connect(painted)

pdfview.PdfPageView.__init__ = watched_view

text_paint = textview.TextPageView.paintEvent

def watched_text_paint(self, event):  # a text document: its page 1 has no render to wait for
    text_paint(self, event)
    if self.page_count() > 0:
        painted(1)

textview.TextPageView.paintEvent = watched_text_paint

from docket.entry import main
sys.exit(main([sys.argv[1]]))
"""


def build_case(case: Path) -> None:
    """The real corpus imported into a new case, once (a few minutes)."""
    if (case / "case.sqlite").is_file():
        return
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}: run /work/shared/bench/real-pdf-corpus.sh first")
    docket = [sys.executable, "-m", "docket"]
    case.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([*docket, "new", str(case)], check=True)
    print(f"importing {CORPUS} into {case} (once)…", file=sys.stderr)
    subprocess.run(
        [*docket, "import", str(case), str(CORPUS)], check=True, stdout=subprocess.DEVNULL
    )


def child_environment(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not env.get("DISPLAY") else "xcb")
    env["PYTHONPATH"] = str(ROOT / "desktop")
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(scratch / name.lower())
    return env


def one_start(script: str, args: list[str], env: dict[str, str]) -> dict[str, float | str]:
    """Milliseconds from starting the process to each event the child printed."""
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    events: dict[str, float | str] = {}
    for line in run.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name == "modules":
            events[name] = value
        elif name in ("mapped", "painted"):
            events[name] = (float(value) - started) * 1000
    if "mapped" not in events:
        sys.exit(f"the child never mapped its window:\n{run.stdout}\n{run.stderr}")
    return events


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, help="a case to open (default: built from the corpus)")
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    case = options.case or CACHED_CASE
    build_case(case)
    with tempfile.TemporaryDirectory(prefix="docket-startup-") as scratch:
        env = child_environment(Path(scratch))
        one_start(DOCKET_CHILD, [str(case)], env)  # warm the page cache and .pyc files
        bare: list[float] = []
        mapped: list[float] = []
        painted: list[float] = []
        modules: set[str] = set()
        for _ in range(options.runs):
            bare.append(float(one_start(BARE_CHILD, [], env)["mapped"]))
            events = one_start(DOCKET_CHILD, [str(case)], env)
            mapped.append(float(events["mapped"]))
            painted.append(float(events.get("painted", float("nan"))))
            modules.update(str(events.get("modules", "")).split())
    reference = median(bare)
    rows = [
        ("bare PySide6 window mapped", reference, 1.0),
        ("docket CASE: window mapped", median(mapped), median(mapped) / reference),
        ("docket CASE: page 1 painted", median(painted), median(painted) / reference),
    ]
    print(f"case: {case}  runs: {options.runs} (median)  platform: {env['QT_QPA_PLATFORM']}")
    print(f"{'':32} {'ms':>8} {'× bare':>7}")
    for label, value, ratio in rows:
        print(f"{label:32} {value:8.1f} {ratio:7.2f}")
    print(
        f"imported by the first paint: {', '.join(sorted(modules)) or 'neither Whoosh nor pypdf'}"
    )
    print(json.dumps({"bare": bare, "mapped": mapped, "painted": painted}))


if __name__ == "__main__":
    main()
