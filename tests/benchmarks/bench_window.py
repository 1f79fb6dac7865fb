"""Responsiveness of the window: the longest UI-thread stall under load.

    python tests/benchmarks/bench_window.py [--case /tmp/docket-bench/case]

1. Importing a 1,000-page corpus through the window's own import path.
2. Typing queries, a key every 90 ms, on a case of 20,000 pages (the case that
   bench_core.py leaves behind; run that first).
3. Opening a 2,000-page PDF: time until page 1 has ink.

A timer on the UI thread ticks every 5 ms; a stall is a tick that comes late.
Prints JSON. Run by hand (offscreen), not in CI. Targets: no stall over 100 ms;
first page of a 2,000-page PDF painted in under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import docket  # noqa: F401 - guards PySide6's refcount bug
from docket.app.main import make_application

TICK_MS = 5


class StallMeter:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.worst_ms = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst_ms = max(self.worst_ms, (now - self._last) * 1000 - TICK_MS)
        self._last = now

    def start(self) -> None:
        self.worst_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return round(self.worst_ms, 1)


def pump_until(app, condition, timeout_s: float) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)


def bench_import(app, window, work: Path, meter: StallMeter) -> dict:
    from docket.core.case import Case
    from tests.benchmarks.corpus import build_corpus

    corpus = work / "corpus-1000"
    build_corpus(corpus, pages=1000, text_files=5)
    case_path = work / "window-case"
    shutil.rmtree(case_path, ignore_errors=True)
    Case.create(case_path).close()
    window.open_case(case_path)
    done: list[object] = []
    window.importer.finished.connect(done.append)
    meter.start()
    started = time.perf_counter()
    window.importer.start([corpus])
    pump_until(app, lambda: bool(done), 600)
    seconds = time.perf_counter() - started
    stall = meter.stop()
    if window.importer.last_summary is not None:
        window.importer.last_summary.close()
    return {"pages": done[0].pages, "seconds": round(seconds, 1), "worst_stall_ms": stall}


def bench_typing(app, window, case_path: Path, meter: StallMeter) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.open_case(case_path)
    pages = sum(d.page_count for d in window.case.documents())
    window.focus_search()
    box = window.search.query_box
    queries = [
        "witness court",
        '"police officers"~3',
        "evid* AND appeal",
        "Nazarbaev~",
        "title:exhibit OR tribunal",
    ]
    meter.start()
    for query in queries:
        box.clear()
        for char in query:
            QTest.keyClick(box, char)
            pump_until(app, lambda: False, 0.09)
        pump_until(
            app, lambda q=query: window.search.query() == q and not window.search._latest.busy, 10
        )
        QTest.keyClick(box, Qt.Key.Key_Return)
        pump_until(app, lambda: False, 0.3)
    stall = meter.stop()
    return {"case_pages": pages, "queries": len(queries), "worst_stall_ms": stall}


def bench_big_pdf(app, window, work: Path) -> dict:
    from pypdf import PdfReader, PdfWriter

    from docket.core.case import Case
    from tests.core.pdf_factory import write_pdf

    big = work / "big-2000.pdf"
    if not big.exists():
        seed = write_pdf(
            work / "seed.pdf", [f"Page text {n}: the witness and the court." for n in range(10)]
        )
        writer = PdfWriter()
        pages = PdfReader(seed).pages
        for n in range(2000):
            writer.add_page(pages[n % 10])
        with open(big, "wb") as handle:
            writer.write(handle)
    case_path = work / "big-case"
    shutil.rmtree(case_path, ignore_errors=True)
    with Case.create(case_path) as case:
        doc = case.import_paths([big]).outcomes[0].doc
    window.open_case(case_path)
    painted: list[int] = []
    window.reader.pdf_view.pagePainted.connect(painted.append)
    started = time.perf_counter()
    window.open_document(doc)
    pump_until(app, lambda: 1 in painted, 30)
    return {"pages": 2000, "first_paint_ms": round((time.perf_counter() - started) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", type=Path, default=Path("/tmp/docket-bench/case"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/docket-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    app = make_application([])
    from docket.app.mainwindow import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    meter = StallMeter()
    results = {"import_1000_pages": bench_import(app, window, args.work, meter)}
    if (args.case / "case.sqlite").exists():
        results["typing_on_case"] = bench_typing(app, window, args.case, meter)
    results["open_2000_page_pdf"] = bench_big_pdf(app, window, args.work)
    window.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
