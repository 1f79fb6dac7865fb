"""Starting Docket: `docket` with no arguments, and `docket open CASE`.

Both open the window. Without any display (a server, an SSH session) they
describe the case on the command line instead of failing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from docket.cli.output import EXIT_OK
from docket.core.case import Case


def run_default(args: argparse.Namespace) -> int:
    if _has_display():
        from docket.app.main import run_window

        return run_window()
    from docket.core.samplecase import sample_case_path

    path = sample_case_path()
    print(f"No display, so here is the sample case on the command line: {path}")
    return _describe(path)


def run_open(args: argparse.Namespace) -> int:
    path = Path(args.case)
    Case.open(path, readonly=True).close()  # a clear message now if it is not a case
    if _has_display():
        from docket.app.main import run_window

        return run_window(path)
    return _describe(path)


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY",
                                                  "QT_QPA_PLATFORM"))


def _describe(path: Path) -> int:
    with Case.open(path, readonly=True) as case:
        documents = case.documents()
        pages = sum(document.page_count for document in documents)
        print(f"{len(documents)} documents, {pages} pages\n")
        for document in documents:
            print(f"  [{document.id}] {document.title} ({document.kind}, "
                  f"{document.page_count} pages)")
        example = '"police fired"~5'
        results = case.search(example, limit=3)
    print(f"\nSearch it, for example:  docket search \"{path}\" '{example}'")
    print(f"  → {results.total} matching pages")
    for hit in results.results:
        print(f"    [{hit.doc}] {hit.title}, page {hit.label}")
    return EXIT_OK
