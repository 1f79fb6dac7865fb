"""Turn the paths a user gave into the list of files to import.

Folders are walked recursively, following symlinks but never into a folder
already seen (a symlink loop ends the walk of that branch, it does not hang
it). Hidden files and folders are left out of folder walks, as file managers do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docket.core.model.records import ImportOutcome, ImportStatus

# Files that operating systems leave in folders; nobody means to import them.
SYSTEM_FILES = frozenset({"desktop.ini", "thumbs.db", "ehthumbs.db", "icon\r"})


@dataclass(frozen=True)
class Candidate:
    path: Path
    explicit: bool  # named by the user, not found in a folder


def collect_files(paths: Iterable[Path]) -> tuple[list[Candidate], list[ImportOutcome]]:
    """The files to import, and failures for paths that cannot be used at all."""
    found: list[Candidate] = []
    problems: list[ImportOutcome] = []
    seen_files: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, problems):
                if file.resolve() not in seen_files:
                    seen_files.add(file.resolve())
                    found.append(Candidate(file, explicit=False))
        elif path.is_file():
            if path.resolve() not in seen_files:
                seen_files.add(path.resolve())
                found.append(Candidate(path, explicit=True))
        else:
            reason = "no such file or folder"
            if path.is_symlink():
                reason = "a link that points to nothing"
            elif path.exists():
                reason = "not a regular file or folder"
            problems.append(ImportOutcome(str(path), ImportStatus.FAILED, reason=reason))
    return found, problems


def _walk(root: Path, problems: list[ImportOutcome]) -> list[Path]:
    files: list[Path] = []
    visited: set[tuple[int, int]] = set()

    def on_error(error: OSError) -> None:
        problems.append(
            ImportOutcome(
                str(error.filename),
                ImportStatus.FAILED,
                reason=f"cannot read the folder: {error.strerror}",
            )
        )

    for folder, subfolders, names in os.walk(root, followlinks=True, onerror=on_error):
        stat = os.stat(folder)
        key = (stat.st_dev, stat.st_ino)
        if key in visited:  # a symlink loop or a second link to the same folder
            subfolders[:] = []
            continue
        visited.add(key)
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or name.lower() in SYSTEM_FILES:
                continue
            path = Path(folder) / name
            if path.is_file():
                files.append(path)
            elif path.is_symlink():
                problems.append(
                    ImportOutcome(
                        str(path), ImportStatus.FAILED, reason="a link that points to nothing"
                    )
                )
    return files
