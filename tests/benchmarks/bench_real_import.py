"""Import speed and memory on a folder of real PDFs, side by side with Recoll.

    python tests/benchmarks/bench_real_import.py --folder /tmp/docket-real-pdfs/pdf
        [--copies 1] [--reps 3] [--no-recoll] [--workers N]
        [--work /tmp/docket-bench-real] [--docket .venv/bin/docket]

    # the folder: 752 real PDFs, 20,149 pages, 253 MB (1-3 minutes, cached)
    bash ../shared/bench/real-pdf-corpus.sh /tmp/docket-real-pdfs
    # a bigger case, five copies of it (hashes differ), Docket only
    python tests/benchmarks/bench_real_import.py --folder /tmp/docket-real-pdfs/pdf \\
        --copies 5 --reps 1 --no-recoll

Runs `docket new` + `docket import CASE FOLDER --json` and, when `recollindex`
is on PATH (`apt-get install recoll`), `recollindex -z` over the same folder
with a fresh config, interleaved D R D R ... so that a busy machine slows both
alike. Recoll runs at Docket's priority (by default it indexes at nice 19 with
idle I/O, which starves it on a shared machine and flatters Docket). Before
each run the folder's files are evicted from the OS page cache
(posix_fadvise DONTNEED, our files only).

Per run: wall seconds, CPU-seconds of the whole process tree, peak resident
memory of the whole tree (sampled every 50 ms from /proc), pages imported
(`docket list --json`), failures and their reasons (`docket import --json`),
the load average before the run. One JSON line per run, then a Markdown table
per pair and a verdict against the targets: Docket at least 1.2 times as fast
as Recoll in every pair, no more CPU-seconds than Recoll, at most 800 MB peak
tree memory, no PDF failed. Recoll's pages/s are Docket's page count over
Recoll's wall time (Recoll counts documents, not pages). A calibration figure
(a fixed pure-Python loop, about 1 s) is printed at the start and at the end:
the machines are shared and noisy, so compare only figures from the same run.

`--copies N` builds (once, cached in the work folder) a corpus of N copies of
the folder, each copy's PDFs with `%copyK` appended after their last %%EOF so
that every file has its own hash. Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parents[2]
TARGET_RATIO = 1.2  # Recoll wall / Docket wall, in every pair
TARGET_PEAK_MB = 800  # peak resident memory of Docket's process tree
SAMPLE_SECONDS = 0.05
CALIBRATION_LOOPS = 15_000_000  # about 1 s of pure Python on the project's machines

Run = dict[str, Any]


# -- the machine ---------------------------------------------------------------------------


def load_average() -> list[float]:
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def calibration() -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine is right now."""
    begun = time.perf_counter()
    total = 0
    for i in range(CALIBRATION_LOOPS):
        total += i * i % 7
    return round(time.perf_counter() - begun, 2)


def evict(folder: Path) -> None:
    """Drop the folder's files from the OS page cache (ours only, no root needed)."""
    for path in folder.rglob("*"):
        if path.is_file():
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            except OSError:
                pass
            finally:
                os.close(fd)


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def resident_mb(pids: list[int]) -> float:
    """Sum of the resident memory of the processes (statm), in MB (2**20 bytes)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
    return total / 2**20


def timed(command: list[str], stdout: TextIO | int = subprocess.DEVNULL) -> Run:
    """Run a command: wall, CPU of the whole tree, peak resident memory of the whole tree."""
    load = load_average()
    before = os.times()
    begun = time.perf_counter()
    proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], resident_mb(process_tree(proc.pid)))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - begun
    done.set()
    sampler.join()
    after = os.times()
    # children_* counts every reaped descendant whose parent waited for it: the whole tree
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {
        "rc": proc.returncode,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 1),
        "peak_tree_mb": round(peak[0]),
        "load_before": load,
        "stderr_tail": err.decode(errors="replace")[-300:],
    }


# -- the corpus ----------------------------------------------------------------------------


def pdfs_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def build_copies(folder: Path, copies: int, work: Path) -> Path:
    """N copies of the folder's PDFs, `%copyK` appended to each; reused when already built."""
    sources = pdfs_in(folder)
    dest = work / f"copies-{copies}"
    stamp = {"source": str(folder), "source_files": len(sources), "copies": copies}
    marker = dest / ".complete"
    if marker.exists():
        try:
            if json.loads(marker.read_text()) == stamp:
                return dest
        except ValueError:
            pass
    print(f"# building {copies} copies of {len(sources)} PDFs in {dest}", flush=True)
    partial = work / f"copies-{copies}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    for k in range(1, copies + 1):
        for source in sources:
            target = partial / f"copy{k}" / source.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
                out.write(f"%copy{k}\n".encode())  # after the last %%EOF: the hash differs
                out.flush()
                os.fsync(out.fileno())  # written back, so that eviction can drop it
    shutil.rmtree(dest, ignore_errors=True)
    partial.rename(dest)
    marker.write_text(json.dumps(stamp))
    return dest


def describe(folder: Path, copies: int) -> dict[str, Any]:
    files = pdfs_in(folder)
    hashes = set()
    for path in files:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        hashes.add(digest.hexdigest())
    return {
        "corpus": str(folder),
        "copies": copies,
        "pdfs": len(files),
        "distinct_sha256": len(hashes),
        "mb": round(sum(p.stat().st_size for p in files) / 1e6, 1),
    }


# -- the runs ------------------------------------------------------------------------------


def folder_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def relative(path: str, folder: Path) -> str:
    """The path inside the corpus (copy2/x.pdf), so that copies can be told apart."""
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return path


def run_docket(docket: Path, folder: Path, work: Path, rep: int, workers: int | None) -> Run:
    case = work / f"docket-case-{rep}"
    shutil.rmtree(case, ignore_errors=True)
    subprocess.run([str(docket), "new", str(case)], check=True, capture_output=True)
    evict(folder)
    command = [str(docket), "import", str(case), str(folder), "--json"]
    if workers is not None:
        command += ["--workers", str(workers)]
    lines = work / f"docket-import-{rep}.jsonl"
    with open(lines, "w") as out:
        result = timed(command, stdout=out)
    rows = [json.loads(line) for line in lines.read_text().splitlines() if line.startswith("{")]
    listing = subprocess.run(
        [str(docket), "list", str(case), "--json"], capture_output=True, text=True, check=False
    )
    documents = json.loads(listing.stdout or "[]")
    result.update(
        engine="docket",
        rep=rep,
        pages=sum(d.get("pages") or 0 for d in documents),
        documents=len(documents),
        statuses=dict(Counter(r.get("status") for r in rows)),
        failed=[
            [relative(r["path"], folder), r.get("reason")]
            for r in rows
            if r.get("status") == "failed"
        ],
        case_mb=folder_mb(case),
    )
    shutil.rmtree(case, ignore_errors=True)
    return result


def run_recoll(folder: Path, work: Path, rep: int) -> Run:
    conf = work / f"recoll-{rep}"
    shutil.rmtree(conf, ignore_errors=True)
    conf.mkdir(parents=True)
    # Recoll indexes at nice 19 with idle I/O priority by default; on a shared machine that
    # starves it and flatters Docket. The same priority as Docket's import:
    (conf / "recoll.conf").write_text(
        f"topdirs = {folder}\nnoaspell = 1\nloglevel = 1\n"
        "idxniceprio = 0\nmonioniceclass = 2\nmonioniceclassdata = 4\n"
    )
    evict(folder)
    result = timed(["recollindex", "-c", str(conf), "-z"])
    result.update(engine="recoll", rep=rep, index_mb=folder_mb(conf / "xapiandb"))
    shutil.rmtree(conf, ignore_errors=True)
    return result


# -- the report ----------------------------------------------------------------------------


def per_page_ms(cpu_s: float, pages: int) -> str:
    return f"{cpu_s * 1000 / pages:.1f}" if pages else "—"


def report(pairs: list[tuple[Run, Run | None]]) -> None:
    print(
        "\n| rep | Docket s | Recoll s | Docket pages/s | Recoll pages/s | speed ratio D/R "
        "| CPU-s D / R | CPU-ms per page D / R | peak tree MB D / R | PDFs failed "
        "| load before D / R |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    ratios: list[float] = []
    for d, r in pairs:
        pages = d["pages"]
        d_rate = f"{pages / d['wall_s']:.0f}"
        if r is None:
            r_wall = r_rate = ratio = r_cpu = r_ms = r_peak = r_load = "—"
        else:
            ratios.append(r["wall_s"] / d["wall_s"])
            r_wall, r_rate = str(r["wall_s"]), f"{pages / r['wall_s']:.0f}"
            ratio = f"{ratios[-1]:.2f}"
            r_cpu, r_ms = str(r["cpu_s"]), per_page_ms(r["cpu_s"], pages)
            r_peak, r_load = str(r["peak_tree_mb"]), str(r["load_before"][0])
        print(
            f"| {d['rep']} | {d['wall_s']} | {r_wall} | {d_rate} | {r_rate} | {ratio} "
            f"| {d['cpu_s']} / {r_cpu} | {per_page_ms(d['cpu_s'], pages)} / {r_ms} "
            f"| {d['peak_tree_mb']} / {r_peak} | {len(d['failed'])} "
            f"| {d['load_before'][0]} / {r_load} |"
        )

    failures = Counter(f"{name}: {reason}" for d, _ in pairs for name, reason in d["failed"])
    if failures:
        print("\nfailed (runs):")
        for line, times in failures.most_common():
            print(f"- {line} ({times})")

    dockets = [d for d, _ in pairs]
    print(
        f"\nDocket median: {statistics.median(d['wall_s'] for d in dockets)} s, "
        f"{statistics.median(d['pages'] for d in dockets):.0f} pages, "
        f"{statistics.median(d['peak_tree_mb'] for d in dockets):.0f} MB peak tree"
    )
    if ratios:
        print(f"median speed ratio Docket/Recoll: {statistics.median(ratios):.2f}")

    misses: list[str] = []
    for d, r in pairs:
        rep = d["rep"]
        if d["rc"] not in (0, 1):  # 1: some files failed, counted below
            misses.append(f"rep {rep}: docket import exited {d['rc']}")
        if r is not None:
            if r["rc"] != 0:
                misses.append(f"rep {rep}: recollindex exited {r['rc']}")
            if r["wall_s"] / d["wall_s"] < TARGET_RATIO:
                misses.append(f"rep {rep}: ratio {r['wall_s'] / d['wall_s']:.2f} < {TARGET_RATIO}")
            if d["cpu_s"] > r["cpu_s"]:
                misses.append(f"rep {rep}: CPU-s {d['cpu_s']} > Recoll's {r['cpu_s']}")
        if d["peak_tree_mb"] > TARGET_PEAK_MB:
            misses.append(f"rep {rep}: peak tree {d['peak_tree_mb']} MB > {TARGET_PEAK_MB}")
        if d["failed"]:
            misses.append(f"rep {rep}: {len(d['failed'])} failed")
    checked = (
        f"ratio ≥ {TARGET_RATIO} every pair, CPU-s ≤ Recoll's, "
        if any(r is not None for _, r in pairs)
        else "(no Recoll: speed and CPU not judged) "
    )
    checked += f"peak tree ≤ {TARGET_PEAK_MB} MB, 0 failed"
    verdict = "PASS" if not misses else "FAIL — " + "; ".join(misses)
    print(f"verdict: {verdict}  [{checked}]")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--folder", type=Path, required=True, help="the real PDFs")
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="import N copies of the folder, each with its own hashes",
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-recoll", action="store_true", help="Docket only")
    parser.add_argument("--work", type=Path, default=Path("/tmp/docket-bench-real"))
    parser.add_argument("--docket", type=Path, default=REPO / ".venv" / "bin" / "docket")
    parser.add_argument("--workers", type=int, help="passed on to docket import --workers")
    args = parser.parse_args()

    folder = args.folder.resolve()
    if not folder.is_dir():
        sys.exit(f"no such folder: {folder}")
    if not args.docket.exists():
        sys.exit(f"no docket at {args.docket}: give --docket")
    if args.copies < 1 or args.reps < 1:
        sys.exit("--copies and --reps must be at least 1")
    recoll = not args.no_recoll and shutil.which("recollindex") is not None
    if not args.no_recoll and not recoll:
        print("# recollindex not on PATH (apt-get install recoll): Docket only", flush=True)
    args.work.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve()

    corpus = folder if args.copies == 1 else build_copies(folder, args.copies, work)
    print(json.dumps(describe(corpus, args.copies) | {"cores": os.cpu_count()}), flush=True)
    print(json.dumps({"calibration_s": calibration(), "when": "start"}), flush=True)

    pairs: list[tuple[Run, Run | None]] = []
    for rep in range(1, args.reps + 1):
        print(f"# load average before docket rep {rep}: {load_average()}", flush=True)
        d = run_docket(args.docket, corpus, work, rep, args.workers)
        print(json.dumps(d), flush=True)
        r = None
        if recoll:
            print(f"# load average before recoll rep {rep}: {load_average()}", flush=True)
            r = run_recoll(corpus, work, rep)
            print(json.dumps(r), flush=True)
        pairs.append((d, r))

    print(json.dumps({"calibration_s": calibration(), "when": "end"}), flush=True)
    report(pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
