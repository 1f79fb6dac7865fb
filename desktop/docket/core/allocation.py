"""Fewer garbage collections while a bulk load allocates millions of objects.

An import makes a tuple for every posting (four million at 20,000 pages) and
CPython's collector, run every 700 new container objects, examined them over
and over: 5 of the importing process's 28 CPU-seconds (measured with
gc.callbacks). The postings hold no reference cycles, so while a load runs the
youngest generation is collected every 20,000 objects instead, and the oldest
only rarely; the thresholds in force before are restored afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (20_000, 50, 100)
_lock = threading.Lock()
_loads = 0  # bulk loads running (a window may import while the index catches up)
_saved: tuple[int, int, int] | None = None


@contextmanager
def bulk_allocation() -> Iterator[None]:
    global _loads, _saved
    with _lock:
        if _loads == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _loads += 1
    try:
        yield
    finally:
        with _lock:
            _loads -= 1
            if _loads == 0 and _saved is not None:
                gc.set_threshold(*_saved)


def give_back_memory() -> None:
    """Returns the free parts of the C heap to the system (glibc's malloc_trim).

    glibc keeps what a long import frees for reuse, in one heap per thread; freed
    by another thread than the one that allocated, or between live blocks, it is
    never reused, and the process grows with the case. Measured after each index
    commit of an import: about a millisecond; a worker after a long PDF gave back
    190 MB. Does nothing where there is no glibc.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
