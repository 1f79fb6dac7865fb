"""`docket recover CASE [--out NEWCASE] [--json]`: save what a damaged case still holds.

The damaged case is left exactly as it was; a new case is built beside it (see
core/storage/recover.py), opened once so that its index is built, and checked.
With --reimport, originals whose document row was lost are imported again, and the
marks that named the lost document go back onto the one whose pages read as its
surviving pages did (core/storage/orphans.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docket.cli.output import EXIT_FAILURES, EXIT_OK, print_json
from docket.core.case import Case
from docket.core.ingest.refill import Refilled, refill_missing_pages
from docket.core.storage.folder import DATABASE_NAME
from docket.core.storage.orphans import reattach
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
    sub.add_argument(
        "--reimport",
        action="store_true",
        help="import again the originals whose document was lost, and put back their marks",
    )
    sub.add_argument("--json", action="store_true", help="the report as one JSON object")


def run_recover(args: argparse.Namespace) -> int:
    report = recover_case(Path(args.case), Path(args.out) if args.out else None)
    refilled = Refilled({}, ())
    if report.incomplete:  # before the first open indexes them
        refilled = refill_missing_pages(report.path / DATABASE_NAME, report.path)
    reimported = Reimported()
    with Case.open(report.path) as case:  # a writable open indexes every document saved
        if args.reimport and report.unclaimed:
            reimported = _reimport(case, report)
        problems = case.verify().problems
    whole = _whole(report, refilled) and not problems
    if args.json:
        print_json(
            _as_json(report, problems)
            | {
                "complete": whole,
                "pages_read_again": {str(doc): count for doc, count in refilled.pages.items()},
                "pages_lost": list(refilled.left),
            }
            | reimported.as_json()
        )
    else:
        _print(report, problems, refilled, reimported, args.reimport)
        print(f"{_verdict(whole)}; the index was rebuilt")
    return EXIT_OK if whole else EXIT_FAILURES


def _whole(report: RecoveryReport, refilled: Refilled) -> bool:
    """Nothing lost, or only pages their originals gave back. (Documents imported again
    are not whole: their titles and the names they were imported under are lost.)"""
    if report.complete:
        return True
    if report.unreadable or report.unclaimed or refilled.left:
        return False
    return not any(t.damaged_spots or t.saved < t.read for t in report.tables if t.table != "pages")


def _verdict(whole: bool) -> str:
    return "everything was saved" if whole else "some of the case was lost"


@dataclass
class Reimported:
    documents: int = 0  # originals imported again
    failed: list[str] = field(default_factory=list)  # "path: reason"
    marks: int = 0  # marks put back onto them
    marks_lost: int = 0  # marks whose document was not found again

    def as_json(self) -> dict[str, object]:
        return {
            "reimported": {
                "documents": self.documents,
                "failed": self.failed,
                "marks_put_back": self.marks,
                "marks_lost": self.marks_lost,
            }
        }


def _reimport(case: Case, report: RecoveryReport) -> Reimported:
    """Import the unclaimed originals again; each orphan's marks onto its document."""
    imported = case.import_paths([report.path / relative for relative in report.unclaimed])
    result = Reimported()
    waiting = list(report.orphans)
    for outcome in imported.outcomes:
        if outcome.doc is None:
            result.failed.append(f"{outcome.path}: {outcome.reason or outcome.status}")
            continue
        result.documents += 1
        pages = {page.number: page.text for page in case.pages(outcome.doc)}
        orphan = next((o for o in waiting if o.reads_as(pages)), None)
        if orphan is not None:
            waiting.remove(orphan)
            with case.database.write() as connection:
                result.marks += reattach(connection, orphan, outcome.doc)
    result.marks_lost = sum(len(o.marks) for o in report.orphans) - result.marks
    case.marking.sync_index()
    return result


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


def _print(
    report: RecoveryReport,
    problems: tuple[str, ...],
    refilled: Refilled,
    reimported: Reimported,
    asked: bool,
) -> None:
    print(f"recovered {report.source} into {report.path} (the damaged case is untouched)")
    if report.unreadable:
        print(f"  nothing could be read from case.sqlite: {report.unreadable}")
    documents = report.tally("documents").saved
    print(f"  documents: {documents} saved of {report.originals} originals")
    named = dict(_COUNTED)
    others = [(t.table, t.table.replace("_", " ")) for t in report.tables if t.table not in named]
    for table, words in [*_COUNTED[1:], *others]:  # tables later schemas added: by name
        tally = report.tally(table)
        if not (tally.read or tally.damaged_spots):
            continue
        line = f"  {words}: {tally.saved} saved of {tally.read} read"
        if tally.damaged_spots:
            line += f"; rows in {tally.damaged_spots} damaged place(s) were lost"
        print(line)
    for doc, count in refilled.pages.items():
        print(f"  read again from its original: {count} pages of document {doc}")
    for note in refilled.left:
        print(f"  lost: {note}")
    if asked:
        print(
            f"  imported again: {reimported.documents} of {len(report.unclaimed)} originals "
            f"whose document was lost; {reimported.marks} of their marks put back "
            "(their titles are lost)"
        )
        for failure in reimported.failed:
            print(f"  lost: {failure}")
        if reimported.marks_lost:
            print(f"  lost: {reimported.marks_lost} marks whose document was not found again")
    else:
        for original in report.unclaimed:
            print(f"  lost: the document of {original}")
        if report.unclaimed:
            print("  (--reimport imports them again and puts back the marks found for them)")
    for problem in problems:
        print(f"  problem: {problem}")
