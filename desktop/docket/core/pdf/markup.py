"""Docket's marks as PDF annotations, added to a pypdf writer's pages.

Each highlight becomes one /Highlight per page it touches and each note a
/Text ("sticky note"), each with a /Popup linked both ways, the fields
Acrobat, Okular and pdf.js list in their comment panels (/T author,
/Subj, /M, /CreationDate, /NM), and an appearance stream (see
pdfappearance). A document note is a /Text on page 1 whose /Subj says
"Document note": readers show it, and Docket reads it back as one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from docket.core.model.colours import colour
from docket.core.model.marks import Mark, MarkKind, MarkRect
from docket.core.pdf.appearance import (
    NOTE_ICON_SIZE,
    RGB,
    highlight_appearance,
    note_appearance,
    number,
)
from docket.core.pdf.space import PageSpace, bounds

DOCUMENT_NOTE_SUBJECT = "Document note"
PAGE_NOTE_SUBJECT = "Note"
TAGS_PREFIX = "Tags: "
PRINT = 4  # annotation flag: print it with the page
UPRIGHT = 4 | 8 | 16  # print, no zoom, no rotate: what Acrobat gives notes and popups
NOTE_MARGIN = 8.0  # from the displayed page's top-left corner to a note's icon
POPUP_SIZE = (200.0, 120.0)


def pdf_date(moment: datetime) -> str:
    """A PDF date string (ISO 32000 7.9.4) in UTC."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return utc.strftime("D:%Y%m%d%H%M%S+00'00'")


def rgb_of(key: str) -> RGB:
    try:
        value = colour(key).rgb.lstrip("#")
    except KeyError:  # a colour this version no longer knows: the default
        value = "ffd60a"
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def contents(mark: Mark) -> str:
    """A mark's note, with its tags on a last line (read back by pdfannotations)."""
    parts = [mark.note.strip()] if mark.note.strip() else []
    if mark.tags:
        parts.append(TAGS_PREFIX + ", ".join(mark.tags))
    return "\n\n".join(parts)


class MarkupWriter:
    """Adds marks to the pages of one writer; keeps where each page's next note goes."""

    def __init__(self, writer: PdfWriter, colour_names: dict[str, str]) -> None:
        self._writer = writer
        self._names = colour_names
        self._notes_on_page: dict[int, int] = {}

    def space(self, page: int) -> PageSpace:
        return PageSpace.of(self._writer.pages[page - 1])

    def add_highlight(self, mark: Mark, rects: Sequence[MarkRect]) -> int:
        """One /Highlight per page of `rects`; returns how many were added."""
        pages = sorted({rect.page for rect in rects if 1 <= rect.page <= len(self._writer.pages)})
        for page in pages:
            space = self.space(page)
            quads = [space.quad(r.x, r.y, r.width, r.height) for r in rects if r.page == page]
            flat = [value for quad in quads for value in quad]
            rect = list(bounds(flat))
            rgb = rgb_of(mark.colour)
            annotation = self._common(
                mark, "/Highlight", rect, rgb, self._names.get(mark.colour, mark.colour)
            )
            annotation[NameObject("/QuadPoints")] = _numbers(flat)
            self._finish(page, annotation, highlight_appearance(quads, rect, rgb), space)
        return len(pages)

    def add_note(self, mark: Mark) -> None:
        page = mark.page if mark.kind is MarkKind.PAGE_NOTE and mark.page else 1
        if not 1 <= page <= len(self._writer.pages):
            return
        space = self.space(page)
        slot = self._notes_on_page.get(page, 0)
        self._notes_on_page[page] = slot + 1
        top = min(NOTE_MARGIN + slot * (NOTE_ICON_SIZE + 6), space.height - NOTE_ICON_SIZE)
        # Acrobat and poppler draw a sticky note upright whatever the page's
        # /Rotate (NoRotate, which PDFium honours too when the flag is set),
        # pinned at its rectangle's upper-left corner in the PDF's own space:
        # so that corner goes where the icon should be on the displayed page.
        x, y = space.to_pdf(NOTE_MARGIN, top)
        rect = [x, y - NOTE_ICON_SIZE, x + NOTE_ICON_SIZE, y]
        subject = (
            DOCUMENT_NOTE_SUBJECT if mark.kind is MarkKind.DOCUMENT_NOTE else PAGE_NOTE_SUBJECT
        )
        rgb = rgb_of(mark.colour)
        annotation = self._common(mark, "/Text", rect, rgb, subject)
        annotation[NameObject("/Name")] = NameObject("/Comment")
        annotation[NameObject("/Open")] = BooleanObject(False)
        annotation[NameObject("/F")] = NumberObject(UPRIGHT)
        self._finish(page, annotation, note_appearance(rgb), space)

    def _common(
        self, mark: Mark, subtype: str, rect: list[float], rgb: RGB, subject: str
    ) -> DictionaryObject:
        fields: dict[str, Any] = {
            "/Type": NameObject("/Annot"),
            "/Subtype": NameObject(subtype),
            "/Rect": _numbers(rect),
            "/C": _numbers(rgb),
            "/Contents": TextStringObject(contents(mark)),
            "/NM": TextStringObject(mark.uuid),
            "/Subj": TextStringObject(subject),
            "/M": TextStringObject(pdf_date(mark.modified)),
            "/CreationDate": TextStringObject(pdf_date(mark.created)),
            "/F": NumberObject(PRINT),
        }
        if mark.author:
            fields["/T"] = TextStringObject(mark.author)
        return DictionaryObject({NameObject(key): value for key, value in fields.items()})

    def _finish(
        self, page: int, annotation: DictionaryObject, appearance: Any, space: PageSpace
    ) -> None:
        stream = self._writer._add_object(appearance)  # streams must be indirect objects
        annotation[NameObject("/AP")] = DictionaryObject({NameObject("/N"): stream})
        added = self._writer.add_annotation(page - 1, annotation)
        popup = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Popup"),
                NameObject("/Rect"): _numbers(_popup_rect(space, annotation.raw_get("/Rect"))),
                NameObject("/Open"): BooleanObject(False),
                NameObject("/F"): NumberObject(UPRIGHT),
                NameObject("/Parent"): added.indirect_reference,
            }
        )
        self._writer.add_annotation(page - 1, popup)  # pypdf links the parent to it


def _popup_rect(space: PageSpace, rect: Sequence[Any]) -> list[float]:
    """Where a popup opens: at the displayed page's right edge, level with its mark."""
    width, height = min(POPUP_SIZE[0], space.width), min(POPUP_SIZE[1], space.height)
    left, bottom, right, top = (float(value) for value in rect)
    corners = [space.to_display(x, y) for x, y in ((left, bottom), (right, top))]
    y = max(0.0, min(min(c[1] for c in corners), space.height - height))
    return list(bounds(space.quad(space.width - width, y, width, height)))


def _numbers(values: Sequence[float]) -> ArrayObject:
    return ArrayObject(FloatObject(number(value)) for value in values)
