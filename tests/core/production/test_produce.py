"""Productions (issue 18): Bates-stamped copies, load files, numbering, and the case
knowing each produced page's number (search, cites). Documents are written here."""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.production.numbering import NumberingError
from docket.core.production.produce import (
    PageContext,
    ProductionError,
    ProductionExists,
    ProductionOptions,
    produce,
)
from docket.core.production.stamp import SIDE, Position, shown_size
from docket.core.storage import bates as batestore
from tests.core.case_factory import highlight_words
from tests.core.pdf_factory import qt_app, write_encrypted_pdf, write_pdf

LEGEND = "CONFIDENTIAL — SUBJECT TO PROTECTIVE ORDER"


@pytest.fixture
def case(tmp_path: Path) -> Case:
    qt_app()
    sources = tmp_path / "sources"
    sources.mkdir()
    write_pdf(sources / "letter.pdf", ["Dear Sir, the police fired.", "Yours, the clerk."])
    turned = sources / "turned.pdf"
    write_pdf(turned, ["A landscape table of payments."], title="Payments")
    writer = PdfWriter(clone_from=PdfReader(turned))
    writer.pages[0].rotate(90)
    writer.write(turned)
    (sources / "memo.txt").write_text("Memo: the witness list.\n\fPage two of the memo.\n")
    opened = Case.create(tmp_path / "case")
    opened.import_paths(sorted(sources.iterdir()), workers=0)  # no pool to start: 3 small files
    yield opened
    opened.close()


def _ids(case: Case) -> dict[str, int]:
    return {document.source_name: document.id for document in case.documents()}


def _pypdf_texts(path: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def _qtpdf_texts(path: Path) -> list[str]:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(None)
    assert document.load(str(path)) == QPdfDocument.Error.None_
    texts = [" ".join(document.getAllText(n).text().split()) for n in range(document.pageCount())]
    document.close()
    return texts


def _options(out: Path, case: Case, **changes: object) -> ProductionOptions:
    ids = _ids(case)
    docs = (ids["letter.pdf"], ids["turned.pdf"], ids["memo.txt"])
    settings: dict[str, object] = {"out": out, "prefix": "ABC", "docs": docs, **changes}
    return ProductionOptions(**settings)  # type: ignore[arg-type]


def test_every_page_carries_its_number_legend_and_exhibit(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "vol1"
    result = produce(case, _options(out, case, legend=LEGEND, exhibits=True))
    assert [(d.begin, d.end, d.file) for d in result.documents] == [
        ("ABC000001", "ABC000002", "ABC000001.pdf"),
        ("ABC000003", "ABC000003", "ABC000003.pdf"),
        ("ABC000004", "ABC000005", "ABC000004.pdf"),
    ]
    expected = {
        "ABC000001.pdf": (["ABC000001", "ABC000002"], ["the police", "the clerk"]),
        "ABC000003.pdf": (["ABC000003"], ["payments"]),
        "ABC000004.pdf": (["ABC000004", "ABC000005"], ["witness list", "Page two"]),
    }
    for exhibit, (name, (labels, words)) in enumerate(expected.items(), start=1):
        for texts in (_pypdf_texts(out / name), _qtpdf_texts(out / name)):
            assert len(texts) == len(labels)
            for number, (text, label, word) in enumerate(zip(texts, labels, words, strict=True)):
                assert label in text and word in text  # the page's own words are kept
                assert LEGEND in text
                assert (f"Exhibit {exhibit}" in text) == (number == 0)
    # Nothing but the set itself is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "sources", "vol1"]


def test_the_stamp_sits_at_the_foot_of_a_turned_page_as_shown(case: Case, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    out = tmp_path / "vol1"
    produce(case, _options(out, case))
    page = PdfReader(out / "ABC000003.pdf").pages[0]
    assert page.rotation == 90
    html = subprocess.run(
        ["pdftotext", "-bbox", str(out / "ABC000003.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import re

    word = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>ABC000003</word>', html)
    assert word is not None
    width, height = shown_size(page)
    assert width > height  # shown landscape
    # pdftotext measures the words from the top left of the page as shown: bottom right.
    assert float(word.group(2)) > height - 40 and float(word.group(1)) > width / 2
    # On an upright page, measured in the PDF's points: 24 pt from the right edge.
    upright = subprocess.run(
        ["pdftotext", "-bbox", str(out / "ABC000001.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    right = re.search(r'<word [^>]*xMax="([\d.]+)"[^>]*>ABC000001</word>', upright)
    assert right is not None
    page_width = float(PdfReader(out / "ABC000001.pdf").pages[0].cropbox.width)
    assert abs(page_width - SIDE - float(right.group(1))) < 2


def test_load_files_give_each_documents_range(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "vol1"
    produce(case, _options(out, case))
    with (out / "loadfile.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    originals = {d.source_name: d.sha256 for d in case.documents()}
    assert [(r["BegBates"], r["EndBates"], r["Pages"], r["OriginalName"]) for r in rows] == [
        ("ABC000001", "ABC000002", "2", "letter.pdf"),
        ("ABC000003", "ABC000003", "1", "turned.pdf"),
        ("ABC000004", "ABC000005", "2", "memo.txt"),
    ]
    assert all(r["SHA256"] == originals[r["OriginalName"]] for r in rows)
    dat = (out / "loadfile.dat").read_text(encoding="utf-8-sig").splitlines()
    assert len(dat) == 4 and dat[1].startswith("þABC000001þ\x14þABC000002þ")
    opt = (out / "loadfile.opt").read_text().splitlines()
    assert opt[0] == "ABC000001,vol1,ABC000001.pdf,Y,,,2"
    assert opt[1] == "ABC000002,vol1,ABC000001.pdf,,,,"
    assert len(opt) == 5


def test_numbers_continue_across_productions_and_never_repeat(case: Case, tmp_path: Path) -> None:
    ids = _ids(case)
    first = produce(case, _options(tmp_path / "vol1", case))
    second = produce(
        case, ProductionOptions(out=tmp_path / "vol2", prefix="ABC", docs=(ids["letter.pdf"],))
    )
    assert (first.numbers.first, first.numbers.last) == (1, 5)
    assert (second.numbers.first, second.numbers.last) == (6, 7)
    assert "ABC000006" in _pypdf_texts(tmp_path / "vol2" / "ABC000006.pdf")[0]
    # Another prefix starts at 1 again.
    other = produce(
        case, ProductionOptions(out=tmp_path / "x", prefix="XYZ", docs=(ids["memo.txt"],))
    )
    assert other.numbers.first == 1
    # A start inside an earlier range: refused, nothing written, the case unchanged.
    before = batestore.productions(case.database.read())
    with pytest.raises(NumberingError, match="would repeat"):
        produce(
            case,
            ProductionOptions(
                out=tmp_path / "vol3", prefix="ABC", start=4, docs=(ids["letter.pdf"],)
            ),
        )
    assert not (tmp_path / "vol3").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert batestore.productions(case.database.read()) == before
    # A start clear of every range is taken as given.
    third = produce(
        case,
        ProductionOptions(out=tmp_path / "vol3", prefix="ABC", start=100, docs=(ids["memo.txt"],)),
    )
    assert third.numbers.label(third.numbers.first) == "ABC000100"


def test_search_finds_a_page_by_its_bates_number_and_range(case: Case, tmp_path: Path) -> None:
    ids = _ids(case)
    produce(case, _options(tmp_path / "vol1", case))
    hits = case.search("ABC000002").results
    assert [(h.doc, h.page, h.source) for h in hits] == [(ids["letter.pdf"], 2, "bates")]
    found = case.search("bates:[ABC000002 TO ABC000004]").results
    assert sorted((h.doc, h.page) for h in found) == sorted(
        [(ids["letter.pdf"], 2), (ids["turned.pdf"], 1), (ids["memo.txt"], 1)]
    )
    assert [(h.doc, h.page) for h in case.search("bates:ABC000005").results] == [
        (ids["memo.txt"], 2)
    ]
    assert case.search("bates:[XYZ000001 TO XYZ000009]").results == ()
    # The numbers survive a rebuild of the index from the case alone.
    case.reindex()
    assert [(h.doc, h.page) for h in case.search("bates:ABC000003").results] == [
        (ids["turned.pdf"], 1)
    ]


def test_cites_and_the_case_name_the_pages_bates_number(case: Case, tmp_path: Path) -> None:
    ids = _ids(case)
    produce(case, _options(tmp_path / "vol1", case))
    assert case.citing.bates_number(ids["letter.pdf"], 2) == "ABC000002"
    assert case.citing.bates_number(ids["memo.txt"], 1) == "ABC000004"
    produce(case, ProductionOptions(out=tmp_path / "vol2", prefix="DEF", docs=(ids["letter.pdf"],)))
    assert case.citing.bates_number(ids["letter.pdf"], 2) == "DEF000002"  # the latest
    mark = highlight_words(case, ids["letter.pdf"], 2, "the clerk")
    assert case.citing.cite(mark).cite.endswith("at 2 (DEF000002)")


def test_the_originals_are_never_changed(case: Case, tmp_path: Path) -> None:
    before = {
        d.id: hashlib.sha256(case.original_path(d.id).read_bytes()).hexdigest()
        for d in case.documents()
    }
    produce(case, _options(tmp_path / "vol1", case, legend=LEGEND, exhibits=True))
    for document in case.documents():
        data = case.original_path(document.id).read_bytes()
        assert hashlib.sha256(data).hexdigest() == before[document.id] == document.sha256
    assert case.verify().ok


def test_an_out_folder_with_files_is_refused_unless_forced(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "vol1"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ProductionExists, match="--force"):
        produce(case, _options(out, case))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert batestore.productions(case.database.read()) == []
    produce(case, _options(out, case, force=True))
    assert sorted(p.name for p in out.iterdir())[:2] == ["ABC000001.pdf", "ABC000003.pdf"]
    assert not (out / "notes.txt").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    produce(case, _options(empty, case, start=50))  # an empty folder is simply used
    assert (empty / "ABC000050.pdf").is_file()


def test_bad_input_is_refused_with_nothing_written(case: Case, tmp_path: Path) -> None:
    out = tmp_path / "vol1"
    with pytest.raises(NumberingError, match="cannot be stamped"):
        produce(case, _options(out, case, prefix="AB C/"))
    with pytest.raises(ProductionError, match="--doc or --tag"):
        produce(case, ProductionOptions(out=out, prefix="ABC"))
    with pytest.raises(ProductionError, match="no document is tagged"):
        produce(case, ProductionOptions(out=out, prefix="ABC", tag="Privileged"))
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "sources"]


def test_documents_chosen_by_tag_and_positions(case: Case, tmp_path: Path) -> None:
    ids = _ids(case)
    case.marking.tag_document(ids["memo.txt"], ["Production/One"])
    result = produce(
        case,
        ProductionOptions(
            out=tmp_path / "vol1", prefix="T-", tag="Production", position=Position.BOTTOM_LEFT
        ),
    )
    assert [d.doc_id for d in result.documents] == [ids["memo.txt"]]
    assert "T-000001" in _pypdf_texts(tmp_path / "vol1" / "T-000001.pdf")[0]


def test_an_encrypted_original_is_opened_with_its_stored_password(
    case: Case, tmp_path: Path
) -> None:
    locked = write_encrypted_pdf(tmp_path / "locked.pdf", ["Sealed words."], "s3cret")
    case.import_paths([locked], password="s3cret")
    doc = _ids(case)["locked.pdf"]
    produce(case, ProductionOptions(out=tmp_path / "vol1", prefix="ENC", docs=(doc,)))
    text = _pypdf_texts(tmp_path / "vol1" / "ENC000001.pdf")[0]
    assert "Sealed words." in text and "ENC000001" in text
    with case.database.write() as connection:  # as if the password had never been kept
        connection.execute("UPDATE documents SET password = NULL WHERE id = ?", (doc,))
    with pytest.raises(ProductionError, match="encrypted and the case has no password"):
        produce(case, ProductionOptions(out=tmp_path / "vol2", prefix="ENC", docs=(doc,)))
    assert not (tmp_path / "vol2").exists()


def test_a_page_filter_sees_each_page_before_it_is_stamped(case: Case, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []

    def record(page: object, context: PageContext) -> object:
        seen.append((context.doc_id, context.page, context.bates))
        return page

    ids = _ids(case)
    produce(
        case,
        ProductionOptions(out=tmp_path / "vol1", prefix="ABC", docs=(ids["letter.pdf"],)),
        page_filter=record,  # type: ignore[arg-type]
    )
    assert seen == [(ids["letter.pdf"], 1, "ABC000001"), (ids["letter.pdf"], 2, "ABC000002")]


def test_a_readonly_case_cannot_produce(case: Case, tmp_path: Path) -> None:
    path = case.path
    case.close()
    with Case.open(path, readonly=True) as readonly, pytest.raises(DocketError):
        produce(readonly, ProductionOptions(out=tmp_path / "v", prefix="ABC", docs=(1,)))


def test_a_received_productions_printed_numbers_are_recognised_on_import(
    case: Case, tmp_path: Path
) -> None:
    produce(case, _options(tmp_path / "vol1", case, prefix="DEF", start=41, legend=LEGEND))
    received = tmp_path / "received"
    received.mkdir()
    write_pdf(received / "invoice.pdf", ["Invoice ABC123456 for services", "Total due"])
    with Case.create(tmp_path / "theirs") as theirs:
        theirs.import_paths([tmp_path / "vol1" / "DEF000041.pdf", received / "invoice.pdf"])
        ids = {d.source_name: d.id for d in theirs.documents()}
        rows = batestore.document_pages(theirs.database.read(), ids["DEF000041.pdf"])
        assert [(r.number, r.label, r.production_id) for r in rows] == [
            (1, "DEF000041", None),
            (2, "DEF000042", None),
        ]
        # A number in the text that does not run page to page is not a Bates number.
        assert batestore.document_pages(theirs.database.read(), ids["invoice.pdf"]) == []
        hits = theirs.search("bates:[DEF000042 TO DEF000050]").results
        assert [(h.doc, h.page, h.source) for h in hits] == [(ids["DEF000041.pdf"], 2, "bates")]
        assert theirs.citing.bates_number(ids["DEF000041.pdf"], 2) == "DEF000042"


def test_an_image_is_produced_from_its_rendition(tmp_path: Path) -> None:
    from tests.core.image_factory import solid_image, write_tiff

    qt_app()
    scan = write_tiff(tmp_path / "scan.tiff", [solid_image(850, 1100, "#f0f0e8")] * 2)
    with Case.create(tmp_path / "case") as opened:
        opened.import_paths([scan], workers=1)
        opened.skip_ocr(opened.pending_ocr())  # no text to read on a blank page
        doc = opened.documents()[0].id
        result = produce(opened, ProductionOptions(out=tmp_path / "vol", prefix="IMG", docs=(doc,)))
        assert result.documents[0].end == "IMG000002"
        texts = _pypdf_texts(tmp_path / "vol" / "IMG000001.pdf")
        assert ["IMG000001" in texts[0], "IMG000002" in texts[1]] == [True, True]
