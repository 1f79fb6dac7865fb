"""`docket mark`, `marks`, `tag` and `untag`: marking a case from scripts.

Arguments the case cannot honour (a document it does not have, a colour
that does not exist, words that are not on the page or stand there twice)
exit with 2, like any bad argument, and say what would work instead.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from docket.cli.arguments import positive
from docket.cli.output import EXIT_OK, EXIT_USAGE, error, print_json
from docket.core.case import Case
from docket.core.errors import CaseError, DocketError
from docket.core.model.colours import COLOUR_KEYS
from docket.core.model.marks import Mark, MarkFilter, MarkKind
from docket.core.model.tags import normalize_tag
from docket.core.transcripts.service import pin_text, with_lines

Command = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]


class BadArgument(DocketError):
    """An argument that names something the case does not have."""


def usage_errors(
    handler: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Run `handler`; a BadArgument becomes one line and exit status 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except BadArgument as problem:
            error(str(problem))
            return EXIT_USAGE

    return run


def resolve_doc(case: Case, name: str) -> int:
    """A document by its id (as `docket list` shows it), or by its exact title or file name."""
    if name.strip().isdigit():
        try:
            return case.document(int(name)).id
        except CaseError:
            raise BadArgument(
                f"no document {name} in this case; `docket list` shows them"
            ) from None
    wanted = name.strip().casefold()
    found = [
        d.id for d in case.documents() if wanted in (d.title.casefold(), d.source_name.casefold())
    ]
    if len(found) != 1:
        said = "several documents are" if found else "no document is"
        raise BadArgument(f"{said} called {name!r}; give its id from `docket list`")
    return found[0]


def resolve_colour(name: str, names: dict[str, str]) -> str:
    """A colour key from its key ("pink") or the name the user gave it ("Contradiction")."""
    wanted = name.strip().casefold()
    for key in COLOUR_KEYS:
        if wanted in (key, names.get(key, "").casefold()):
            return key
    choices = ", ".join(f"{key} ({names.get(key, key)})" for key in COLOUR_KEYS)
    raise BadArgument(f"unknown colour {name!r}; choose one of: {choices}")


def resolve_tag(name: str) -> str:
    try:
        return normalize_tag(name)
    except DocketError as problem:
        raise BadArgument(str(problem)) from None


def checked_date(text: str) -> str:
    """A fact's date as typed, once it is known to read (BadArgument saying why if not)."""
    from docket.core.chronology.dates import parse_fact_date

    try:
        parse_fact_date(text)
    except DocketError as problem:
        raise BadArgument(str(problem)) from None
    return text


def checked_status(text: str) -> str:
    from docket.core.chronology.facts import check_status

    try:
        return check_status(text)
    except DocketError as problem:
        raise BadArgument(str(problem)) from None


def _colour_names() -> dict[str, str]:
    from docket.core.preferences import load_preferences

    return load_preferences().display_colour_names()


@usage_errors
def run_mark(args: argparse.Namespace) -> int:
    from docket.core.preferences import load_preferences

    prefs = load_preferences()
    with Case.open(Path(args.case)) as case:
        doc = resolve_doc(case, args.doc)
        colour = (
            resolve_colour(args.colour, prefs.display_colour_names())
            if args.colour
            else COLOUR_KEYS[0]
        )
        tags = [resolve_tag(tag) for tag in args.tag or ()]
        if not 1 <= args.page <= case.document(doc).page_count:
            raise BadArgument(f"{case.document(doc).title} has no page {args.page}")
        try:
            anchor = case.marking.anchor_for_quote(doc, args.page, args.quote, args.occurrence)
        except DocketError as problem:
            raise BadArgument(str(problem)) from None
        author = prefs.author if args.author is None else args.author
        fact = _fact_arguments(args)  # checked before the mark is made: a bad date makes none
        mark = case.marking.highlight(
            doc, anchor, colour=colour, note=args.note or "", tags=tags, author=author
        )
        if fact is not None:
            mark = case.chronology.set_date(mark.id, *fact)[1]
        title = case.document(doc).title
    if args.json:
        print_json(mark.as_json())
    else:
        print(f"marked {mark.id}: {title}, page {mark.page}: “{mark.quote}”")
    return EXIT_OK


def _fact_arguments(args: argparse.Namespace) -> tuple[str, str | None] | None:
    """--date and --status of `docket mark`, checked (see cli/facts)."""
    if args.date is None:
        if args.status is not None:
            raise BadArgument("--status needs --date: a mark is a fact when it has a date")
        return None
    return checked_date(args.date), checked_status(args.status) if args.status else None


@usage_errors
def run_marks(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), readonly=True) as case:
        doc = resolve_doc(case, args.doc) if args.doc else None
        tag = resolve_tag(args.tag) if args.tag else None
        marks = case.marking.marks(MarkFilter(doc=doc, tag=tag))
        titles = {d.id: d.title for d in case.documents()}
        lines = case.transcripts.mark_lines(marks)  # page:line on transcripts
        labels = {d: case.page_labels(d) for d in {mark.doc for mark in marks if mark.id in lines}}
    if args.json:
        print_json([with_lines(mark.as_json(), lines.get(mark.id)) for mark in marks])
        return EXIT_OK
    names = _colour_names()
    if not marks:
        print("no marks" + (" match" if doc or tag else " yet"))
    for mark in marks:
        at = lines.get(mark.id)
        pin = f", at {pin_text(at, labels[mark.doc])}" if at else ""
        print(_line(mark, titles[mark.doc], names, pin))
    return EXIT_OK


def _line(mark: Mark, title: str, names: dict[str, str], pin: str = "") -> str:
    where = f"{title}, p. {mark.page}{pin}" if mark.page is not None else title
    words = f"“{mark.quote}”" if mark.quote else f"[{mark.kind}]"
    note = " — " + " ".join(mark.note.split())[:80] if mark.note.strip() else ""
    tags = "  " + " ".join(f"#{tag}" for tag in mark.tags) if mark.tags else ""
    fact = f"  [{mark.fact.date_text or mark.fact.date}]" if mark.is_fact else ""  # a fact's date
    colour = names.get(mark.colour, mark.colour)
    if mark.kind is MarkKind.REDACTION:  # no colour of its own: its reason instead
        colour = f"redaction {mark.reason}"
    return f"{mark.id:>5}  {where} · {colour}  {words}{note}{tags}{fact}"


@usage_errors
def run_tag(args: argparse.Namespace) -> int:
    tags = [resolve_tag(tag) for tag in args.tags]
    with Case.open(Path(args.case)) as case:
        doc = resolve_doc(case, args.doc)
        case.marking.tag_document(doc, tags)
        print(f"tagged {case.document(doc).title}: {', '.join(case.marking.document_tags(doc))}")
    return EXIT_OK


@usage_errors
def run_untag(args: argparse.Namespace) -> int:
    tags = [resolve_tag(tag) for tag in args.tags]
    with Case.open(Path(args.case)) as case:
        doc = resolve_doc(case, args.doc)
        edit = case.marking.untag_document(doc, tags)
        left = case.marking.document_tags(doc)
        removed = len(edit.documents_before[doc]) - len(left)
        title = case.document(doc).title
    print(
        f"removed {removed} tag{'' if removed == 1 else 's'} from {title}"
        + (f"; it keeps {', '.join(left)}" if left else "")
    )
    return EXIT_OK


def add_commands(command: Command) -> None:
    sub = command("mark", "highlight words on a page of a document", run_mark)
    sub.add_argument("case")
    sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
    sub.add_argument("--page", type=positive, required=True, help="page number, 1 for the first")
    sub.add_argument("--quote", required=True, help="the exact words to highlight")
    sub.add_argument(
        "--occurrence",
        type=positive,
        help="which one (1 for the first), when the words stand twice",
    )
    sub.add_argument("--note", help="a note on the highlight")
    sub.add_argument("--tag", action="append", help="a tag (repeat for more); A/B nests")
    sub.add_argument("--color", "--colour", dest="colour", help="colour key or its name")
    sub.add_argument("--author", help="default: the author in the preferences")
    sub.add_argument("--date", help="makes the mark a fact of the chronology: 2011-12-16, 2011…")
    sub.add_argument("--status", help="the fact's status: undisputed, disputed or unknown")
    sub.add_argument("--json", action="store_true")

    sub = command("marks", "list the marks of a case", run_marks)
    sub.add_argument("case")
    sub.add_argument("--doc", help="only this document (id or title)")
    sub.add_argument("--tag", help="only marks with this tag or one below it")
    sub.add_argument("--json", action="store_true", help="a JSON array of marks")

    for name, handler, verb in (
        ("tag", run_tag, "add tags to"),
        ("untag", run_untag, "remove tags from"),
    ):
        sub = command(name, f"{verb} a document", handler)
        sub.add_argument("case")
        sub.add_argument("doc", metavar="DOC", help="document id (see `docket list`) or title")
        sub.add_argument("tags", nargs="+", metavar="TAG")
