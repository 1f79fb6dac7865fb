"""A worker's job hands the importer each page's index terms, in the engine-neutral form."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from docket.core.case import Case
from docket.core.ingest.jobs import run_job
from docket.core.search.analysis import page_term_positions
from docket.core.search.engine import PageTerms
from tests.core.case_factory import COMPLAINT_PAGES, write_matter
from tests.core.pdf_factory import write_pdf


def test_a_pdf_job_carries_each_pages_terms(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "complaint.pdf", COMPLAINT_PAGES, title="Complaint")
    result = pickle.loads(pickle.dumps(run_job(str(path), None)))  # as it crosses the pipe
    assert result.failure is None and result.document is not None
    assert result.terms is not None
    assert [type(terms) for terms in result.terms] == [PageTerms] * len(COMPLAINT_PAGES)
    for page, terms in zip(result.document.pages, result.terms, strict=True):
        assert terms == page_term_positions(page.text)
    assert "tortur" in result.terms[1].names()


def test_a_text_job_carries_its_terms(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("The police fired; the police left.", encoding="utf-8")
    result = run_job(str(path), None)
    assert result.terms is not None
    assert dict(result.terms[0].positions()) == {
        "the": [0, 3], "polic": [1, 4], "fire": [2], "left": [5],
    }  # fmt: skip


def test_a_failed_job_carries_no_terms(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    result = run_job(str(path), None)
    assert (result.document, result.terms) == (None, None)
    assert result.failure == "empty file (0 bytes)"


def test_the_importer_indexes_the_terms_workers_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: dict[str, Sequence[PageTerms] | None] = {}
    store = Case.store_document

    def spy(self: Case, source: Path, *args: Any, **kwargs: Any) -> int:
        handed[source.name] = kwargs.get("terms", args[3] if len(args) > 3 else None)
        return store(self, source, *args, **kwargs)

    monkeypatch.setattr(Case, "store_document", spy)
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=1)
        assert sorted(handed) == ["complaint.pdf", "deposition.pdf", "letter.txt"]
        assert all(terms is not None for terms in handed.values())
        assert len(handed["complaint.pdf"] or ()) == len(COMPLAINT_PAGES)
        assert case.search("tortured").total == 2  # indexed from those terms
        assert case.search('"fired on striking"').total == 1  # positions too
