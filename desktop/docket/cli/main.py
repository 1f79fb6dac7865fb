"""The `docket` command line: subcommands for scripts, the window with no arguments.

The window itself is not imported here (the command line does not depend on
it): docket.entry hands :func:`main` the function that opens it. Run as
``python -m docket.cli.main``, the command line has no window, and `docket` or
`docket open` describe the case on the terminal instead.
"""

from __future__ import annotations

import argparse
import functools
import gettext
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from docket._dataclasscode import keep as keep_dataclass_code

# Before the first @dataclass of a command: its methods' code compiled once and kept
# (~10 ms of a `docket search`, a tenth, on the real corpus), as a .pyc keeps a module.
keep_dataclass_code()

from docket import __version__  # noqa: E402
from docket.cli.arguments import whole_number  # noqa: E402
from docket.cli.output import EXIT_CANCELLED, EXIT_CASE, EXIT_FAILURES, error  # noqa: E402
from docket.core.errors import CaseError, DocketError  # noqa: E402
from docket.core.storage.damage import as_damage  # noqa: E402

if TYPE_CHECKING:
    from docket.cli.starting import OpenWindow

MAX_WORKERS = 64  # extraction processes: more only thrash memory
MAX_LIMIT = 100_000  # search results printed

# argparse translates each of its own words ("usage:", "options", "show this help
# message and exit"…) through gettext, which searches the disk for a catalogue at
# every call: `docket --help` made 100 such searches, costing half as much as the
# interpreter's own start. The answer cannot change while a command runs, so each
# word is looked up once.
if getattr(argparse, "_", None) is gettext.gettext:
    argparse._ = functools.cache(gettext.gettext)  # type: ignore[attr-defined]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's own, reading the terminal's width as shutil does, without shutil.

    argparse makes a formatter for every argument it defines (to check its
    metavar) and imports shutil in each for the width: shutil brings bz2, lzma
    and zlib, ~2 ms of every command's start, for one ioctl."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def terminal_columns(fallback: int = 80) -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = fallback
        columns = columns or fallback
    return columns


# The commands of docket.cli.<module> (its add_commands registers them), with the
# line `docket --help` shows for each, in that order. A module is imported only
# when one of its commands runs: a script's `docket search` loop pays for no
# other, and `docket --help` (which shows only these lines) for none.
# tests/cli/test_import_weight.py checks each line against what the module registers.
COMMAND_MODULES: dict[str, dict[str, str]] = {
    "marking": {
        "mark": "highlight words on a page of a document",
        "marks": "list the marks of a case",
        "tag": "add tags to a document",
        "untag": "remove tags from a document",
    },
    "exporting": {
        "export": "write marks out: a report, annotated PDFs, CSV or W3C JSON-LD",
        "import-marks": "import marks from W3C Web Annotation JSON; "
        "exits 1 if some could not be placed",
    },
    "text": {"text": "print a document's stored text (what search and marks use), page by page"},
    "recovering": {
        "recover": "build a new case from what a damaged case.sqlite still holds "
        "(the damaged one is left as it is)"
    },
    "language": {"language": "show a document's language, or set it (its words are stemmed by it)"},
    "reencoding": {
        "reencode": "re-read a text document in another encoding, keeping its marks where found"
    },
    "ocr": {
        "ocr": "read scanned pages (no text layer) with OCR, or read documents again (--force)"
    },
    "history": {"history": "list every change to marks, tags and notes; bring back a deleted mark"},
    "citing": {
        "cite": "a mark's quote with its pin cite (Smith Dep. at 12)",
        "title": "show a document's title and short title, or set the short title",
    },
    "facts": {
        "facts": "the chronology: marks with a date, in date order",
        "fact": "date a mark (it becomes a fact), or change its status",
    },
    "coverage": {
        "coverage": "how many pages of each document have been reviewed",
        "review": "mark pages of a document as reviewed by hand",
    },
    "transcripts": {
        "transcript": "show whether a document is a transcript (page:line cites), or set it by hand"
    },
    "producing": {
        "produce": "write a production set: Bates-numbered, stamped copies of documents "
        "and load files"
    },
    "redacting": {
        "redact": "redact words or a box of a page (burned in when produced)",
        "reasons": "list, add or remove the case's redaction reasons",
    },
}


def _handler(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """`docket.cli.<module>.<function>`, imported when the command runs."""

    def run(args: argparse.Namespace) -> int:
        command: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f"docket.cli.{module}"), function
        )
        return command(args)

    return run


# main's own commands' arguments (their help and handler are in OWN_COMMANDS).


def _case_only(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("case")


def _reindex_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("case")
    sub.add_argument(
        "--merge",
        action="store_true",
        help="merge the index's small segments now, without rebuilding (an import "
        "starts this in the background)",
    )
    sub.add_argument("--quiet", action="store_true", help="print nothing")
    # The merge an import starts in the background: at nice 10, errors logged only.
    sub.add_argument("--background", action="store_true", help=argparse.SUPPRESS)


def _import_arguments(sub: argparse.ArgumentParser) -> None:
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


def _list_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("case")
    sub.add_argument("--json", action="store_true")


def _search_arguments(sub: argparse.ArgumentParser) -> None:
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


def _verify_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("case")
    sub.add_argument("--json", action="store_true", help="the report as one JSON object")


def _archive_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("case")
    sub.add_argument("out", metavar="OUT.zip")
    sub.add_argument("--force", action="store_true", help="replace OUT.zip if it exists")


def _restore_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("archive", metavar="ZIP")
    sub.add_argument("dest", metavar="DEST")


def _self_test_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--json", action="store_true")


# The .desktop file runs `docket open %F`: a case (its folder or its case.sqlite),
# documents to import, or nothing when started from the menu.
def _open_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a case folder or its case.sqlite, and documents to import",
    )


class OwnCommand(NamedTuple):
    help: str
    module: str  # docket.cli.<module>.<function> runs it, imported when it does
    function: str
    arguments: Callable[[argparse.ArgumentParser], None]


# main's own commands, in the order `docket --help` lists them (then those of
# COMMAND_MODULES, and `open` last).
OWN_COMMANDS: dict[str, OwnCommand] = {
    "new": OwnCommand("create a new, empty case folder", "casecommands", "run_new", _case_only),
    "import": OwnCommand(
        "import files and folders (recursively) into a case",
        "importing",
        "run_import",
        _import_arguments,
    ),
    "list": OwnCommand("list the documents of a case", "casecommands", "run_list", _list_arguments),
    "search": OwnCommand(
        'search a case (AND OR NOT, "phrases"~N, wild*, fuzzy~, field:)',
        "searching",
        "run_search",
        _search_arguments,
    ),
    "verify": OwnCommand(
        "check originals against their hashes, marks against their text, and the index",
        "casecommands",
        "run_verify",
        _verify_arguments,
    ),
    "reindex": OwnCommand(
        "rebuild the search index from the stored page texts (--merge: merge its segments)",
        "casecommands",
        "run_reindex",
        _reindex_arguments,
    ),
    "archive": OwnCommand(
        "write the whole case (without its index) into one zip",
        "archiving",
        "run_archive",
        _archive_arguments,
    ),
    "restore": OwnCommand(
        "restore a case archive into a new or empty folder",
        "archiving",
        "run_restore",
        _restore_arguments,
    ),
    "self-test": OwnCommand(
        "check that this installation can open, search and render a case",
        "selftest",
        "run_self_test",
        _self_test_arguments,
    ),
    "open": OwnCommand(
        "open a case in the window; other files given are imported into it",
        "starting",
        "run_open",
        _open_arguments,
    ),
}


def command_lines() -> dict[str, str]:
    """Every command and its line of help, in the order `docket --help` lists them."""
    lines = {name: own.help for name, own in OWN_COMMANDS.items() if name != "open"}
    for names in COMMAND_MODULES.values():
        lines.update(names)
    lines["open"] = OWN_COMMANDS["open"].help
    return lines


def _parser(
    open_window: OpenWindow | None = None, wanted: str | None = None
) -> argparse.ArgumentParser:
    """The parser for running command `wanted`: only its arguments are defined (and
    only its module imported). For no command (`--help`, the window) or a first word
    that is none (a bare path, a typo), every command is listed by its line of help,
    and `open` is defined, since a bare path opens."""
    parser = argparse.ArgumentParser(
        prog="docket",
        formatter_class=HelpFormatter,
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
        sub = commands.add_parser(
            name, help=help_text, description=help_text, formatter_class=HelpFormatter
        )
        sub.set_defaults(handler=handler)
        return sub

    lines = command_lines()
    defined = wanted if wanted in lines else "open"
    for name, help_text in lines.items():
        if name == defined and name in OWN_COMMANDS:
            own = OWN_COMMANDS[name]
            own.arguments(command(name, own.help, _handler(own.module, own.function)))
        elif name == defined:
            module = next(module for module, names in COMMAND_MODULES.items() if name in names)
            importlib.import_module(f"docket.cli.{module}").add_commands(command)
        elif defined == "open":
            # Listed for --help and for argparse's "invalid choice". A command that
            # runs is defined alone: argparse spends a fraction of a millisecond on
            # each parser, its help and its gettext look-ups, a script's loop on all.
            commands.add_parser(name, help=help_text, formatter_class=HelpFormatter)
    return parser


def main(argv: Sequence[str] | None = None, open_window: OpenWindow | None = None) -> int:
    """Run one command (`argv`, else the process's arguments); the exit code.

    `open_window` shows the window; without it the command line has none.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(open_window, _command_named(words))
    args = parser.parse_args(_bare_path_opens(words))
    if args.command is None:
        from docket.cli.starting import run_default

        return _guarded(run_default, args)
    return _guarded(args.handler, args)


def _command_named(words: Sequence[str]) -> str | None:
    """The command (or bare path) `words` start with; None for `--help` and no words."""
    if words and not words[0].startswith("-"):
        return words[0]
    return None


def _bare_path_opens(argv: Sequence[str]) -> list[str]:
    """`docket CASE [FILE…]` is `docket open CASE [FILE…]`, as `scripts/docket CASE` invites.

    Only a first word that is no command and names a path (one that exists, or
    written as a path): a mistyped command still gets argparse's "invalid choice".
    """
    words = list(argv)
    if not words or words[0].startswith("-"):
        return words
    first = words[0]
    if first in command_lines():
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
