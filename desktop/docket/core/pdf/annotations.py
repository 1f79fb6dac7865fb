"""Marks already in a PDF: other readers' highlights and notes, read with pypdf.

Highlights, underlines, squiggles and strike-outs become highlights (the
kind of stroke is not kept: Docket has one kind of highlight); /Text and
/FreeText notes become page notes, and a /Text whose subject is "Document
note" (as Docket's own export writes it) a document note. Replies (/IRT)
are added to the note they answer. Popups, links, stamps, ink and form
fields are not marks and are left out. A broken annotation is skipped: it
never costs the others.

Each mark made from an annotation is named after it (`origin_uuid`: the
original's hash, the page and the annotation's place in the page's /Annots),
so an annotated copy knows which marks the original already shows
(pdf/existing.py) without a column of its own in the case.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from docket.core.model.marks import MarkKind
from docket.core.pdf.markup import DOCUMENT_NOTE_SUBJECT
from docket.core.pdf.metadata import quiet_pypdf
from docket.core.pdf.namescan import may_name
from docket.core.pdf.space import PageSpace, Point, bounds
from docket.core.pdf.values import contents_of, nearest_colour, parse_pdf_date, split_tags, text_of

log = logging.getLogger(__name__)

HIGHLIGHT_TYPES = ("/Highlight", "/Underline", "/Squiggly", "/StrikeOut")
NOTE_TYPES = ("/Text", "/FreeText")
Quad = tuple[Point, Point, Point, Point]  # displayed page, top-left origin, in /QuadPoints order
# uuid5 names of marks made from a PDF's own annotations (a fixed, made-up namespace).
_ORIGIN_NAMESPACE = uuid.UUID("5d0c4e1e-7a0b-4f57-9d3e-0c6b1d2f8a11")


@dataclass(frozen=True, slots=True)
class ForeignAnnotation:
    kind: MarkKind
    subtype: str  # "Highlight", "Underline", "Text", …
    page: int  # 1-based
    quads: tuple[Quad, ...]  # empty for notes
    colour: str  # the nearest of Docket's colour keys
    contents: str
    tags: tuple[str, ...]
    author: str
    created: datetime | None
    modified: datetime | None
    name: str  # /NM, unique within the PDF when the writer set one
    index: int = -1  # its place in the page's /Annots: with the page, where it is in the file

    @property
    def rects(self) -> tuple[tuple[float, float, float, float], ...]:
        """(x, y, width, height) around each quad, like MarkRect."""
        boxes = []
        for quad in self.quads:
            left, top, right, bottom = bounds([v for point in quad for v in point])
            boxes.append((left, top, right - left, bottom - top))
        return tuple(boxes)


def origin_uuid(sha256: str, annotation: ForeignAnnotation) -> str:
    """The uuid of the mark made from `annotation` of the PDF whose hash is `sha256`.

    The same annotation of the same file always gives the same name: in any
    case, and after a W3C export and import, which therefore knows it again.
    """
    return str(uuid.uuid5(_ORIGIN_NAMESPACE, f"{sha256}/{annotation.page}/{annotation.index}"))


def read_pdf_annotations(path: Path | str, password: str | None = None) -> list[ForeignAnnotation]:
    """The marks other readers left in the PDF at `path`, page by page."""
    if not may_carry_marks(Path(path)):
        return []
    # pdfmeta's switch for pypdf's logger: one depth count, so that two threads
    # reading at once never leave it silenced. A damaged file's complaints are
    # not news here.
    with quiet_pypdf():
        return _read_all(Path(path), password)


def may_carry_marks(path: Path) -> bool:
    """False when the file certainly holds no annotation Docket reads.

    Reading every page dictionary with pypdf costs 0.3 ms a page (95 ms for
    a 352-page book), and on a PDF with object streams much more: it was half
    of the importing process's CPU on real TeX manuals, whose streams hold
    thousands of link annotations. A look at the bytes (`namescan`) costs
    1 ms for the whole book.
    """
    return may_name(path, _MARK_NAMES)


_MARK_NAMES = re.compile(
    rb"/Subtype\s*/(?:Highlight|Underline|Squiggly|StrikeOut|Text|FreeText)(?![A-Za-z0-9#])"
)


def _read_all(path: Path, password: str | None) -> list[ForeignAnnotation]:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted and not reader.decrypt(password or ""):
        return []
    found: dict[int, ForeignAnnotation] = {}
    replies: list[tuple[int, str, str]] = []  # (parent object number, author, text)
    for number, page in _pages(reader):
        for index, reference in enumerate(_annotation_refs(page)):
            try:
                annotation = reference.get_object()
                subtype = str(annotation.get("/Subtype", ""))
                parent = annotation.get("/IRT")
                if parent is not None:
                    if subtype == "/Text" and "/StateModel" not in annotation:  # not a review tick
                        replies.append(
                            (parent.idnum, text_of(annotation.get("/T")), contents_of(annotation))
                        )
                    continue
                read = read_annotation(annotation, number, PageSpace.of(page), index)
            except Exception as error:  # a damaged annotation is one lost, never all
                log.debug("skipped an annotation on page %s: %s", number, error)
                continue
            if read is not None:
                found[getattr(reference, "idnum", id(annotation))] = read
    for parent, author, text in replies:
        if parent in found and text:
            answered = found[parent]
            reply = f"{author}: {text}" if author else text
            joined = f"{answered.contents}\n\n{reply}" if answered.contents else reply
            found[parent] = replace(answered, contents=joined)
    return list(found.values())


def _pages(reader: Any) -> Iterator[tuple[int, Any]]:
    try:
        count = len(reader.pages)
    except Exception:
        return
    for index in range(count):
        try:
            yield index + 1, reader.pages[index]
        except Exception:  # one unreadable page in a damaged tree
            continue


def _annotation_refs(page: Any) -> list[Any]:
    try:
        annotations = page.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else None
    except Exception:
        return []
    return list(annotations) if isinstance(annotations, list) else []


def read_annotation(
    annotation: Any, page: int, space: PageSpace, index: int = -1
) -> ForeignAnnotation | None:
    """One annotation dictionary as a mark, or None when it is not one Docket takes."""
    subtype = str(annotation.get("/Subtype", ""))
    if subtype in HIGHLIGHT_TYPES:
        kind, quads = MarkKind.HIGHLIGHT, _quads(annotation, space)
        if not quads:
            return None
    elif subtype in NOTE_TYPES:
        subject = text_of(annotation.get("/Subj"))
        kind = MarkKind.DOCUMENT_NOTE if subject == DOCUMENT_NOTE_SUBJECT else MarkKind.PAGE_NOTE
        quads = ()
    else:
        return None
    note, tags = split_tags(contents_of(annotation))
    if kind is not MarkKind.HIGHLIGHT and not note:
        return None  # an empty sticky note says nothing worth keeping
    return ForeignAnnotation(
        kind=kind,
        subtype=subtype.lstrip("/"),
        page=page,
        quads=quads,
        colour=nearest_colour(annotation.get("/C")),
        contents=note,
        tags=tags,
        author=text_of(annotation.get("/T")),
        created=parse_pdf_date(annotation.get("/CreationDate")),
        modified=parse_pdf_date(annotation.get("/M")),
        name=text_of(annotation.get("/NM")),
        index=index,
    )


def _quads(annotation: Any, space: PageSpace) -> tuple[Quad, ...]:
    values = [float(v) for v in (annotation.get("/QuadPoints") or [])]
    if len(values) < 8:  # no quads (some writers): the /Rect is the one quad
        left, bottom, right, top = (float(v) for v in annotation["/Rect"])
        values = [left, top, right, top, left, bottom, right, bottom]
    quads = []
    for start in range(0, len(values) - 7, 8):
        chunk = values[start : start + 8]
        points = [space.to_display(chunk[i], chunk[i + 1]) for i in range(0, 8, 2)]
        quads.append((points[0], points[1], points[2], points[3]))
    return tuple(quads)
