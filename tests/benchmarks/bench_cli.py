"""How quick the command line is, as a whole process, against `python3 -c pass` and Recoll.

    python tests/benchmarks/bench_cli.py [--preset 20k] [--preset 100k] [--runs 15]
    python tests/benchmarks/bench_cli.py --case CASE --folder DOCS [--folder DOCS…] [--query Q…]

In one run, interleaved so that a busy machine slows every command alike
(one round runs each command once, `--runs` rounds), the time from starting a
process to its exit (wall) and the processor time it used (CPU: user + system,
which a busy machine inflates less), for:

  python3 -c pass                 the interpreter's own floor (and the venv's python)
  recollq -h                      Recoll's floor
  docket --help                   no case: only the command line's imports
  docket list CASE                the case opened read-only; no index, Qt or pypdf
  docket search CASE Q --json     for each query (term, boolean, phrase, wildcard, fuzzy)
  recollq -c CONF Q               the same queries on the same documents (fuzzy: Recoll has none)
  same font, system python3       `docket search CASE font --json` run by /usr/bin/python3 (the
                                  same 3.11, a distribution's optimised build) on the venv's
                                  packages: how much of the time is the venv interpreter's build

and prints the median of each (issue 16: search at most 100 ms at 20k pages,
150 ms at 100k). `docket` is the venv's console script, as a person's script
runs it, with its .pyc files written (as an installed package has them).

Then, for each case, where the time of `docket search CASE font --json` goes:
`python -X importtime` (the ten largest imports, cumulative, and the import time
by package), and the phases of the command measured inside the process
(imports, case open, index open, the index-is-current check, the query, reading
the 20 pages' texts, snippets, output).

Cases: --preset 20k is the real corpus (~20,000 pages, /tmp/docket-real-pdfs/pdf:
`bash /work/shared/bench/real-pdf-corpus.sh /tmp/docket-real-pdfs` builds it),
imported once into /tmp/docket-bench-cli/case20k; --preset 100k is
/tmp/docket-bench-scale/case100k over its copies copy0…copy4 (bench_scale.py
builds it). Or --case and its --folder(s). Recoll's index of each set of folders
is kept in /tmp/docket-bench-cli/recoll-<hash of the folders>, built once. Recoll
is optional (`apt-get install -y recoll`); without it the table says so. Run by
hand on a quiet machine, not in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path("/tmp/docket-real-pdfs/pdf")
WORK = Path("/tmp/docket-bench-cli")
SCALE = Path("/tmp/docket-bench-scale")

# Words the real corpus (TeX and font manuals) holds: a term, a boolean, a
# phrase, a wildcard and a fuzzy term.
QUERIES = ["font", "math AND symbol", '"the package"', "typ*", "fonst~"]
PROFILED_QUERY = "font"
SYSTEM_ROW = f"same {PROFILED_QUERY}, system python3"
_RUN_DOCKET = "import sys; from docket.entry import main; sys.exit(main())"


@dataclass(frozen=True)
class Scale:
    name: str
    case: Path
    folders: tuple[Path, ...]  # the case's documents, as Recoll indexes them


PRESETS = {
    "20k": Scale("20k", WORK / "case20k", (CORPUS,)),
    "100k": Scale("100k", SCALE / "case100k", tuple(SCALE / f"corpus/copy{n}" for n in range(5))),
}


def docket_command() -> list[str]:
    script = ROOT / ".venv" / "bin" / "docket"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "docket"]


def system_python() -> str:
    """The system's python3, for the interpreter's floor: a pyenv shim first on PATH
    would time pyenv's own shell script (150 ms) instead."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and "shims" not in candidate and Path(candidate).is_file():
            return candidate
    return sys.executable


def _version(python: str) -> tuple[int, int]:
    said = subprocess.run(
        [python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True
    ).stdout.split()
    return (int(said[0]), int(said[1])) if len(said) == 2 else (0, 0)


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "desktop")
    # An installed Docket has its .pyc files; without them every run compiles its
    # modules again (PYTHONDONTWRITEBYTECODE=1 in a shell doubled the import time).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(WORK / "scratch" / name.lower())  # the user's settings left alone
    return env


def build_case(scale: Scale, env: dict[str, str]) -> None:
    if (scale.case / "case.sqlite").exists():
        return
    if scale.case != PRESETS["20k"].case:
        sys.exit(f"no case at {scale.case} (bench_scale.py builds the larger ones)")
    if not CORPUS.is_dir():
        sys.exit(
            f"no corpus at {CORPUS}: bash /work/shared/bench/real-pdf-corpus.sh {CORPUS.parent}"
        )
    docket = docket_command()
    print(f"building {scale.case} from {CORPUS} (once; minutes)…", file=sys.stderr)
    subprocess.run(
        [*docket, "new", str(scale.case)], check=True, stdout=subprocess.DEVNULL, env=env
    )
    subprocess.run(
        [*docket, "import", str(scale.case), str(CORPUS), "--no-ocr", "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )


def recoll_configuration(folders: tuple[Path, ...]) -> Path | None:
    """Recoll's configuration folder with an index of `folders`, built once; None
    without Recoll. One folder per set of folders: a run over the 20k case does
    not throw away the 100k index."""
    if not (shutil.which("recollq") and shutil.which("recollindex")):
        return None
    topdirs = " ".join(str(folder.resolve()) for folder in folders)
    conf = WORK / f"recoll-{hashlib.sha256(topdirs.encode()).hexdigest()[:12]}"
    marker = conf / "indexed-folders"
    if marker.exists() and marker.read_text() == topdirs:
        return conf
    if _indexing(conf):  # another run is building it: not this one's to throw away
        print(f"Recoll is still indexing {topdirs}; no Recoll column for it", file=sys.stderr)
        return None
    shutil.rmtree(conf, ignore_errors=True)
    conf.mkdir(parents=True)
    (conf / "recoll.conf").write_text(f"topdirs = {topdirs}\nnoaspell = 1\nloglevel = 1\n")
    print(f"indexing {topdirs} with recollindex (once; minutes)…", file=sys.stderr)
    subprocess.run(
        ["recollindex", "-c", str(conf), "-z"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    marker.write_text(topdirs)
    return conf


def _indexing(conf: Path) -> bool:
    """Whether a recollindex is at work on `conf` (it leaves its pid there meanwhile)."""
    try:
        os.kill(int((conf / "index.pid").read_text().split()[0]), 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall ms from start to exit, CPU ms the process used), output thrown away."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0 and command[-1] != "-h":  # recollq -h exits 1
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def case_pages(scale: Scale, env: dict[str, str]) -> int:
    listed = subprocess.run(
        [*docket_command(), "list", str(scale.case), "--json"],
        env=env,
        capture_output=True,
        check=True,
    )
    return sum(document["pages"] for document in json.loads(listed.stdout))


# -- where the time goes ----------------------------------------------------------

_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def import_profile(command: list[str], env: dict[str, str], runs: int) -> list[str]:
    """`python -X importtime` over `runs` runs (each module's least time): the total,
    the ten largest imports (cumulative) and the import time by package."""
    least: dict[str, tuple[int, int]] = {}  # module: (self µs, cumulative µs)
    for _ in range(runs):
        finished = subprocess.run(
            [sys.executable, "-X", "importtime", *command], env=env, capture_output=True, text=True
        )
        for line in finished.stderr.splitlines():
            match = _IMPORT_LINE.match(line)
            if match is None:
                continue
            own, cumulative, module = int(match[1]), int(match[2]), match[4]
            before = least.get(module, (own, cumulative))
            least[module] = (min(before[0], own), min(before[1], cumulative))
    total = sum(own for own, _ in least.values())
    largest = sorted(least.items(), key=lambda item: -item[1][1])[:10]
    by_package: dict[str, int] = defaultdict(int)
    for module, (own, _) in least.items():
        parts = module.split(".")
        # Docket's by subpackage (docket.core.search), a library by its name, the rest: stdlib.
        if parts[0] == "docket":
            package = ".".join(parts[:3])
        elif parts[0] in ("whoosh", "Stemmer", "cached_property", "platformdirs"):
            package = parts[0]
        else:
            package = "stdlib"
        by_package[package] += own
    packages = sorted(by_package.items(), key=lambda item: -item[1])[:10]
    return [
        f"  imports: {total / 1000:.1f} ms in {len(least)} modules (least of {runs} runs)",
        "  largest (cumulative ms): "
        + ", ".join(f"{module} {cumulative / 1000:.1f}" for module, (_, cumulative) in largest),
        "  by package (own ms):     "
        + ", ".join(f"{package} {own / 1000:.1f}" for package, own in packages),
    ]


# Run in a fresh interpreter: `docket search` as main() runs it, with each phase timed
# by wrapping the function doing it. Imports are done first, on their own.
_PHASES_PROBE = r"""
import time
import contextlib, io, json, sys
wall, cpu = {}, {}  # seconds by phase: from the clock, and of processor time

def timing(phase, function):
    def timed(*args, **kwargs):
        begun, begun_cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            wall[phase] = wall.get(phase, 0.0) + time.perf_counter() - begun
            cpu[phase] = cpu.get(phase, 0.0) + time.process_time() - begun_cpu
    return timed

def imports():
    global main, searching, case_module, index_module, store
    from docket.cli.main import main
    import docket.cli.searching as searching
    import docket.core.case as case_module
    import docket.core.search.parser, docket.core.search.snippets
    import docket.core.search.whoosh.index as index_module
    import docket.core.storage.documents as store

timing("imports", imports)()
Case = case_module.Case
Case.open = classmethod(timing("case open", Case.open.__func__))
Case._open_index = timing("index open", Case._open_index)
SearchIndex = index_module.SearchIndex
SearchIndex.page_count = timing("is-current check", SearchIndex.page_count)
store.page_counts = timing("is-current check", store.page_counts)
store.unindexed_document_ids = timing("is-current check", store.unindexed_document_ids)
SearchIndex.search = timing("query", SearchIndex.search)
store.page_texts = timing("page texts (20)", store.page_texts)
index_module.find_hits = timing("snippets", index_module.find_hits)
index_module.make_snippet = timing("snippets", index_module.make_snippet)
Case.search = timing("case.search", Case.search)
searching.print_json = timing("output", searching.print_json)
with contextlib.redirect_stdout(io.StringIO()):
    code = timing("whole main()", main)(sys.argv[1:])
for spent in (wall, cpu):
    # The query's own time, without the page texts and snippets made inside it.
    spent["parse, marks, lines"] = spent.pop("case.search") - spent["query"]
    spent["query"] -= spent.get("page texts (20)", 0) + spent.get("snippets", 0)
    spent["other"] = spent["whole main()"] - sum(
        v for k, v in spent.items() if k not in ("whole main()", "imports")
    )
    spent["whole main()"] += spent["imports"]
print(json.dumps({"code": code, "wall": {k: v * 1000 for k, v in wall.items()},
                  "cpu": {k: v * 1000 for k, v in cpu.items()}}))
"""

PHASES = [
    "imports",
    "case open",
    "is-current check",
    "index open",
    "query",
    "page texts (20)",
    "snippets",
    "parse, marks, lines",
    "output",
    "other",
    "whole main()",  # with the imports
]


def phase_profile(
    scale: Scale, env: dict[str, str], runs: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Median ms (wall, CPU) of each phase of `docket search CASE font --json`."""
    measured: dict[str, dict[str, list[float]]] = {
        "wall": defaultdict(list),
        "cpu": defaultdict(list),
    }
    for _ in range(runs):
        finished = subprocess.run(
            [sys.executable, "-c", _PHASES_PROBE, "search", str(scale.case), PROFILED_QUERY,
             "--json"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        report = json.loads(finished.stdout.strip().splitlines()[-1])
        assert report["code"] == 0, finished.stderr
        for clock in ("wall", "cpu"):
            for phase, ms in report[clock].items():
                measured[clock][phase].append(ms)
    wall, cpu = (
        {phase: statistics.median(values) for phase, values in measured[clock].items()}
        for clock in ("wall", "cpu")
    )
    return wall, cpu


# -- the run ---------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--preset", action="append", choices=sorted(PRESETS), help="a known case (repeat)"
    )
    parser.add_argument("--case", type=Path, help="another case…")
    parser.add_argument(
        "--folder", type=Path, action="append", help="…and its documents (repeat), for Recoll"
    )
    parser.add_argument("--runs", type=int, default=15, help="rounds; the median is shown")
    parser.add_argument("--profile-runs", type=int, default=5, help="runs of each profile")
    parser.add_argument("--query", action="append", help="a query (repeat; default: a mix)")
    options = parser.parse_args()
    scales = [PRESETS[name] for name in options.preset or ()]
    if options.case:
        folders = tuple(options.folder or ())
        scales.append(Scale(options.case.name, options.case, folders))
    if not scales:
        scales = [PRESETS["20k"]]
    queries = options.query or QUERIES
    env = child_environment()
    for scale in scales:
        build_case(scale, env)
    recoll = {
        scale.name: recoll_configuration(scale.folders)
        if scale.folders and all(folder.is_dir() for folder in scale.folders)
        else None
        for scale in scales
    }

    docket = docket_command()
    python3 = system_python()
    commands: dict[str, list[str]] = {
        "python3 -c pass": [python3, "-c", "pass"],
        "venv python -c pass": [sys.executable, "-c", "pass"],
        "docket --help": [*docket, "--help"],
    }
    if shutil.which("recollq"):
        commands["recollq -h"] = ["recollq", "-h"]
    rows: list[str] = ["docket list CASE", *(f"docket search CASE {q} --json" for q in queries)]
    for scale in scales:
        commands[f"{scale.name}|docket list CASE"] = [*docket, "list", str(scale.case)]
        for query in queries:
            label = f"docket search CASE {query} --json"
            commands[f"{scale.name}|{label}"] = [
                *docket,
                "search",
                str(scale.case),
                query,
                "--json",
            ]
            conf = recoll[scale.name]
            if conf and not query.endswith("~"):  # Recoll has no fuzzy terms
                command = ["recollq", "-c", str(conf), "-n", "20", query]
                commands[f"{scale.name}|recoll|{label}"] = command

    load = Path("/proc/loadavg").read_text().split()[0]
    # The same search run by the system's python3 (the same 3.11, built with PGO and
    # LTO as distributions build it) on the venv's packages: what the interpreter's
    # build costs. The venv's python is pyenv's build, without those optimisations.
    system_env = dict(env)
    system_env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], sysconfig.get_path("purelib")])
    same_python = _version(python3) == sys.version_info[:2]
    if same_python:
        for scale in scales:
            commands[f"{scale.name}|{SYSTEM_ROW}"] = [
                python3, "-c", _RUN_DOCKET, "search", str(scale.case), PROFILED_QUERY, "--json"
            ]  # fmt: skip
        rows.append(SYSTEM_ROW)

    def environment(label: str) -> dict[str, str]:
        return system_env if label.endswith(SYSTEM_ROW) else env

    for label, command in commands.items():  # warm the page cache and write the .pyc files
        timed(command, environment(label))
    wall: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    for _ in range(options.runs):
        for label, command in commands.items():
            elapsed, used = timed(command, environment(label))
            wall[label].append(elapsed)
            cpu[label].append(used)
    median_wall = {label: statistics.median(values) for label, values in wall.items()}
    median_cpu = {label: statistics.median(values) for label, values in cpu.items()}
    load_after = Path("/proc/loadavg").read_text().split()[0]

    print(
        f"runs: {options.runs} rounds, interleaved; median; wall = start to exit, "
        f"CPU = user + system. Load average before {load}, after {load_after}; "
        f"{os.cpu_count()} cores."
    )
    width = max(len(row) for row in rows) + 2
    print(f"{'':{width}}{'wall ms':>9}{'CPU ms':>9}")
    for label in ("python3 -c pass", "venv python -c pass", "recollq -h", "docket --help"):
        if label in median_wall:
            print(f"{label:{width}}{median_wall[label]:9.1f}{median_cpu[label]:9.1f}")
    if "recollq -h" not in median_wall:
        print("recollq: not installed (apt-get install -y recoll); no Recoll column")
    for scale in scales:
        pages = case_pages(scale, env)
        print(f"\n{scale.name}: {scale.case} ({pages:,} pages)")
        print(f"{'':{width}}{'wall ms':>9}{'CPU ms':>9}{'recollq wall':>14}{'CPU':>7}")
        for row in rows:
            label = f"{scale.name}|{row}"
            reference = f"{scale.name}|recoll|{row}"
            line = f"{row:{width}}{median_wall[label]:9.1f}{median_cpu[label]:9.1f}"
            if reference in median_wall:
                line += f"{median_wall[reference]:14.1f}{median_cpu[reference]:7.1f}"
            print(line)

    for scale in scales:
        search = [*docket, "search", str(scale.case), PROFILED_QUERY, "--json"]
        print(f"\n{scale.name}: where `docket search CASE {PROFILED_QUERY} --json` spends its time")
        print(
            f"  interpreter start (venv python -c pass): {median_wall['venv python -c pass']:.1f}"
        )
        for line in import_profile(search, env, options.profile_runs):
            print(line)
        wall_phases, cpu_phases = phase_profile(scale, env, options.profile_runs)
        print(f"  in the process (median of {options.profile_runs} runs, ms):")
        print("    " + "".join(f"{phase:>{max(len(phase), 6) + 2}}" for phase in PHASES))
        for clock, phases in (("wall", wall_phases), ("CPU", cpu_phases)):
            cells = "".join(
                f"{phases.get(phase, 0.0):>{max(len(phase), 6) + 2}.1f}" for phase in PHASES
            )
            print(f"{clock:>4}{cells}")
    print(json.dumps({"wall": wall, "cpu": cpu}))


if __name__ == "__main__":
    main()
