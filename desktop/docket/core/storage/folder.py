"""The case folder's layout, its creation, and the one-writer lock.

My Case/
  case.sqlite      documents, page texts, metadata (the truth)
  files/ab/ab….pdf originals named by SHA-256, never modified
  index/           Whoosh index, derived: deleting it loses nothing
  derived/         OCR renditions (<sha256>-v<n>.pdf), derived: rebuilt when missing
  exports/         default place for exports
  .docket.lock     held by the process that writes the case
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from docket.core.errors import CaseError, CaseLockedError

DATABASE_NAME = "case.sqlite"
LOCK_NAME = ".docket.lock"


@dataclass(frozen=True)
class CaseLayout:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def derived(self) -> Path:
        """Renditions of OCR'd documents and images (core/ocr/rendition.py)."""
        return self.root / "derived"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    def is_case(self) -> bool:
        return self.database.is_file()


def prepare_new_case_folder(path: Path) -> CaseLayout:
    """Make the folders of a new case; refuse to take over a non-empty folder."""
    layout = CaseLayout(path.resolve())
    if layout.is_case():
        raise CaseError(f"{path} is already a Docket case")
    if path.exists():
        if not path.is_dir():
            raise CaseError(f"{path} exists and is not a folder")
        if any(path.iterdir()):
            raise CaseError(f"{path} is not empty; choose a new or empty folder for the case")
    for folder in (layout.root, layout.files, layout.index, layout.exports):
        folder.mkdir(parents=True, exist_ok=True)
    return layout


def existing_case(path: Path) -> CaseLayout:
    layout = CaseLayout(path.resolve())
    if not layout.root.exists():
        raise CaseError(f"no case at {path}: the folder does not exist")
    if not layout.is_case():
        raise CaseError(f"{path} is not a Docket case (no {DATABASE_NAME} in it)")
    return layout


class CaseLock:
    """An exclusive OS lock on the case's lock file, released when the process dies.

    An OS lock rather than a pid file: a crashed or killed Docket never leaves
    a stale lock behind, so a case always reopens after a kill.
    """

    def __init__(self, layout: CaseLayout) -> None:
        self._path = layout.lock
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self._path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        try:
            _lock_exclusively(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise CaseLockedError(
                f"the case is open in another Docket ({holder}); close it there first"
            ) from None
        import socket  # here: a read-only open (docket list, search) takes no lock

        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the lock
            self._file = None


def _lock_exclusively(handle: IO[str]) -> None:
    # sys.platform, not os.name: type checkers narrow on it and skip msvcrt elsewhere.
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
