"""A guard against a reference-count bug in PySide6 6.12.0 on Python 3.11.

Every Qt method that returns nothing (`setFont`, `save`, `drawLine`,
`setObjectName`…) drops one reference from Python's `None` without having
taken it. `None` starts with a few thousand references, so a window that
paints for a while aborts with "Fatal Python error: none_dealloc". Python
3.12 made `None` immortal, so there the bug is harmless.

On older Pythons we give `None` (and the bools) 2**60 extra references once, as
Qt is imported: more than any session can drain, and never released, so they are never
freed. Measured: 1,000 `QFont.setBold` calls took 1,000 references.
tests/test_nonefix.py reproduces the leak without this guard: when a PySide6
upgrade fixes it, that test fails, and this module can go.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

# Effectively unbounded: every leaking call drains one reference, so a billion
# (the first reserve) is a few days of painting and signalling; 2**60 is longer
# than any machine runs at a billion calls a second (36 years). It stays far
# from overflow: the count is a signed 64-bit integer, and real references
# added on top of the reserve number in the millions, not in the 2**62s.
_RESERVE = 1 << 60


# Qt's Python modules: the leak is in their calls, so the guard is in place before
# either is imported. Not sooner: the guard needs ctypes (~2 ms of every `docket`
# command's start), and a command that never loads Qt (`docket search`) needs neither.
QT_PACKAGES = ("PySide6", "shiboken6")


def guard_none_refcount() -> None:
    """Reserve references for None, True and False (the bug drains the bools too),
    now if Qt is loaded, else the moment it starts to load."""
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return  # immortal singletons, or a debug build whose object layout differs
    if any(name in sys.modules for name in QT_PACKAGES):
        _reserve()
    elif not any(isinstance(finder, _BeforeQt) for finder in sys.meta_path):
        sys.meta_path.insert(0, _BeforeQt())


def _reserve() -> None:
    import ctypes

    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release build.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE


class _BeforeQt:
    """An import hook that finds nothing: asked for Qt's first module, it reserves
    the references, leaves sys.meta_path, and lets the usual finders load Qt."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name in QT_PACKAGES and self in sys.meta_path:
            sys.meta_path.remove(self)
            _reserve()
        return None
