"""Review coverage: pages recorded per reviewer, counted once, coverage per document."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.review.coverage import MARKED, default_reviewer, parse_pages
from tests.core.pdf_factory import write_pdf


@pytest.fixture
def case(tmp_path: Path) -> Case:
    folder = tmp_path / "matter"
    folder.mkdir()
    write_pdf(folder / "a.pdf", [f"Page {n} of A" for n in range(1, 6)], title="Alpha Report")
    write_pdf(folder / "b.pdf", ["Only page of B"], title="Beta Memo")
    opened = Case.create(tmp_path / "case")
    opened.import_paths(sorted(folder.iterdir()), workers=1)
    yield opened
    opened.close()


def ids(case: Case) -> dict[str, int]:
    return {d.title: d.id for d in case.documents()}


def test_pages_count_once_per_reviewer_and_once_per_document(case: Case) -> None:
    a = ids(case)["Alpha Report"]
    assert case.review.record(a, [1, 2, 2], "Dana") == 2
    assert case.review.record(a, [2, 3], "Dana") == 1  # page 2 again: nothing new
    assert case.review.record(a, [3, 4], "Lee", how=MARKED) == 2
    assert case.review.reviewed_pages(a) == {1, 2, 3, 4}
    assert case.review.reviewed_pages(a, "Lee") == {3, 4}
    coverage = {c.doc: c for c in case.review.coverage()}
    assert (coverage[a].pages, coverage[a].reviewed_pages) == (5, 4)
    assert coverage[a].by_reviewer == {"Dana": 3, "Lee": 2}
    assert coverage[a].percent == 80 and not coverage[a].complete
    assert coverage[ids(case)["Beta Memo"]].reviewed_pages == 0
    mine = {c.doc: c for c in case.review.coverage("Lee")}
    assert mine[a].reviewed_pages == 2
    assert case.review.reviewers() == ["Dana", "Lee"]
    with case.database.write() as connection:  # the first time is kept
        how = connection.execute(
            "SELECT how FROM page_views WHERE doc_id = ? AND number = 3 AND reviewer = 'Dana'", (a,)
        ).fetchone()[0]
    assert how == "viewed"


def test_a_fully_read_document_is_complete(case: Case) -> None:
    b = ids(case)["Beta Memo"]
    case.review.record(b, [1], "Dana")
    assert next(c for c in case.review.coverage() if c.doc == b).complete


def test_bad_input_changes_nothing(case: Case) -> None:
    a = ids(case)["Alpha Report"]
    with pytest.raises(DocketError, match="pages 1–5, not 6"):
        case.review.record(a, [1, 6], "Dana")
    with pytest.raises(DocketError, match="needs a name"):
        case.review.record(a, [1], "  ")
    with pytest.raises(DocketError, match="no document 42"):
        case.review.record(42, [1], "Dana")
    with pytest.raises(DocketError, match="reviewed by 'Nobody'"):
        case.review.coverage("Nobody")
    assert case.review.reviewed_pages(a) == frozenset()


def test_page_specs() -> None:
    assert parse_pages("1-3, 5,2", 9) == [1, 2, 3, 5]
    assert parse_pages("4\u20135", 9) == [4, 5]
    for bad, said in (
        ("3-1", "ends before"),
        ("0", "pages 1–9"),
        ("x", "not a page"),
        ("8-12", "1–9"),
    ):
        with pytest.raises(DocketError, match=said):
            parse_pages(bad, 9)


def test_the_default_reviewer_is_the_preferences_author() -> None:
    from docket.core.preferences import Preferences, save_preferences

    save_preferences(Preferences(author="Dana Reviewer"))
    assert default_reviewer() == "Dana Reviewer"
