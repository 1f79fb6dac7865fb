"""Exports get the permissions any new file gets (0666 less the umask), not mkstemp's
owner-only 0600: a report or annotated copy left in a shared folder is for others to read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.export.annotatedpdf import export_annotated_pdf
from docket.core.export.formats import ExportFormat, export_marks, write_atomically
from docket.core.model.marks import Anchor
from tests.core.case_factory import write_matter


@pytest.fixture()
def umask_027() -> Iterator[None]:
    before = os.umask(0o027)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_file_written_atomically_follows_the_umask(tmp_path: Path) -> None:
    before = os.umask(0o022)
    try:
        out = tmp_path / "report.md"
        write_atomically(out, lambda temp: temp.write_text("# Marks\n"))
        assert mode(out) == 0o644
    finally:
        os.umask(before)


def test_a_report_and_an_annotated_copy_follow_the_umask(tmp_path: Path, umask_027: None) -> None:
    case = Case.create(tmp_path / "case")
    try:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
        doc = next(d.id for d in case.documents() if d.title == "Complaint")
        start = case.page(doc, 1).text.index("police fired")
        case.marking.highlight(doc, Anchor(1, start, 1, start + len("police fired")))
        export_marks(case, ExportFormat.MARKDOWN, tmp_path / "out" / "marks.md")
        copy = export_annotated_pdf(case, doc, tmp_path / "out" / "complaint.pdf")
    finally:
        case.close()
    # 0666 less 027: the group reads them, others do not; nobody may write them but the owner
    assert mode(tmp_path / "out" / "marks.md") == 0o640
    assert mode(copy) == 0o640
