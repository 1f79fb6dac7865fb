"""A real case with a labelled report, and a MarkController over it, for the panel tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.app.operations.marks import MarkController
from docket.core.case import Case
from tests.app.panels.marks_helpers import ROMAN_PAGES
from tests.core.case_factory import write_matter
from tests.core.pdf_factory import write_labelled_pdf


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    matter = write_matter(tmp_path / "matter")
    write_labelled_pdf(
        matter / "report.pdf",
        ROMAN_PAGES,
        title="Report",
        labels=[(1, "r", "", 1), (3, "D", "", 1)],
    )
    opened = Case.create(tmp_path / "case")
    opened.import_paths([matter], workers=0)
    yield opened
    opened.close()


@pytest.fixture
def controller(case: Case) -> Iterator[MarkController]:
    control = MarkController(writer=None)  # the index catches up inline, on the UI thread
    control.set_case(case)
    yield control
    control.set_case(None)
