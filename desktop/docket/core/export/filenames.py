"""File names for exported copies: from a document's title, safe on any filesystem.

A title may hold anything: slashes, colons, quotes, control characters,
Windows' reserved device names, a thousand characters. The name keeps what
a person recognises, drops what Windows, macOS or Linux refuse, and stays
within the 255 bytes every common filesystem allows.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from pathlib import Path

MAX_NAME_BYTES = 200  # room left for a suffix and " (99)" under 255 bytes
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{n}" for n in range(1, 10)),
    *(f"lpt{n}" for n in range(1, 10)),
}


def safe_file_name(title: str, fallback: str) -> str:
    """A file name stem from `title`; `fallback` when nothing usable is left."""
    name = unicodedata.normalize("NFC", title)  # macOS stores NFD; one spelling here
    name = _SPACES.sub(" ", _FORBIDDEN.sub(" ", name)).strip()
    # Windows drops trailing dots and spaces; a leading dot hides the file on Unix.
    name = name.strip(". ")
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(". ")
    if not name:
        return fallback
    if name.split(".")[0].casefold() in _RESERVED:
        name = f"_{name}"
    return name


def unique_path(
    folder: Path, stem: str, suffix: str, taken: set[str], *, on_disk: bool = True
) -> Path:
    """`folder/stem+suffix`, numbered when that name is in `taken` or (`on_disk`) on disk.

    Names are compared without case, as Windows and macOS compare them;
    the chosen name is added to `taken`.
    """
    number = 1
    while True:
        name = f"{stem}{suffix}" if number == 1 else f"{stem} ({number}){suffix}"
        if name.casefold() not in taken and not (on_disk and (folder / name).exists()):
            taken.add(name.casefold())
            return folder / name
        number += 1


def missing_folders(folder: Path) -> list[Path]:
    """`folder` and those of its parents that do not exist yet, deepest first."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    return missing


def remove_empty_folders(folders: list[Path]) -> None:
    """Take back folders an export made (deepest first), if they are still empty:
    a failed export leaves nothing behind."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()
