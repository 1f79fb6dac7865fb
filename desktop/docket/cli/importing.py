"""`docket import`: a progress bar on stderr, one line per file on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docket.cli.marking import BadArgument
from docket.cli.ocr import ocr_after_import, parse_languages
from docket.cli.output import EXIT_CANCELLED, EXIT_FAILURES, EXIT_OK, EXIT_USAGE, error, print_json
from docket.core.case import Case
from docket.core.counts import count
from docket.core.ingest.passwords import Passwords, PasswordsFileError
from docket.core.model.records import ImportOutcome, ImportStatus
from docket.core.progress import CancelToken, Progress


def run_import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    try:
        parse_languages(args.lang)  # before anything is imported: a typo changes nothing
    except BadArgument as problem:
        error(str(problem))
        return EXIT_USAGE

    try:  # before anything is imported: a bad passwords file changes nothing
        passwords = Passwords.of(args.password)
        if args.passwords:
            passwords = Passwords.read_file(Path(args.passwords), passwords.common)
    except PasswordsFileError as problem:
        error(str(problem))
        return EXIT_USAGE

    cancel = CancelToken()
    bar = tqdm(
        total=0,
        unit="file",
        file=sys.stderr,
        dynamic_ncols=True,
        disable=args.quiet or (not sys.stderr.isatty() and not args.progress),
        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} files{postfix}",
    )

    def on_progress(progress: Progress) -> None:
        bar.total = progress.files_total
        elapsed = bar.format_dict["elapsed"] or 1e-9
        bar.set_postfix_str(
            f"{progress.pages_done} pages, {progress.pages_done / elapsed:.0f} pages/s",
            refresh=False,
        )
        bar.update(progress.files_done - bar.n)

    def on_outcome(outcome: ImportOutcome) -> None:
        if args.json:
            print_json(outcome.as_json())
        else:
            bar.write(_describe(outcome), file=sys.stdout)

    with Case.open(Path(args.case)) as case:
        try:
            report = case.import_paths(
                args.paths,
                password=passwords,
                progress=on_progress,
                on_outcome=on_outcome,
                cancel=cancel,
                workers=args.workers,
                import_annotations=args.annotations,
            )
        except KeyboardInterrupt:
            cancel.cancel()
            bar.close()
            sys.stderr.write("docket: import cancelled; documents already imported are kept\n")
            return EXIT_CANCELLED
        bar.close()
        if not args.quiet:
            sys.stderr.write(
                f"{report.count(ImportStatus.IMPORTED)} imported, "
                f"{report.count(ImportStatus.DUPLICATE)} duplicates, "
                f"{report.count(ImportStatus.FAILED)} failed — {count(report.pages, 'page')} "
                f"in {report.seconds:.1f} s\n"
            )
            if case.merge_started and not args.json:
                sys.stderr.write(
                    "merging the index's segments in the background; searches work "
                    f"meanwhile (docket reindex {args.case} --merge does it now)\n"
                )
        imported = [
            o.doc
            for o in report.outcomes
            if o.status is ImportStatus.IMPORTED and o.doc is not None
        ]
        # Then the second phase, on the same progress line: OCR of what was imported
        # (pages without a text layer), unless --no-ocr; none after a cancelled import.
        ocr_code = EXIT_OK if report.cancelled else ocr_after_import(case, imported, args)
    if ocr_code == EXIT_CANCELLED:
        return EXIT_CANCELLED
    return EXIT_FAILURES if report.failed or ocr_code == EXIT_FAILURES else EXIT_OK


def _describe(outcome: ImportOutcome) -> str:
    if outcome.status is ImportStatus.FAILED:
        return f"failed: {outcome.path}: {outcome.reason}"
    line = f"{outcome.status}: {outcome.path}"
    if outcome.doc is not None:
        line += f" (doc {outcome.doc}"
        line += (
            f", {count(outcome.pages, 'page')})" if outcome.status is ImportStatus.IMPORTED else ")"
        )
    if outcome.reason and outcome.status is ImportStatus.IMPORTED:
        line += f" — {outcome.reason}"
    return line
