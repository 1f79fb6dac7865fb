"""Fixtures shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.mark_factory import marked_case
from tests.core.pdf_factory import qt_app


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    """A closed case with marks and tags, as `marked_case` builds it."""
    qt_app()
    case, _ = marked_case(tmp_path)
    case.close()
    return tmp_path / "case"
