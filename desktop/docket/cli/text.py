"""`docket text CASE DOC [--page N] [--json]`: what Docket read, page by page.

Prints a document's stored canonical text — what search, marks and exports
use, verbatim (a PDF's `\\r\\n` line ends included) — so a user can check
what was decoded or read and pipe it to other tools; then the filled form
fields, which are kept apart from the page text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.model.records import FormField, Page


def run_text(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), readonly=True) as case:
        doc = resolve_doc(case, args.doc)
        if args.page is None:
            pages = case.pages(doc)
        else:
            count = case.document(doc).page_count
            if not 1 <= args.page <= count:
                pages_said = "1 page" if count == 1 else f"pages 1 to {count}"
                raise BadArgument(f"document {doc} has no page {args.page}; it has {pages_said}")
            pages = [case.page(doc, args.page)]
        shown = {page.number for page in pages}
        fields = [f for f in case.form_fields(doc) if f.page in shown]
    if args.json:
        print_json(as_json(doc, pages, fields))
    else:
        sys.stdout.write(as_text(pages, fields))
        sys.stdout.flush()
    return EXIT_OK


def as_json(doc: int, pages: list[Page], fields: list[FormField]) -> dict[str, object]:
    return {
        "doc": doc,
        "pages": [{"page": p.number, "label": p.label, "text": p.text} for p in pages],
        "fields": [{"page": f.page, "name": f.name, "value": f.value} for f in fields],
    }


def as_text(pages: list[Page], fields: list[FormField]) -> str:
    """Each page under a line naming it; the form fields after the pages."""
    parts = []
    for page in pages:
        label = f" (label {page.label})" if page.label != str(page.number) else ""
        parts.append(f"--- page {page.number}{label} ---\n{page.text}\n")
    if fields:
        parts.append("--- form fields ---\n")
        # A value's further lines indented, so each field still starts a line of its own.
        parts.extend(f"page {f.page}  {f.name}: {_indented(f.value)}\n" for f in fields)
    return "".join(parts)


def _indented(value: str) -> str:
    first, *rest = value.split("\n")
    return "\n".join([first, *(f"    {line}" if line else "" for line in rest)])


def add_commands(command: Command) -> None:
    sub = command(
        "text",
        "print a document's stored text (what search and marks use), page by page",
        usage_errors(run_text),
    )
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    sub.add_argument("--page", type=int, help="only this page (1 for the first)")
    sub.add_argument("--json", action="store_true", help='{"doc", "pages": [...], "fields"}')
