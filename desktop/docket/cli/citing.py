"""`docket cite` and `docket title`: a mark's quote with its pin cite, and short titles.

    docket cite CASE MARK [--style short|full] [--json]
    docket title CASE DOC [--short "Smith Dep."] [--json]

The cite forms are core/cite/forms.py's; a command cites one mark on its own,
so the default style is the full one (a brief's first use).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.model.audit import AuditAction


def run_cite(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), readonly=True) as case:
        mark = case.marking.find(args.mark)
        if mark is None:
            raise BadArgument(_missing(case, args.mark))
        citation = case.citing.cite(mark, style=args.style)
    if args.json:
        print_json(citation.as_json())
    else:
        print(citation.text)
    return EXIT_OK


def _missing(case: Case, mark_id: int) -> str:
    """Why there is no such mark: never made, or deleted (and how to bring it back)."""
    removed = [
        entry
        for entry in case.marking.audit_entries(mark=mark_id)
        if entry.action == AuditAction.MARK_REMOVED
    ]
    if removed:
        return (
            f"mark {mark_id} was deleted; `docket history --restore {removed[-1].id}` "
            "brings it back"
        )
    return f"no mark {mark_id} in this case; `docket marks` lists them"


def run_title(args: argparse.Namespace) -> int:
    setting = args.short is not None
    with Case.open(Path(args.case), readonly=not setting) as case:
        doc = resolve_doc(case, args.doc)
        if setting:
            try:
                case.citing.set_short_title(doc, args.short)
            except DocketError as problem:
                raise BadArgument(str(problem)) from None
        title, short = case.document(doc).title, case.citing.short_title(doc)
    if args.json:
        print_json({"doc": doc, "title": title, "short_title": short})
    else:
        print(f"document {doc}: {title}" + (f" — short title: {short}" if short else ""))
    return EXIT_OK


def add_commands(command: Command) -> None:
    sub = command(
        "cite", "a mark's quote with its pin cite (Smith Dep. at 12)", usage_errors(run_cite)
    )
    sub.add_argument("case")
    sub.add_argument("mark", type=_mark_id, metavar="MARK", help="mark id (see `docket marks`)")
    sub.add_argument(
        "--style",
        choices=("short", "full"),
        default="full",
        help="full: the title (and short title) as at first use (default); short: later uses",
    )
    sub.add_argument(
        "--json",
        action="store_true",
        help='{"mark", "quote", "cite", "doc", "page", "label"}, and "lines" on transcripts',
    )
    sub = command(
        "title",
        "show a document's title and short title, or set the short title",
        usage_errors(run_title),
    )
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    sub.add_argument(
        "--short", metavar="TEXT", help="the short title later cites use ('' clears it)"
    )
    sub.add_argument("--json", action="store_true", help='{"doc", "title", "short_title"}')


def _mark_id(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a mark id")
    return int(text)
