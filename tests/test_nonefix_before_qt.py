"""The None-refcount guard (docket._nonefix) is in place by the time Qt loads, and
a process that never loads Qt (the command line) does without it and its ctypes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from docket._nonefix import _RESERVE

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None and the bools are immortal: the guard does nothing"
)

_PROBE = f"""
import sys
import docket
assert "ctypes" not in sys.modules
assert all(sys.getrefcount(s) < {_RESERVE} for s in (None, True, False))
from PySide6.QtCore import QObject  # the first Qt import puts the guard in place
assert all(sys.getrefcount(s) > {_RESERVE} for s in (None, True, False))
import PySide6.QtGui  # and only once
assert sys.getrefcount(None) < 2 * {_RESERVE}
print("ok")
"""


def test_the_guard_waits_for_qt_and_is_there_before_it() -> None:
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120
    )
    assert finished.stdout.strip() == "ok", finished.stderr
