"""`docket redact` and `docket reasons`: redaction marks and their reason codes.

    docket redact CASE DOC --quote "the words" [--page N] [--occurrence K] --reason AC
    docket redact CASE DOC --rect X,Y,W,H --page N --reason PII
    docket reasons CASE [--add CODE LABEL] [--remove CODE] [--json]

A redaction is burned in when the document is produced (`docket produce`).
Words not on the page, a box off the page, a reason the case does not list:
exit 2 with what would work instead, the case left as it was.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.arguments import positive
from docket.cli.marking import BadArgument, Command, resolve_doc, resolve_tag, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.model.marks import Anchor, MarkRect
from docket.core.text.anchoring import find_quote


@usage_errors
def run_redact(args: argparse.Namespace) -> int:
    if (args.quote is None) == (args.rect is None):
        raise BadArgument('give the words with --quote "…" or a box with --rect X,Y,W,H')
    if args.rect is not None and args.page is None:
        raise BadArgument("--rect needs --page: the page the box is on")
    with Case.open(Path(args.case)) as case:
        doc = resolve_doc(case, args.doc)
        document = case.document(doc)
        if args.page is not None and not 1 <= args.page <= document.page_count:
            raise BadArgument(f"{document.title} has no page {args.page}")
        where: Anchor | MarkRect = (
            _box(args.rect, args.page) if args.rect is not None else _words(case, doc, args)
        )
        tags = [resolve_tag(tag) for tag in args.tag or ()]
        try:
            mark = case.marking.redact(
                doc,
                where,
                args.reason,
                note=args.note or "",
                tags=tags,
                author=_author(args.author),
            )
        except DocketError as problem:
            raise BadArgument(str(problem)) from None
    if args.json:
        print_json(mark.as_json())
    else:
        what = f"“{mark.quote}”" if mark.quote else "a box"
        print(f"redacted {mark.id}: {document.title}, page {mark.page}: {what} ({mark.reason})")
    return EXIT_OK


def _author(given: str | None) -> str:
    from docket.core.preferences import load_preferences

    return load_preferences().author if given is None else given


def _words(case: Case, doc: int, args: argparse.Namespace) -> Anchor:
    """Where --quote stands: on --page, or on the one page that has it."""
    page = args.page
    if page is None:
        pages = [p.number for p in case.pages(doc) if find_quote(p.text, args.quote)]
        if not pages:
            raise BadArgument(f"the words {args.quote!r} are not in {case.document(doc).title}")
        if len(pages) > 1:
            shown = ", ".join(map(str, pages[:10])) + ("…" if len(pages) > 10 else "")
            raise BadArgument(f"the words {args.quote!r} are on pages {shown}; choose with --page")
        page = pages[0]
    try:
        return case.marking.anchor_for_quote(doc, page, args.quote, args.occurrence)
    except DocketError as problem:
        raise BadArgument(str(problem)) from None


def _box(text: str, page: int) -> MarkRect:
    try:
        x, y, width, height = (float(part) for part in text.split(","))
    except ValueError:
        raise BadArgument(
            f"--rect takes X,Y,WIDTH,HEIGHT in points from the page's top-left, not {text!r}"
        ) from None
    return MarkRect(page, x, y, width, height)


@usage_errors
def run_reasons(args: argparse.Namespace) -> int:
    readonly = not (args.add or args.remove)
    with Case.open(Path(args.case), readonly=readonly) as case:
        try:
            for code in args.remove or ():
                case.marking.remove_redaction_reason(code)
            for code, label in args.add or ():
                case.marking.add_redaction_reason(code, label)
        except DocketError as problem:
            raise BadArgument(str(problem)) from None
        reasons = case.marking.redaction_reasons()
    if args.json:
        print_json([{"code": r.code, "label": r.label} for r in reasons])
        return EXIT_OK
    width = max((len(r.code) for r in reasons), default=0)
    for reason in reasons:
        print(f"{reason.code:<{width}}  {reason.label}")
    if not reasons:
        print("no reasons: docket reasons CASE --add CODE LABEL adds one")
    return EXIT_OK


def add_commands(command: Command) -> None:
    sub = command("redact", "redact words or a box of a page (burned in when produced)", run_redact)
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    sub.add_argument("--quote", help="the exact words to redact")
    sub.add_argument("--rect", metavar="X,Y,W,H", help="a box in points from the top-left")
    sub.add_argument("--page", type=positive, help="page number (needed with --rect)")
    sub.add_argument("--occurrence", type=positive, help="which one, when the words stand twice")
    sub.add_argument("--reason", required=True, help="a reason code (see `docket reasons`)")
    sub.add_argument("--note", help="a note, the privilege log's description")
    sub.add_argument("--tag", action="append", help="a tag (repeat); Privilege/… for the log")
    sub.add_argument("--author", help="default: the author in the preferences")
    sub.add_argument("--json", action="store_true")

    sub = command("reasons", "list, add or remove the case's redaction reasons", run_reasons)
    sub.add_argument("case")
    sub.add_argument(
        "--add", nargs=2, action="append", metavar=("CODE", "LABEL"), help="add (or relabel)"
    )
    sub.add_argument("--remove", action="append", metavar="CODE", help="remove an unused reason")
    sub.add_argument("--json", action="store_true")
