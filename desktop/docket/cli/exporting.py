"""`docket export` and `docket import-marks`: marks out as reports, copies and data, and back.

Exports open the case read-only, so they run while the window has it open;
without --out they go to the preferred export folder (else the case's
exports/) under a new name, which is printed. A file already there is
replaced only with --force; a folder --out gets a new name inside it. `import-marks` exits 1 when
some marks were orphaned, so a script notices.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import (
    BadArgument,
    Command,
    resolve_colour,
    resolve_doc,
    resolve_tag,
    usage_errors,
)
from docket.cli.output import EXIT_FAILURES, EXIT_OK, error, print_json
from docket.core.case import Case
from docket.core.counts import count
from docket.core.export.formats import ExportExists, ExportFormat, export_marks, resolve_output
from docket.core.export.reportmodel import Grouping, ReportOptions


@usage_errors
def run_export(args: argparse.Namespace) -> int:
    from docket.core.preferences import load_preferences

    prefs = load_preferences()
    names = prefs.display_colour_names()
    fmt = ExportFormat(args.format)
    with Case.open(Path(args.case), readonly=True) as case:
        options = ReportOptions(
            group=Grouping(args.group),
            docs=tuple(dict.fromkeys(resolve_doc(case, doc) for doc in args.doc or ())),
            tag=resolve_tag(args.tag) if args.tag else None,
            colour=resolve_colour(args.colour, names) if args.colour else None,
        )
        out = resolve_output(case, fmt, options, args.out, prefs.export_folder)
        if (
            fmt is ExportFormat.ANNOTATED_PDF
            and len(options.docs) != 1
            and out.suffix.lower() == ".pdf"
            and not out.is_dir()
        ):
            raise BadArgument(
                "annotated copies of several documents go into a folder: "
                "give --out FOLDER, or one --doc"
            )
        try:
            result = export_marks(case, fmt, out, options, colour_names=names, overwrite=args.force)
        except ExportExists as problem:
            error(f"{problem}; nothing was written (--force replaces it)")
            return EXIT_FAILURES
    if fmt is ExportFormat.ANNOTATED_PDF and result.path.is_dir():
        print(f"wrote {count(result.marks, 'annotated PDF')} to {result.path}")
        for path in result.files:  # names numbered around files already there show here
            print(f"  {path.name}")
    elif fmt is ExportFormat.ANNOTATED_PDF:
        print(f"wrote the annotated copy to {result.path}")
    else:
        what = "fact" if fmt.is_chronology else "mark"
        if fmt is ExportFormat.PRIVILEGE_LOG:
            what = "privilege log entry"
        print(f"wrote {count(result.marks, what)} to {result.path}")
    return EXIT_OK


def run_import_marks(args: argparse.Namespace) -> int:
    from docket.core.exchange.importing import import_web_annotations

    with Case.open(Path(args.case)) as case:
        report = import_web_annotations(case, Path(args.file))
    if args.json:
        print_json(report.as_json())
    else:
        moved = f" ({report.moved} found again where the text had moved)" if report.moved else ""
        print(
            f"imported {count(len(report.imported), 'mark')}{moved}, "
            f"{len(report.duplicates)} already in the case, {len(report.orphans)} orphaned"
        )
        for orphan in report.orphans:
            words = f" “{orphan.quote}”" if orphan.quote else ""
            print(f"orphaned: urn:uuid:{orphan.uuid}{words}: {orphan.reason}")
    return EXIT_FAILURES if report.orphans else EXIT_OK


def add_commands(command: Command) -> None:
    sub = command(
        "export", "write marks out: a report, annotated PDFs, CSV or W3C JSON-LD", run_export
    )
    sub.add_argument("case")
    sub.add_argument(
        "--format",
        required=True,
        choices=[str(f) for f in ExportFormat],
        help="pdf: annotated copies of the PDFs; md, html, report-pdf: a report; "
        "csv: a spreadsheet; w3c: Web Annotation JSON-LD; chronology-*: the facts "
        "(marks with a date) in date order; privilege-log: documents and redactions "
        "tagged Privilege/… (CSV)",
    )
    sub.add_argument(
        "--doc",
        action="append",
        metavar="DOC",
        help="only this document (id or title); repeat for more",
    )
    sub.add_argument("--tag", help="only marks with this tag or one below it")
    sub.add_argument("--colour", "--color", dest="colour", help="only this colour (key or name)")
    sub.add_argument(
        "--group",
        choices=[str(g) for g in Grouping],
        default="document",
        help="how a report is grouped (default: document)",
    )
    sub.add_argument(
        "--out",
        metavar="PATH",
        help="the file to write, or a folder (one that exists, or PATH/) to write into "
        "under a new name; default: a new name in the export folder",
    )
    sub.add_argument(
        "--force",
        action="store_true",
        help="replace a file that is already there (without it, the export refuses)",
    )

    sub = command(
        "import-marks",
        "import marks from W3C Web Annotation JSON; exits 1 if some could not be placed",
        run_import_marks,
    )
    sub.add_argument("case")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--json", action="store_true")
