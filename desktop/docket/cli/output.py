"""Printing for the command line: JSON lines, plain text, exit codes."""

from __future__ import annotations

import json
import sys
from typing import Any

EXIT_OK = 0
EXIT_FAILURES = 1  # the command ran, but something failed (a file, a check)
EXIT_USAGE = 2  # bad arguments or a bad query
EXIT_CASE = 3  # the case cannot be opened (missing, locked, newer schema)
EXIT_CANCELLED = 130


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    sys.stderr.write(f"docket: {message}\n")


def terminal_snippet(snippet_html: str, *, bold: bool) -> str:
    """Turn a `<b>`-marked HTML snippet into terminal text."""
    import html

    start, end = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    return html.unescape(snippet_html.replace("<b>", start).replace("</b>", end))
