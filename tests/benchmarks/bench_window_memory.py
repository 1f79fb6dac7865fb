"""The window's memory while searching a large case: issue 16 asks for under 1 GB at 200k pages.

    python tests/benchmarks/bench_window_memory.py --case CASE [--hits 4] [--rounds 2]
        [--tracemalloc]

    e.g. --case /tmp/yours/case200k  (a working copy of /tmp/docket-bench-scale/case200k)

Starts the window on CASE in a process of its own (Qt offscreen, settings in a
scratch folder), as `docket CASE` does (docket.app.main.open_window), waits for
page 1 and the panels, then runs a set of searches through the window's own
path (the search panel: text in the box, search_now, the results shown): a
term, a boolean, a phrase, a proximity, a wildcard and a fuzzy query. After
each it opens the first few hits (the reader loads the document and paints the
hit's page) and steps through hits with Next Hit. The set runs --rounds times:
memory that grows again in the second round is held per search (a leak), not
a cache that fills once. After every step it prints
the process's peak resident memory (VmHWM) and its resident memory now
(VmRSS, and its parts: anonymous memory, and file pages mapped, such as the
index's files and the libraries, which the kernel can drop), from
/proc/self/status, with the search's wall time in the window and the hits
shown. The last line is JSON.

With --tracemalloc, the Python allocations are traced too (slower) and the
biggest sites by size are printed at the end: Qt's and SQLite's own memory is
not seen there, only Python's.

The window opens the case writable, as always; give it a copy (the originals
can be hard links: Docket never writes one). Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 1024

# Each query kind of the table, in words the TeX documentation corpus has.
QUERIES = (
    ("term", "hyphenation"),
    ("boolean", "font AND table NOT figure"),
    ("phrase", '"table of contents"'),
    ("proximity", '"font size"~5'),
    ("wildcard", "bibliog*"),
    ("fuzzy", "documant~1"),
    ("common term", "the"),
)

CHILD = r"""
import json, os, sys, time
from pathlib import Path

CASE, HITS, TRACE = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
ROUNDS = int(sys.argv[5])
if TRACE:
    import tracemalloc
    tracemalloc.start(12)

from PySide6.QtCore import QEvent

from docket.app.main import make_application, open_window

def memory():
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                fields[key] = round(int(value.split()[0]) / 1024, 1)
    return fields

def step(name, **more):
    fields = memory()
    print(json.dumps({"step": name, "peak_mb": fields["VmHWM"], "rss_mb": fields["VmRSS"],
                      "anon_mb": fields["RssAnon"], "file_mb": fields["RssFile"], **more}),
          flush=True)

def wait(condition, seconds=120):
    # Events as app.exec() delivers them, deferred deletes included: processEvents()
    # alone leaves every deleteLater() (a closed document's QPdfDocument…) undone.
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.002)
    return condition()

step("interpreter")
app = make_application()
window = open_window(CASE, sample_if_new=False)
painted = []
window.reader.pdf_view.pagePainted.connect(painted.append)
wait(lambda: bool(painted) and window.panels_built and window.library.totals()[0] > 0)
step("page 1 and panels", documents=window.library.totals()[0], pages=window.library.totals()[1])

panel = window.search
for kind, query in json.loads(sys.argv[4]) * ROUNDS:
    window.focus_search()
    shown = []
    panel.resultsChanged.connect(lambda: shown.append(True))
    started = time.monotonic()
    panel.query_box.setText(query)
    panel.search_now()
    wait(lambda: bool(shown) or panel.error_label.isVisible())
    took = round((time.monotonic() - started) * 1000, 1)
    panel.resultsChanged.disconnect()
    hits = panel.hits()
    step(f"search {kind}: {query}", ms=took, hits=len(hits),
         error=panel.error_label.text() if panel.error_label.isVisible() else "")
    for hit in hits[:HITS]:
        painted.clear()
        window.open_hit(hit)
        wait(lambda: bool(painted), 20)
    for _ in range(HITS):
        painted.clear()
        window.step_hit(1)
        wait(lambda: bool(painted), 5)
    step(f"opened {min(HITS, len(hits))} hits, stepped {HITS}")

panel.clear()
wait(lambda: False, 0.2)
step("cleared")
if TRACE:
    snapshot = tracemalloc.take_snapshot()
    for stat in snapshot.statistics("lineno")[:15]:
        print(json.dumps({"python": str(stat.traceback[0]), "mb": round(stat.size / 2**20, 1),
                          "blocks": stat.count}), flush=True)
sys.stdout.flush()
os._exit(0)  # no saving of the layout, no waiting for the index's background work
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, required=True)
    parser.add_argument("--hits", type=int, default=4, help="hits opened after each search")
    parser.add_argument("--rounds", type=int, default=2, help="times the set of queries runs")
    parser.add_argument("--tracemalloc", action="store_true")
    options = parser.parse_args()
    if not (options.case / "case.sqlite").is_file():
        sys.exit(f"no case at {options.case}")
    with tempfile.TemporaryDirectory(prefix="docket-memory-") as scratch:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT / "desktop"))
        for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            env[name] = str(Path(scratch) / name.lower())
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(options.case),
                str(options.hits),
                "1" if options.tracemalloc else "0",
                json.dumps(QUERIES),
                str(options.rounds),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    if not rows or run.returncode != 0:
        sys.exit(f"the window failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    print(f"case: {options.case}")
    print(
        f"{'step':52} {'peak MB':>8} {'RSS MB':>8} {'anon':>7} {'file':>7}"
        f" {'search ms':>10} {'hits':>5}"
    )
    for row in rows:
        if "step" in row:
            print(
                f"{row['step'][:52]:52} {row['peak_mb']:8.1f} {row['rss_mb']:8.1f}"
                f" {row['anon_mb']:7.1f} {row['file_mb']:7.1f}"
                f" {row.get('ms', ''):>10} {row.get('hits', ''):>5}"
            )
    for row in rows:
        if "python" in row:
            print(f"  python {row['mb']:7.1f} MB in {row['blocks']:>8} blocks at {row['python']}")
    peak = max(row["peak_mb"] for row in rows if "step" in row)
    verdict = "under" if peak < LIMIT_MB else "OVER"
    print(f"peak resident memory: {peak:.0f} MB ({verdict} the {LIMIT_MB} MB of issue 16)")
    print(json.dumps({"case": str(options.case), "peak_mb": peak, "steps": rows}))


if __name__ == "__main__":
    main()
