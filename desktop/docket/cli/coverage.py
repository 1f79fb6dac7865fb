"""`docket coverage` and `docket review`: which pages have been read, per document.

    docket coverage CASE [--reviewer NAME] [--json]
    docket review CASE DOC --pages 1-5 [--reviewer NAME] [--json]

The window records a page once it was in view for a couple of seconds; `review`
marks pages read by hand (how='marked'). The reviewer defaults to the author
name in Preferences, else the OS user.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.counts import count
from docket.core.errors import DocketError
from docket.core.review.coverage import MARKED, DocumentCoverage, default_reviewer, parse_pages


def run_coverage(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), readonly=True) as case:
        try:
            coverage = case.review.coverage(args.reviewer)
        except DocketError as problem:
            raise BadArgument(str(problem)) from None
    if args.json:
        print_json([entry.as_json() for entry in coverage])
        return EXIT_OK
    if not coverage:
        print("no documents in this case")
    for entry in coverage:
        print(_line(entry, args.reviewer is None))
    read = sum(entry.reviewed_pages for entry in coverage)
    pages = sum(entry.pages for entry in coverage)
    done = sum(1 for entry in coverage if entry.complete)
    print(
        f"{read} of {count(pages, 'page')} reviewed; "
        f"{done} of {count(len(coverage), 'document')} in full"
    )
    return EXIT_OK


def _line(entry: DocumentCoverage, with_reviewers: bool) -> str:
    who = ""
    if with_reviewers and entry.by_reviewer:
        who = "  (" + ", ".join(f"{n} {c}" for n, c in sorted(entry.by_reviewer.items())) + ")"
    share = f"{entry.reviewed_pages}/{entry.pages}"
    return f"{entry.doc:>4}  {share:>9}  {entry.percent:>3}%  {entry.title}{who}"


def run_review(args: argparse.Namespace) -> int:
    reviewer = args.reviewer if args.reviewer is not None else default_reviewer()
    with Case.open(Path(args.case)) as case:
        doc = resolve_doc(case, args.doc)
        try:
            pages = parse_pages(args.pages, case.document(doc).page_count)
            added = case.review.record(doc, pages, reviewer, how=MARKED)
        except DocketError as problem:
            raise BadArgument(str(problem)) from None
        reviewed = case.review.reviewed_pages(doc, reviewer.strip())
        total = case.document(doc).page_count
    if args.json:
        print_json(
            {
                "doc": doc,
                "reviewer": reviewer.strip(),
                "pages": pages,
                "added": added,
                "reviewed_pages": len(reviewed),
                "page_count": total,
            }
        )
    else:
        print(
            f"document {doc}: {count(added, 'page')} newly marked reviewed by {reviewer.strip()}; "
            f"{len(reviewed)} of {total} reviewed by them"
        )
    return EXIT_OK


def add_commands(command: Command) -> None:
    sub = command(
        "coverage", "how many pages of each document have been reviewed", usage_errors(run_coverage)
    )
    sub.add_argument("case")
    sub.add_argument("--reviewer", metavar="NAME", help="count only this reviewer's pages")
    sub.add_argument(
        "--json", action="store_true", help='[{"doc", "pages", "reviewed_pages", "by_reviewer"}]'
    )
    sub = command(
        "review", "mark pages of a document as reviewed by hand", usage_errors(run_review)
    )
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    sub.add_argument("--pages", required=True, metavar="PAGES", help="1-5,7 (1-based page numbers)")
    sub.add_argument(
        "--reviewer", metavar="NAME", help="who reviewed (default: Preferences' author name)"
    )
    sub.add_argument("--json", action="store_true")
