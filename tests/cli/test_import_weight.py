"""Commands load only what they use: no Qt, Whoosh or pypdf for `--help` and `list`.

Each command runs in a fresh interpreter (a subprocess), as a script runs
`docket`, and reports which of the heavy libraries ended up in sys.modules.
That is behaviour, not timing: a library imported is a library a script waits for.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from docket.cli.main import COMMAND_MODULES

HEAVY = ("PySide6", "whoosh", "pypdf")
# The standard library's network, mail and event-loop modules: Whoosh imports them
# when it loads, a search never uses them (core/search/whoosh/deferred.py).
UNUSED_STDLIB = ("urllib.request", "http.client", "email", "ssl", "socket", "asyncio")
# What a search that goes well has no use for: writing the index, Whoosh's collectors
# (fastboolean scores plain queries), English word variations, logging, html, ctypes
# (docket._nonefix needs it only once Qt loads).
NOT_FOR_SEARCHING = (
    "whoosh.writing",
    "whoosh.collectors",
    "whoosh.lang.morph_en",
    "docket.core.search.whoosh.bulkwriter",
    "logging",
    "ctypes",
    "html",  # its entity table: JSON results are escaped without it
    "shutil",  # argparse's width (cli.main.HelpFormatter), Whoosh's compound files
    "hashlib",  # OpenSSL's: the index hashes terms with CPython's own md5
)

_PROBE = """
import contextlib, io, json, sys
from docket.cli.main import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        code = main(sys.argv[1:])
    except SystemExit as stop:
        code = stop.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & {"PySide6", "whoosh", "pypdf"})
commands = sorted(name for name in sys.modules if name.startswith("docket.cli."))
core = sorted(name for name in sys.modules if name.startswith("docket.core."))
print(json.dumps({"code": code, "loaded": loaded, "commands": commands, "core": core,
                  "modules": sorted(sys.modules), "out": out.getvalue()}))
"""

# Docket's own code a command does not need, by what it is for: a module of the
# core a command loads is code the interpreter reads and runs before it can start.
CASE_AND_BELOW = ("docket.core.case", "docket.core.storage.database")
SEARCHING = ("docket.core.search.", "docket.core.transcripts.")
MARKING = ("docket.core.marks.", "docket.core.model.marks", "docket.core.text.anchoring")
NOT_READING = (  # importing, exporting, the chronology, cites, reviews, checks
    "docket.core.ingest.",
    "docket.core.export.",
    "docket.core.chronology.",
    "docket.core.cite.",
    "docket.core.review.",
    "docket.core.production.",
    "docket.core.ocr.run",
    "docket.core.verify",
)


def _among(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [name for name in modules if name.startswith(prefixes)]


def _loaded_by(*args: str) -> tuple[set[str], str]:
    """The heavy libraries `docket ARGS…` imported in a fresh process, and what it printed."""
    report = _report(*args)
    return set(report["loaded"]), report["out"]


def _report(*args: str) -> dict[str, Any]:
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None), finished.stderr
    return report


def test_help_loads_no_qt_whoosh_or_pypdf() -> None:
    loaded, out = _loaded_by("--help")
    assert "search" in out and "produce" in out  # every command is still listed
    assert loaded == set()


def test_help_loads_no_command_and_no_case() -> None:
    report = _report("--help")
    assert "shutil" not in report["modules"]  # argparse's width, read without it
    assert "dataclasses" not in report["modules"]  # _dataclasscode waits for a command's
    assert report["commands"] == ["docket.cli.arguments", "docket.cli.main", "docket.cli.output"]
    assert _among(report["core"], CASE_AND_BELOW + SEARCHING + MARKING + NOT_READING) == []


def test_list_loads_no_qt_whoosh_or_pypdf(case_path: Path) -> None:
    loaded, out = _loaded_by("list", str(case_path), "--json")
    assert {document["title"] for document in json.loads(out)} >= {"Complaint", "Brief"}
    assert loaded == set()


def test_list_loads_the_case_but_no_search_or_marks(case_path: Path) -> None:
    report = _report("list", str(case_path), "--json")
    assert json.loads(report["out"])
    assert _among(report["core"], CASE_AND_BELOW) == list(CASE_AND_BELOW)
    assert _among(report["core"], SEARCHING + MARKING + NOT_READING) == []


def test_search_loads_whoosh_but_no_qt_or_pypdf(case_path: Path) -> None:
    loaded, out = _loaded_by("search", str(case_path), "officers", "--json")
    hits = json.loads(out)["results"]
    assert hits and hits[0]["title"] == "Brief"
    assert loaded == {"whoosh"}


def test_search_loads_neither_marks_nor_what_only_writes(case_path: Path) -> None:
    report = _report("search", str(case_path), "officers", "--json")
    assert json.loads(report["out"])["results"]
    assert "docket.core.search.parser" in report["core"]
    assert _among(report["core"], MARKING + NOT_READING) == []


def test_search_loads_no_network_mail_or_event_loop_modules(case_path: Path) -> None:
    report = _report("search", str(case_path), "officers OR offi* OR ofices~", "--json")
    assert json.loads(report["out"])["results"]
    assert set(report["modules"]) & set(UNUSED_STDLIB) == set()


def test_search_loads_neither_index_writing_nor_logging(case_path: Path) -> None:
    report = _report("search", str(case_path), "officers OR police", "--json")
    assert json.loads(report["out"])["results"]
    assert set(report["modules"]) & set(NOT_FOR_SEARCHING) == set()


def test_a_command_imports_only_its_own_module(case_path: Path) -> None:
    report = _report("marks", str(case_path), "--json")
    command_modules = {name.rsplit(".", 1)[1] for name in report["commands"]}
    assert "marking" in command_modules
    assert not command_modules & (set(COMMAND_MODULES) - {"marking"})
    assert json.loads(report["out"])  # the case's marks, listed


@pytest.mark.parametrize("module", sorted(COMMAND_MODULES))
def test_the_table_names_what_each_module_registers(module: str) -> None:
    """`docket --help` shows the table's lines without importing the modules: each
    line must be the one the module gives its command."""
    registered: dict[str, str] = {}

    def command(name: str, help_text: str, handler: object) -> argparse.ArgumentParser:
        registered[name] = help_text
        return argparse.ArgumentParser(prog=name)

    importlib.import_module(f"docket.cli.{module}").add_commands(command)
    assert list(registered.items()) == list(COMMAND_MODULES[module].items())
