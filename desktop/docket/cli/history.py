"""`docket history`: the case's audit log, and bringing a deleted mark back from it.

    docket history CASE [--mark M] [--doc D] [--json]
    docket history CASE --restore ENTRY

Every change to a mark, a tag or a note is in the log (core/marks/auditlog.py);
`--restore` takes the mark an entry's "before" holds (the entry that removed it)
and puts it back with its note and tags.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.marks.auditlog import describe
from docket.core.model.audit import AuditEntry


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return number


@usage_errors
def run_history(args: argparse.Namespace) -> int:
    if args.restore is not None:
        if args.mark is not None or args.doc is not None:
            raise BadArgument("--restore takes no --mark or --doc: the entry names its mark")
        return _restore(args)
    with Case.open(Path(args.case), readonly=True) as case:
        doc = resolve_doc(case, args.doc) if args.doc is not None else None
        entries = case.marking.audit_entries(mark=args.mark, doc=doc)
        titles = {d.id: d.title for d in case.documents()}
    if args.json:
        print_json([{**entry.as_json(), "summary": describe(entry)} for entry in entries])
        return EXIT_OK
    if not entries:
        print("no changes recorded" + (" for that" if args.mark or doc else " yet"))
    for entry in entries:
        print(_line(entry, titles))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case)) as case:
        try:
            entry = case.marking.audit_entry(args.restore)
        except DocketError as problem:
            raise BadArgument(f"{problem}; `docket history` lists them") from None
        mark = case.marking.restore_from_log(entry.id)
        title = case.document(mark.doc).title
    if args.json:
        print_json({**mark.as_json(), "entry": entry.id, "old_id": entry.mark})
        return EXIT_OK
    where = f"{title}, p. {mark.page}" if mark.page is not None else title
    if mark.id == entry.mark:
        print(f"restored mark {mark.id} ({where}) from entry {entry.id}")
    else:
        print(
            f"restored as mark {mark.id} ({where}) from entry {entry.id}: "
            f"its old id {entry.mark} is taken"
        )
    return EXIT_OK


def _line(entry: AuditEntry, titles: dict[int, str]) -> str:
    when = entry.at.strftime("%Y-%m-%d %H:%M:%S UTC")
    subject = f"mark {entry.mark}" if entry.mark is not None else "document"
    if entry.doc is not None:
        subject += f" · {titles.get(entry.doc, f'document {entry.doc}')}"
    who = entry.author or "(no name)"
    return f"{entry.id:>5}  {when}  {who}  {entry.action}  {subject}: {describe(entry)}"


def add_commands(command: Command) -> None:
    sub = command(
        "history",
        "list every change to marks, tags and notes; bring back a deleted mark",
        run_history,
    )
    sub.add_argument("case")
    sub.add_argument("--mark", type=_positive, metavar="M", help="only this mark's changes")
    sub.add_argument("--doc", metavar="D", help="only this document's (id or title)")
    sub.add_argument(
        "--restore",
        type=_positive,
        metavar="ENTRY",
        help="bring back the mark entry ENTRY removed, with its note and tags",
    )
    sub.add_argument("--json", action="store_true", help="a JSON array of entries")
