"""`docket language CASE DOC [LANG] [--json]`: a document's language, shown or set.

A document's words are stemmed by its language (detected at import), so that
a Russian word is found by another of its forms. Given LANG (an ISO 639-1
code such as ru, de, kk, or an English name such as Russian; "unknown" clears
it), the language becomes the user's choice and the document is re-indexed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.marking import BadArgument, Command, resolve_doc, usage_errors
from docket.cli.output import EXIT_OK, print_json
from docket.core.case import Case
from docket.core.model.records import Document
from docket.core.text.languages import language_name, normalize_language, stemmed


def run_language(args: argparse.Namespace) -> int:
    setting = args.language is not None
    if setting:
        try:
            normalize_language(args.language)  # before opening for writing: a typo changes nothing
        except ValueError as problem:
            raise BadArgument(str(problem)) from None
    with Case.open(Path(args.case), readonly=not setting) as case:
        doc = resolve_doc(case, args.doc)
        before = case.document(doc)
        document = case.set_language(doc, args.language) if setting else before
    if args.json:
        print_json(as_json(document))
    else:
        print(describe(document, before if setting else None))
    return EXIT_OK


def as_json(document: Document) -> dict[str, object]:
    return {
        "doc": document.id,
        "language": document.language,
        "name": language_name(document.language),
        "chosen": document.language_set,
        "stemmed": stemmed(document.language) or not document.language,
    }


def describe(document: Document, before: Document | None) -> str:
    code = document.language
    said = f"{language_name(code)} ({code})" if code else "unknown"
    how = "chosen" if document.language_set else "detected"
    if not code:
        words = "its words are stemmed as English's"
    elif stemmed(code):
        words = "its words are stemmed by it"
    else:
        words = "no stemmer for it: its words are found as written"
    if before is None:
        return f"document {document.id}: {said}, {how}; {words}"
    if before.language == code:
        return f"document {document.id}: {said}, kept as chosen; {words}"
    was = language_name(before.language)
    return f"document {document.id}: {said} (was {was}), indexed again; {words}"


def add_commands(command: Command) -> None:
    sub = command(
        "language",
        "show a document's language, or set it (its words are stemmed by it)",
        usage_errors(run_language),
    )
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    sub.add_argument(
        "language",
        metavar="LANG",
        nargs="?",
        help="ISO 639-1 code (en, ru, de, kk...) or English name; 'unknown' clears it",
    )
    sub.add_argument("--json", action="store_true", help='{"doc", "language", "name", ...}')
