"""Marks already in PDFs: other readers' highlights and notes become Docket marks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from PySide6.QtPdf import QPdfDocument

from docket.cli.main import main
from docket.core.case import Case
from docket.core.export.annotatedpdf import export_annotated_pdf
from docket.core.model.colours import HIGHLIGHT_COLOURS
from docket.core.model.marks import Anchor, Mark, MarkFilter, MarkKind
from docket.core.pdf.annotations import may_carry_marks, read_pdf_annotations
from docket.core.pdf.values import nearest_colour, parse_pdf_date, split_tags
from tests.core.case_factory import COMPLAINT_PAGES
from tests.core.pdf_factory import qt_app, write_encrypted_pdf, write_pdf

TWO_LINES = ["The witness said the police fired first.\nThen the crowd ran to the square."]


def acrobat_quads(
    path: Path, page: int, phrase: str, password: str | None = None, pad: float = 2.0
) -> list[float]:
    """QuadPoints over `phrase` as Acrobat draws them: one per line, a little taller."""
    qt_app()
    document = QPdfDocument()
    if password:
        document.setPassword(password)
    document.load(str(path))
    text = document.getAllText(page - 1).text()
    start = text.index(phrase)
    height = document.pagePointSize(page - 1).height()
    quads: list[float] = []
    for polygon in document.getSelectionAtIndex(page - 1, start, len(phrase)).bounds():
        box = polygon.boundingRect()
        if box.width() <= 0:
            continue
        left, right = box.left() - 0.5, box.right() + 0.5
        top, bottom = height - box.top() + pad, height - box.bottom() - pad
        quads += [left, top, right, top, left, bottom, right, bottom]
    document.close()
    # QtPdf may give a line as several boxes; one quad per line is what readers write.
    lines: dict[float, list[float]] = {}
    for i in range(0, len(quads), 8):
        q = quads[i : i + 8]
        line = lines.setdefault(round(q[1]), list(q))
        line[0] = line[4] = min(line[0], q[0])
        line[2] = line[6] = max(line[2], q[2])
    return [value for q in lines.values() for value in q]


def add_annotations(
    path: Path, page: int, annotations: Sequence[dict], password: str | None = None
) -> Path:
    """Writes `annotations` into the PDF with pypdf, as another reader would have."""
    reader = PdfReader(path)
    if password:
        reader.decrypt(password)
    writer = PdfWriter(clone_from=reader)
    for fields in annotations:
        quads = fields.get("/QuadPoints", [])
        around = (
            [min(quads[0::2]), min(quads[1::2]), max(quads[0::2]), max(quads[1::2])]
            if (len(quads) >= 8)
            else [72, 780, 92, 800]
        )
        writer.add_annotation(page - 1, {"/Type": "/Annot", "/Rect": around, **fields})
    if password:
        writer.encrypt(password, algorithm="AES-256")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def highlight(
    path: Path, page: int, phrase: str, subtype: str = "/Highlight", **fields: object
) -> dict:
    return {
        "/Subtype": subtype,
        "/QuadPoints": acrobat_quads(path, page, phrase),
        **{f"/{key}": value for key, value in fields.items()},
    }


def imported(tmp_path: Path, pdf: Path, **options: object) -> tuple[Case, int, list[Mark]]:
    case = Case.create(tmp_path / "case")
    report = case.import_paths([pdf], workers=0, **options)  # type: ignore[arg-type]
    doc = report.outcomes[0].doc
    assert doc is not None
    return case, doc, case.marking.marks(MarkFilter(doc=doc))


def test_other_readers_highlights_and_notes_become_marks(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "complaint.pdf", COMPLAINT_PAGES)
    add_annotations(
        pdf,
        1,
        [
            highlight(
                pdf,
                1,
                "police fired",
                C=[1, 1, 0],
                Contents="Their admission",
                T="Opposing Counsel",
                M="D:20120514103000+06'00'",
            ),
            highlight(pdf, 1, "striking oil workers", "/Underline", C=[0.1, 0.4, 0.95]),
            {"/Subtype": "/Text", "/Contents": "Check the date", "/T": "Ann", "/C": [0, 0.8, 0.2]},
            {"/Subtype": "/Highlight", "/QuadPoints": [300, 300, 400, 300, 300, 280, 400, 280]},
            {"/Subtype": "/Text", "/Contents": ""},  # an empty note says nothing
            {"/Subtype": "/Link", "/Rect": [72, 72, 100, 100]},
        ],
    )
    add_annotations(
        pdf,
        2,
        [
            highlight(pdf, 2, "torture in custody", "/StrikeOut", C=[0.95, 0.4, 0.65]),
            highlight(pdf, 2, "denial\r\nof counsel", "/Squiggly", C=[1, 0.6, 0.2]),
            {"/Subtype": "/FreeText", "/Contents": "Nine days!", "/DA": "/Helv 10 Tf 0 g"},
        ],
    )
    case, _, marks = imported(tmp_path, pdf)
    with case:
        outcome = case.import_paths([pdf], workers=0).outcomes[0]
        assert outcome.status == "duplicate"  # nothing imported twice
        found = {(m.kind, m.page, m.quote): m for m in marks}
        admission = found[(MarkKind.HIGHLIGHT, 1, "police fired")]
        assert (admission.colour, admission.note, admission.author) == (
            "yellow",
            "Their admission",
            "Opposing Counsel",
        )
        assert found[(MarkKind.HIGHLIGHT, 1, "striking oil workers")].colour == "blue"
        assert found[(MarkKind.HIGHLIGHT, 2, "torture in custody")].colour == "pink"
        assert found[(MarkKind.HIGHLIGHT, 2, "denial of counsel")].colour == "orange"
        note = found[(MarkKind.PAGE_NOTE, 1, "")]
        assert (note.note, note.author, note.colour) == ("Check the date", "Ann", "green")
        assert found[(MarkKind.PAGE_NOTE, 2, "")].note == "Nine days!"
        assert len(marks) == 6
        assert case.search("admission").total == 1  # the marks are in the index


def test_the_outcome_says_how_many_marks_came_from_the_pdf(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "complaint.pdf", COMPLAINT_PAGES)
    add_annotations(
        pdf,
        1,
        [
            highlight(pdf, 1, "police fired"),
            {"/Subtype": "/Highlight", "/QuadPoints": [300, 300, 400, 300, 300, 280, 400, 280]},
        ],
    )
    with Case.create(tmp_path / "case") as case:
        outcome = case.import_paths([pdf], workers=0).outcomes[0]
        assert outcome.reason == "1 mark from the PDF, 1 skipped"


def test_no_annotations_leaves_them_out(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pdf = write_pdf(tmp_path / "complaint.pdf", COMPLAINT_PAGES)
    add_annotations(pdf, 1, [highlight(pdf, 1, "police fired", Contents="theirs")])
    case, _, marks = imported(tmp_path, pdf, import_annotations=False)
    case.close()
    assert marks == []
    for flag, expected in (("--no-annotations", 0), ("", 1)):
        folder = tmp_path / f"cli{flag}"
        assert main(["new", str(folder)]) == 0
        arguments = ["import", str(folder), str(pdf), "--quiet"] + ([flag] if flag else [])
        assert main(arguments) == 0
        with Case.open(folder, readonly=True) as opened:
            assert len(opened.marking.marks()) == expected
    assert "1 mark from the PDF" in capsys.readouterr().out


def test_a_highlight_over_two_lines_is_one_mark(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "two.pdf", TWO_LINES)
    add_annotations(pdf, 1, [highlight(pdf, 1, "fired first.\r\nThen the crowd")])
    case, _, marks = imported(tmp_path, pdf)
    case.close()
    assert [m.quote for m in marks] == ["fired first. Then the crowd"]


@pytest.mark.parametrize("pad", [0.0, 3.5])
def test_tight_and_loose_quads_find_the_same_words(tmp_path: Path, pad: float) -> None:
    pdf = write_pdf(tmp_path / "two.pdf", TWO_LINES)
    quads = acrobat_quads(pdf, 1, "police", pad=pad)
    add_annotations(
        pdf,
        1,
        [{"/Subtype": "/Highlight", "/QuadPoints": quads}, highlight(pdf, 1, "a", T="one letter")],
    )  # the "a" of "said"
    case, _, marks = imported(tmp_path, pdf)
    case.close()
    assert sorted(m.quote for m in marks) == ["a", "police"]


def test_replies_join_the_note_they_answer(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "two.pdf", TWO_LINES)
    reader = PdfReader(pdf)
    writer = PdfWriter(clone_from=reader)
    first = writer.add_annotation(
        0,
        {
            "/Type": "/Annot",
            **highlight(pdf, 1, "police fired"),
            "/Rect": [0, 0, 1, 1],
            "/Contents": "Who fired?",
        },
    )
    for text, extra in (("The police did.", {}), ("", {"/StateModel": "Review"})):
        writer.add_annotation(
            0,
            {
                "/Type": "/Annot",
                "/Subtype": "/Text",
                "/Rect": [0, 0, 9, 9],
                "/Contents": text,
                "/T": "Bo",
                "/IRT": first.indirect_reference,
                **extra,
            },
        )
    with open(pdf, "wb") as handle:
        writer.write(handle)
    [only] = read_pdf_annotations(pdf)
    assert only.contents == "Who fired?\n\nBo: The police did."


def test_a_damaged_annotation_is_skipped_not_fatal(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "two.pdf", TWO_LINES)
    add_annotations(
        pdf,
        1,
        [
            {"/Subtype": "/Highlight", "/QuadPoints": ["x", "y"], "/Rect": ["bad"]},
            {"/Subtype": "/Text", "/Contents": "still here", "/C": ["odd"], "/M": "yesterday"},
        ],
    )
    [note] = read_pdf_annotations(pdf)
    assert (note.contents, note.colour, note.modified) == ("still here", "yellow", None)
    case, _, marks = imported(tmp_path, pdf)
    case.close()
    assert [m.note for m in marks] == ["still here"]


def test_encrypted_pdfs_give_their_marks_with_the_password(tmp_path: Path) -> None:
    pdf = write_encrypted_pdf(tmp_path / "secret.pdf", TWO_LINES, "pässwört")
    quads = acrobat_quads(pdf, 1, "the crowd", password="pässwört")
    add_annotations(pdf, 1, [{"/Subtype": "/Highlight", "/QuadPoints": quads}], password="pässwört")
    case, _, marks = imported(tmp_path, pdf, password="pässwört")
    case.close()
    assert [m.quote for m in marks] == ["the crowd"]


def write_rotated(folder: Path, rotation: int) -> Path:
    source = write_pdf(folder / "plain.pdf", COMPLAINT_PAGES)
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        page.cropbox = RectangleObject([30, 40, 570, 810])
        page.rotate(rotation)
    turned = folder / f"turned-{rotation}.pdf"
    with open(turned, "wb") as handle:
        writer.write(handle)
    return turned


@pytest.mark.parametrize("rotation", [0, 90, 270])
def test_a_round_trip_through_an_annotated_copy_keeps_every_mark(
    tmp_path: Path, rotation: int
) -> None:
    pdf = write_rotated(tmp_path, rotation)
    with Case.create(tmp_path / "first") as first:
        doc = first.import_paths([pdf], workers=0).outcomes[0].doc
        assert doc is not None
        text = first.page(doc, 1).text

        def at(words: str) -> Anchor:
            return Anchor(1, text.index(words), 1, text.index(words) + len(words))

        first.marking.highlight(
            doc, at("police fired"), colour="pink", note="Key", tags=["A/B"], author="Ann"
        )
        first.marking.highlight(doc, at("Karimova"), colour="green")
        first.marking.highlight(doc, Anchor(1, text.index("in Zhan"), 2, 14), colour="blue")
        first.marking.add_note(doc, "Page two matters", page=2, author="Ann")
        first.marking.add_note(doc, "The whole complaint", colour="purple")
        made = sorted(_summary(m) for m in first.marking.marks())
        copy = export_annotated_pdf(first, doc, tmp_path / "copy.pdf")
        again = export_annotated_pdf(first, doc, tmp_path / "again.pdf")
    with Case.create(tmp_path / "second") as second:
        second.import_paths([copy], workers=0)
        assert sorted(_summary(m) for m in second.marking.marks()) == made
        # An annotated copy of the copy has each mark once: the PDF's own
        # annotations that became marks are not written twice.
        doc = second.documents()[0].id
        twice = export_annotated_pdf(second, doc, tmp_path / "twice.pdf")
    for page in (1, 2):
        count = len(_markup(again, page))
        assert len(_markup(twice, page)) == count


def _summary(mark: Mark) -> tuple[object, ...]:
    return (
        mark.kind,
        mark.page,
        mark.end_page,
        mark.quote,
        mark.colour,
        mark.note,
        mark.tags,
        mark.author,
    )


def _markup(path: Path, page: int) -> list[str]:
    annotations = PdfReader(path).pages[page - 1].get("/Annots", [])
    return [str(a.get_object()["/Subtype"]) for a in annotations]


def test_a_glance_at_the_bytes_spares_pypdf_most_pdfs(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "plain.pdf", TWO_LINES)
    assert not may_carry_marks(pdf) and read_pdf_annotations(pdf) == []
    add_annotations(pdf, 1, [{"/Subtype": "/Link"}])
    assert not may_carry_marks(pdf)
    add_annotations(pdf, 1, [highlight(pdf, 1, "police")])
    assert may_carry_marks(pdf) and len(read_pdf_annotations(pdf)) == 1


def test_helpers_read_dates_colours_and_tags() -> None:
    assert parse_pdf_date("D:20120514103000+06'00'") == datetime(
        2012, 5, 14, 10, 30, tzinfo=timezone(timedelta(hours=6))
    )
    assert parse_pdf_date("D:20240101120000Z") == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert parse_pdf_date("D:2019") == datetime(2019, 1, 1, tzinfo=UTC)
    assert parse_pdf_date("D:20241399") is None and parse_pdf_date(None) is None
    assert nearest_colour([1, 1, 0]) == "yellow" and nearest_colour([0, 0, 1]) == "blue"
    assert nearest_colour([1, 1, 0.6]) == "yellow"  # pdf.js's pale highlighter yellow
    for ours in HIGHLIGHT_COLOURS:  # what Docket exports comes back as itself
        rgb = [int(ours.rgb[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        assert nearest_colour(rgb) == ours.key
    assert nearest_colour([0.5, 0.5, 0.5]) == "yellow"  # grey: the default colour
    assert nearest_colour([0, 0, 0, 1]) == "yellow" and nearest_colour([0.5, 0, 0.8]) == "purple"
    assert split_tags("A note\n\nTags: Issue/Force, Witness") == (
        "A note",
        ("Issue/Force", "Witness"),
    )
    assert split_tags("Tags: X") == ("", ("X",))
    assert split_tags("No tags here") == ("No tags here", ())


def _with_object_stream(pdf: Path, objects: bytes, filter_name: bytes = b"/FlateDecode") -> Path:
    """`pdf` with an object stream appended, as writers that compress objects make them
    (pdfTeX puts every annotation of a manual in such streams)."""
    import zlib

    data = zlib.compress(objects) if filter_name == b"/FlateDecode" else objects
    stream = (
        b"\n90 0 obj\n<< /Type /ObjStm /N 1 /First 6 /Filter "
        + filter_name
        + b" /Length "
        + str(len(data)).encode()
        + b" >>\nstream\n"
        + data
        + b"\nendstream\nendobj\n"
    )
    pdf.write_bytes(pdf.read_bytes() + stream)
    return pdf


def test_marks_inside_compressed_object_streams_are_seen(tmp_path: Path) -> None:
    links = _with_object_stream(
        write_pdf(tmp_path / "links.pdf", TWO_LINES),
        b"89 0 << /Type /Annot /Subtype /Link /Rect [0 0 9 9] >>",
    )
    assert not may_carry_marks(links)  # a manual's thousand links: pypdf is spared
    marked = _with_object_stream(
        write_pdf(tmp_path / "marked.pdf", TWO_LINES),
        b"89 0 << /Type /Annot /Subtype /Highlight /Rect [0 0 9 9] >>",
    )
    assert may_carry_marks(marked)
    unknown = _with_object_stream(
        write_pdf(tmp_path / "lzw.pdf", TWO_LINES), b"not inflatable", b"/LZWDecode"
    )
    assert may_carry_marks(unknown)  # cannot look inside: maybe
