"""An annotated copy is the document received plus Docket's marks.

The PDFs here carry the annotations other readers write (strike-outs,
underlines, squiggles, FreeText, ink, stamps, sticky notes; some with an
appearance stream, some without). Importing makes marks of some of them;
the copy must keep every one of them exactly and add only Docket's own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from PySide6.QtGui import QColor, QImage

from docket.core.case import Case
from docket.core.exchange.importing import import_web_annotations
from docket.core.export.annotatedpdf import export_annotated_pdf
from docket.core.export.webannotation import write_web_annotations
from docket.core.model.marks import Anchor, Mark, MarkChange, MarkFilter, MarkKind
from docket.core.pdf.annotations import origin_uuid, read_pdf_annotations
from tests.core.export.test_annotatedpdf import render_poppler, render_qtpdf
from tests.core.pdf.test_pdfannotations import acrobat_quads
from tests.core.pdf_factory import write_pdf

LINES = [
    "The witness said the police fired first.",
    "Then the crowd ran to the square.",
    "Counsel objected to the question at once.",
    "The judge overruled the objection.",
    "Nobody recorded the time of the shots.",
]
FREE_TEXT_RECT = (320.0, 500.0, 520.0, 540.0)  # PDF space: left, bottom, right, top
FREE_TEXT_FILL = (0.2, 0.4, 0.9)


def _numbers(*values: float) -> ArrayObject:
    return ArrayObject(FloatObject(value) for value in values)


def _appearance(writer: PdfWriter, bbox: tuple[float, ...], content: str) -> DictionaryObject:
    """An /AP dictionary whose normal appearance draws `content` (a content stream)."""
    stream = DecodedStreamObject()
    stream.set_data(content.encode("ascii"))
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): _numbers(*bbox),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/Font"): DictionaryObject(
                        {
                            NameObject("/Helv"): DictionaryObject(
                                {
                                    NameObject("/Type"): NameObject("/Font"),
                                    NameObject("/Subtype"): NameObject("/Type1"),
                                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                                }
                            )
                        }
                    )
                }
            ),
        }
    )
    return DictionaryObject({NameObject("/N"): writer._add_object(stream)})


def _around(quads: list[float]) -> list[float]:
    return [min(quads[0::2]), min(quads[1::2]), max(quads[0::2]), max(quads[1::2])]


def write_annotated_original(folder: Path) -> Path:
    """A page of text carrying seven kinds of annotation, as other readers write them."""
    folder.mkdir(parents=True, exist_ok=True)
    source = write_pdf(folder / "plain.pdf", ["\n".join(LINES)], title="Hearing")

    def quads(phrase: str) -> list[float]:
        return acrobat_quads(source, 1, phrase)

    writer = PdfWriter(clone_from=PdfReader(source))
    struck, under, squiggle = quads("police fired"), quads("the crowd ran"), quads("objected")
    ink_box = (100.0, 560.0, 220.0, 620.0)
    fields: list[dict[str, Any]] = [
        {
            "/Subtype": "/StrikeOut",
            "/QuadPoints": _numbers(*struck),
            "/Rect": _numbers(*_around(struck)),
            "/C": _numbers(0.9, 0.1, 0.1),
            "/Contents": TextStringObject("Not what he said"),
            "/T": TextStringObject("Opposing counsel"),
            "/NM": TextStringObject("their-strike"),
            "/F": NumberObject(4),
            "/AP": _appearance(
                writer,
                _around(struck),
                f"0.9 0.1 0.1 RG 1 w {struck[4]} {(struck[1] + struck[5]) / 2} m "
                f"{struck[6]} {(struck[1] + struck[5]) / 2} l S\n",
            ),
            "popup": True,
        },
        {  # no appearance stream, no note: the reader draws it from /QuadPoints
            "/Subtype": "/Underline",
            "/QuadPoints": _numbers(*under),
            "/Rect": _numbers(*_around(under)),
            "/C": _numbers(0.1, 0.3, 0.9),
            "/NM": TextStringObject("their-underline"),
            "/F": NumberObject(4),
        },
        {
            "/Subtype": "/Squiggly",
            "/QuadPoints": _numbers(*squiggle),
            "/Rect": _numbers(*_around(squiggle)),
            "/C": _numbers(0.1, 0.7, 0.2),
            "/Contents": TextStringObject("Objection noted"),
            "/F": NumberObject(4),
            "/AP": _appearance(
                writer,
                _around(squiggle),
                f"0.1 0.7 0.2 RG 0.8 w {squiggle[4]} {squiggle[5] + 1} m "
                f"{squiggle[6]} {squiggle[7] + 1} l S\n",
            ),
        },
        {
            "/Subtype": "/FreeText",
            "/Rect": _numbers(*FREE_TEXT_RECT),
            "/Contents": TextStringObject("Exhibit 4 follows"),
            "/DA": TextStringObject("/Helv 12 Tf 0 g"),
            "/T": TextStringObject("Clerk"),
            "/NM": TextStringObject("their-freetext"),
            "/F": NumberObject(4),
            "/AP": _appearance(
                writer,
                FREE_TEXT_RECT,
                "{} {} {} rg {} {} 200 40 re f 0 g BT /Helv 12 Tf {} {} Td "
                "(Exhibit 4 follows) Tj ET\n".format(
                    *FREE_TEXT_FILL,
                    FREE_TEXT_RECT[0],
                    FREE_TEXT_RECT[1],
                    FREE_TEXT_RECT[0] + 8,
                    FREE_TEXT_RECT[1] + 14,
                ),
            ),
        },
        {  # a FreeText without an appearance stream
            "/Subtype": "/FreeText",
            "/Rect": _numbers(320, 420, 520, 450),
            "/Contents": TextStringObject("Second thought"),
            "/DA": TextStringObject("/Helv 10 Tf 1 0 0 rg"),
            "/F": NumberObject(4),
        },
        {
            "/Subtype": "/Ink",
            "/Rect": _numbers(*ink_box),
            "/InkList": ArrayObject([_numbers(105, 565, 160, 615, 215, 570)]),
            "/C": _numbers(0.5, 0.0, 0.5),
            "/NM": TextStringObject("their-ink"),
            "/F": NumberObject(4),
            "/AP": _appearance(
                writer, ink_box, "0.5 0 0.5 RG 2 w 105 565 m 160 615 l 215 570 l S\n"
            ),
        },
        {  # a stamp without an appearance stream
            "/Subtype": "/Stamp",
            "/Rect": _numbers(380, 600, 520, 650),
            "/Name": NameObject("/Approved"),
            "/NM": TextStringObject("their-stamp"),
            "/F": NumberObject(4),
        },
        {
            "/Subtype": "/Text",
            "/Rect": _numbers(540, 760, 560, 780),
            "/Contents": TextStringObject("Check the transcript"),
            "/Name": NameObject("/Note"),
            "/T": TextStringObject("Clerk"),
            "/NM": TextStringObject("their-sticky"),
            "/F": NumberObject(28),
            "popup": True,
        },
    ]
    for entries in fields:
        popup = entries.pop("popup", False)
        annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot")})
        annotation.update(
            {
                NameObject(key): NameObject(value) if type(value) is str else value
                for key, value in entries.items()
            }
        )
        added = writer.add_annotation(0, annotation)
        if popup:
            writer.add_annotation(
                0,
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Annot"),
                        NameObject("/Subtype"): NameObject("/Popup"),
                        NameObject("/Rect"): _numbers(400, 300, 590, 400),
                        NameObject("/Open"): BooleanObject(False),
                        NameObject("/Parent"): added.indirect_reference,
                    }
                ),
            )
    original = folder / "hearing.pdf"
    with open(original, "wb") as handle:
        writer.write(handle)
    return original


def annotations_of(path: Path) -> list[DictionaryObject]:
    return [ref.get_object() for ref in PdfReader(path).pages[0].get("/Annots", [])]


def plain(value: Any, depth: int = 0) -> Any:
    """A pypdf value as plain Python, streams with their bytes; links back up are left out."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if depth > 12:
        return "…"
    if isinstance(value, StreamObject):
        return {"stream": value.get_data(), **plain(DictionaryObject(value), depth + 1)}
    if isinstance(value, dict):
        return {
            str(key): plain(item, depth + 1)
            for key, item in value.items()
            if key not in ("/P", "/Parent", "/Popup", "/Length", "/Filter")
        }
    if isinstance(value, list):
        return [plain(item, depth + 1) for item in value]
    if isinstance(value, float | FloatObject):
        return round(float(value), 3)
    return value


@pytest.fixture()
def hearing(tmp_path: Path) -> Iterator[tuple[Case, int, Path]]:
    original = write_annotated_original(tmp_path / "in")
    case = Case.create(tmp_path / "case")
    doc = case.import_paths([original], workers=0).outcomes[0].doc
    assert doc is not None
    yield case, doc, original
    case.close()


def words(case: Case, doc: int, text: str) -> Anchor:
    start = case.page(doc, 1).text.index(text)
    return Anchor(1, start, 1, start + len(text))


def assert_originals_kept(original: Path, copy: Path) -> list[DictionaryObject]:
    """Every annotation of `original` is in `copy`, in its place, exactly; returns the rest."""
    before, after = annotations_of(original), annotations_of(copy)
    assert len(after) >= len(before)
    for old, new in zip(before, after, strict=False):
        assert new["/Subtype"] == old["/Subtype"]
        for key in ("/AP", "/F", "/Contents", "/Rect", "/NM", "/C", "/QuadPoints", "/DA"):
            assert (key in new) == (key in old), (old["/Subtype"], key)
        assert plain(new) == plain(old), old["/Subtype"]
        assert ("/Popup" in new) == ("/Popup" in old)
        if "/Popup" in old:
            popup = new["/Popup"].get_object()
            assert plain(popup) == plain(old["/Popup"].get_object())
            assert popup["/Parent"].get_object() == new
    return after[len(before) :]


def test_the_copy_keeps_every_annotation_exactly_and_adds_one_highlight(
    hearing: tuple[Case, int, Path], tmp_path: Path
) -> None:
    case, doc, original = hearing
    imported = case.marking.marks(MarkFilter(doc=doc))
    # Three highlights (strike-out, underline, squiggle) and three notes.
    assert sorted(m.kind for m in imported).count(MarkKind.HIGHLIGHT) == 3
    assert len(imported) == 6
    ours = case.marking.highlight(doc, words(case, doc, "judge overruled"), colour="yellow")
    copy = export_annotated_pdf(case, doc, tmp_path / "out" / "copy.pdf")
    added = assert_originals_kept(original, copy)
    assert [str(a["/Subtype"]) for a in added] == ["/Highlight", "/Popup"]
    assert added[0]["/NM"] == ours.uuid
    subtypes = [str(a["/Subtype"]) for a in annotations_of(copy)]
    assert subtypes.count("/Highlight") == 1
    for kind in ("/StrikeOut", "/Underline", "/Squiggly", "/Ink", "/Stamp"):
        assert subtypes.count(kind) == 1
    assert subtypes.count("/FreeText") == 2 and subtypes.count("/Text") == 1


@pytest.mark.parametrize("renderer", ["qtpdf", "poppler"])
def test_the_copy_is_drawn_as_the_original_plus_the_new_highlight(
    hearing: tuple[Case, int, Path], tmp_path: Path, renderer: str
) -> None:
    case, doc, original = hearing
    ours = case.marking.highlight(doc, words(case, doc, "judge overruled"))
    copy = export_annotated_pdf(case, doc, tmp_path / "copy.pdf")
    if renderer == "qtpdf":
        before, after = render_qtpdf(original, 1), render_qtpdf(copy, 1)
    else:
        before = render_poppler(original, 1, tmp_path / "before")
        after = render_poppler(copy, 1, tmp_path / "after")
    assert (before.width(), before.height()) == (after.width(), after.height())
    # The FreeText is still drawn, where it was: its blue box and its words.
    left, bottom, right, top = FREE_TEXT_RECT
    box = (round(left), round(842 - top), round(right - left), round(top - bottom))
    inside = region(before, *box)
    assert sum(1 for pixel in inside if pixel[2] > 180 and pixel[0] < 100) > 0.5 * len(inside)
    assert region(after, *box) == inside
    # Elsewhere the page is the page received, but for the words highlighted.
    mark = ours.rects[0]
    changed = [
        (x, y)
        for y in range(before.height())
        for x in range(before.width())
        if before.pixel(x, y) != after.pixel(x, y)
    ]
    assert changed
    assert all(
        mark.x - 2 <= x <= mark.x + mark.width + 2 and mark.y - 2 <= y <= mark.y + mark.height + 2
        for x, y in changed
    )


def region(image: QImage, x: int, y: int, width: int, height: int) -> list[tuple[int, int, int]]:
    pixels = []
    for row in range(y, y + height):
        for column in range(x, x + width):
            colour = QColor(image.pixel(column, row))
            pixels.append((colour.red(), colour.green(), colour.blue()))
    return pixels


def test_imported_marks_are_named_after_their_annotation(hearing: tuple[Case, int, Path]) -> None:
    case, doc, original = hearing
    sha256 = case.document(doc).sha256
    names = {origin_uuid(sha256, found) for found in read_pdf_annotations(original)}
    assert {mark.uuid for mark in case.marking.marks(MarkFilter(doc=doc))} == names


def test_a_mark_changed_since_import_is_written_beside_the_untouched_original(
    hearing: tuple[Case, int, Path], tmp_path: Path
) -> None:
    case, doc, original = hearing
    imported = {m.quote or m.note: m for m in case.marking.marks(MarkFilter(doc=doc))}
    struck = imported["police fired"]
    renoted = case.marking.change(struck.id, MarkChange(note="He said it twice"))[1]
    recoloured = case.marking.change(imported["the crowd ran"].id, MarkChange(colour="green"))[1]
    note = case.marking.change(imported["Exhibit 4 follows"].id, MarkChange(tags=("Exhibits",)))[1]
    case.marking.delete(imported["objected"].id)  # the squiggle itself stays in the copy
    copy = export_annotated_pdf(case, doc, tmp_path / "copy.pdf")
    added = assert_originals_kept(original, copy)
    written = {str(a["/NM"]): a for a in added if a["/Subtype"] != "/Popup"}
    assert set(written) == {renoted.uuid, recoloured.uuid, note.uuid}
    assert written[renoted.uuid]["/Subtype"] == "/Highlight"
    assert written[renoted.uuid]["/Contents"] == "He said it twice"
    assert written[note.uuid]["/Subtype"] == "/Text"
    assert written[note.uuid]["/Contents"] == "Exhibit 4 follows\n\nTags: Exhibits"


def test_marks_an_older_docket_imported_are_still_recognised(
    hearing: tuple[Case, int, Path], tmp_path: Path
) -> None:
    case, doc, original = hearing
    marks = case.marking.marks(MarkFilter(doc=doc))
    # Before marks were named after their annotation, each had a random uuid.
    with case.database.write() as connection:
        for mark in marks:
            connection.execute(
                "UPDATE marks SET uuid = ? WHERE id = ?", (str(uuid.uuid4()), mark.id)
            )
    ours: Mark = case.marking.highlight(doc, words(case, doc, "judge overruled"))
    copy = export_annotated_pdf(case, doc, tmp_path / "copy.pdf")
    added = assert_originals_kept(original, copy)
    assert [a["/NM"] for a in added if a["/Subtype"] != "/Popup"] == [ours.uuid]


def test_another_case_knows_the_pdfs_marks_again_from_w3c(
    hearing: tuple[Case, int, Path], tmp_path: Path
) -> None:
    case, doc, original = hearing
    ours = case.marking.highlight(doc, words(case, doc, "judge overruled"))
    exported = tmp_path / "marks.jsonld"
    write_web_annotations(case, exported)
    with Case.create(tmp_path / "other") as other:
        other.import_paths([original], workers=0)
        report = import_web_annotations(other, exported)
        # The marks made of the PDF's annotations have the same names in both
        # cases: only Docket's own highlight is new, and no copy writes twice.
        assert len(report.duplicates) == 6
        uuids = sorted(mark.uuid for mark in other.marking.marks())
        assert uuids == sorted(mark.uuid for mark in case.marking.marks())
        copy = export_annotated_pdf(other, other.documents()[0].id, tmp_path / "copy.pdf")
    added = assert_originals_kept(original, copy)
    assert [a["/NM"] for a in added if a["/Subtype"] != "/Popup"] == [ours.uuid]
