"""Starting Docket: `docket` with no arguments, and `docket open [CASE] [FILE…]`.

Both open the window, through the function docket.entry hands the command
line (`args.open_window`): the command line never imports the window itself.
Without any display (a server, an SSH session), or without a window to open
(``python -m docket.cli.main``), they describe the case on the command line
instead of failing.

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
from typing import Protocol

from docket._dataclasscode import keep as keep_dataclass_code
from docket.core.errors import CaseError, DocketError


class OpenWindow(Protocol):
    """Opens the window on `case` (None: the last case), importing `import_files`; the exit code."""

    def __call__(self, case: Path | None = None, import_files: list[Path] | None = None) -> int: ...


def open_at_once(words: Sequence[str], open_window: OpenWindow) -> int | None:
    """`docket`, `docket CASE` and `docket open [CASE]` on a display, run without the
    command line's parser; None for anything else (the caller parses `words`).

    These open the window, and what comes before it delays its frame: the parser
    with its commands' table and what it imports (sqlite3, json, the commands'
    help) cost ~25 ms before Qt even starts. So docket.entry asks here first.
    Only a case that exists takes this way; a bare word that could be a command
    (`docket search`) is left to the parser, which knows the commands.
    """
    # As the parser's commands do (cli.main): @dataclass methods' code compiled once, kept.
    keep_dataclass_code()
    after_open = list(words[:1]) == ["open"]
    rest = list(words[1:] if after_open else words)
    if len(rest) > 1 or (rest and not _names_a_case(rest[0], bare=not after_open)):
        return None  # a command, or documents to import: the parser's
    if not _has_display():
        return None  # the command line describes the case instead
    args = argparse.Namespace(command="open", paths=rest, open_window=open_window)
    return run_open(args)


def _names_a_case(word: str, *, bare: bool) -> bool:
    """`word` names a case (its folder or its case.sqlite), and, given `bare` (not
    after `open`), cannot be taken for a command (`docket marks` is the command)."""
    if word.startswith("-"):
        return False
    if bare and word.isascii() and word.replace("-", "").isalpha() and word.islower():
        return False
    # Here, not at the top: every command passes through open_at_once first.
    from docket.core.storage.folder import DATABASE_NAME

    path = Path(word)
    return (path / DATABASE_NAME).is_file() or (path.name == DATABASE_NAME and path.is_file())


def run_default(args: argparse.Namespace) -> int:
    open_window = _window(args)
    if open_window is not None:
        return open_window()
    from docket.core.samplecase import sample_case_path

    path = sample_case_path()
    print(
        f"{_no_window(args).capitalize()}, so here is the sample case on the command line: {path}"
    )
    return _describe(path)


def run_open(args: argparse.Namespace) -> int:
    if not args.paths:  # started from the desktop's menu: `docket open %F` with no file
        return run_default(args)
    case, documents = split_open_paths([Path(name) for name in args.paths])
    if case is not None:
        from docket.core.storage.folder import existing_case

        # A clear message now if it is not a case; the window opens it (and says if it
        # cannot), so the case's code loads after the window is on screen, not before.
        existing_case(case)
    open_window = _window(args)
    if open_window is not None:
        return open_window(case, import_files=documents or None)
    if documents:
        names = " ".join(f'"{path}"' for path in documents)
        raise DocketError(f"{_no_window(args)}; import with: docket import CASE {names}")
    assert case is not None  # no documents, so the one path was the case
    return _describe(case)


def split_open_paths(paths: Sequence[Path]) -> tuple[Path | None, list[Path]]:
    """The case among the paths given to `docket open`, and the documents to import.

    A case is a folder or its case.sqlite (a file manager passes that for the
    application/x-docket-case type). A folder that is not a case is not taken as
    documents: Case.open says what is wrong rather than importing a whole tree.
    """
    from docket.core.storage.folder import DATABASE_NAME

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


def _window(args: argparse.Namespace) -> OpenWindow | None:
    """The function that opens the window, if there is one and a display to show it on."""
    open_window: OpenWindow | None = getattr(args, "open_window", None)
    return open_window if open_window is not None and _has_display() else None


def _no_window(args: argparse.Namespace) -> str:
    """Why no window opens."""
    if getattr(args, "open_window", None) is None:
        return "this command line opens no window"
    return "no display to open the window on"


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _describe(path: Path) -> int:
    from docket.cli.output import EXIT_OK
    from docket.core.case import Case
    from docket.core.counts import count

    with Case.open(path, readonly=True) as case:
        documents = case.documents()
        pages = sum(document.page_count for document in documents)
        print(f"{count(len(documents), 'document')}, {count(pages, 'page')}\n")
        for document in documents:
            print(
                f"  [{document.id}] {document.title} "
                f"({document.kind}, {count(document.page_count, 'page')})"
            )
        example = '"police fired"~5'
        results = case.search(example, limit=3)
    print(f"\nSearch it, for example:  docket search \"{path}\" '{example}'")
    print(f"  → {count(results.total, 'result')}")
    for hit in results.results:
        print(f"    [{hit.doc}] {hit.title}, page {hit.label}")
    return EXIT_OK
