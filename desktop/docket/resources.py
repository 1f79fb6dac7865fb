"""Finds the files under `resources/` in a checkout, an install, or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parents[2] / "resources")  # source checkout
    candidates.append(Path(sys.prefix) / "share" / "docket" / "resources")  # installed
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Docket's resources folder is missing from this installation")


def resource(relative: str) -> Path:
    return resources_root() / relative
