"""Which of a PDF's own annotations the case's marks already stand for.

Importing a PDF turns its highlights and notes into marks (pdfmarkimport).
An annotated copy that kept those annotations *and* wrote the marks would
show every such highlight twice, and list its note twice in Acrobat's
comments; and a mark recoloured or re-noted in Docket would sit on top of
its old self. So the copy leaves out each highlight that a highlight mark
covers and each note whose text a note mark on the same page has, with
their popups and replies. Everything else the PDF carries (links, stamps,
ink, forms, highlights Docket never imported) is kept as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, NameObject

from docket.core.model.marks import Mark, MarkKind
from docket.core.pdf.annotations import ForeignAnnotation, read_annotation
from docket.core.pdf.space import PageSpace

_SAME_PLACE = 0.5  # of the smaller box's area: a mark and an annotation on the same words


def drop_represented(writer: PdfWriter, marks: Sequence[Mark]) -> int:
    """Remove from `writer`'s pages the annotations `marks` stand for; returns how many."""
    dropped = 0
    for number, page in enumerate(writer.pages, start=1):
        try:
            annotations = page["/Annots"].get_object() if "/Annots" in page else None
        except Exception:
            continue
        if not isinstance(annotations, list) or not annotations:
            continue
        space = PageSpace.of(page)
        gone: set[int] = set()
        for reference in annotations:
            try:
                annotation = reference.get_object()
                found = read_annotation(annotation, number, space)
                if found is None or not _represented(found, marks):
                    continue
            except Exception:  # an annotation Docket cannot read is kept untouched
                continue
            gone.add(_key(reference))
            if "/Popup" in annotation:
                gone.add(_key(annotation.raw_get("/Popup")))
        if not gone:
            continue
        kept = [ref for ref in annotations if _key(ref) not in gone and _reply_to(ref) not in gone]
        dropped += len(annotations) - len(kept)
        page[NameObject("/Annots")] = ArrayObject(kept)
    return dropped


def _represented(found: ForeignAnnotation, marks: Sequence[Mark]) -> bool:
    if found.kind is MarkKind.HIGHLIGHT:
        boxes = [
            (r.x, r.y, r.width, r.height)
            for m in marks
            if m.kind is MarkKind.HIGHLIGHT
            for r in m.rects
            if r.page == found.page
        ]
        return any(_same_place(a, b) for a in found.rects for b in boxes)
    return any(
        m.kind is found.kind
        and m.note.strip() == found.contents
        and (m.page == found.page or found.kind is MarkKind.DOCUMENT_NOTE)
        for m in marks
    )


def _same_place(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    smaller = min(a[2] * a[3], b[2] * b[3])
    return width > 0 and height > 0 and smaller > 0 and width * height >= _SAME_PLACE * smaller


def _key(reference: Any) -> int:
    number = getattr(reference, "idnum", None)
    return number if number is not None else id(reference)


def _reply_to(reference: Any) -> int | None:
    try:
        annotation = reference.get_object()
        return _key(annotation.raw_get("/IRT")) if "/IRT" in annotation else None
    except Exception:
        return None
