"""The layering of STYLE.md, checked on the source: the core has no widgets."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import docket

PACKAGE = Path(docket.__file__).parent
FORBIDDEN_IN_CORE = ("PySide6.QtWidgets", "docket.app", "docket.cli")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_core_imports_no_widgets_and_nothing_from_the_app_or_cli() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name
            for name in imported_modules(path)
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_IN_CORE)
        )
        for path in (PACKAGE / "core").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_command_line_imports_no_widgets_at_module_level() -> None:
    """The CLI may start the window on demand, but importing it must not load widgets."""
    for path in (PACKAGE / "cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
        for node in top_level:
            module = getattr(node, "module", None) or node.names[0].name
            assert not module.startswith(("PySide6.QtWidgets", "docket.app")), path


# Names a helper might give the window it was handed: `window._dock`, `self._window._x`.
_WINDOW_PRIVATE = re.compile(r"\b_?(?:main_?)?window\._[A-Za-z]")


def test_no_helper_reaches_into_the_windows_private_parts() -> None:
    """Helpers get the narrow things they use (session, actions, reader, dock area)."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in (PACKAGE / "app").rglob("*.py")
        if path.name != "mainwindow.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _WINDOW_PRIVATE.search(line)
    ]
    assert offenders == []


def test_only_the_start_knows_the_main_window() -> None:
    """No helper takes the whole window, not even as a type: main.py makes it, that is all."""
    window_module = "docket.app.window.mainwindow"
    importers = sorted(
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "app").rglob("*.py")
        if path.name != "mainwindow.py"
        and any(
            name == window_module or name.startswith(window_module + ".")
            for name in imported_modules(path)
        )
    )
    assert importers == ["app/main.py"]


def test_the_window_check_sees_what_it_forbids() -> None:
    assert _WINDOW_PRIVATE.search("        new = window._dock('Tags', tags, RIGHT)")
    assert _WINDOW_PRIVATE.search("self._window._search.refresh()")
    assert not _WINDOW_PRIVATE.search("self._window.statusBar()")
    assert not _WINDOW_PRIVATE.search("self.window_state()")
