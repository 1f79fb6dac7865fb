"""The sample case: a short fictional matter the project wrote, made on first use."""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs

from docket import APP_NAME
from docket.core.case import Case, case_exists
from docket.core.errors import DocketError
from docket.core.model.audit import AUTOMATIC
from docket.resources import resource

log = logging.getLogger(__name__)
SAMPLE_FOLDER = "sample-case"
SAMPLE_AUTHOR = "Timur Abenov"

# A few marks, so that a first look shows what marking is: (file, quote,
# colour, note, tags). Anchored by their words, like `docket mark`.
SAMPLE_MARKS = (
    ("complaint.pdf", "unlawful detention", "yellow", "", ("Issue/Detention",)),
    (
        "deposition.pdf",
        "Aigerim Karimova was with me",
        "green",
        "Places her on the square with him at 11:30.",
        ("Witness/Batkanbayev",),
    ),
    (
        "letter.pdf",
        "the weapons and ammunition issue and return logs",
        "orange",
        "Did they preserve these? Chase Mr. Pak by 30 April.",
        ("Evidence/Preservation",),
    ),
    (
        "memo.txt",
        "no warning was given before the police fired",
        "pink",
        "The Department says a warning was shouted: see its answer.",
        ("Issue/Excessive force",),
    ),
)
SAMPLE_DOCUMENT_TAGS = (("deposition.pdf", ("Witness/Batkanbayev",)),)


def sample_case_path() -> Path:
    """The sample case under the user's data folder, created if it is missing."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "Sample case"
    if not case_exists(path):
        create_sample_case(path)
    return path


def create_sample_case(path: Path) -> None:
    documents = sorted(
        p for p in resource(SAMPLE_FOLDER).iterdir() if p.suffix.lower() in {".pdf", ".txt", ".md"}
    )
    with Case.create(path) as case:
        case.import_paths(documents, workers=0)
        _add_sample_marks(case)


def _add_sample_marks(case: Case) -> None:
    by_name = {document.source_name: document.id for document in case.documents()}
    case.marking.author = AUTOMATIC  # the audit log's name for them: nobody made them
    for name, quote, colour, note, tags in SAMPLE_MARKS:
        doc = by_name.get(name)
        page = _page_with(case, doc, quote) if doc is not None else None
        if doc is None or page is None:
            log.warning("sample mark %r not found in %s", quote, name)
            continue
        try:
            anchor = case.marking.anchor_for_quote(doc, page, quote, occurrence=1)
            case.marking.highlight(
                doc, anchor, colour=colour, note=note, tags=tags, author=SAMPLE_AUTHOR
            )
        except DocketError as problem:
            log.warning("sample mark %r: %s", quote, problem)
    for name, tags in SAMPLE_DOCUMENT_TAGS:
        if name in by_name:
            case.marking.tag_document(by_name[name], tags)


def _page_with(case: Case, doc: int, quote: str) -> int | None:
    from docket.core.text.anchoring import find_quote

    for page in case.pages(doc):
        if find_quote(page.text, quote):
            return page.number
    return None
