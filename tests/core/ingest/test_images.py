"""Images as documents: PNG, JPEG and multi-page TIFF import as pages sized by their
dpi, their PDF pages show the pixels, and bad images are refused with the reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from docket.core.case import Case
from docket.core.errors import ExtractionError
from docket.core.ingest.images import read_image_document
from docket.core.ingest.jobs import extract_file
from docket.core.model.records import DocumentKind, Flag, OcrState
from docket.core.pdf.imagepdf import image_document_pdf, image_page_pdf
from tests.core.image_factory import (
    solid_image,
    with_exif_orientation,
    write_image,
    write_png_claiming,
    write_tiff,
)
from tests.core.pdf_factory import write_pdf


@pytest.fixture
def case(tmp_path: Path):
    with Case.create(tmp_path / "case") as opened:
        yield opened


def statuses(report) -> dict[str, tuple[str, str | None]]:
    return {Path(o.path).name: (str(o.status), o.reason) for o in report.outcomes}


def three_frames() -> list[QImage]:
    return [solid_image(400, 600, "black", dpi=200) for _ in range(3)]


def open_pdf(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    return document, buffer  # the buffer must outlive the document


def colour_at(image: QImage, x: float, y: float) -> QColor:
    return QColor(image.pixel(int(x * (image.width() - 1)), int(y * (image.height() - 1))))


# --- import ------------------------------------------------------------------------


def test_a_folder_of_images_imports_them_as_documents_sized_by_their_dpi(
    case: Case, tmp_path: Path
) -> None:
    folder = tmp_path / "exhibits"
    write_image(folder / "Exhibit 4 letter.png", solid_image(600, 900, "navy", dpi=200), "PNG")
    write_image(folder / "photo.jpg", solid_image(300, 150, "red", dpi=150), "JPEG")
    write_tiff(folder / "fax bundle.tif", three_frames(), dpi=200)
    # No resolution in the file: 300 dpi, not the 96 or 100 Qt would make up.
    write_tiff(folder / "no-dpi.tiff", [solid_image(900, 300, "black")], dpi=None)
    # Content decides, not the name: a scan saved as .pdf is still an image.
    write_image(folder / "scan.pdf", solid_image(144, 72, "green", dpi=72), "PNG")
    write_pdf(folder / "typed.pdf", ["A typed page about the strike."])

    report = case.import_paths([folder])

    outcome = statuses(report)
    assert set(outcome) == {
        "Exhibit 4 letter.png", "photo.jpg", "fax bundle.tif", "no-dpi.tiff", "scan.pdf",
        "typed.pdf",
    }  # fmt: skip
    assert all(status == "imported" for status, _ in outcome.values())
    assert outcome["fax bundle.tif"][1] == "no text layer — needs OCR (3 pages)"
    documents = {d.source_name: d for d in case.documents()}
    sizes = {
        name: [(p.label, p.text, p.width, p.height) for p in case.pages(d.id)]
        for name, d in documents.items()
        if d.kind is DocumentKind.IMAGE
    }
    assert sizes == {
        "Exhibit 4 letter.png": [("1", "", 216.0, 324.0)],  # 600 × 900 px at 200 dpi
        "photo.jpg": [("1", "", 144.0, 72.0)],
        "fax bundle.tif": [(str(n), "", 144.0, 216.0) for n in (1, 2, 3)],
        "no-dpi.tiff": [("1", "", 216.0, 72.0)],
        "scan.pdf": [("1", "", 144.0, 72.0)],
    }
    assert documents["typed.pdf"].kind is DocumentKind.PDF
    bundle = documents["fax bundle.tif"]
    assert (bundle.kind, bundle.page_count, bundle.title) == (DocumentKind.IMAGE, 3, "fax bundle")
    assert Flag.NO_TEXT_LAYER in bundle.flags
    assert {d.ocr for d in documents.values() if d.kind is DocumentKind.IMAGE} == {
        OcrState.PENDING
    }  # every page of an image waits for OCR
    assert documents["Exhibit 4 letter.png"].title == "Exhibit 4 letter"
    # The original is kept byte for byte, under its own kind of name.
    stored = case.original_path(bundle.id)
    assert stored.read_bytes() == (folder / "fax bundle.tif").read_bytes()
    assert stored.suffix == ".tif"
    assert case.original_path(documents["scan.pdf"].id).suffix == ".png"  # named by content
    assert case.verify().ok


def test_bad_images_are_refused_with_the_reason_and_nothing_is_stored(
    case: Case, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    good_png = write_image(tmp_path / "good.png", solid_image(200, 200, "black"), "PNG")
    data = good_png.read_bytes()
    (folder).mkdir()
    (folder / "cut.png").write_bytes(data[: len(data) // 2])
    jpeg = write_image(tmp_path / "good.jpg", solid_image(200, 200, "black"), "JPEG")
    (folder / "cut.jpg").write_bytes(jpeg.read_bytes()[:-400])  # Qt would show it grey-filled
    (folder / "empty.tif").write_bytes(b"II*\x00\x00\x00\x00\x00")  # a TIFF with no frames
    write_png_claiming(folder / "bomb.png", 100_000, 100_000)
    write_png_claiming(folder / "banner.png", 40_000, 100)  # few pixels, but too long a side
    (folder / "holiday.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(200))
    (folder / "noise.png").write_bytes(bytes(range(256)) * 4)
    tiff = write_tiff(tmp_path / "two.tif", three_frames()[:2])
    broken = bytearray(tiff.read_bytes())
    # the second frame's strip points past the end of the file
    second_strip = broken.rfind((256).to_bytes(2, "little") + (4).to_bytes(2, "little"))
    directory_start = second_strip - 2
    entry = directory_start + 2 + 5 * 12  # StripOffsets, the sixth entry
    broken[entry + 8 : entry + 12] = (10**8).to_bytes(4, "little")
    (folder / "torn.tif").write_bytes(bytes(broken))

    report = case.import_paths([folder])

    outcome = statuses(report)
    assert {name: status for name, (status, _) in outcome.items()} == dict.fromkeys(
        ["cut.png", "cut.jpg", "empty.tif", "bomb.png", "banner.png", "holiday.heic",
         "noise.png", "torn.tif"],
        "failed",
    )  # fmt: skip
    reasons = {name: reason for name, (_, reason) in outcome.items()}
    assert reasons["cut.png"] == "damaged image: the PNG cannot be decoded (truncated or corrupted)"
    assert reasons["cut.jpg"] == "damaged image: the JPEG is cut short (its end is missing)"
    assert reasons["empty.tif"] == "damaged image: the TIFF has no pages (zero frames)"
    assert reasons["bomb.png"] == (
        "too large to process safely: 100,000 × 100,000 pixels "
        "(the limit is 60 million pixels and 32,767 a side)"
    )
    assert reasons["banner.png"].startswith("too large to process safely: 40,000 × 100 pixels")
    assert reasons["holiday.heic"] == (
        "unsupported image format (.heic): Docket reads PNG, JPEG, TIFF, GIF, BMP or WebP images"
    )
    assert reasons["noise.png"] == (
        "damaged image: its content is not a PNG, JPEG, TIFF, GIF, BMP or WebP image (.png)"
    )
    assert reasons["torn.tif"] == (
        "damaged image: page 2 of 2 of the TIFF cannot be decoded (truncated or corrupted)"
    )
    assert case.documents() == []
    assert list((case.path / "files").glob("*/*")) == []
    assert case.verify().ok


def test_a_gif_bmp_and_webp_are_read_too(tmp_path: Path) -> None:
    image = solid_image(100, 50, "black", dpi=100)
    for fmt in ("BMP", "WEBP"):
        document = extract_file(write_image(tmp_path / f"x.{fmt.lower()}", image, fmt))
        assert document.kind is DocumentKind.IMAGE and document.page_count == 1
    assert extract_file(tmp_path / "x.bmp").pages[0].width == pytest.approx(72.0)


def test_reading_an_image_never_decodes_a_bomb(tmp_path: Path) -> None:
    bomb = write_png_claiming(tmp_path / "bomb.png", 100_000, 100_000)
    with pytest.raises(ExtractionError, match="too large to process safely"):
        read_image_document(bomb)
    with pytest.raises(ExtractionError, match="too large to process safely"):
        image_page_pdf(bomb, 0)


# --- the PDF pages ----------------------------------------------------------------


def test_a_png_page_shows_its_pixels_at_its_size(tmp_path: Path) -> None:
    png = write_image(tmp_path / "page.png", solid_image(400, 200, "#1040c0", dpi=100), "PNG")
    document, _buffer = open_pdf(image_page_pdf(png, 0))
    assert document.pageCount() == 1
    size = document.pagePointSize(0)
    assert (size.width(), size.height()) == pytest.approx((288.0, 144.0))
    shown = document.render(0, QSize(400, 200))
    assert colour_at(shown, 0.1, 0.5).name() == "#1040c0"  # lossless: the exact colour
    assert colour_at(shown, 0.9, 0.5).name() == "#ffffff"  # the right half, on the right
    assert colour_at(shown, 0.25, 0.02).name() == "#1040c0"  # filled to the top edge


def test_a_jpeg_is_embedded_byte_for_byte(tmp_path: Path) -> None:
    jpeg = write_image(tmp_path / "photo.jpg", solid_image(320, 240, "red", dpi=160), "JPEG", 90)
    data = image_page_pdf(jpeg, 0)
    assert jpeg.read_bytes() in data
    image = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"]["/Im0"]
    assert image["/Filter"] == "/DCTDecode" and image["/ColorSpace"] == "/DeviceRGB"
    document, _buffer = open_pdf(data)
    size = document.pagePointSize(0)
    assert (size.width(), size.height()) == pytest.approx((144.0, 108.0))
    shown = document.render(0, QSize(320, 240))
    red = colour_at(shown, 0.2, 0.5)
    assert red.red() > 230 and red.green() < 30 and red.blue() < 30


def test_a_phone_photo_is_shown_the_way_its_exif_orientation_says(tmp_path: Path) -> None:
    photo = write_image(tmp_path / "phone.jpg", solid_image(300, 200, "red", dpi=100), "JPEG", 95)
    with_exif_orientation(photo, 6)  # stored lying on its side: turn 90° clockwise
    page = read_image_document(photo).pages[0]
    assert (page.width, page.height) == pytest.approx((144.0, 216.0))  # portrait
    data = image_page_pdf(photo, 0)
    assert photo.read_bytes() not in data  # its stored bytes are not the page
    document, _buffer = open_pdf(data)
    size = document.pagePointSize(0)
    assert (size.width(), size.height()) == pytest.approx((144.0, 216.0))
    shown = document.render(0, QSize(200, 300))
    top, bottom = colour_at(shown, 0.5, 0.2), colour_at(shown, 0.5, 0.8)
    assert top.red() > 230 and top.green() < 40  # the red left half is now on top
    assert bottom.name() in ("#ffffff", "#fefefe", "#fdfdfd")


def test_every_tiff_frame_is_a_page_in_order(tmp_path: Path) -> None:
    frames = three_frames()
    shades = (0, 100, 200)
    for frame, shade in zip(frames, shades, strict=True):
        painter = QPainter(frame)
        painter.fillRect(0, 0, 200, 600, QColor(shade, shade, shade))
        painter.end()
    tiff = write_tiff(tmp_path / "bundle.tif", frames, dpi=200)
    out = io.BytesIO()
    image_document_pdf(tiff).write(out)
    document, _buffer = open_pdf(out.getvalue())
    assert document.pageCount() == 3
    for page, shade in enumerate(shades):
        size = document.pagePointSize(page)
        assert (size.width(), size.height()) == pytest.approx((144.0, 216.0))
        assert colour_at(document.render(page, QSize(400, 600)), 0.2, 0.5).red() == shade
    second, _second_buffer = open_pdf(image_page_pdf(tiff, 1))
    assert colour_at(second.render(0, QSize(400, 600)), 0.2, 0.5).red() == 100
    with pytest.raises(ExtractionError, match="no page 4"):
        image_page_pdf(tiff, 3)


def test_a_black_and_white_scan_stays_one_bit_and_transparency_is_white(tmp_path: Path) -> None:
    scan = QImage(800, 100, QImage.Format.Format_Mono)
    scan.fill(0)  # the colour table's first entry
    painter = QPainter(scan)
    painter.fillRect(0, 0, 400, 100, QColor("black"))
    painter.fillRect(400, 0, 400, 100, QColor("white"))
    painter.end()
    mono = write_image(tmp_path / "fax.tif", scan, "TIFF")
    data = image_page_pdf(mono, 0)
    image = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"]["/Im0"]
    assert image["/BitsPerComponent"] == 1
    shown = open_pdf(data)[0].render(0, QSize(800, 100))
    assert (colour_at(shown, 0.2, 0.5).name(), colour_at(shown, 0.8, 0.5).name()) == (
        "#000000",
        "#ffffff",
    )

    clear = QImage(100, 100, QImage.Format.Format_ARGB32)
    clear.fill(QColor(0, 0, 255, 0))
    painter = QPainter(clear)
    painter.fillRect(0, 0, 50, 100, QColor(0, 0, 255, 255))
    painter.end()
    png = write_image(tmp_path / "clear.png", clear, "PNG")
    document, _buffer = open_pdf(image_page_pdf(png, 0))
    shown = document.render(0, QSize(100, 100))
    assert (colour_at(shown, 0.2, 0.5).name(), colour_at(shown, 0.8, 0.5).name()) == (
        "#0000ff",
        "#ffffff",
    )


def test_page_sizes_and_ocr_take_an_image_at_the_same_resolution() -> None:
    from docket.core.ocr.render import image_dpi as ocr_dpi
    from docket.core.pdf.imageframes import image_dpi as page_dpi

    cases = [(0, 0), (11811, 11811), (7874, 7874), (8031, 7717), (1968, 1968), (1900, 3000)]
    cases += [(47244, 47244), (47300, 47300), (3780, 3780), (10**9, 10**9)]
    for dots in cases:
        assert page_dpi(*dots) == ocr_dpi(*dots), dots


# --- read by OCR -------------------------------------------------------------------


def test_a_tiffs_pages_are_read_by_ocr_and_highlighted_on_their_words(
    case: Case, tmp_path: Path
) -> None:
    from tests.core.ocr.scans import ENGLISH, scan_image, word_box

    first, second = ENGLISH[:2], ENGLISH[4:7]
    # 200 dpi, stated in the file: the page is sized by it, and OCR reads it so too.
    tiff = write_tiff(
        tmp_path / "bundle.tif", [scan_image(first, dpi=200), scan_image(second, dpi=200)], dpi=200
    )
    report = case.import_paths([tiff], workers=1)
    doc = report.outcomes[0].doc
    assert doc is not None
    page = case.page(doc, 2)
    assert (page.width, page.height) == pytest.approx((595.0, 842.0), abs=0.5)  # A4

    (outcome,) = case.ocr(languages="eng", workers=2).documents

    assert outcome.state is OcrState.DONE and outcome.pages_read == 2
    assert [hit.page for hit in case.search("adjourned").results] == [2]  # frame 2 is page 2
    assert [hit.page for hit in case.search("plaintiff").results] == [1]
    mark = case.marking.highlight(doc, case.marking.anchor_for_quote(doc, 2, "adjourned"))
    (rect,) = mark.rects
    drawn = word_box(second, 2, 3)  # "adjourned", where it was drawn on the page
    assert rect.page == 2
    assert abs(rect.x - drawn.x()) < 4 and abs(rect.y + rect.height / 2 - drawn.center().y()) < 6
    assert case.verify().ok  # the original TIFF untouched

    from docket.core.export.annotatedpdf import export_annotated_pdf

    copy = PdfReader(export_annotated_pdf(case, doc, tmp_path / "annotated.pdf"))
    assert len(copy.pages) == 2
    subtypes = [a.get_object()["/Subtype"] for a in copy.pages[1]["/Annots"]]
    assert subtypes.count("/Highlight") == 1 and "/Annots" not in copy.pages[0]
    assert "adjourned" in copy.pages[1].extract_text()  # the copy carries the OCR text


def test_a_decoder_crash_on_an_image_is_called_a_damaged_image(tmp_path: Path) -> None:
    from docket.core.ingest.workers import ExtractionPool
    from tests.core.ingest.image_jobs import crash_on_first_page

    png = write_image(tmp_path / "scan.png", solid_image(20, 20, "black"), "PNG")
    pdf = write_pdf(tmp_path / "typed.pdf", ["A page."])
    pool = ExtractionPool(1, job=crash_on_first_page)
    try:
        failures = [pool.result(pool.submit(str(path), None)).failure for path in (png, pdf)]
    finally:
        pool.shutdown(cancel_pending=True)
    assert failures == [
        "damaged image: the image decoder crashed while reading page 1",
        "damaged PDF: the PDF engine crashed while reading page 1",
    ]


def test_a_tiff_of_more_frames_than_allowed_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.core.pdf import imageframes

    tiff = write_tiff(tmp_path / "many.tif", three_frames())
    monkeypatch.setattr(imageframes, "MAX_FRAMES", 2)
    with pytest.raises(ExtractionError) as refused:
        extract_file(tiff)
    assert (
        str(refused.value) == "too large to process safely: 3 pages in one image (the limit is 2)"
    )
