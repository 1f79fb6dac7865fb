"""Writing a file whole or not at all: a temporary file beside it, synced, renamed over it.

A crash or a full disk halfway leaves the old file (or none) and no partial one
that a reader could take for the real thing. The temporary file gets the
permissions any new file gets here (0666 less the umask) rather than
`mkstemp`'s owner-only 0600: the case's files and exports are meant to be read
by the colleagues the folder is shared with.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_file_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """`write` fills a stream; `target` is replaced by what it wrote once it is on disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        give_ordinary_permissions(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def give_ordinary_permissions(path: Path) -> None:
    """Give a file `tempfile.mkstemp` made (0600, owner only) the permissions any new
    file gets here, 0666 less the umask: an export is written to be read by others
    (the case's own files are world-readable too), and a copy in a shared folder
    that only its writer could open would look broken to the colleague it is for."""
    os.chmod(path, 0o666 & ~_umask())


def _umask() -> int:
    # Read, not set and restored: os.umask() would change it for the window's other
    # threads meanwhile. Linux says it in /proc; elsewhere the usual one is assumed.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022
