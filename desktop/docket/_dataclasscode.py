"""The methods @dataclass writes, compiled once and kept, as .pyc files keep modules.

Python 3.11's @dataclass writes each class's __init__, __repr__, __eq__,
__hash__ (and a frozen class's __setattr__, __delattr__) as source text and
compiles each one with exec() at every start: for the ~30 dataclasses a
`docket search` makes, ~70 % of the ~15 ms they take. With `keep()`, the
compiled code of each text is kept in a file beside the package's .pyc files
and run instead: the same text compiled the same way, so the methods are
exactly those @dataclass makes, only not compiled again. A text not yet kept
is compiled as before and added; the file is written at exit, only when
something was added, and never when Python writes no bytecode
(PYTHONDONTWRITEBYTECODE, -B).

`keep()` waits for `dataclasses` to be imported (`docket --help` makes no
dataclass and does not import it), and does nothing on a Python whose
dataclasses it does not know (it replaces 3.11's `dataclasses._create_fn`).
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

MAX_KEPT = 5000  # methods kept in the file: Docket's own classes make ~200
_PARAMETERS = ["name", "args", "body", "globals", "locals", "return_type"]
_NOT_GIVEN: Any = object()  # _create_fn's `return_type` left out (dataclasses.MISSING)


def keep(folder: Path | None = None) -> None:
    """From now on (or once `dataclasses` is imported), @dataclass runs the methods'
    code kept in `folder` (default: this package's __pycache__)."""
    global _path
    _path = (folder or Path(__file__).parent / "__pycache__") / (
        f"dataclass-code.{sys.implementation.cache_tag}.marshal"
    )
    if "dataclasses" in sys.modules:
        _install(sys.modules["dataclasses"])
    elif not any(isinstance(finder, _WhenImported) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WhenImported())


_path: Path | None = None
_codes: dict[str, CodeType] = {}
_added = False
_dataclasses: Any = None  # the module, once installed


class _WhenImported:
    """An import hook: asked for `dataclasses`, it leaves sys.meta_path and has the
    usual loader load it, then installs the kept code."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "dataclasses" or self not in sys.meta_path:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        load = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            _install(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _install(dataclasses: Any) -> None:
    global _dataclasses
    create_fn = getattr(dataclasses, "_create_fn", None)
    if sys.version_info[:2] != (3, 11) or create_fn is None or create_fn is _create_fn:
        return
    import inspect  # loaded by dataclasses already

    if list(inspect.signature(create_fn).parameters) != _PARAMETERS or _path is None:
        return
    _dataclasses = dataclasses
    _codes.update(_read(_path))
    dataclasses._create_fn = _create_fn
    import atexit

    atexit.register(_write)


def _read(path: Path) -> dict[str, CodeType]:
    try:
        codes = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):  # none yet, or another Python's
        return {}
    if not isinstance(codes, dict):
        return {}
    return {text: code for text, code in codes.items() if isinstance(code, CodeType)}


def _write() -> None:
    """Keep the codes if some were added (atomically: processes may end together)."""
    if not _added or _path is None or sys.dont_write_bytecode:
        return
    try:
        _path.parent.mkdir(exist_ok=True)
        partial = _path.with_name(f"{_path.name}.{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(_codes))
        os.replace(partial, _path)
    except OSError:  # a read-only installation: compiled again next time, as before
        pass


def _create_fn(
    name: str,
    args: list[str],
    body: list[str],
    *,
    globals: dict[str, Any] | None = None,  # dataclasses' own names
    locals: dict[str, Any] | None = None,
    return_type: Any = _NOT_GIVEN,
) -> Any:
    """dataclasses._create_fn of Python 3.11, line for line, but for where its code
    comes from: compiled once per text and kept."""
    global _added
    if locals is None:
        locals = {}
    return_annotation = ""
    if return_type is not _NOT_GIVEN and return_type is not _dataclasses.MISSING:
        locals["_return_type"] = return_type
        return_annotation = "->_return_type"
    joined_args = ",".join(args)
    joined_body = "\n".join(f"  {b}" for b in body)

    # Compute the text of the entire function.
    txt = f" def {name}({joined_args}){return_annotation}:\n{joined_body}"

    local_vars = ", ".join(locals.keys())
    txt = f"def __create_fn__({local_vars}):\n{txt}\n return {name}"
    code = _codes.get(txt)
    if code is None:
        # What exec(txt, …) in dataclasses compiles (no __future__ flags of this module).
        code = compile(txt, "<string>", "exec", dont_inherit=True)
        if len(_codes) < MAX_KEPT:
            _codes[txt] = code
            _added = True
    ns: dict[str, Any] = {}
    exec(code, globals, ns)
    return ns["__create_fn__"](**locals)
