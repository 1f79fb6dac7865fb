"""Responsiveness of the window: the longest UI-thread stall under load.

    python tests/benchmarks/bench_window.py [--case /tmp/docket-bench/case]
        [--marks-only | --import-only PAGES]

1. Importing a 1,000-page corpus through the window's own import path.
2. Typing queries, a key every 90 ms, on a case of 20,000 pages (the case that
   bench_core.py leaves behind; run that first).
3. Opening a 2,000-page PDF: time until page 1 has ink.
4. The same PDF with 2,000 highlights (one per page, some with notes): opening
   it and scrolling through 400 pages, a PageDown every 20 ms.

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


def bench_import(app, window, work: Path, meter: StallMeter, pages: int = 1000) -> dict:
    from docket.core.case import Case
    from tests.benchmarks.corpus import build_corpus

    corpus = work / f"window-corpus-{pages}"  # not bench_core's: that one has 50 text files
    build_corpus(corpus, pages=pages, text_files=5)
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
    if window.import_summaries.last is not None:
        window.import_summaries.last.close()
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


def add_highlights(case_path: Path, doc: int, count: int) -> float:
    """`count` highlights on the document's pages, made as the window makes them."""
    from docket.core.case import Case
    from docket.core.model.marks import Anchor
    from docket.core.pdf.markrects import anchor_rects, open_pdf

    started = time.perf_counter()
    with Case.open(case_path) as case:
        case.marking.index_at_once = False
        pdf = open_pdf(case.original_path(doc), None)
        texts = {p.number: p.text for p in case.pages(doc)}
        for n in range(count):
            page = n % len(texts) + 1
            text = texts[page]
            start = text.index("witness")
            anchor = Anchor(page, start, page, start + len("witness and the court"))
            rects = anchor_rects(pdf, anchor, {page: len(text)})
            case.marking.highlight(
                doc,
                anchor,
                colour=("yellow", "pink", "green")[n % 3],
                note=f"note {n}" if n % 4 == 0 else "",
                tags=[f"Issue/{n % 7}"],
                rects=rects,
            )
        case.marking.sync_index()
    return time.perf_counter() - started


def bench_marked_pdf(app, window, work: Path, meter: StallMeter) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    case_path = work / "big-case"
    window.close_case()
    from docket.core.case import Case

    with Case.open(case_path) as case:
        doc = next(d.id for d in case.documents() if d.page_count == 2000)
        existing = len(case.marking.marks())
        if len(case.documents()) < 2:  # another document to come from, as a reader does
            case.import_paths([work / "seed.pdf"], workers=0)
        other = next(d.id for d in case.documents() if d.id != doc)
    made_s = add_highlights(case_path, doc, 2000 - existing) if existing < 2000 else 0.0
    meter.start()
    window.open_case(case_path)  # opens its first document: the one with the highlights
    pump_until(app, lambda: False, 1.0)
    case_open_stall = meter.stop()
    window.open_document(other)
    pump_until(app, lambda: False, 1.0)
    painted: list[int] = []
    window.reader.pdf_view.pagePainted.connect(painted.append)
    meter.start()
    started = time.perf_counter()
    window.open_document(doc)
    pump_until(app, lambda: 1 in painted, 30)
    open_ms = (time.perf_counter() - started) * 1000
    view = window.reader.pdf_view
    for _ in range(400):
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        deadline = time.perf_counter() + 0.02
        while time.perf_counter() < deadline:
            app.processEvents()
    pump_until(app, lambda: False, 0.5)
    # One more highlight, as a user makes it: saved, then every view refreshed.
    from docket.core.model.records import TextRange

    page = view.current_page()
    text = window.reader.page_text(page)
    start = text.index("court")
    window.reader.select([TextRange(page, start, start + len("court"))])
    made = time.perf_counter()
    mark = window.marking.highlight("blue")
    pump_until(app, lambda: any(m.id == mark.id for m in window.reader.highlights.marks), 10)
    highlight_ms = (time.perf_counter() - made) * 1000  # saved, read back and drawn
    pump_until(app, lambda: False, 0.5)
    return {
        "highlights": len(window.reader.highlights.marks),
        "case_open_longest_stall_ms": case_open_stall,
        "new_highlight_ms": round(highlight_ms, 1),
        "made_s": round(made_s, 1),
        "first_paint_ms": round(open_ms, 1),
        "pages_scrolled_to": view.current_page(),
        "longest_stall_ms": meter.stop(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", type=Path, default=Path("/tmp/docket-bench/case"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/docket-bench"))
    parser.add_argument(
        "--marks-only",
        action="store_true",
        help="only the 2,000-page PDF, without and with 2,000 highlights",
    )
    parser.add_argument(
        "--import-only",
        type=int,
        metavar="PAGES",
        help="only an import of a corpus of about this many pages",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    app = make_application([])
    from docket.app.window.mainwindow import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    meter = StallMeter()
    results: dict[str, dict] = {}
    if args.import_only:
        results["import"] = bench_import(app, window, args.work, meter, args.import_only)
        window.close()
        print(json.dumps(results, indent=2))
        return
    if args.marks_only:
        results["open_2000_page_pdf"] = bench_big_pdf(app, window, args.work)
        results["2000_highlights"] = bench_marked_pdf(app, window, args.work, meter)
        window.close()
        print(json.dumps(results, indent=2))
        return
    results["import_1000_pages"] = bench_import(app, window, args.work, meter)
    if (args.case / "case.sqlite").exists():
        results["typing_on_case"] = bench_typing(app, window, args.case, meter)
    results["open_2000_page_pdf"] = bench_big_pdf(app, window, args.work)
    results["2000_highlights"] = bench_marked_pdf(app, window, args.work, meter)
    window.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
