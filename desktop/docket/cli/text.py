"""`docket text CASE DOC [--page N] [--json]`: what Docket read, page by page.

Prints a document's stored canonical text — what search, marks and exports
use, verbatim (a PDF's `\\r\\n` line ends included) — so a user can check
what was decoded or read and pipe it to other tools; then the filled form
fields, which are kept apart from the page text. A page read by OCR says so
in its header, with the languages and Tesseract's mean word confidence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.model.records import FormField, Page

if TYPE_CHECKING:
    from docket.core.ocr.run import OcrPageInfo


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
        ocr = {info.page: info for info in case.ocr_pages(doc) if info.page in shown}
    if args.json:
        print_json(as_json(doc, pages, fields, ocr))
    else:
        sys.stdout.write(as_text(pages, fields, ocr))
        sys.stdout.flush()
    return EXIT_OK


def as_json(
    doc: int,
    pages: list[Page],
    fields: list[FormField],
    ocr: Mapping[int, OcrPageInfo] | None = None,
) -> dict[str, object]:
    ocr = ocr or {}
    return {
        "doc": doc,
        "pages": [
            {"page": p.number, "label": p.label, "text": p.text}
            | ({"ocr": _ocr_json(ocr[p.number])} if p.number in ocr else {})
            for p in pages
        ],
        "fields": [{"page": f.page, "name": f.name, "value": f.value} for f in fields],
    }


def as_text(
    pages: list[Page], fields: list[FormField], ocr: Mapping[int, OcrPageInfo] | None = None
) -> str:
    """Each page under a line naming it (and how OCR read it); the form fields after."""
    ocr = ocr or {}
    parts = []
    for page in pages:
        label = f" (label {page.label})" if page.label != str(page.number) else ""
        info = ocr.get(page.number)
        # A page where OCR found no words shows its own text layer: nothing to say.
        read = f" ({_ocr_words(info)})" if info is not None and info.confidence >= 0 else ""
        parts.append(f"--- page {page.number}{label}{read} ---\n{page.text}\n")
    if fields:
        parts.append("--- form fields ---\n")
        # A value's further lines indented, so each field still starts a line of its own.
        parts.extend(f"page {f.page}  {f.name}: {_indented(f.value)}\n" for f in fields)
    return "".join(parts)


def _ocr_words(info: OcrPageInfo) -> str:
    """How OCR read a page: "OCR, eng+rus, confidence 91", and "turned 90°" or "low
    confidence" when so."""
    words = ["OCR", info.languages, f"confidence {info.confidence:.0f}"]
    if info.rotation:
        words.append(f"turned {info.rotation}°")
    if info.low:
        words.append("low confidence")
    return ", ".join(word for word in words if word)


def _ocr_json(info: OcrPageInfo) -> dict[str, object]:
    return {
        "languages": info.languages,
        "confidence": round(info.confidence, 1),
        "rotation": info.rotation,
        "low_confidence": info.low,
    }


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
