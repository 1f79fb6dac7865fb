"""Which marks an annotated copy need not write: the original already shows them.

An annotated copy keeps every annotation of the original exactly as it is
(subtype, appearance, popup, flags, /NM): a strike-out stays a strike-out,
a FreeText stays text on the page. Importing a PDF made marks of its
highlights and notes (marks/from_pdf.py); writing those marks again would
draw each one twice and list it twice in a reader's comments. So a mark
that came from one of the original's annotations is left out of the copy,
unless it was changed in Docket since (its colour, note or tags): then it
is written as Docket's own mark beside the original's, which stays as
received. The copy never alters or hides what the sender wrote; it shows
the change next to it.

A mark names the annotation it came from by its uuid (origin_uuid). Marks
imported before they were named so (an older case: none of the document's
marks has such a name) are recognised as before, by place: a highlight over
the same words, a note with the same text on the same page.
"""

from __future__ import annotations

from collections.abc import Sequence

from docket.core.model.marks import Mark, MarkKind
from docket.core.model.tags import normalize_tag
from docket.core.pdf.annotations import ForeignAnnotation, origin_uuid

_SAME_PLACE = 0.5  # of the smaller box's area: a mark and an annotation on the same words


def marks_to_write(
    marks: Sequence[Mark],
    found: Sequence[ForeignAnnotation],
    sha256: str,
    every: Sequence[Mark] | None = None,
) -> list[Mark]:
    """`marks` less those that `found` (the original's annotations) already show as they are.

    `every`: all the document's marks (default `marks`), to tell whether its
    imported marks carry the name of their annotation.
    """
    by_origin = {origin_uuid(sha256, annotation): annotation for annotation in found}
    named = any(mark.uuid in by_origin for mark in (marks if every is None else every))
    written = []
    for mark in marks:
        origin = by_origin.get(mark.uuid) if named else _same_as(mark, found)
        if origin is not None and _unchanged(mark, origin):
            continue
        written.append(mark)
    return written


def _unchanged(mark: Mark, origin: ForeignAnnotation) -> bool:
    """True when `mark` says what the annotation said when it was imported."""
    return (
        mark.kind is origin.kind
        and mark.colour == origin.colour
        and mark.note.strip() == origin.contents
        and _tag_set(mark.tags) == _tag_set(origin.tags)
    )


def _tag_set(tags: Sequence[str]) -> set[str]:
    return {normalize_tag(tag).casefold() for tag in tags}


def _same_as(mark: Mark, found: Sequence[ForeignAnnotation]) -> ForeignAnnotation | None:
    """The annotation an older import made `mark` of, found by where it is."""
    for annotation in found:
        if annotation.kind is not mark.kind:
            continue
        if annotation.kind is MarkKind.HIGHLIGHT:
            boxes = [(r.x, r.y, r.width, r.height) for r in mark.rects if r.page == annotation.page]
            if any(_same_place(a, b) for a in annotation.rects for b in boxes):
                return annotation
        elif annotation.contents == mark.note.strip() and (
            annotation.page == mark.page or annotation.kind is MarkKind.DOCUMENT_NOTE
        ):
            return annotation
    return None


def _same_place(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    smaller = min(a[2] * a[3], b[2] * b[3])
    return width > 0 and height > 0 and smaller > 0 and width * height >= _SAME_PLACE * smaller
