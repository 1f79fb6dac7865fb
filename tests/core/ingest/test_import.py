"""Import of real PDFs and text files: outcomes, originals, dedupe, bad input."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.model.records import DocumentKind, Flag, ImportStatus
from tests.core.case_factory import COMPLAINT_PAGES, write_matter
from tests.core.pdf_factory import (
    write_encrypted_pdf,
    write_image_only_pdf,
    write_labelled_pdf,
    write_pdf,
    write_truncated_pdf,
)


@pytest.fixture
def case(tmp_path: Path):
    with Case.create(tmp_path / "case") as opened:
        yield opened


def statuses(report) -> dict[str, tuple[str, str | None]]:
    return {Path(o.path).name: (str(o.status), o.reason) for o in report.outcomes}


def test_imports_a_folder_recursively_with_text_and_originals(case: Case, tmp_path: Path) -> None:
    matter = write_matter(tmp_path / "matter")
    report = case.import_paths([matter])
    assert statuses(report) == {
        "complaint.pdf": ("imported", None),
        "deposition.pdf": ("imported", None),
        "letter.txt": ("imported", None),
    }
    documents = {d.source_name: d for d in case.documents()}
    complaint = documents["complaint.pdf"]
    assert (complaint.kind, complaint.page_count, complaint.title) == (
        DocumentKind.PDF,
        3,
        "Complaint",
    )
    assert complaint.author == "R. Lawyer"
    source = matter / "pleadings" / "complaint.pdf"
    assert complaint.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    stored = case.original_path(complaint.id)
    assert stored.read_bytes() == source.read_bytes()
    assert stored.name == complaint.sha256 + ".pdf" and stored.parent.name == complaint.sha256[:2]
    page = case.page(complaint.id, 1)
    assert "police fired on striking oil workers\r\nin Zhanaözen" in page.text
    assert page.width == pytest.approx(595, abs=1) and page.label == "1"
    letter = documents["letter.txt"]
    assert letter.kind is DocumentKind.TEXT and letter.encoding.lower().startswith("utf")
    assert case.verify().ok


def test_the_same_file_twice_is_a_duplicate_not_a_copy(case: Case, tmp_path: Path) -> None:
    first = write_pdf(tmp_path / "a.pdf", COMPLAINT_PAGES)
    twin = tmp_path / "copy of a.pdf"
    twin.write_bytes(first.read_bytes())
    report = case.import_paths([first, twin])
    assert [str(o.status) for o in report.outcomes] == ["imported", "duplicate"]
    again = case.import_paths([first])
    assert again.outcomes[0].status is ImportStatus.DUPLICATE
    assert again.outcomes[0].doc == report.outcomes[0].doc
    assert len(case.documents()) == 1
    assert len(list((case.path / "files").glob("*/*"))) == 1


def test_page_labels_outline_and_dates_are_kept(case: Case, tmp_path: Path) -> None:
    path = write_labelled_pdf(
        tmp_path / "brief.pdf",
        ["Cover", "Contents", "Argument one", "Argument two"],
        labels=[(1, "r", "", 1), (3, "D", "", 1)],
        outline=[("Argument", 3, 0), ("Second point", 4, 1)],
        title="Brief",
    )
    case.import_paths([path])
    pages = case.pages(1)
    assert [p.label for p in pages] == ["i", "ii", "1", "2"]
    outline = case.outline(1)
    assert [(e.title, e.page, e.level) for e in outline] == [
        ("Argument", 3, 0),
        ("Second point", 4, 1),
    ]


def test_bad_files_fail_with_reasons_and_never_stop_the_batch(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_pdf(folder / "good.pdf", ["A good page about the police."])
    write_truncated_pdf(folder / "truncated.pdf")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "really-text.pdf").write_text("Just a note, saved with the wrong name.\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    write_encrypted_pdf(folder / "locked.pdf", ["Secret page"], password="s3cret")
    write_image_only_pdf(folder / "scan.pdf", 3)
    (folder / "gone.pdf").symlink_to(folder / "missing-target.pdf")
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder, target_is_directory=True)
    (folder / "loop" / "note.md").write_text("# Note\nThe firing began at noon.\n")

    report = case.import_paths([folder])
    outcome = statuses(report)
    assert outcome["good.pdf"] == ("imported", None)
    assert outcome["note.md"] == ("imported", None)
    assert outcome["truncated.pdf"][0] == "failed" and "damaged" in outcome["truncated.pdf"][1]
    assert outcome["empty.pdf"] == ("failed", "empty file (0 bytes)")
    assert outcome["really-text.pdf"][0] == "failed"
    assert "not a PDF" in outcome["really-text.pdf"][1]
    assert outcome["binary.txt"] == ("failed", "not a text file (binary data)")
    assert outcome["locked.pdf"][0] == "failed" and "password" in outcome["locked.pdf"][1]
    assert outcome["gone.pdf"] == ("failed", "a link that points to nothing")
    assert outcome["scan.pdf"][0] == "imported"
    assert "needs OCR" in outcome["scan.pdf"][1] and "3 pages" in outcome["scan.pdf"][1]
    # only whole documents were stored, each exactly once despite the symlink loop
    names = sorted(d.source_name for d in case.documents())
    assert names == ["good.pdf", "note.md", "scan.pdf"]
    scan = next(d for d in case.documents() if d.source_name == "scan.pdf")
    assert Flag.NO_TEXT_LAYER in scan.flags
    assert len(list((case.path / "files").glob("*/*"))) == 3
    assert case.verify().ok

    unlocked = case.import_paths([folder / "locked.pdf"], password="s3cret")
    assert unlocked.outcomes[0].status is ImportStatus.IMPORTED
    doc = unlocked.outcomes[0].doc
    assert Flag.ENCRYPTED in case.document(doc).flags
    assert "Secret page" in case.page(doc, 1).text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_reported(case: Case, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "private.pdf", ["x"])
    path.chmod(0)
    report = case.import_paths([path])
    assert report.outcomes[0].status is ImportStatus.FAILED
    assert "permission denied" in report.outcomes[0].reason.lower()


def test_parallel_import_matches_in_process_import(tmp_path: Path) -> None:
    matter = write_matter(tmp_path / "matter")
    extra = [write_pdf(tmp_path / f"extra{n}.pdf", [f"Extra page {n} on firing"]) for n in range(4)]
    texts = []
    for workers in (0, 2):
        with Case.create(tmp_path / f"case{workers}") as case:
            report = case.import_paths([matter, *extra], workers=workers)
            assert report.count(ImportStatus.IMPORTED) == 7
            texts.append(
                sorted(
                    (d.sha256, p.number, p.text) for d in case.documents() for p in case.pages(d.id)
                )
            )
    assert texts[0] == texts[1]


def test_cancel_keeps_whole_documents_only(case: Case, tmp_path: Path) -> None:
    from docket.core.progress import CancelToken

    paths = [write_pdf(tmp_path / f"doc{n}.pdf", [f"Page of document {n}"] * 2) for n in range(6)]
    cancel = CancelToken()

    def stop_after_two(progress) -> None:
        if progress.files_done >= 2:
            cancel.cancel()

    report = case.import_paths(paths, progress=stop_after_two, cancel=cancel, workers=0)
    assert report.cancelled
    stored = case.documents()
    assert 2 <= len(stored) < 6
    assert all(len(case.pages(d.id)) == d.page_count == 2 for d in stored)
    assert case.verify().ok


def test_index_commits_its_batch_before_the_last_files_are_read(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Near the end of an import the waiting pages are committed while the last
    files are still read, so the final commit is small; results are the same."""
    from docket.core.ingest import pipeline as importer

    monkeypatch.setattr(importer, "FINAL_PAGES", 6)
    paths = [
        write_pdf(tmp_path / f"doc{n}.pdf", [f"Page one of exhibit {n}", "Page two"])
        for n in range(10)
    ]
    report = case.import_paths(paths, workers=0)
    assert report.count(ImportStatus.IMPORTED) == 10
    assert len(case.index._ix._segments()) == 2  # the early commit, then the last pages
    assert case.search("exhibit", limit=20).total == 10
    assert case.verify().ok


def test_a_small_import_is_committed_once(case: Case, tmp_path: Path) -> None:
    paths = [write_pdf(tmp_path / f"doc{n}.pdf", [f"Exhibit {n}"]) for n in range(3)]
    case.import_paths(paths, workers=0)
    assert len(case.index._ix._segments()) == 1


def test_a_small_index_queue_makes_the_import_wait_not_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.core.search import feed as indexfeed

    monkeypatch.setattr(indexfeed, "MAX_QUEUED_PAGES", 3)
    paths = [
        write_pdf(tmp_path / f"doc{n}.pdf", [f"Exhibit {n} page one", "page two"]) for n in range(8)
    ]
    with Case.create(tmp_path / "case") as case:
        report = case.import_paths(paths, workers=0)
        assert report.count(ImportStatus.IMPORTED) == 8
        assert case.search("exhibit", limit=20).total == 8
        assert case.verify().ok
