"""Starting Docket: `docket` with no arguments, and `docket open CASE`.

Until the window exists, both show the case on the command line: what it
holds and how to search it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docket.cli.output import EXIT_OK
from docket.core.case import Case
from docket.core.samplecase import sample_case_path


def run_default(args: argparse.Namespace) -> int:
    path = sample_case_path()
    print(f"Docket sample case: {path}")
    return _show(path)


def run_open(args: argparse.Namespace) -> int:
    return _show(Path(args.case))


def _show(path: Path) -> int:
    with Case.open(path, readonly=True) as case:
        documents = case.documents()
        pages = sum(document.page_count for document in documents)
        print(f"{len(documents)} documents, {pages} pages\n")
        for document in documents:
            print(f"  [{document.id}] {document.title} ({document.kind}, "
                  f"{document.page_count} pages)")
        example = '"police fired"~5'
        results = case.search(example, limit=3)
    print(f"\nSearch it, for example:  docket search \"{path}\" '{example}'")
    print(f"  → {results.total} matching pages")
    for hit in results.results:
        print(f"    [{hit.doc}] {hit.title}, page {hit.label}")
    return EXIT_OK
