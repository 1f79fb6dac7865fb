"""`docket facts` and `docket fact`: the case's chronology from scripts.

    docket facts CASE [--from D] [--to D] [--tag T] [--status S] [--doc D] [--json]
    docket fact CASE MARK [--date D | --undate] [--status S] [--json]

A fact is a mark with a date (core/chronology). `facts` lists them in date
order — a partial date at the start of its period, ties in document order —
each with its pin cite; --from and --to keep those whose date may fall in
the period (a fact dated 2011 is kept by --from 2011-06). `fact` dates an
existing mark or changes its status; `docket mark … --date` dates a new one.
A date that cannot be read, or does not exist, exits 2 and changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import (
    BadArgument,
    Command,
    checked_date,
    checked_status,
    resolve_doc,
    resolve_tag,
    usage_errors,
)
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.chronology.dates import parse_day_bound
from docket.core.chronology.facts import Fact, FactFilter
from docket.core.errors import DocketError
from docket.core.model.marks import FACT_STATUSES


@usage_errors
def run_facts(args: argparse.Namespace) -> int:
    try:
        first = parse_day_bound(args.date_from, end=False) if args.date_from else None
        last = parse_day_bound(args.date_to, end=True) if args.date_to else None
    except DocketError as problem:
        raise BadArgument(str(problem)) from None
    if first and last and last < first:
        raise BadArgument(f"--to {args.date_to} is before --from {args.date_from}")
    status = checked_status(args.status) if args.status is not None else None
    with Case.open(Path(args.case), readonly=True) as case:
        where = FactFilter(
            first=first,
            last=last,
            tag=resolve_tag(args.tag) if args.tag else None,
            status=status,
            doc=resolve_doc(case, args.doc) if args.doc else None,
        )
        facts = case.chronology.facts(where)
    if args.json:
        print_json([fact.as_json() for fact in facts])
        return EXIT_OK
    if not facts:
        print("no facts" + (" match" if any((first, last, args.tag, status, args.doc)) else " yet"))
    for fact in facts:
        print(fact_line(fact))
    return EXIT_OK


def fact_line(fact: Fact) -> str:
    status = f" [{fact.status}]" if fact.status else ""
    tags = "  " + " ".join(f"#{tag}" for tag in fact.mark.tags) if fact.mark.tags else ""
    source = f"“{fact.quote}” ({fact.citation.cite})"
    return f"{fact.date.label:<26} {fact.mark.id:>5}  {source}{status}{tags}"


@usage_errors
def run_fact(args: argparse.Namespace) -> int:
    if args.date is None and not args.undate and args.status is None:
        raise BadArgument("give --date, --undate or --status")
    text = "" if args.undate else (checked_date(args.date) if args.date is not None else None)
    status = checked_status(args.status) if args.status is not None else None
    with Case.open(Path(args.case)) as case:
        if case.marking.find(args.mark) is None:
            raise BadArgument(f"no mark {args.mark} in this case; `docket marks` lists them")
        try:
            _, mark = case.chronology.set_date(args.mark, text, status)
        except DocketError as problem:
            raise BadArgument(str(problem)) from None
        fact = case.chronology.fact_of(mark)
    if args.json:
        print_json(fact.as_json() if fact else {"mark": mark.id, "date": ""})
    elif fact is None:
        print(f"mark {mark.id} is no longer a fact")
    else:
        print(fact_line(fact))
    return EXIT_OK


def add_commands(command: Command) -> None:
    sub = command("facts", "the chronology: marks with a date, in date order", run_facts)
    sub.add_argument("case")
    sub.add_argument("--from", dest="date_from", metavar="D", help="facts on or after D")
    sub.add_argument("--to", dest="date_to", metavar="D", help="facts on or before D")
    sub.add_argument("--tag", help="only facts with this tag or one below it")
    sub.add_argument("--status", help=f"only facts {'|'.join(FACT_STATUSES)} ('' for none)")
    sub.add_argument("--doc", help="only facts in this document (id or title)")
    sub.add_argument("--json", action="store_true", help="a JSON array of facts")

    sub = command("fact", "date a mark (it becomes a fact), or change its status", run_fact)
    sub.add_argument("case")
    sub.add_argument("mark", type=int, metavar="MARK", help="the mark's id (see `docket marks`)")
    sub.add_argument("--date", help="2011-12-16, 16 Dec 2011, December 2011, 2011-12 to 2012-04")
    sub.add_argument("--undate", action="store_true", help="take the mark out of the chronology")
    sub.add_argument("--status", help="|".join(FACT_STATUSES))
    sub.add_argument("--json", action="store_true")
