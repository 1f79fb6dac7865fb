"""The `docket` command line: subcommands for scripts, the window with no arguments.

The window itself is not imported here (the command line does not depend on
it): docket.entry hands :func:`main` the function that opens it. Run as
``python -m docket.cli.main``, the command line has no window, and `docket` or
`docket open` describe the case on the terminal instead.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docket import __version__
from docket.cli.arguments import whole_number
from docket.cli.output import EXIT_CANCELLED, EXIT_CASE, EXIT_FAILURES, error
from docket.core.errors import CaseError, DocketError
from docket.core.storage.damage import as_damage

if TYPE_CHECKING:
    from docket.cli.starting import OpenWindow

MAX_WORKERS = 64  # extraction processes: more only thrash memory
MAX_LIMIT = 100_000  # search results printed

# The modules (docket.cli.<module>) whose add_commands registers these commands,
# in the order `docket --help` lists them. A command's module is imported only
# when that command runs (a script's `docket search` loop pays for no other);
# only `docket --help` (and `docket` alone) import them all.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "marking": ("mark", "marks", "tag", "untag"),
    "exporting": ("export", "import-marks"),
    "text": ("text",),
    "recovering": ("recover",),
    "language": ("language",),
    "reencoding": ("reencode",),
    "ocr": ("ocr",),
    "history": ("history",),
    "citing": ("cite", "title"),
    "facts": ("facts", "fact"),
    "coverage": ("coverage", "review"),
    "transcripts": ("transcript",),
    "producing": ("produce",),
    "redacting": ("redact", "reasons"),
}


def _handler(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """`docket.cli.<module>.<function>`, imported when the command runs."""

    def run(args: argparse.Namespace) -> int:
        command: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f"docket.cli.{module}"), function
        )
        return command(args)

    return run


def _parser(
    open_window: OpenWindow | None = None, wanted: str | None = None
) -> argparse.ArgumentParser:
    """The parser; with `wanted` (the command about to run) only its module is imported."""
    parser = argparse.ArgumentParser(
        prog="docket",
        description="Docket: read, mark and search the documents of a case.",
        epilog="docket CASE [FILE…] opens the case in the window, as docket open does; "
        "docket alone opens the last case (the sample case the first time).",
    )
    parser.add_argument("--version", action="version", version=f"docket {__version__}")
    # Every command's arguments carry it; `docket` and `docket open` call it.
    parser.set_defaults(open_window=open_window)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        name: str, help_text: str, handler: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = command("new", "create a new, empty case folder", _handler("casecommands", "run_new"))
    sub.add_argument("case")

    sub = command(
        "import",
        "import files and folders (recursively) into a case",
        _handler("importing", "run_import"),
    )
    sub.add_argument("case")
    sub.add_argument("paths", nargs="+", metavar="PATH")
    sub.add_argument(
        "--password",
        action="append",
        metavar="PW",
        help="a password for encrypted PDFs; repeat to try several in turn ('' is tried too)",
    )
    sub.add_argument(
        "--passwords",
        metavar="FILE",
        help="a file of NAME<TAB>PASSWORD lines (or a JSON object): a file's own passwords, "
        "tried before --password",
    )
    sub.add_argument("--json", action="store_true", help="one JSON object per file")
    sub.add_argument(
        "--workers",
        type=whole_number(1, MAX_WORKERS),
        default=None,
        metavar="N",
        help=f"extraction processes, 1 to {MAX_WORKERS} (default: one per core, at most 4)",
    )
    sub.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar and no summary line: only the line per file",
    )
    sub.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar even when stderr is not a terminal (a log, a pipe)",
    )
    sub.add_argument(
        "--no-annotations",
        dest="annotations",
        action="store_false",
        help="leave the highlights and notes already in PDFs out (default: they become marks)",
    )
    sub.add_argument(
        "--no-ocr",
        dest="ocr",
        action="store_false",
        help="do not wait for OCR of scanned pages; `docket ocr` reads them later",
    )
    sub.add_argument(
        "--lang",
        metavar="LANGS",
        help="OCR languages for the scanned documents imported (eng+rus; default: preferences')",
    )

    sub = command("list", "list the documents of a case", _handler("casecommands", "run_list"))
    sub.add_argument("case")
    sub.add_argument("--json", action="store_true")

    sub = command(
        "search",
        'search a case (AND OR NOT, "phrases"~N, wild*, fuzzy~, field:)',
        _handler("searching", "run_search"),
    )
    sub.add_argument("case")
    sub.add_argument("query")
    sub.add_argument("--json", action="store_true")
    sub.add_argument(
        "--limit",
        type=whole_number(1, MAX_LIMIT),
        default=20,
        metavar="N",
        help=f"results to show, 1 to {MAX_LIMIT:,} (default 20)",
    )

    sub = command(
        "verify",
        "check originals against their hashes, marks against their text, and the index",
        _handler("casecommands", "run_verify"),
    )
    sub.add_argument("case")
    sub.add_argument("--json", action="store_true", help="the report as one JSON object")

    sub = command(
        "reindex",
        "rebuild the search index from the stored page texts",
        _handler("casecommands", "run_reindex"),
    )
    sub.add_argument("case")

    sub = command(
        "archive",
        "write the whole case (without its index) into one zip",
        _handler("archiving", "run_archive"),
    )
    sub.add_argument("case")
    sub.add_argument("out", metavar="OUT.zip")
    sub.add_argument("--force", action="store_true", help="replace OUT.zip if it exists")

    sub = command(
        "restore",
        "restore a case archive into a new or empty folder",
        _handler("archiving", "run_restore"),
    )
    sub.add_argument("archive", metavar="ZIP")
    sub.add_argument("dest", metavar="DEST")

    sub = command(
        "self-test",
        "check that this installation can open, search and render a case",
        _handler("selftest", "run_self_test"),
    )
    sub.add_argument("--json", action="store_true")

    for module, names in COMMAND_MODULES.items():
        if wanted is None or wanted in names:
            importlib.import_module(f"docket.cli.{module}").add_commands(command)
        else:  # listed (for "invalid choice" and bare paths), defined when it runs
            for name in names:
                commands.add_parser(name)

    # The .desktop file runs `docket open %F`: a case (its folder or its case.sqlite),
    # documents to import, or nothing when started from the menu.
    sub = command(
        "open",
        "open a case in the window; other files given are imported into it",
        _handler("starting", "run_open"),
    )
    sub.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a case folder or its case.sqlite, and documents to import",
    )
    return parser


def main(argv: Sequence[str] | None = None, open_window: OpenWindow | None = None) -> int:
    """Run one command (`argv`, else the process's arguments); the exit code.

    `open_window` shows the window; without it the command line has none.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(open_window, _command_named(words))
    args = parser.parse_args(_bare_path_opens(parser, words))
    if args.command is None:
        from docket.cli.starting import run_default

        return _guarded(run_default, args)
    return _guarded(args.handler, args)


def _command_named(words: Sequence[str]) -> str | None:
    """The command (or bare path) `words` start with; None for `--help` and no words,
    which list every command and so import every module."""
    if words and not words[0].startswith("-"):
        return words[0]
    return None


def _bare_path_opens(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """`docket CASE [FILE…]` is `docket open CASE [FILE…]`, as `scripts/docket CASE` invites.

    Only a first word that is no command and names a path (one that exists, or
    written as a path): a mistyped command still gets argparse's "invalid choice".
    """
    words = list(argv)
    if not words or words[0].startswith("-"):
        return words
    first = words[0]
    commands = next(
        action.choices
        for action in parser._actions  # argparse keeps its subcommands only here
        if isinstance(action, argparse._SubParsersAction)
    )
    if first in commands:
        return words
    if Path(first).exists() or os.sep in first or first.endswith(".sqlite"):
        return ["open", *words]
    return words


def _guarded(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Errors a person can act on become one line and an exit code, not a traceback."""
    try:
        return handler(args)
    except CaseError as problem:
        error(str(problem))
        return EXIT_CASE
    except DocketError as problem:
        error(str(problem))
        return EXIT_FAILURES
    except KeyboardInterrupt:
        error("cancelled")
        return EXIT_CANCELLED
    except BrokenPipeError:  # `docket search … | head`
        return 0
    except sqlite3.DatabaseError as problem:
        # Damage is met by whichever read first touches the bad page, anywhere in
        # the core: named here once, for every command, as the case that cannot be used.
        damage = as_damage(problem, _case_named(args))
        if damage is None:
            raise
        error(str(damage))
        return EXIT_CASE


def _case_named(args: argparse.Namespace) -> str | None:
    """The case a command was given (for the message that names it)."""
    case = getattr(args, "case", None)
    if case is None and getattr(args, "paths", None) and args.command == "open":
        case = args.paths[0]
    return str(case) if case is not None else None


if __name__ == "__main__":
    sys.exit(main())
