"""A worker's sign of life: the step it reached and when, in memory its parent reads.

Extraction calls `beat(step)` as it starts each page (and each longer step
such as opening the file or reading the outline), so the last step is the one
a hung worker is stuck in. The pool (core/workers.py)
judges a worker by these beats: one that keeps beating is never stopped,
however long its file; one whose beats stop has hung, and the last step
names the page it hung on. Outside a worker process `beat` does nothing.
"""

from __future__ import annotations

import time
from typing import Any

# Slots of the shared array: when the last beat came (time.monotonic(), which
# every process on the machine reads from the same clock), and its step.
BEAT_TIME = 0
BEAT_STEP = 1
READY = 2  # 1.0 once the worker has started and can take files
SLOTS = 3

# Steps before the first page; pages are 1, 2, 3… (1-based, as everywhere).
OPENING = 0
READING_OUTLINE = -1

_shared: Any = None  # a multiprocessing RawArray("d", SLOTS) in a worker, else None


def install(shared: Any) -> None:
    """Make `beat` write to `shared` (called once, in a worker process)."""
    global _shared
    _shared = shared
    shared[READY] = 1.0
    beat(OPENING)


def beat(step: int) -> None:
    if _shared is not None:
        _shared[BEAT_STEP] = step
        _shared[BEAT_TIME] = time.monotonic()


def describe_step(step: int) -> str:
    """What a worker was doing, for a message: "reading page 12", "opening the file"."""
    if step >= 1:
        return f"reading page {step}"
    if step == READING_OUTLINE:
        return "reading its outline"
    return "opening the file"
