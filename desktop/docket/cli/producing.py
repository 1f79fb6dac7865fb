"""`docket produce`: a production set (Bates-numbered, stamped copies and load files).

Numbers continue after the prefix's last production with --continue (the
default without --start); a --start that would repeat numbers already used, a
prefix that cannot be stamped, an encrypted original without its password, an
--out folder with files in it (without --force): one line, exit 1 or 2, and
nothing written, the case as it was.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.arguments import positive, whole_number
from docket.cli.marking import BadArgument, Command, resolve_doc, resolve_tag, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.counts import count
from docket.core.production.numbering import (
    DEFAULT_DIGITS,
    MAX_DIGITS,
    MIN_DIGITS,
    NumberingError,
    check_prefix,
)
from docket.core.production.stamp import Position


@usage_errors
def run_produce(args: argparse.Namespace) -> int:
    # Here, not at the top: producing needs pypdf, which other commands should not load.
    from docket.core.production.produce import ProductionOptions, produce

    try:
        prefix = check_prefix(args.prefix)
    except NumberingError as problem:
        raise BadArgument(str(problem)) from None
    with Case.open(Path(args.case)) as case:
        docs = tuple(dict.fromkeys(resolve_doc(case, doc) for doc in args.doc or ()))
        options = ProductionOptions(
            out=Path(args.out),
            prefix=prefix,
            start=args.start,
            digits=args.digits,
            docs=docs,
            tag=resolve_tag(args.tag) if args.tag else None,
            legend=" ".join((args.legend or "").split()),
            exhibits=args.exhibits,
            first_exhibit=args.first_exhibit,
            position=Position(args.position),
            force=args.force,
        )
        if not docs and options.tag is None:
            raise BadArgument("name the documents to produce: --doc DOC (repeat) or --tag TAG")
        result = produce(case, options)
    if args.json:
        print_json(result.as_json())
        return EXIT_OK
    first, last = (
        result.numbers.label(result.numbers.first),
        result.numbers.label(result.numbers.last),
    )
    print(
        f"produced {count(len(result.documents), 'document')}, "
        f"{count(result.pages, 'page')}, {first}–{last}, to {result.folder}"
    )
    for document in result.documents:
        span = (
            document.begin if document.begin == document.end else f"{document.begin}–{document.end}"
        )
        print(f"  {span}  {document.title or document.original_name}")
    return EXIT_OK


def add_commands(command: Command) -> None:
    sub = command(
        "produce",
        "write a production set: Bates-numbered, stamped copies of documents and load files",
        run_produce,
    )
    sub.add_argument("case")
    sub.add_argument("--out", required=True, metavar="DIR", help="the folder to write (new)")
    sub.add_argument("--prefix", required=True, help="the Bates prefix, e.g. ABC")
    numbering = sub.add_mutually_exclusive_group()
    numbering.add_argument(
        "--start", type=positive, metavar="N", help="the first number (must not repeat one used)"
    )
    numbering.add_argument(
        "--continue",
        dest="continue_",
        action="store_true",
        help="continue after the highest number the prefix used (the default)",
    )
    sub.add_argument(
        "--digits",
        type=whole_number(MIN_DIGITS, MAX_DIGITS),
        default=DEFAULT_DIGITS,
        help=f"digits in the number (default {DEFAULT_DIGITS}: ABC000001)",
    )
    sub.add_argument(
        "--doc", action="append", metavar="DOC", help="a document (id or title); repeat for more"
    )
    sub.add_argument("--tag", help="the documents tagged with this tag (or one below it)")
    sub.add_argument("--legend", help="words stamped at the foot of every page")
    sub.add_argument(
        "--exhibits", action="store_true", help="an exhibit sticker on each document's first page"
    )
    sub.add_argument(
        "--first-exhibit",
        type=positive,
        default=1,
        metavar="N",
        help="the first exhibit's number (default 1)",
    )
    sub.add_argument(
        "--position",
        choices=[str(p) for p in Position],
        default=str(Position.BOTTOM_RIGHT),
        help="where the Bates number goes (default bottom-right)",
    )
    sub.add_argument(
        "--force", action="store_true", help="replace an --out folder that has files in it"
    )
    sub.add_argument("--json", action="store_true")
