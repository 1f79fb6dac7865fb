"""Annotated copies of PDFs: real annotations that pypdf, poppler and QtPdf read and draw."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

from docket.core.case import Case
from docket.core.export.annotatedpdf import export_annotated_pdf, export_annotated_pdfs
from docket.core.export.filenames import safe_file_name
from docket.core.model.colours import colour
from docket.core.model.marks import Anchor, Mark, MarkFilter, MarkRect
from docket.core.pdf.space import PageSpace
from tests.core.case_factory import COMPLAINT_PAGES, write_matter
from tests.core.pdf_factory import qt_app, write_encrypted_pdf, write_pdf

Pixel = tuple[int, int, int]


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    opened = Case.create(tmp_path / "case")
    opened.import_paths([write_matter(tmp_path / "matter")], workers=0)
    yield opened
    opened.close()


def doc_titled(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def words(case: Case, doc: int, page: int, text: str) -> Anchor:
    start = case.page(doc, page).text.index(text)
    return Anchor(page, start, page, start + len(text))


def annotations(path: Path, page: int, password: str | None = None) -> list[dict]:
    reader = PdfReader(path)
    if password:
        reader.decrypt(password)
    return [ref.get_object() for ref in reader.pages[page - 1].get("/Annots", [])]


def by_name(path: Path, page: int, name: str) -> dict:
    return next(a for a in annotations(path, page) if a.get("/NM") == name)


def flipped(rect: MarkRect, height: float = 842.0) -> list[float]:
    left, right = rect.x, rect.x + rect.width
    top, bottom = height - rect.y, height - rect.y - rect.height
    return [left, top, right, top, left, bottom, right, bottom]


def render_qtpdf(path: Path, page: int, password: str | None = None) -> QImage:
    """The page at 72 dpi as QtPdf draws it with annotations, over white paper."""
    qt_app()
    document = QPdfDocument()
    if password:
        document.setPassword(password)
    document.load(str(path))
    size = document.pagePointSize(page - 1)
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    drawn = document.render(page - 1, QSize(round(size.width()), round(size.height())), options)
    document.close()
    paper = QImage(drawn.size(), QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, drawn)
    painter.end()
    return paper


def render_poppler(path: Path, page: int, out: Path, password: str | None = None) -> QImage:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; scripts/bootstrap installs it")
    # -cropbox: the page as readers show it (pdftoppm draws the media box otherwise)
    command = [
        "pdftoppm",
        "-r",
        "72",
        "-cropbox",
        "-png",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
    ]
    if password:
        command += ["-upw", password]
    subprocess.run([*command, str(path), str(out)], check=True, timeout=60)
    qt_app()
    return QImage(str(out) + ".png")


def paper_colour(image: QImage, x: float, y: float, width: float, height: float) -> Pixel:
    """The lightest pixel inside a box: the paper (or highlight) between the letters."""
    best = (0, 0, 0)
    for py in range(round(y) + 1, round(y + height) - 1):
        for px in range(round(x) + 1, round(x + width) - 1):
            c = QColor(image.pixel(px, py))
            if sum((c.red(), c.green(), c.blue())) > sum(best):
                best = (c.red(), c.green(), c.blue())
    return best


def looks_yellow(pixel: Pixel) -> bool:
    red, green, blue = pixel
    return red > 200 and green > 180 and blue < 190 and red - blue > 50


def looks_white(pixel: Pixel) -> bool:
    return min(pixel) > 240


def test_every_mark_becomes_an_annotation_with_its_fields(case: Case, tmp_path: Path) -> None:
    doc = doc_titled(case, "Complaint")
    mark = case.marking.highlight(
        doc,
        words(case, doc, 1, "police fired"),
        colour="yellow",
        note="Key admission",
        tags=["Issue/Force"],
        author="Ann",
    )
    out = export_annotated_pdf(
        case, doc, tmp_path / "out" / "complaint.pdf", colour_names={"yellow": "Admission"}
    )
    found = by_name(out, 1, mark.uuid)
    assert found["/Subtype"] == "/Highlight"
    quads = [float(v) for v in found["/QuadPoints"]]
    assert quads == pytest.approx([v for r in mark.rects for v in flipped(r)], abs=0.01)
    assert [float(v) for v in found["/C"]] == pytest.approx(
        [int(colour("yellow").rgb[i : i + 2], 16) / 255 for i in (1, 3, 5)], abs=0.002
    )
    assert found["/Contents"] == "Key admission\n\nTags: Issue/Force"
    assert (found["/T"], found["/Subj"], found["/F"]) == ("Ann", "Admission", 4)
    assert found["/M"].startswith("D:20") and found["/CreationDate"].startswith("D:20")
    left, bottom, right, top = (float(v) for v in found["/Rect"])
    assert (left, right) == pytest.approx((min(quads[0::2]), max(quads[0::2])), abs=0.01)
    assert (bottom, top) == pytest.approx((min(quads[1::2]), max(quads[1::2])), abs=0.01)
    popup = found["/Popup"].get_object()
    assert popup["/Subtype"] == "/Popup"
    assert popup["/Parent"].get_object()["/NM"] == mark.uuid
    appearance = found["/AP"]["/N"].get_object()
    assert [float(v) for v in appearance["/BBox"]] == pytest.approx([left, bottom, right, top])
    graphics = appearance["/Resources"]["/ExtGState"]["/GS0"]
    assert graphics["/BM"] == "/Multiply" and 0.2 < float(graphics["/ca"]) < 0.8


def test_notes_become_sticky_notes_at_the_top_left(case: Case, tmp_path: Path) -> None:
    doc = doc_titled(case, "Complaint")
    page_note = case.marking.add_note(doc, "Ask about the date", page=2, author="Ann")
    doc_note = case.marking.add_note(doc, "Weak on damages", tags=["Review"])
    out = export_annotated_pdf(case, doc, tmp_path / "complaint.pdf")
    on_two = by_name(out, 2, page_note.uuid)
    assert (on_two["/Subtype"], on_two["/Name"], on_two["/Contents"]) == (
        "/Text",
        "/Comment",
        "Ask about the date",
    )
    left, _, right, top = (float(v) for v in on_two["/Rect"])
    assert left < 40 and top > 800 and right - left == pytest.approx(20)
    assert "/AP" in on_two and on_two["/Popup"].get_object()["/Subtype"] == "/Popup"
    on_one = by_name(out, 1, doc_note.uuid)
    assert on_one["/Subj"] == "Document note"
    assert on_one["/Contents"] == "Weak on damages\n\nTags: Review"


def test_the_original_is_untouched_and_its_own_annotations_kept(case: Case, tmp_path: Path) -> None:
    source = write_pdf(tmp_path / "linked.pdf", ["A page with a link\nand more words"])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.add_annotation(
        0,
        {
            "/Type": "/Annot",
            "/Subtype": "/Square",
            "/Rect": [300, 300, 400, 400],
            "/NM": "their-square",
        },
    )
    with open(source, "wb") as handle:
        writer.write(handle)
    doc = case.import_paths([source], workers=0).outcomes[0].doc
    original = case.original_path(doc)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    mark = case.marking.highlight(doc, words(case, doc, 1, "link"))
    out = export_annotated_pdf(case, doc, tmp_path / "copy.pdf")
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    names = [a.get("/NM") for a in annotations(out, 1)]
    assert "their-square" in names and mark.uuid in names
    assert not list(tmp_path.glob(".copy.pdf.*"))  # no temporary file left behind


def test_highlights_are_drawn_by_qtpdf_and_poppler(case: Case, tmp_path: Path) -> None:
    doc = doc_titled(case, "Complaint")
    mark = case.marking.highlight(doc, words(case, doc, 1, "police fired"), colour="yellow")
    plain = case.marking.highlight(doc, words(case, doc, 1, "December"), colour="green")
    case.marking.delete(plain.id)  # only to learn where "December" is on the line
    out = export_annotated_pdf(case, doc, tmp_path / "complaint.pdf")
    box, elsewhere = mark.rects[0], plain.rects[0]
    for image in (render_qtpdf(out, 1), render_poppler(out, 1, tmp_path / "page")):
        assert image.width() == 595
        inside = paper_colour(image, box.x, box.y, box.width, box.height)
        outside = paper_colour(image, elsewhere.x, elsewhere.y, elsewhere.width, elsewhere.height)
        assert looks_yellow(inside), inside
        assert looks_white(outside), outside


def test_a_highlight_across_a_page_break_is_on_both_pages(case: Case, tmp_path: Path) -> None:
    doc = doc_titled(case, "Complaint")
    start = case.page(doc, 1).text.index("in Zhan")
    mark = case.marking.highlight(doc, Anchor(1, start, 2, len("The plaintiffs")))
    out = export_annotated_pdf(case, doc, tmp_path / "complaint.pdf")
    for page in (1, 2):
        quads = [float(v) for v in by_name(out, page, mark.uuid)["/QuadPoints"]]
        expected = [v for r in mark.rects if r.page == page for v in flipped(r)]
        assert quads == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_and_cropped_pages_get_their_highlights_on_the_words(
    tmp_path: Path, rotation: int
) -> None:
    source = write_pdf(tmp_path / "plain.pdf", COMPLAINT_PAGES[:1])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.pages[0].cropbox = RectangleObject([40, 50, 560, 800])
    writer.pages[0].rotate(rotation)
    turned = tmp_path / f"turned-{rotation}.pdf"
    with open(turned, "wb") as handle:
        writer.write(handle)
    with Case.create(tmp_path / "case") as case:
        doc = case.import_paths([turned], workers=0).outcomes[0].doc
        mark = case.marking.highlight(doc, words(case, doc, 1, "police fired"))
        case.marking.add_note(doc, "Upright", page=1)
        out = export_annotated_pdf(case, doc, tmp_path / "out.pdf")
    quads = [float(v) for v in by_name(out, 1, mark.uuid)["/QuadPoints"]]
    # In the PDF's own space the words are where the unrotated page has them:
    # "police fired" on line 2, baseline 104 pt from the top of the 842 pt page.
    assert 200 < min(quads[0::2]) < max(quads[0::2]) < 300
    assert 842 - 110 < min(quads[1::2]) < max(quads[1::2]) < 842 - 90
    image = render_poppler(out, 1, tmp_path / "turned")
    space = PageSpace(40, 50, 560, 800, rotation)
    assert (image.width(), image.height()) == (round(space.width), round(space.height))
    box = mark.rects[0]
    assert looks_yellow(paper_colour(image, box.x, box.y, box.width, box.height))
    # The note's icon stands upright in the displayed page's top-left corner
    # in both renderers: its bubble at the top, its lines of text below.
    for drawn in (image, render_qtpdf(out, 1)):
        bubble = QColor(drawn.pixel(20, 12))
        assert looks_yellow((bubble.red(), bubble.green(), bubble.blue()))
        line = min(QColor(drawn.pixel(16, y)).lightness() for y in range(15, 18))
        assert line < 150  # the middle line of text, 16.5 pt down


def test_an_encrypted_original_gives_a_copy_the_same_password_opens(tmp_path: Path) -> None:
    source = write_encrypted_pdf(tmp_path / "secret.pdf", COMPLAINT_PAGES, "pässwört")
    with Case.create(tmp_path / "case") as case:
        doc = case.import_paths([source], password="pässwört", workers=0).outcomes[0].doc
        mark = case.marking.highlight(doc, words(case, doc, 1, "police fired"))
        out = export_annotated_pdf(case, doc, tmp_path / "copy.pdf")
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("pässwört")
    assert any(a.get("/NM") == mark.uuid for a in annotations(out, 1, "pässwört"))
    box = mark.rects[0]
    image = render_qtpdf(out, 1, "pässwört")
    assert looks_yellow(paper_colour(image, box.x, box.y, box.width, box.height))


def test_several_pdfs_get_safe_unique_names(case: Case, tmp_path: Path) -> None:
    odd = write_pdf(tmp_path / "odd.pdf", ["Exhibit words"], title='Exhibit 7: "Draft" <v2>?*.')
    twin = write_pdf(tmp_path / "twin.pdf", ["Other exhibit words"], title="Complaint")
    case.import_paths([odd, twin], workers=0)
    complaint = doc_titled(case, "Complaint")
    tagged: Mark = case.marking.highlight(
        complaint, words(case, complaint, 1, "police"), tags=["Issue/Force"]
    )
    others = [d.id for d in case.documents() if d.id != complaint]
    for doc in others:
        case.marking.add_note(doc, "seen")
    written = export_annotated_pdfs(case, tmp_path / "exports")
    names = sorted(path.name for path in written)
    assert names == sorted(
        [
            "Complaint (annotated).pdf",
            "Complaint (2) (annotated).pdf",
            "Exhibit 7 Draft v2 (annotated).pdf",
            "Deposition of Batkanbayev (annotated).pdf",
        ]
    )
    assert all(path.is_file() and path.read_bytes().startswith(b"%PDF") for path in written)
    only = export_annotated_pdfs(case, tmp_path / "tagged", marks_filter=MarkFilter(tag="Issue"))
    assert [path.name for path in only] == ["Complaint (annotated).pdf"]
    assert [a.get("/NM") for a in annotations(only[0], 1) if a["/Subtype"] != "/Popup"] == [
        tagged.uuid
    ]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ('Smith v. Jones: "Reply" <final>?', "Smith v. Jones Reply final"),
        ("con", "_con"),
        ("LPT1.backup", "_LPT1.backup"),
        (" ..hidden. ", "hidden"),
        ("tab\tand\nnewline", "tab and newline"),
        ("\u2026", "\u2026"),
        ("???", "doc-3"),
        ("é" * 300, "é" * 100),
    ],
)
def test_file_names_are_safe_everywhere(title: str, name: str) -> None:
    assert safe_file_name(title, "doc-3") == name
