"""`docket export` and `docket import-marks`: marks out as reports, copies and data, and back.

Exports open the case read-only, so they run while the window has it open;
without --out they go to the preferred export folder (else the case's
exports/) under a new name, which is printed. `import-marks` exits 1 when
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
from docket.cli.output import EXIT_FAILURES, EXIT_OK, print_json
from docket.core.case import Case
from docket.core.export.formats import ExportFormat, default_output, export_marks
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
        out = (
            Path(args.out) if args.out else default_output(case, fmt, options, prefs.export_folder)
        )
        if (
            fmt is ExportFormat.ANNOTATED_PDF
            and len(options.docs) != 1
            and out.suffix.lower() == ".pdf"
        ):
            raise BadArgument(
                "annotated copies of several documents go into a folder: "
                "give --out FOLDER, or one --doc"
            )
        result = export_marks(case, fmt, out, options, colour_names=names)
    if fmt is ExportFormat.ANNOTATED_PDF and result.path.is_dir():
        print(f"wrote {result.marks} annotated PDFs to {result.path}")
    elif fmt is ExportFormat.ANNOTATED_PDF:
        print(f"wrote the annotated copy to {result.path}")
    else:
        print(f"wrote {result.marks} mark{'' if result.marks == 1 else 's'} to {result.path}")
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
            f"imported {len(report.imported)} marks{moved}, "
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
        "csv: a spreadsheet; w3c: Web Annotation JSON-LD",
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
        help="the file (or folder, for several annotated PDFs) to write; "
        "default: a new name in the export folder",
    )

    sub = command(
        "import-marks",
        "import marks from W3C Web Annotation JSON; exits 1 if some could not be placed",
        run_import_marks,
    )
    sub.add_argument("case")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--json", action="store_true")
