"""`docket reencode CASE DOC ENCODING [--json]`: re-read a text document in another encoding.

The stored original is decoded again (never modified), the pages replaced and
re-indexed, and each mark kept where its quote is found again; the others are
orphaned (kept as page notes) and named. An encoding that does not fit the
file's bytes changes nothing: the reason is printed and the exit status is 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_FAILURES, EXIT_OK, error, print_json
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.ingest.reencode import Reencoded


def run_reencode(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case)) as case:
        doc = resolve_doc(case, args.doc)
        try:
            result, _ = case.reencode(doc, args.encoding)
        except DocketError as problem:  # the encoding does not fit, or not a text file
            error(f"doc {doc} not re-read as {args.encoding}: {problem}; the case is unchanged")
            return EXIT_FAILURES
    if args.json:
        print_json(result.as_json())
    else:
        print(describe(result))
    return EXIT_OK


def describe(result: Reencoded) -> str:
    """One line, then a line per orphaned mark."""
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    line = f"doc {result.doc} re-read as {result.encoding} ({pages})"
    if result.unchanged:
        line += ", text unchanged"
    marks = len(result.kept) + len(result.orphaned)
    if marks:
        line += f"; {len(result.kept)} of {marks} highlights kept"
    if result.orphaned:
        line += f", {len(result.orphaned)} orphaned (now page notes):"
        line += "".join(
            f"\n  mark {orphan.mark} (page {orphan.page}): \u201c{_short(orphan.quote)}\u201d"
            for orphan in result.orphaned
        )
    return line


def _short(quote: str, limit: int = 60) -> str:
    return quote if len(quote) <= limit else quote[: limit - 1] + "\u2026"


def add_commands(command: Command) -> None:
    sub = command(
        "reencode",
        "re-read a text document in another encoding, keeping its marks where found",
        usage_errors(run_reencode),
    )
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    sub.add_argument("encoding", metavar="ENCODING", help="e.g. utf-8, cp1251, koi8-r, shift_jis")
    sub.add_argument("--json", action="store_true", help='{"doc", "encoding", "kept", "orphaned"}')
