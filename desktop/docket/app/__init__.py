"""Docket's window: Qt widgets over the core. Never writes SQL or opens Whoosh itself.

Loading this package starts Qt's core module, and spares PySide6 a scan of every
module imported after it (see _answer_feature_scans_by_name).
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads the scan to be answered below


def _answer_feature_scans_by_name() -> None:
    """PySide6 reads the whole source of each module imported after it, to learn
    whether it names PySide6 (inspect.getsource; for `from __feature__ import`,
    which Docket never uses): ~0.15 ms a module, ~20 ms of CPU over the ~130
    modules the window loads before page 1. Docket's own modules and the
    standard library's are answered without reading them: Docket's as using Qt
    (the default: no feature), the library's as not. Any other module is read as
    before. Without that private hook (another PySide6), nothing changes."""
    feature = sys.modules.get("shibokensupport.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or scan is None or getattr(scan, "answered_by_name", False):
        return
    standard_library = os.path.dirname(os.__file__) + os.sep

    def uses_pyside(module: ModuleType) -> bool:
        name = getattr(module, "__name__", "")
        if name == "docket" or name.startswith("docket."):
            return True
        path = getattr(module, "__file__", None) or ""
        if path.startswith(standard_library) and "site-packages" not in path:
            return False
        return bool(scan(module))

    uses_pyside.answered_by_name = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]


_answer_feature_scans_by_name()
