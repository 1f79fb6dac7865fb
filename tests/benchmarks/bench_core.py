"""Benchmark of the core at case size: import end to end, then search latency.

    python tests/benchmarks/bench_core.py [--pages 20000] [--work /tmp/docket-bench]

Builds (or reuses) a corpus of generated PDFs and text files, imports it into
a fresh case (extraction in worker processes, one writer storing and
indexing), and times a mix of queries with snippets. Prints JSON. Run by hand,
not in CI; compare with ../shared/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for `tests.benchmarks`

from docket.core.case import Case
from tests.benchmarks.corpus import build_corpus

BANDS = {"rare": (5, 60), "medium": (300, 3000), "everywhere": (8000, 10**9)}


def query_mix(case: Case, seed: int = 7) -> dict[str, dict[str, list[str]]]:
    """Queries of every kind, per band of document frequency, chosen from the index.

    Picked by frequency rather than by hand, so the figures say which queries are
    fast (rare and medium words: what people look for) and which are not
    (words on nearly every page).
    """
    reader = case.index._ix.reader()  # a benchmark may look inside
    by_band: dict[str, list[str]] = {band: [] for band in BANDS}
    for raw in reader.lexicon("text"):
        term = raw.decode("utf-8")
        if not term.isalpha() or len(term) < 4:
            continue
        frequency = reader.doc_frequency("text", term)
        for band, (low, high) in BANDS.items():
            if low <= frequency <= high:
                by_band[band].append(term)
    reader.close()
    chooser = random.Random(seed)
    mix: dict[str, dict[str, list[str]]] = {}
    for band, terms in by_band.items():
        words = chooser.sample(sorted(terms), min(8, len(terms)))
        a, b, c, d = (words * 2)[:4]
        mix[band] = {
            "term": words[:4],
            "boolean": [f"{a} AND {b}", f"{a} OR {c}", f"{b} NOT {d}", f"({a} OR {b}) AND {c}"],
            "phrase": [f'"{a} {b}"', f'"{c} {d}"'],
            "proximity": [f'"{a} {b}"~5', f'"{c} {d}"~10'],
            "wildcard": [f"{w[:4]}*" for w in words[:3]],
            "fuzzy": [f"{w[:-2]}{w[-1]}{w[-2]}~" for w in words[:3]],  # two letters swapped
        }
    return mix


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def search_latencies(case_path: Path, repeats: int) -> dict[str, object]:
    """p50 and p95 of each kind of query in each frequency band, snippets included."""
    latencies: dict[str, object] = {}
    with Case.open(case_path, readonly=True) as case:
        mix = query_mix(case)
        case.search("warmup")
        for band, kinds in mix.items():
            by_kind: dict[str, dict[str, float]] = {}
            for kind, queries in kinds.items():
                samples, totals = [], []
                for _ in range(repeats):
                    for query in queries:
                        begun = time.perf_counter()
                        results = case.search(query, limit=20)  # snippets and offsets too
                        samples.append((time.perf_counter() - begun) * 1000)
                        totals.append(results.total)
                by_kind[kind] = {
                    "p50_ms": round(statistics.median(samples), 1),
                    "p95_ms": round(percentile(samples, 0.95), 1),
                    "mean_pages": round(statistics.mean(totals)),
                }
            latencies[band] = by_kind
        latencies["queries"] = mix
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/docket-bench"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="reuse the case of an earlier run: only the search latencies",
    )
    args = parser.parse_args()
    case_path = args.work / "case"
    if args.search_only:
        with Case.open(case_path):  # a writable open brings an older index up to date
            pass
        print(json.dumps({"search": search_latencies(case_path, args.repeats)}, indent=2))
        return

    corpus = build_corpus(args.work / f"corpus-{args.pages}", pages=args.pages)
    shutil.rmtree(case_path, ignore_errors=True)

    cpu_before = os.times()
    started = time.perf_counter()
    with Case.create(case_path) as case:
        report = case.import_paths([args.work / f"corpus-{args.pages}"])
    seconds = time.perf_counter() - started
    cpu_after = os.times()
    cpu = sum(
        getattr(cpu_after, f) - getattr(cpu_before, f)
        for f in ("user", "system", "children_user", "children_system")
    )
    latencies = search_latencies(case_path, args.repeats)

    print(
        json.dumps(
            {
                "corpus": corpus,
                "import": {
                    "documents": report.count("imported"),
                    "failed": report.count("failed"),
                    "pages": report.pages,
                    "seconds": round(seconds, 1),
                    "pages_per_second": round(report.pages / seconds),
                    "cpu_seconds": round(cpu, 1),
                },
                "sizes_mb": {
                    "index": round(folder_size(case_path / "index") / 1e6, 1),
                    "database": round((case_path / "case.sqlite").stat().st_size / 1e6, 1),
                    "originals": round(folder_size(case_path / "files") / 1e6, 1),
                },
                "search": latencies,
                "cores": os.cpu_count(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
