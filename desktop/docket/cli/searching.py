"""`docket search`: results as text (snippets with hits marked) or JSON.

A result is a page, a mark (its quote, note or tags), a document's tags or a
form field; the plain output names which, and counts them apart.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from docket.cli.output import EXIT_OK, EXIT_USAGE, error, print_json, terminal_snippet
from docket.core.case import Case
from docket.core.counts import count
from docket.core.errors import CaseLockedError, QuerySyntaxError
from docket.core.model.records import SearchHit, SearchResults
from docket.core.transcripts.service import pin_text

if TYPE_CHECKING:
    from docket.core.model.marks import MarkKind


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
        # What each mark found is (a highlight, a note…), for the plain output only.
        found = [hit.mark for hit in results.results if hit.mark is not None]
        marks = case.marking.by_ids(found) if found else {}
        kinds = {mark_id: mark.kind for mark_id, mark in marks.items()}
    bold = sys.stdout.isatty()
    print(results_line(results))
    for note in results.notes:  # a wildcard or fuzzy term cut to its most frequent words
        print(f"note: {note}")
    for hit in results.results:
        print(f"\n[{hit.doc}] {hit.title} — {where_found(hit, kinds.get(hit.mark or 0))}")
        print(f"    {terminal_snippet(hit.snippet, bold=bold)}")
    return EXIT_OK


# What a result is, in the words the plain output uses for it.
SOURCE_NOUNS = {
    "page": "page",
    "mark": "mark",
    "document": "document tag",
    "field": "form field",
    "bates": "Bates number",
}


def results_line(results: SearchResults) -> str:
    """The first line: how many results, and how many of those shown are pages,
    marks, tagged documents and form fields (never all called pages)."""
    shown = len(results.results)
    head = count(results.total, "result")
    if results.total > shown:
        head += f", showing {shown}"
    sources = Counter(hit.source for hit in results.results)
    if not sources:
        return head
    parts = [
        count(sources[source], noun) for source, noun in SOURCE_NOUNS.items() if sources[source]
    ]
    return f"{head}: {', '.join(parts)}"


def where_found(hit: SearchHit, mark_kind: MarkKind | None) -> str:
    """Where a result is: a page (with its hits), a mark, a document's tags or a form field."""
    label = f" (page label {hit.label})" if hit.label != str(hit.page) else ""
    if hit.lines is not None:  # a transcript page: where the hits are, page:line
        label += f", at {pin_text(hit.lines, {hit.page: hit.label})}"
    if hit.source == "mark":
        from docket.core.model.marks import MarkKind

        if mark_kind is MarkKind.DOCUMENT_NOTE:
            return f"mark {hit.mark} (a note on the document)"
        what = "a note on the page" if mark_kind is MarkKind.PAGE_NOTE else "a highlight"
        if mark_kind is MarkKind.REDACTION:
            what = "a redaction"
        return f"mark {hit.mark} ({what}) on page {hit.page}{label}"
    if hit.source == "document":
        return "the document's tags"
    if hit.source == "field":
        return f"form field on page {hit.page}{label}"
    return f"page {hit.page}{label}  ({count(len(hit.hits), 'hit')})"


def _open_for_search(path: Path) -> Case:
    """Read-only, so searching works while the window has the case open.

    If the index is missing or behind (a deleted index/, a killed import), it
    is brought up to date first when no other Docket is writing the case. Its
    pages are not counted against the case's: a script's loop of searches would
    pay for that count on every query (see Case.index_is_current).
    """
    case = Case.open(path, readonly=True)
    if case.index_is_current(count_pages=False):
        return case
    case.close()
    try:
        sys.stderr.write("docket: bringing the search index up to date…\n")
        with Case.open(path):
            pass
    except CaseLockedError:
        error("the index is being updated by another Docket; results may be incomplete")
    return Case.open(path, readonly=True)
