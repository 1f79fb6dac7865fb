"""`docket archive CASE OUT.zip` and `docket restore ZIP DEST`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from docket.cli.output import EXIT_FAILURES, EXIT_OK
from docket.core.archive.restore import restore_case
from docket.core.archive.write import archive_case
from docket.core.counts import count
from docket.core.progress import Progress, ProgressCallback


def run_archive(args: argparse.Namespace) -> int:
    started = time.monotonic()
    report = archive_case(
        Path(args.case), Path(args.out), _progress("archiving"), overwrite=args.force
    )
    _end_progress()
    for problem in report.problems:
        print(f"problem: {problem}")
    print(
        f"archived {count(report.documents, 'document')} ({count(report.files, 'file')}, "
        f"{_size(report.content_bytes)}) to {report.path}: {_size(report.size)} "
        f"in {time.monotonic() - started:.1f} s"
    )
    return EXIT_OK if not report.problems else EXIT_FAILURES


def run_restore(args: argparse.Namespace) -> int:
    started = time.monotonic()
    report = restore_case(Path(args.archive), Path(args.dest), _progress("restoring"))
    _end_progress()
    for problem in report.problems:
        print(f"problem: {problem}")
    print(
        f"restored {count(report.documents, 'document')} ({count(report.files, 'file')}, "
        f"{count(report.pages, 'page')}, index rebuilt) to {report.path} "
        f"in {time.monotonic() - started:.1f} s"
    )
    return EXIT_OK if not report.problems else EXIT_FAILURES


def _progress(verb: str) -> ProgressCallback:
    def show(progress: Progress) -> None:
        if sys.stderr.isatty():  # a pipe or a log gets only the final line
            indexed = f", {progress.pages_done} pages indexed" if progress.pages_done else ""
            sys.stderr.write(
                f"\r{verb}: {progress.files_done}/{progress.files_total} files{indexed}\x1b[K"
            )

    return show


def _end_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\n")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1 << 20:
        return f"{size / 1024:.1f} KB"
    if size < 1 << 30:
        return f"{size / (1 << 20):.1f} MB"
    return f"{size / (1 << 30):,.1f} GB"
