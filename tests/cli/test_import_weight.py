"""Commands load only what they use: no Qt, Whoosh or pypdf for `--help` and `list`.

Each command runs in a fresh interpreter (a subprocess), as a script runs
`docket`, and reports which of the heavy libraries ended up in sys.modules.
That is behaviour, not timing: a library imported is a library a script waits for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("PySide6", "whoosh", "pypdf")

_PROBE = """
import contextlib, io, json, sys
from docket.cli.main import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        code = main(sys.argv[1:])
    except SystemExit as stop:
        code = stop.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & {"PySide6", "whoosh", "pypdf"})
print(json.dumps({"code": code, "loaded": loaded, "out": out.getvalue()}))
"""


def _loaded_by(*args: str) -> tuple[set[str], str]:
    """The heavy libraries `docket ARGS…` imported in a fresh process, and what it printed."""
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None), finished.stderr
    return set(report["loaded"]), report["out"]


def test_help_loads_no_qt_whoosh_or_pypdf() -> None:
    loaded, out = _loaded_by("--help")
    assert "search" in out and "produce" in out  # every command is still listed
    assert loaded == set()


def test_list_loads_no_qt_whoosh_or_pypdf(case_path: Path) -> None:
    loaded, out = _loaded_by("list", str(case_path), "--json")
    assert {document["title"] for document in json.loads(out)} >= {"Complaint", "Brief"}
    assert loaded == set()


def test_search_loads_whoosh_but_no_qt_or_pypdf(case_path: Path) -> None:
    loaded, out = _loaded_by("search", str(case_path), "officers", "--json")
    hits = json.loads(out)["results"]
    assert hits and hits[0]["title"] == "Brief"
    assert loaded == {"whoosh"}
