"""Turning the marks already in a PDF into Docket's own marks.

A highlight is anchored on the characters under its quads (pdfquadtext),
so it is a real Docket highlight: searchable, quoted, drawn where QtPdf
puts the text. One whose words cannot be found (a highlight over a picture,
a page with no text layer) is skipped and counted, as is anything else odd:
an annotation never fails an import. The PDF's own dates are not kept: a
mark is dated when it came into the case. Its uuid names the annotation it
came from (pdfannotations.origin_uuid): an annotated copy keeps that
annotation as it is and writes the mark only if it was changed since.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from docket.core.errors import DocketError
from docket.core.model.marks import Anchor, Mark, MarkKind
from docket.core.model.records import DocumentKind
from docket.core.pdf.annotations import ForeignAnnotation, origin_uuid, read_pdf_annotations

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

    from docket.core.case import Case

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MarkImport:
    made: int = 0
    skipped: int = 0  # annotations whose words could not be found, or that were refused

    def describe(self) -> str | None:
        """For an import's outcome line: "3 marks from the PDF, 1 skipped"."""
        if not self.made and not self.skipped:
            return None
        text = f"{self.made} mark{'' if self.made == 1 else 's'} from the PDF"
        return f"{text}, {self.skipped} skipped" if self.skipped else text


def import_marks(case: Case, doc_id: int, *, during_import: bool = False) -> MarkImport:
    """Make Docket marks of the highlights and notes in PDF `doc_id`.

    `during_import`: called by the importer, which may run on a worker thread
    while its index writer holds Whoosh's lock. The marks then stay queued for
    the index (indexed = 0), which Case.import_paths (or the window, after the
    import) works off. Listeners are told as usual; the window's controller
    takes such news over to its own thread.
    """
    if case.document(doc_id).kind is not DocumentKind.PDF:
        return MarkImport()
    path, password = case.original_path(doc_id), case.password(doc_id)
    sha256 = case.document(doc_id).sha256
    try:
        found = read_pdf_annotations(path, password)
    except Exception as error:  # pypdf cannot read what QtPdf could: no marks, no failure
        log.info("could not read the annotations of %s: %s", path.name, error)
        return MarkImport()
    if not found:
        return MarkImport()
    from docket.core.pdf.markrects import open_pdf

    marking = case.marking
    at_once, marking.index_at_once = marking.index_at_once, False
    pdf = open_pdf(path, password)
    made = skipped = 0
    try:
        highlights: list[tuple[ForeignAnnotation, Anchor]] = []
        for annotation in found:
            try:
                if annotation.kind is MarkKind.HIGHLIGHT:
                    anchor = _anchor(case, doc_id, pdf, annotation)
                    if anchor is None:
                        skipped += 1
                    else:
                        highlights.append((annotation, anchor))
                    continue
                _note(case, doc_id, annotation, sha256)
                made += 1
            except (DocketError, ValueError, IndexError) as error:
                log.info("skipped a %s on page %s: %s", annotation.subtype, annotation.page, error)
                skipped += 1
        for annotation, anchor in _join_pages(highlights):
            try:
                _named_after(
                    origin_uuid(sha256, annotation),
                    partial(
                        case.marking.highlight,
                        doc_id,
                        anchor,
                        colour=annotation.colour,
                        note=annotation.contents,
                        tags=annotation.tags,
                        author=annotation.author,
                    ),
                )
                made += 1
            except DocketError as error:
                log.info("skipped a highlight on page %s: %s", anchor.page, error)
                skipped += 1
    finally:
        pdf.close()
        marking.index_at_once = at_once
    if made and at_once and not during_import:
        marking.sync_index()  # once for them all, not a Whoosh commit per mark
    return MarkImport(made, skipped)


def _note(case: Case, doc_id: int, note: ForeignAnnotation, sha256: str) -> None:
    page = note.page if note.kind is MarkKind.PAGE_NOTE else None
    _named_after(
        origin_uuid(sha256, note),
        partial(
            case.marking.add_note,
            doc_id,
            note.contents,
            page=page,
            colour=note.colour,
            tags=note.tags,
            author=note.author,
        ),
    )


def _named_after(name: str, make: Callable[..., Mark]) -> Mark:
    """`make` the mark with uuid `name`; a new one if the case has that name already.

    Only a file the case holds twice could give it: the second one's marks are
    then new marks, and its copies write them as Docket's own.
    """
    try:
        return make(uuid=name)
    except sqlite3.IntegrityError:
        return make(uuid=None)


def _anchor(
    case: Case, doc_id: int, pdf: QPdfDocument, highlight: ForeignAnnotation
) -> Anchor | None:
    from docket.core.pdf.quadtext import span_under

    text = case.page(doc_id, highlight.page).text
    span = span_under(pdf, highlight.page, text, highlight.quads)
    return Anchor(highlight.page, span[0], highlight.page, span[1]) if span else None


def _join_pages(
    found: list[tuple[ForeignAnnotation, Anchor]],
) -> list[tuple[ForeignAnnotation, Anchor]]:
    """One highlight of the parts of a highlight that runs over a page break.

    A PDF annotation lives on one page, so Docket's export writes one per
    page, all with the mark's id as /NM; parts with the same /NM on
    following pages are that one highlight again.
    """
    joined: list[tuple[ForeignAnnotation, Anchor]] = []
    last_part: dict[str, int] = {}
    for annotation, anchor in found:
        at = last_part.get(annotation.name) if annotation.name else None
        if at is not None and joined[at][1].end_page + 1 == anchor.page:
            first, before = joined[at]
            joined[at] = (first, Anchor(before.page, before.start, anchor.page, anchor.end))
            continue
        last_part[annotation.name] = len(joined)
        joined.append((annotation, anchor))
    return joined
