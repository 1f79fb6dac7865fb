"""Collector thresholds are raised for a bulk load and restored after, even nested."""

from __future__ import annotations

import gc
from pathlib import Path

from docket.core.allocation import BULK_THRESHOLDS, bulk_allocation
from docket.core.case import Case
from tests.core.pdf_factory import write_pdf


def test_thresholds_raised_then_restored_even_nested() -> None:
    before = gc.get_threshold()
    with bulk_allocation():
        assert gc.get_threshold() == BULK_THRESHOLDS
        with bulk_allocation():
            assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_threshold() == BULK_THRESHOLDS  # the outer load still runs
    assert gc.get_threshold() == before


def test_an_import_runs_with_bulk_thresholds(tmp_path: Path) -> None:
    before = gc.get_threshold()
    seen = []
    paths = [write_pdf(tmp_path / f"doc{n}.pdf", [f"Exhibit {n}"]) for n in range(2)]
    with Case.create(tmp_path / "case") as case:
        case.import_paths(paths, workers=0, progress=lambda _: seen.append(gc.get_threshold()))
    assert seen and all(thresholds == BULK_THRESHOLDS for thresholds in seen)
    assert gc.get_threshold() == before
