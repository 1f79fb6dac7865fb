"""`docket ocr CASE [--doc D]... [--lang eng+rus] [--force]`: scanned pages read by Tesseract.

Reads the pages that have no usable text layer (those an import left
pending, or skipped with `--no-ocr`), or with `--force` every page of the
documents named again (marks whose words are still found are kept; the others
are reported as orphaned). The progress line shows pages read of pages
planned and the document being read. Ctrl+C stops at the next whole chunk:
what was read is kept, and the next `docket ocr` reads the rest. `docket
import` runs the same phase for what it imported (`ocr_after_import`).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from docket.cli.arguments import whole_number
from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_CANCELLED, EXIT_FAILURES, EXIT_OK, error, print_json
from docket.core.case import Case
from docket.core.model.records import OcrState
from docket.core.preferences import load_preferences, normalize_ocr_languages
from docket.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from docket.core.ocr.run import OcrOutcome, OcrReport

# Outcomes that mean the pages were not read: the command did not do its work.
NOT_READ = (OcrState.FAILED, OcrState.UNAVAILABLE)
# What `docket ocr CASE` reads when no document is named.
WAITING = (OcrState.PENDING, OcrState.SKIPPED, OcrState.UNAVAILABLE, OcrState.FAILED)
ANY_OCR = (*WAITING, OcrState.DONE)  # with --force: every document OCR was for


def run_ocr(args: argparse.Namespace) -> int:
    languages = parse_languages(args.lang)  # before opening for writing: a typo changes nothing
    if languages is not None:
        from docket.core.ocr.tesseract import check_languages

        check_languages(languages)  # OcrUnavailable names the package to install: exit 1
    with Case.open(Path(args.case)) as case:
        if args.doc:
            docs = [resolve_doc(case, name) for name in args.doc]
        else:  # also those set aside (--no-ocr) or left unread (no Tesseract then)
            wanted = ANY_OCR if args.force else WAITING
            docs = [d.id for d in case.documents() if d.ocr in wanted]
        if languages is not None:  # they become the documents' own, as in the window
            for doc in docs:
                case.set_ocr_languages(doc, languages)
        report = read_with_progress(case, docs, args, force=args.force, phase="OCR")
        if report is None:
            return EXIT_CANCELLED
        titles = {outcome.doc: _title(case, outcome.doc) for outcome in report.documents}
    return finish(report, args, titles, command_line=f"docket ocr {args.case}")


def parse_languages(text: str | None) -> str | None:
    """--lang as Tesseract wants it ("eng+rus"); None when not given."""
    if text is None:
        return None
    try:
        return normalize_ocr_languages(text)
    except ValueError as problem:
        raise BadArgument(str(problem)) from None


def ocr_after_import(case: Case, imported: Sequence[int], args: argparse.Namespace) -> int:
    """`docket import`'s second phase: the imported documents that need OCR are read
    (or, with --no-ocr, set aside for `docket ocr`); the exit code it adds."""
    wanted = set(imported)
    needing = [doc for doc in case.pending_ocr() if doc in wanted]
    if not needing:
        return EXIT_OK
    from docket.core.ocr.tesseract import OcrUnavailable

    languages = parse_languages(args.lang)
    if languages is not None:
        try:
            for doc in needing:
                case.set_ocr_languages(doc, languages)
        except OcrUnavailable as problem:  # the documents are imported all the same
            error(f"{problem}; the documents are imported, and `docket ocr` reads them later")
            return EXIT_OK
    if not args.ocr:
        case.skip_ocr(needing)
        if not args.quiet:
            verb = "needs" if len(needing) == 1 else "need"
            them = "it" if len(needing) == 1 else "them"
            sys.stderr.write(
                f"{_documents(len(needing))} {verb} OCR; `docket ocr {args.case}` reads {them}\n"
            )
        return EXIT_OK
    report = read_with_progress(case, needing, args, force=False, phase="OCR")
    if report is None:
        return EXIT_CANCELLED
    titles = {outcome.doc: _title(case, outcome.doc) for outcome in report.documents}
    code = finish(report, args, titles, command_line=f"docket ocr {args.case}", key="ocr")
    # Tesseract missing is no failed import: the documents are in, readable, and
    # flagged; it was said above in words that name the package.
    failed = any(o.state is OcrState.FAILED for o in report.documents)
    return EXIT_OK if code == EXIT_FAILURES and not failed else code


def read_with_progress(
    case: Case,
    docs: Sequence[int] | None,
    args: argparse.Namespace,
    *,
    force: bool,
    phase: str,
) -> OcrReport | None:
    """Run OCR with the progress line on stderr; None when Ctrl+C stopped it (said).

    A document without languages of its own is read in those of the preferences."""
    cancel = CancelToken()
    line = ProgressLine(
        phase, disabled=args.quiet or (not sys.stderr.isatty() and not args.progress)
    )
    try:
        with interrupt_cancels(cancel):
            report = case.ocr(
                docs,
                languages=load_preferences().ocr_languages,
                force=force,
                progress=line.show,
                cancel=cancel,
                workers=args.workers,
            )
    except KeyboardInterrupt:  # a second Ctrl+C: stop now; committed chunks are kept
        line.close()
        error("OCR cancelled; the pages already read are kept")
        return None
    line.close()
    return report


def finish(
    report: OcrReport,
    args: argparse.Namespace,
    titles: dict[int, str],
    *,
    command_line: str,
    key: str | None = None,
) -> int:
    """Print the report (a line per document, or JSON: under `key`, for the import's
    lines) and give the exit code."""
    if args.json:
        print_json({key: report.as_json()} if key else report.as_json())
    else:
        for outcome in report.documents:
            print(describe(outcome, titles.get(outcome.doc, "")))
    if report.cancelled:
        error(
            f"OCR cancelled; the pages already read are kept, and `{command_line}` reads the rest"
        )
        return EXIT_CANCELLED
    if not args.quiet:
        read = sum(1 for o in report.documents if o.state is OcrState.DONE)
        unread = sum(1 for o in report.documents if o.state in NOT_READ)
        if not report.documents:
            sys.stderr.write("nothing to read: no page waits for OCR (--force reads again)\n")
        else:
            sys.stderr.write(
                f"{_documents(read)} read, {unread} not — {report.pages} pages "
                f"in {report.seconds:.1f} s\n"
            )
    failed = any(o.state in NOT_READ for o in report.documents)
    return EXIT_FAILURES if failed else EXIT_OK


def describe(outcome: OcrOutcome, title: str) -> str:
    """One line per document: `read: doc 3 (Letter.pdf), 4 pages — low confidence on page 2`."""
    name = f"doc {outcome.doc}" + (f" ({title})" if title else "")
    if outcome.state in NOT_READ:
        return f"{outcome.state}: {name}: {outcome.note or 'no reason given'}"
    if outcome.state is not OcrState.DONE:  # left pending: cancelled before its turn
        return f"{outcome.state or 'not needed'}: {name}"
    if not outcome.pages_read and not outcome.orphaned:
        return f"already read: {name} (--force reads it again)"
    pages = "1 page" if outcome.pages_read == 1 else f"{outcome.pages_read} pages"
    line = f"read: {name}, {pages}"
    low = list(outcome.low_confidence_pages)
    if low:
        said = "page" if len(low) == 1 else "pages"
        line += f" — low confidence on {said} {', '.join(str(page) for page in low)}"
    if outcome.orphaned:
        count = len(outcome.orphaned)
        line += f" — {count} mark{'s' if count != 1 else ''} orphaned (words no longer found)"
    if outcome.note:
        line += f" — {outcome.note}"
    return line


class ProgressLine:
    """The CLI's progress line for OCR: pages read of pages planned, pages/min, the
    document being read (tqdm on stderr, like the import's)."""

    def __init__(self, phase: str, *, disabled: bool) -> None:
        from tqdm import tqdm

        self._bar = tqdm(
            total=0,
            unit="page",
            desc=phase,
            file=sys.stderr,
            dynamic_ncols=True,
            disable=disabled,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} pages{postfix}",
        )

    def show(self, progress: Progress) -> None:
        bar = self._bar
        bar.total = progress.files_total
        elapsed = bar.format_dict["elapsed"] or 1e-9
        rate = 60 * progress.files_done / elapsed
        bar.set_postfix_str(f"{rate:.0f} pages/min {progress.current}".rstrip(), refresh=False)
        bar.update(progress.files_done - bar.n)

    def close(self) -> None:
        self._bar.close()


@contextmanager
def interrupt_cancels(cancel: CancelToken) -> Iterator[None]:
    """The first Ctrl+C asks the work to stop after its current chunk (what was read is
    committed whole); a second one interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only (in-process tests run elsewhere too)
        return

    def first_interrupt(_signal: int, _frame: FrameType | None) -> None:
        cancel.cancel()
        sys.stderr.write("\ndocket: stopping after the pages being read (Ctrl+C again to quit)\n")
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _title(case: Case, doc: int) -> str:
    document = case.document(doc)
    return document.title.strip() or document.source_name


def _documents(count: int) -> str:
    return "1 document" if count == 1 else f"{count} documents"


def add_commands(command: Command) -> None:
    sub = command(
        "ocr",
        "read scanned pages (no text layer) with OCR, or read documents again (--force)",
        usage_errors(run_ocr),
    )
    sub.add_argument("case")
    sub.add_argument(
        "--doc",
        action="append",
        metavar="DOC",
        help="only this document (id or title); repeat for more (default: every one waiting)",
    )
    sub.add_argument(
        "--lang",
        metavar="LANGS",
        help="Tesseract's languages joined by + (eng+rus), made the documents' own "
        "(default: their own, else the preferences')",
    )
    sub.add_argument(
        "--force", action="store_true", help="read the documents again, every page (marks kept)"
    )
    sub.add_argument("--json", action="store_true", help="the report as one JSON object")
    sub.add_argument(
        "--workers",
        type=whole_number(1, 64),
        default=None,
        metavar="N",
        help="Tesseract processes, 1 to 64 (default: one per core)",
    )
    sub.add_argument("--quiet", "-q", action="store_true", help="no progress line or summary")
    sub.add_argument(
        "--progress",
        action="store_true",
        help="show the progress line even when stderr is not a terminal",
    )
