"""Originals stored by content: `files/ab/abcdef….pdf`, verified by SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def blob_name(sha256: str, suffix: str) -> str:
    """The original's path relative to the case folder."""
    return f"files/{sha256[:2]}/{sha256}{suffix.lower()}"


def store_original(case_root: Path, source: Path, relative: str) -> Path:
    """Copy `source` into the case, atomically: a kill leaves no partial file.

    An existing blob is kept (the name is its hash, so it is the same bytes).
    """
    destination = case_root / relative
    if destination.exists():
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with open(source, "rb") as reader, open(partial, "wb") as writer:
        shutil.copyfileobj(reader, writer, _CHUNK)
        writer.flush()
        os.fsync(writer.fileno())
    os.chmod(partial, 0o444)  # read-only: a guard against editing the original in place
    os.replace(partial, destination)
    return destination


def remove_partials(files_folder: Path) -> None:
    """Delete copies a killed import left half-written."""
    for partial in files_folder.glob("*/*.partial"):
        partial.unlink(missing_ok=True)
