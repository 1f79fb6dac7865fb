"""`docket search`: results as text (snippets with hits marked) or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docket.cli.output import EXIT_OK, EXIT_USAGE, error, print_json, terminal_snippet
from docket.core.case import Case
from docket.core.errors import CaseLockedError, QuerySyntaxError


def run_search(args: argparse.Namespace) -> int:
    case = _open_for_search(Path(args.case))
    with case:
        try:
            results = case.search(args.query, limit=args.limit)
        except QuerySyntaxError as problem:
            error(f"bad query: {problem}")
            if problem.pointer():
                sys.stderr.write(problem.pointer() + "\n")
            return EXIT_USAGE
    if args.json:
        print_json(results.as_json())
        return EXIT_OK
    bold = sys.stdout.isatty()
    print(
        f"{results.total} matching pages"
        + (f", showing {len(results.results)}" if results.total > len(results.results) else "")
    )
    for hit in results.results:
        label = f" (page label {hit.label})" if hit.label != str(hit.page) else ""
        found = "a form field" if hit.source == "field" else f"{len(hit.hits)} hits"
        print(f"\n[{hit.doc}] {hit.title} — page {hit.page}{label}  ({found})")
        print(f"    {terminal_snippet(hit.snippet, bold=bold)}")
    return EXIT_OK


def _open_for_search(path: Path) -> Case:
    """Read-only, so searching works while the window has the case open.

    If the index is missing or behind (a deleted index/, a killed import), it
    is brought up to date first when no other Docket is writing the case.
    """
    case = Case.open(path, readonly=True)
    if case.index_is_current():
        return case
    case.close()
    try:
        sys.stderr.write("docket: bringing the search index up to date…\n")
        with Case.open(path):
            pass
    except CaseLockedError:
        error("the index is being updated by another Docket; results may be incomplete")
    return Case.open(path, readonly=True)
