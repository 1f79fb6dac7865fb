"""@dataclass's methods compiled once and kept (docket._dataclasscode): the classes
are exactly those @dataclass makes, and a second process compiles nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11), reason="it replaces Python 3.11's dataclasses._create_fn"
)

_PROBE = """
import json, sys
from pathlib import Path
if sys.argv[1] == "kept":
    import docket._dataclasscode as kept
    kept.keep(Path(sys.argv[2]))
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace

@dataclass(frozen=True, order=True)
class Hit:
    doc: int
    label: "str" = "1"
    spans: tuple = field(default_factory=tuple)

@dataclass(slots=True)
class Row:
    values: list
    note: str | None = None

def described(cls):
    methods = {}
    for name in ("__init__", "__repr__", "__eq__", "__lt__", "__ge__", "__setattr__",
                 "__delattr__", "__hash__"):
        method = cls.__dict__.get(name)
        code = getattr(method, "__code__", None)
        methods[name] = None if code is None else [
            code.co_code.hex(), repr(code.co_consts), code.co_names, code.co_varnames,
            code.co_flags, code.co_filename, code.co_qualname,
            {k: repr(v) for k, v in method.__annotations__.items()}]
    return methods

hit = Hit(3, spans=((1, 2),))
try:
    hit.doc = 4
    frozen = False
except FrozenInstanceError:
    frozen = True
same = Hit(3, spans=((1, 2),))
behaviour = [repr(hit), hit == same, hit < Hit(4), hash(hit) == hash(same), frozen,
             repr(replace(hit, doc=5)), [f.name for f in fields(Row)], repr(Row([1]))]
added = None
if sys.argv[1] == "kept":
    added = kept._added
print(json.dumps({"classes": [described(Hit), described(Row)], "behaviour": behaviour,
                  "added": added}))
"""


def _run(mode: str, folder: Path, *, bytecode: bool = True) -> dict[str, object]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE, mode, str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    result: dict[str, object] = json.loads(finished.stdout)
    return result


def test_kept_methods_are_exactly_those_dataclass_makes(tmp_path: Path) -> None:
    stdlib = _run("stdlib", tmp_path)
    first = _run("kept", tmp_path)  # compiled, then written at exit
    second = _run("kept", tmp_path)  # run from the file
    assert first["added"] is True and second["added"] is False
    assert first["classes"] == second["classes"] == stdlib["classes"]
    assert first["behaviour"] == second["behaviour"] == stdlib["behaviour"]


def test_nothing_is_written_when_python_writes_no_bytecode(tmp_path: Path) -> None:
    _run("kept", tmp_path, bytecode=False)
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_file_is_compiled_over(tmp_path: Path) -> None:
    kept = tmp_path / f"dataclass-code.{sys.implementation.cache_tag}.marshal"
    kept.write_bytes(b"not marshal data")
    assert _run("kept", tmp_path)["classes"] == _run("stdlib", tmp_path)["classes"]
    assert _run("kept", tmp_path)["added"] is False  # rewritten whole the first time
