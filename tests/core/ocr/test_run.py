"""Case.ocr end to end: scans imported into a real case, read by the real Tesseract."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

from docket.core.case import Case
from docket.core.errors import CaseError
from docket.core.model.records import DocumentKind, Flag, OcrState
from docket.core.ocr import chunks, run
from docket.core.ocr.model import OcrPageRequest, OcrPageResult, OcrWord
from docket.core.ocr.tesseract import OcrUnavailable
from docket.core.progress import CancelToken, Progress
from tests.core.ocr.scanned_case import (
    blank_image,
    import_one,
    joined_pdf,
    scanned_pdf,
    text_pdf,
)
from tests.core.ocr.scans import (
    ENGLISH,
    RUSSIAN,
    scan_image,
    scribbled_image,
    word_box,
    write_scanned_pdf,
)

T = TypeVar("T")


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.create(tmp_path / "case") as opened:
        yield opened


def test_a_scan_is_found_by_its_words_on_the_right_page(case: Case, tmp_path: Path) -> None:
    pdf = scanned_pdf(tmp_path / "scan.pdf", [ENGLISH, RUSSIAN])
    received = pdf.read_bytes()
    doc = import_one(case, pdf)
    assert case.document(doc).ocr is OcrState.PENDING
    assert case.pending_ocr() == [doc]
    case.set_ocr_languages(doc, "eng+rus")  # its own languages win over the run's
    seen: list[Progress] = []

    report = case.ocr(languages="eng", progress=seen.append, workers=2)

    (outcome,) = report.documents
    assert (outcome.doc, outcome.state, outcome.pages_read) == (doc, OcrState.DONE, 2)
    assert not report.cancelled and report.pages == 2
    assert (seen[-1].files_done, seen[-1].files_total) == (2, 2)
    document = case.document(doc)
    assert document.ocr is OcrState.DONE and case.pending_ocr() == []
    assert Flag.NO_TEXT_LAYER not in document.flags
    hits = case.search("adjourned").results
    assert [(hit.doc, hit.page) for hit in hits] == [(doc, 1)]
    ((start, end),) = hits[0].hits
    assert case.page(doc, 1).text[start:end] == "adjourned"
    russian = case.search("заседание").results
    assert [(hit.doc, hit.page) for hit in russian] == [(doc, 2)]
    ((start, end),) = russian[0].hits
    assert case.page(doc, 2).text[start:end] == "Заседание"
    infos = case.ocr_pages(doc)
    assert [(info.page, info.languages) for info in infos] == [(1, "eng+rus"), (2, "eng+rus")]
    assert all(info.confidence > 80 and not info.low for info in infos)
    # The original is untouched and still verifies; the reader opens the rendition.
    assert case.original_path(doc).read_bytes() == received
    assert case.verify().problems == ()
    assert case.pdf_path(doc).parent == case.layout.derived


def test_pages_with_text_are_left_and_a_blank_page_keeps_its_own(
    case: Case, tmp_path: Path
) -> None:
    typed = text_pdf(tmp_path / "typed.pdf", ["\n".join(ENGLISH[:4])])
    scans = scanned_pdf(tmp_path / "scans.pdf", [ENGLISH[4:], []])
    doc = import_one(case, joined_pdf(tmp_path / "mixed.pdf", [typed, scans]))
    typed_text = case.page(doc, 1).text

    (outcome,) = case.ocr(workers=1).documents

    assert (outcome.state, outcome.pages_read) == (OcrState.DONE, 2)
    assert case.page(doc, 1).text == typed_text  # never read
    assert "adjourned" in case.page(doc, 2).text
    assert case.page(doc, 3).text == ""  # read, found nothing: no layer
    infos = {info.page: info for info in case.ocr_pages(doc)}
    assert sorted(infos) == [2, 3] and infos[3].confidence == -1
    again = case.ocr([doc], workers=1).documents[0]
    assert (again.state, again.pages_read) == (OcrState.DONE, 0)  # read once is enough


def test_without_tesseract_the_document_says_why_and_nothing_else_changes(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:2]]))
    monkeypatch.setenv("DOCKET_TESSERACT", "/nonexistent")

    (outcome,) = case.ocr().documents

    assert outcome.state is OcrState.UNAVAILABLE and "tesseract-ocr" in outcome.note
    document = case.document(doc)
    assert document.ocr is OcrState.UNAVAILABLE and document.ocr_note == outcome.note
    assert case.page(doc, 1).text == "" and case.ocr_pages(doc) == []
    assert case.pdf_path(doc) == case.original_path(doc)
    assert case.verify().problems == ()


def test_a_language_without_its_pack_is_named(case: Case, tmp_path: Path) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:2]]))
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-xyz"):
        case.set_ocr_languages(doc, "eng+xyz")
    assert case.document(doc).ocr_languages == ""

    (outcome,) = case.ocr(languages="eng+xyz").documents

    assert outcome.state is OcrState.UNAVAILABLE and "tesseract-ocr-xyz" in outcome.note
    assert case.document(doc).ocr is OcrState.UNAVAILABLE
    assert case.page(doc, 1).text == ""


def test_cancel_keeps_the_chunks_stored_and_leaves_the_rest_pending(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "CHUNK_PAGES", 1)
    doc = import_one(
        case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:2], ENGLISH[2:4], ENGLISH[4:6]])
    )
    cancel = CancelToken()

    def stop_after_one(step: Progress) -> None:
        if step.files_done >= 1:
            cancel.cancel()

    report = case.ocr(progress=stop_after_one, cancel=cancel, workers=0)

    (outcome,) = report.documents
    assert report.cancelled and (outcome.state, outcome.pages_read) == (OcrState.PENDING, 1)
    assert [info.page for info in case.ocr_pages(doc)] == [1]
    assert "plaintiff" in case.page(doc, 1).text and case.page(doc, 2).text == ""
    assert [hit.page for hit in case.search("plaintiff").results] == [1]
    assert case.pending_ocr() == [doc]

    (rest,) = case.ocr(workers=0).documents

    assert (rest.state, rest.pages_read) == (OcrState.DONE, 2)
    assert [hit.page for hit in case.search("witness").results] == [2]


def test_a_skipped_document_waits_for_a_run_that_names_it(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:2]]))
    case.skip_ocr([doc])
    assert case.document(doc).ocr is OcrState.SKIPPED and case.pending_ocr() == []
    assert case.ocr().documents == ()
    monkeypatch.setattr(chunks, "LOW_CONFIDENCE", 101.0)  # every page read is doubtful

    (outcome,) = case.ocr([doc], workers=0).documents

    assert (outcome.state, outcome.pages_read) == (OcrState.DONE, 1)
    assert outcome.low_confidence_pages == (1,)
    assert Flag.OCR_LOW_CONFIDENCE in case.document(doc).flags


def test_a_page_scanned_sideways_is_read_upright(case: Case, tmp_path: Path) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:4]], rotation=90))
    sideways = case.page(doc, 1)
    assert sideways.width > sideways.height

    (outcome,) = case.ocr(workers=0).documents

    assert outcome.state is OcrState.DONE
    page = case.page(doc, 1)
    assert (round(page.width), round(page.height)) == (595, 842)  # shown upright
    assert [info.rotation for info in case.ocr_pages(doc)] == [90]
    anchor = case.marking.anchor_for_quote(doc, 1, "signed agreement")
    mark = case.marking.highlight(doc, anchor)
    box, end = word_box(ENGLISH, 3, 7), word_box(ENGLISH, 3, 8)
    assert mark.rects and abs(mark.rects[0].x - box.left()) < 2.5
    assert abs(mark.rects[0].y + mark.rects[0].height / 2 - box.center().y()) < 8
    # The highlight reaches the end of its last word's ink (not a letter short).
    assert abs(mark.rects[-1].x + mark.rects[-1].width - end.right()) < 2.5


def test_an_image_is_read_and_shown_through_its_rendition(case: Case, tmp_path: Path) -> None:
    picture = tmp_path / "letter.png"
    assert scan_image(ENGLISH[:3]).save(str(picture))
    doc = import_one(case, picture)
    blank = import_one(case, blank_image(tmp_path / "blank.png"))
    assert case.document(doc).kind is DocumentKind.IMAGE
    assert set(case.pending_ocr()) == {doc, blank}
    before = case.pdf_path(doc)
    assert before.name.endswith("-v0.pdf") and before.is_file()

    report = case.ocr(workers=2)

    assert [(o.doc, o.state) for o in report.documents] == [
        (doc, OcrState.DONE),
        (blank, OcrState.DONE),
    ]
    assert [hit.doc for hit in case.search("complaint").results] == [doc]
    after = case.pdf_path(doc)
    assert after.name.endswith("-v1.pdf") and not before.exists()
    assert case.page(blank, 1).text == ""
    assert case.pdf_path(blank).is_file()
    assert case.verify().problems == ()


def test_every_store_runs_through_the_commit_it_is_given(case: Case, tmp_path: Path) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:2]]))
    calls: list[str] = []

    with ThreadPoolExecutor(1, thread_name_prefix="writer") as writer:

        def on_writer(work: Callable[[], T]) -> T:
            def run() -> T:
                calls.append(threading.current_thread().name)
                return work()

            return writer.submit(run).result()

        (outcome,) = case.ocr(workers=0, commit=on_writer).documents

    assert outcome.state is OcrState.DONE
    assert len(calls) == 2 and all(name.startswith("writer") for name in calls)  # state, chunk
    assert [hit.doc for hit in case.search("plaintiff").results] == [doc]


def _unreadable_layer(request: OcrPageRequest) -> OcrPageResult:
    words = (OcrWord("plaintiff", 72, 90, 50, 12, 95.0),)
    layer = b"%PDF-1.7 not a page"
    return OcrPageResult(request.doc, request.page, request.languages, words, 95.0, 0, layer)


def _second_page_fails(request: OcrPageRequest) -> OcrPageResult:
    if request.page == 2:
        return OcrPageResult(request.doc, 2, request.languages, failure="Tesseract failed: boom")
    return OcrPageResult(request.doc, request.page, request.languages)  # nothing on it


def test_a_reading_that_cannot_be_stored_fails_the_document_and_stores_nothing(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [ENGLISH[:2]]))

    (outcome,) = run.run_ocr(case, workers=0, job=_unreadable_layer).documents

    assert outcome.state is OcrState.FAILED and "could not be stored" in outcome.note
    assert case.document(doc).ocr is OcrState.FAILED
    assert case.ocr_pages(doc) == [] and case.page(doc, 1).text == ""
    assert not case.layout.derived.exists() or not any(case.layout.derived.iterdir())
    with pytest.raises(CaseError, match="no document 99"):
        case.ocr([doc, 99])


def test_a_page_that_fails_fails_its_document_and_the_others_are_kept(
    case: Case, tmp_path: Path
) -> None:
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [[], ENGLISH[:2]]))

    (outcome,) = run.run_ocr(case, workers=0, job=_second_page_fails).documents

    assert outcome.state is OcrState.FAILED and outcome.note == "page 2: Tesseract failed: boom"
    assert [info.page for info in case.ocr_pages(doc)] == [1]  # read, and kept as it was
    (again,) = case.ocr([doc], workers=0).documents  # a run that names it reads the rest
    assert (again.state, again.pages_read) == (OcrState.DONE, 1)


def test_a_scanned_production_received_is_known_by_its_printed_bates_numbers(
    case: Case, tmp_path: Path
) -> None:
    pages = [[*ENGLISH[:3], "ACME000101"], [*ENGLISH[3:6], "ACME000102"]]
    doc = import_one(case, scanned_pdf(tmp_path / "production.pdf", pages))

    (outcome,) = case.ocr(workers=0).documents

    assert outcome.state is OcrState.DONE
    found = case.search("bates:ACME000102").results
    assert [(hit.doc, hit.page) for hit in found] == [(doc, 2)]
    assert case.citing.bates_number(doc, 1) == "ACME000101"


def _nothing_found(request: OcrPageRequest) -> OcrPageResult:
    return OcrPageResult(request.doc, request.page, request.languages)  # a blank page


def test_each_store_waits_for_as_many_pages_as_are_stored_so_stores_grow_as_log_n(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each store re-indexes the whole document and writes its rendition again:
    # a store every CHUNK_PAGES made a long scan's storing quadratic.
    monkeypatch.setattr(run, "CHUNK_PAGES", 1)
    doc = import_one(case, scanned_pdf(tmp_path / "scan.pdf", [[]] * 9))
    stored_after: list[int] = []  # pages stored once each store is done
    store = chunks.apply_chunk

    def counted(*args: object, **kwargs: object) -> tuple[int, ...]:
        orphaned = store(*args, **kwargs)  # type: ignore[arg-type]
        stored_after.append(len(case.ocr_pages(doc)))
        return orphaned

    monkeypatch.setattr(run, "apply_chunk", counted)

    (outcome,) = run.run_ocr(case, workers=0, job=_nothing_found).documents

    assert (outcome.state, outcome.pages_read) == (OcrState.DONE, 9)
    # Each time as many new pages as are stored, and the last: not after every page.
    assert stored_after == [1, 2, 4, 8, 9]
    assert [info.page for info in case.ocr_pages(doc)] == list(range(1, 10))


def test_a_page_read_as_empty_that_has_ink_flags_its_document(case: Case, tmp_path: Path) -> None:
    pdf = tmp_path / "scribble.pdf"
    write_scanned_pdf(pdf, [scan_image(ENGLISH[:2]), scribbled_image(), scan_image([])])
    doc = import_one(case, pdf)

    (outcome,) = case.ocr(workers=0).documents

    assert outcome.state is OcrState.DONE
    assert outcome.low_confidence_pages == (2,)  # not page 3, blank paper
    assert Flag.OCR_LOW_CONFIDENCE in case.document(doc).flags
    infos = {info.page: info for info in case.ocr_pages(doc)}
    assert (infos[2].low, infos[3].low) == (True, False)
