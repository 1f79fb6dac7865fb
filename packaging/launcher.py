"""The bundle's entry point: the `docket` command, as the console script runs it (docket.entry)."""

import multiprocessing
import sys

import docket  # noqa: F401 - before PySide6: guards None against its refcount bug


def _launch() -> int:
    # Import extracts in "spawn" worker processes, which re-run this executable;
    # freeze_support() turns such a run into the worker instead of a second CLI.
    multiprocessing.freeze_support()
    from docket.entry import main

    return main()


if __name__ == "__main__":
    sys.exit(_launch())
