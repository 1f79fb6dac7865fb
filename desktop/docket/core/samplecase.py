"""The sample case: a short fictional matter the project wrote, made on first use."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from docket import APP_NAME
from docket.core.case import Case, case_exists
from docket.resources import resource

SAMPLE_FOLDER = "sample-case"


def sample_case_path() -> Path:
    """The sample case under the user's data folder, created if it is missing."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "Sample case"
    if not case_exists(path):
        create_sample_case(path)
    return path


def create_sample_case(path: Path) -> None:
    documents = sorted(
        p for p in resource(SAMPLE_FOLDER).iterdir() if p.suffix.lower() in {".pdf", ".txt", ".md"}
    )
    with Case.create(path) as case:
        case.import_paths(documents, workers=0)
