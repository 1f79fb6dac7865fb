"""Processes seen through /proc, for tests that must leave none behind (Linux only).

children_of(os.getpid())              every child's pid
spawned_workers(os.getpid())          the live ones that multiprocessing spawned
wait_until_gone(pids, seconds=10)     the pids still alive after that long
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name, or None if it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name is in parentheses and may hold spaces or parentheses itself.
    return stat[stat.rindex(")") + 2 :].split()


def is_alive(pid: int) -> bool:
    """False once the process is gone, or is a zombie waiting to be reaped (it runs no more)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def children_of(parent: int) -> set[int]:
    """Live processes whose parent is `parent`."""
    children = set()
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and int(fields[1]) == parent and is_alive(int(entry.name)):
                children.add(int(entry.name))
    return children


def command_line(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def spawned_workers(parent: int) -> set[int]:
    """Live children of `parent` started by multiprocessing's spawn: the pool's workers.

    Not its resource tracker, which spawn also starts once and keeps for the session.
    """
    return {pid for pid in children_of(parent) if "spawn_main" in command_line(pid)}


def wait_until_gone(pids: Iterable[int], seconds: float) -> set[int]:
    """Waits up to `seconds` for all of `pids` to end; returns those still alive."""
    deadline = time.monotonic() + seconds
    alive = {pid for pid in pids if is_alive(pid)}
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = {pid for pid in alive if is_alive(pid)}
    return alive
