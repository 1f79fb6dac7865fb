"""How quick the command line is, as a whole process, against `python3 -c pass` and Recoll.

    python tests/benchmarks/bench_cli.py [--case CASE --folder DOCS] [--runs 15] [--query Q …]

In one run, interleaved so that a busy machine slows every command alike
(one round runs each command once, `--runs` rounds), the wall time from
starting a process to its exit, for:

  python3 -c pass                 the interpreter's own floor (and the venv's python)
  docket --help                   no case: only the command line's imports
  docket list CASE                the case opened read-only; no index, Qt or pypdf
  docket search CASE Q --json     for each query (term, boolean, phrase, wildcard, fuzzy)
  recollq -c CONF Q               the same queries on the same corpus (fuzzy: Recoll has none)

and prints the median of each as a table (issue 16: search at most 100 ms at
20k pages, 150 ms at 100k). `docket` is the venv's console script, as a
person's script runs it.

Without --case, the case is built once from the real corpus
(/tmp/docket-real-pdfs/pdf, ~20,000 pages: `bash /work/shared/bench/real-pdf-corpus.sh
/tmp/docket-real-pdfs` builds it) and kept in /tmp/docket-bench-cli; Recoll's
index of the same folder is kept beside it. Recoll is optional
(`apt-get install -y recoll`); without it the table says so. Run by hand on a
quiet machine, not in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path("/tmp/docket-real-pdfs/pdf")
WORK = Path("/tmp/docket-bench-cli")
CACHED_CASE = WORK / "case20k"
RECOLL_CONF = WORK / "recoll"

# Words the real corpus (TeX and font manuals) holds: a term, a boolean, a
# phrase, a wildcard and a fuzzy term; a proximity where Recoll has one too.
QUERIES = ["font", "math AND symbol", '"the package"', "typ*", "fonst~"]


def docket_command() -> list[str]:
    script = ROOT / ".venv" / "bin" / "docket"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "docket"]


def build_case(case: Path) -> None:
    if (case / "case.sqlite").exists():
        return
    if not CORPUS.is_dir():
        sys.exit(
            f"no corpus at {CORPUS}: bash /work/shared/bench/real-pdf-corpus.sh {CORPUS.parent}"
        )
    docket = docket_command()
    print(f"building {case} from {CORPUS} (once; minutes)…", file=sys.stderr)
    subprocess.run([*docket, "new", str(case)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*docket, "import", str(case), str(CORPUS), "--no-ocr", "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build_recoll_index(folder: Path) -> str | None:
    """Recoll's configuration folder with an index of `folder`, or why there is none."""
    if not (shutil.which("recollq") and shutil.which("recollindex")):
        return None
    marker = RECOLL_CONF / "indexed-folder"
    if marker.exists() and marker.read_text() == str(folder):
        return str(RECOLL_CONF)
    shutil.rmtree(RECOLL_CONF, ignore_errors=True)
    RECOLL_CONF.mkdir(parents=True)
    (RECOLL_CONF / "recoll.conf").write_text(f"topdirs = {folder}\nnoaspell = 1\nloglevel = 1\n")
    print(f"indexing {folder} with recollindex (once; minutes)…", file=sys.stderr)
    subprocess.run(
        ["recollindex", "-c", str(RECOLL_CONF), "-z"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    marker.write_text(str(folder))
    return str(RECOLL_CONF)


def wall_ms(command: list[str], env: dict[str, str]) -> float:
    """Milliseconds from starting `command` to its exit (output thrown away)."""
    started = time.perf_counter()
    finished = subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = (time.perf_counter() - started) * 1000
    if finished.returncode != 0 and command[-1] != "-h":  # recollq -h exits 1
        sys.exit(f"{' '.join(command)} failed ({finished.returncode}):\n{finished.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, help="a case to use (default: built from the corpus)")
    parser.add_argument("--runs", type=int, default=15, help="rounds; the median is shown")
    parser.add_argument("--query", action="append", help="a query (repeat; default: a mix)")
    parser.add_argument(
        "--folder", type=Path, default=CORPUS, help="what Recoll indexes: the case's documents"
    )
    options = parser.parse_args()
    case = options.case or CACHED_CASE
    build_case(case)
    queries = options.query or QUERIES
    recoll = build_recoll_index(options.folder.resolve()) if options.folder.is_dir() else None

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "desktop")
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(WORK / "scratch" / name.lower())  # the user's settings left alone
    docket = docket_command()
    python3 = shutil.which("python3") or sys.executable

    commands: dict[str, list[str]] = {
        "python3 -c pass": [python3, "-c", "pass"],
        "venv python -c pass": [sys.executable, "-c", "pass"],
        "docket --help": [*docket, "--help"],
        "docket list CASE": [*docket, "list", str(case)],
    }
    pairs: list[tuple[str, str | None]] = [
        ("docket --help", "python3 -c pass"),
        ("docket list CASE", "venv python -c pass"),
    ]
    if recoll:
        commands["recollq -h"] = ["recollq", "-h"]
        pairs[0] = ("docket --help", "recollq -h")
    for query in queries:
        label = f"docket search CASE {query} --json"
        commands[label] = [*docket, "search", str(case), query, "--json"]
        reference = None
        if recoll and not query.endswith("~"):  # Recoll has no fuzzy terms
            reference = f"recollq {query}"
            commands[reference] = ["recollq", "-c", recoll, "-n", "20", query]
        pairs.append((label, reference))

    for command in commands.values():  # warm the page cache and the .pyc files
        wall_ms(command, env)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(options.runs):
        for label, command in commands.items():
            times[label].append(wall_ms(command, env))
    medians = {label: round(statistics.median(values), 1) for label, values in times.items()}

    pages = json.loads(subprocess.run([*docket, "list", str(case), "--json"], env=env,
                                      capture_output=True, check=True).stdout)  # fmt: skip
    load = Path("/proc/loadavg").read_text().split()[0]
    print(f"case: {case} ({sum(d['pages'] for d in pages):,} pages)  runs: {options.runs} "
          f"(median, interleaved)  load before: {load}")  # fmt: skip
    print(f"python3 -c pass: {medians['python3 -c pass']} ms   "
          f"venv python -c pass: {medians['venv python -c pass']} ms")  # fmt: skip
    if not recoll:
        print("recollq: not installed (apt-get install -y recoll); no Recoll column")
    width = max(len(label) for label, _ in pairs)
    print(f"{'':{width}}  {'Docket ms':>10}  {'reference':>28}")
    for label, reference in pairs:
        shown = f"{reference}: {medians[reference]}" if reference else "—"
        print(f"{label:{width}}  {medians[label]:10.1f}  {shown:>28}")
    print(json.dumps(times))


if __name__ == "__main__":
    main()
