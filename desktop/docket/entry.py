"""The `docket` program: the command line, able to open the window.

The one module that knows both. docket.cli runs the commands and, to show a
window, calls the function it is handed; docket.app is imported here, inside
that function, so a command such as `docket search` starts without loading the
window's code. The console script, `python -m docket` and the bundle's
launcher all start here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path


def open_window(case: Path | None = None, import_files: list[Path] | None = None) -> int:
    """Open the window on `case` (else the last case), importing `import_files` into it."""
    from docket.app import main as app

    return app.run_window(case, import_files=import_files)


def main(argv: Sequence[str] | None = None) -> int:
    """`docket [COMMAND …]`: the window with no command, else the command; the exit code."""
    # Docket's numpy work is element-wise (scores, masks, sorted keys), never a
    # matrix product worth threads, yet OpenBLAS starts a thread per core when
    # numpy loads: one thread took `import numpy` from ~130 to ~55 ms of CPU and
    # ~10 ms of wall time off each search that needs it (2 cores). A user's own
    # setting stands; worker processes inherit it.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    words = list(sys.argv[1:] if argv is None else argv)
    # The window's own starts (`docket`, `docket CASE`, `docket open [CASE]`) skip the
    # command line's parser: its frame comes sooner. Other commands import nothing more.
    if len(words) <= 1 or (len(words) == 2 and words[0] == "open"):
        from docket.cli.starting import open_at_once

        opened = open_at_once(words, open_window)
        if opened is not None:
            return opened
    from docket.cli.main import main as run_command_line

    return run_command_line(argv, open_window=open_window)
