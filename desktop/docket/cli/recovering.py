"""`docket recover CASE [--out NEWCASE] [--json]`: save what a damaged case still holds.

The damaged case is left exactly as it was; a new case is built beside it (see
core/storage/recover.py), opened once so that its index is built, and checked.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from docket.cli.output import EXIT_FAILURES, EXIT_OK, print_json
from docket.core.case import Case
from docket.core.storage.recover import RecoveryReport, recover_case

# What the report counts, in the order it is printed.
_COUNTED = (
    ("documents", "documents"),
    ("pages", "pages"),
    ("marks", "marks"),
    ("tags", "tags"),
    ("mark_tags", "tags on marks"),
    ("document_tags", "tags on documents"),
    ("outline", "outline entries"),
    ("form_fields", "form fields"),
    ("ocr_pages", "OCR pages"),
    ("audit_log", "history entries"),
)


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    sub = command(
        "recover",
        "build a new case from what a damaged case.sqlite still holds (the damaged one is "
        "left as it is)",
        run_recover,
    )
    sub.add_argument("case")
    sub.add_argument(
        "--out", metavar="NEWCASE", help='the new case folder (default: "CASE (recovered)")'
    )
    sub.add_argument("--json", action="store_true", help="the report as one JSON object")


def run_recover(args: argparse.Namespace) -> int:
    report = recover_case(Path(args.case), Path(args.out) if args.out else None)
    with Case.open(report.path) as case:  # a writable open indexes every document saved
        problems = case.verify().problems
    if args.json:
        print_json(_as_json(report, problems))
    else:
        _print(report, problems)
    return EXIT_OK if report.complete and not problems else EXIT_FAILURES


def _as_json(report: RecoveryReport, problems: tuple[str, ...]) -> dict[str, object]:
    return {
        "source": str(report.source),
        "case": str(report.path),
        "complete": report.complete,
        "originals": report.originals,
        "tables": {
            tally.table: {
                "read": tally.read,
                "saved": tally.saved,
                "damaged_spots": tally.damaged_spots,
            }
            for tally in report.tables
        },
        "incomplete_documents": list(report.incomplete),
        "originals_without_document": list(report.unclaimed),
        "unreadable": report.unreadable,
        "problems": list(problems),
    }


def _print(report: RecoveryReport, problems: tuple[str, ...]) -> None:
    print(f"recovered {report.source} into {report.path} (the damaged case is untouched)")
    if report.unreadable:
        print(f"  nothing could be read from case.sqlite: {report.unreadable}")
    documents = report.tally("documents").saved
    print(f"  documents: {documents} saved of {report.originals} originals")
    for table, words in _COUNTED[1:]:
        tally = report.tally(table)
        if not (tally.read or tally.damaged_spots):
            continue
        line = f"  {words}: {tally.saved} saved of {tally.read} read"
        if tally.damaged_spots:
            line += f"; rows in {tally.damaged_spots} damaged place(s) were lost"
        print(line)
    for note in report.incomplete:
        print(f"  lost: {note}")
    for original in report.unclaimed:
        print(f"  lost: the document of {original} (import it again: its marks are lost)")
    for problem in problems:
        print(f"  problem: {problem}")
    verdict = "everything was saved" if report.complete else "some of the case was lost"
    print(f"{verdict}; the index was rebuilt")
