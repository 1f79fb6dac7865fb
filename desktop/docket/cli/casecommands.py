"""`docket new`, `list`, `verify` and `reindex`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docket.cli.output import EXIT_CASE, EXIT_FAILURES, EXIT_OK, error, print_json
from docket.core.case import Case
from docket.core.counts import count
from docket.core.model.records import Document, Flag, OcrState, encoding_note
from docket.core.ocr.wording import ocr_status
from docket.core.progress import Progress
from docket.core.storage.damage import damage_message


def run_new(args: argparse.Namespace) -> int:
    with Case.create(Path(args.case)) as case:
        print(f"created case {case.path}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), readonly=True) as case:
        documents = case.documents()
        low_pages = _low_confidence_pages(case, documents)
    if args.json:
        print_json(
            [
                {
                    "doc": d.id,
                    "title": d.title,
                    "type": str(d.kind),
                    "pages": d.page_count,
                    "sha256": d.sha256,
                    "flags": list(d.flags),
                    "language": d.language,  # ISO 639-1; "" unknown
                    "encoding": d.encoding,
                    "notes": [note] if (note := encoding_note(d.flags, d.encoding)) else [],
                    "ocr": {
                        "state": str(d.ocr),  # "" when every page had a text layer
                        "note": d.ocr_note,
                        "languages": d.ocr_languages,  # "" the default ones
                        "low_confidence_pages": low_pages.get(d.id, []),
                    },
                }
                for d in documents
            ]
        )
        return EXIT_OK
    if not documents:
        print("no documents yet — add some with `docket import CASE PATH…`")
    for d in documents:
        note = encoding_note(d.flags, d.encoding)
        ocr = ocr_status(d, len(low_pages.get(d.id, ())))
        # Once OCR was asked for, its words say where the pages stand.
        shown = [flag for flag in d.flags if not (ocr and flag in OCR_SAYS)]
        notes = [note or ", ".join(shown)] if shown else []
        if ocr:
            notes.append(ocr)
        flags = f"  [{'; '.join(notes)}]" if notes else ""
        print(f"{d.id:>5}  {d.kind:<5}  {d.page_count:>5} p  {d.sha256[:12]}  {d.title}{flags}")
    return EXIT_OK


OCR_SAYS = (Flag.NO_TEXT_LAYER, Flag.SOME_PAGES_WITHOUT_TEXT, Flag.OCR_LOW_CONFIDENCE)


def _low_confidence_pages(case: Case, documents: list[Document]) -> dict[int, list[int]]:
    """The pages OCR read with low confidence, by document (only documents OCR touched)."""
    return {
        d.id: [info.page for info in case.ocr_pages(d.id) if info.low]
        for d in documents
        if d.ocr is not OcrState.NONE
    }


def run_verify(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), readonly=True) as case:
        report = case.verify()
    if getattr(args, "json", False) and not report.database_damaged:
        print_json(
            {
                "documents": report.documents,
                "ok": report.ok,
                "problems": list(report.problems),
                "marks": [m.as_json() for m in report.marks],
            }
        )
        return EXIT_OK if report.ok else EXIT_FAILURES
    for problem in report.problems:
        print(f"problem: {problem}")
    if report.database_damaged:  # the case cannot be used as it is: as any command says
        error(damage_message(report.damage, args.case))
        return EXIT_CASE
    verdict = "ok" if report.ok else count(len(report.problems), "problem")
    print(f"verified {count(report.documents, 'document')}: {verdict}")
    return EXIT_OK if report.ok else EXIT_FAILURES


def run_reindex(args: argparse.Namespace) -> int:
    if args.merge:
        return _merge_segments(args)

    def show(progress: Progress) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(
                f"\r{progress.files_done}/{progress.files_total} documents, "
                f"{progress.pages_done} pages"
            )

    with Case.open(Path(args.case)) as case:
        count = case.reindex(show)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if not args.quiet:
        print(f"reindexed {count} documents")
    return EXIT_OK


def _merge_segments(args: argparse.Namespace) -> int:
    """`docket reindex CASE --merge`: the index's small segments merged now, without
    rebuilding. It does not open the case (whose lock a window or an import may
    hold): searches and imports go on meanwhile, as with the background merge."""
    import logging

    from docket.core.search.opener import merge_segments
    from docket.core.storage.folder import CaseLayout, existing_case

    # The background merge's starter knows the index only (SearchIndex); the folder
    # holding it is the case, or a test's stand-in for one.
    layout = CaseLayout(Path(args.case)) if args.background else existing_case(Path(args.case))
    try:
        outcome = merge_segments(layout.index, background=args.background)
    except Exception:
        if args.background:  # derived data: a failed merge leaves the index as it was
            logging.getLogger(__name__).exception("merging the segments of %s", args.case)
            return EXIT_FAILURES
        raise
    if args.quiet:
        return EXIT_OK
    if outcome is None:
        print("a merge is already running for this case")
    elif outcome.segments == 0:
        print("nothing to merge")
    else:
        print(f"merged {outcome.segments} segments into {outcome.into} in {outcome.seconds:.0f} s")
    return EXIT_OK
