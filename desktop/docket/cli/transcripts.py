"""`docket transcript`: whether a document is a transcript, and setting it by hand.

    docket transcript CASE DOC [--on | --off] [--json]

--on builds each page's line map again from its stored text (every run of
numbered lines, however short) and keeps the choice over later recognition;
--off clears the maps, so cites, search results and marks say pages again.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.counts import count
from docket.core.errors import DocketError


def run_transcript(args: argparse.Namespace) -> int:
    setting = args.on or args.off
    with Case.open(Path(args.case), readonly=not setting) as case:
        doc = resolve_doc(case, args.doc)
        if setting:
            try:
                case.transcripts.set(doc, bool(args.on))
            except DocketError as problem:
                raise BadArgument(str(problem)) from None
        document = case.document(doc)
        transcript, by_hand = case.transcripts.state(doc)
        mapped = case.transcripts.line_maps(doc, range(1, document.page_count + 1))
    if args.json:
        print_json(
            {
                "doc": doc,
                "transcript": transcript,
                "set_by_hand": by_hand,
                "pages_with_lines": sorted(mapped),
            }
        )
        return EXIT_OK
    how = " (set by hand)" if by_hand else ""
    if transcript:
        lines = count(len(mapped), "page")
        print(f"document {doc}: {document.title} — a transcript{how}, line numbers on {lines}")
    else:
        print(f"document {doc}: {document.title} — not a transcript{how}")
    return EXIT_OK


def add_commands(command: Command) -> None:
    sub = command(
        "transcript",
        "show whether a document is a transcript (page:line cites), or set it by hand",
        usage_errors(run_transcript),
    )
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    switch = sub.add_mutually_exclusive_group()
    switch.add_argument(
        "--on", action="store_true", help="a transcript: line maps built from its pages"
    )
    switch.add_argument("--off", action="store_true", help="not a transcript: line maps cleared")
    sub.add_argument(
        "--json",
        action="store_true",
        help='{"doc", "transcript", "set_by_hand", "pages_with_lines"}',
    )
