"""Starting Docket: `docket` with no arguments, and `docket open [CASE] [FILE…]`.

Both open the window. Without any display (a server, an SSH session) they
describe the case on the command line instead of failing.

`docket open` is also what the desktop runs (`docket open %F`) for a case
folder, a case's case.sqlite, or documents opened with Docket from a file
manager: those are imported into the case that opens.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from docket.cli.output import EXIT_OK
from docket.core.case import Case
from docket.core.errors import CaseError, DocketError
from docket.core.storage.folder import DATABASE_NAME


def run_default(args: argparse.Namespace) -> int:
    if _has_display():
        from docket.app.main import run_window

        return run_window()
    from docket.core.samplecase import sample_case_path

    path = sample_case_path()
    print(f"No display, so here is the sample case on the command line: {path}")
    return _describe(path)


def run_open(args: argparse.Namespace) -> int:
    if not args.paths:  # started from the desktop's menu: `docket open %F` with no file
        return run_default(args)
    case, documents = split_open_paths([Path(name) for name in args.paths])
    if case is not None:
        Case.open(case, readonly=True).close()  # a clear message now if it is not a case
    if _has_display():
        from docket.app.main import run_window

        return run_window(case, import_files=documents or None)
    if documents:
        names = " ".join(f'"{path}"' for path in documents)
        raise DocketError(
            f"no display to open the window on; import with: docket import CASE {names}"
        )
    assert case is not None  # no documents, so the one path was the case
    return _describe(case)


def split_open_paths(paths: Sequence[Path]) -> tuple[Path | None, list[Path]]:
    """The case among the paths given to `docket open`, and the documents to import.

    A case is a folder or its case.sqlite (a file manager passes that for the
    application/x-docket-case type). A folder that is not a case is not taken as
    documents: Case.open says what is wrong rather than importing a whole tree.
    """
    cases: list[Path] = []
    documents: list[Path] = []
    for path in paths:
        if path.name == DATABASE_NAME and path.is_file():
            cases.append(path.parent)
        elif path.is_file():
            documents.append(path.absolute())
        else:  # a folder, or nothing at all: Case.open explains
            cases.append(path)
    if len(cases) > 1:
        raise CaseError("open one case at a time, not " + ", ".join(str(c) for c in cases))
    return (cases[0] if cases else None), documents


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _describe(path: Path) -> int:
    with Case.open(path, readonly=True) as case:
        documents = case.documents()
        pages = sum(document.page_count for document in documents)
        print(f"{len(documents)} documents, {pages} pages\n")
        for document in documents:
            print(
                f"  [{document.id}] {document.title} ({document.kind}, {document.page_count} pages)"
            )
        example = '"police fired"~5'
        results = case.search(example, limit=3)
    print(f"\nSearch it, for example:  docket search \"{path}\" '{example}'")
    print(f"  → {results.total} matching pages")
    for hit in results.results:
        print(f"    [{hit.doc}] {hit.title}, page {hit.label}")
    return EXIT_OK
