"""What a case archive holds, and the checks a zip must pass before it is restored.

An archive holds:

    manifest.json      format, Docket and schema versions, each entry's SHA-256 and size
    case.sqlite        a consistent snapshot (SQLite's online backup), rollback-journal mode
    files/ab/ab….pdf   the originals; PDFs stored as they are (already compressed)
    exports/…          the case's exports

Every check that can be made on the zip's directory and manifest is made here, before
anything is written; `docket.core.archive.restore` checks sizes and hashes again on the bytes.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docket.core.errors import DocketError
from docket.core.progress import CancelToken
from docket.core.storage.folder import DATABASE_NAME
from docket.core.storage.schema import SCHEMA_VERSION

MANIFEST_NAME = "manifest.json"
FORMAT = "docket-case-archive"
FORMAT_VERSION = 1

CHUNK = 1 << 20
# A real case compresses far less than 64:1 (PDFs hardly at all, page texts maybe
# 5:1); a zip bomb compresses 1000:1. Below the floor any ratio is harmless.
RATIO_LIMIT = 64
SIZE_FLOOR = 64 << 20
_MANIFEST_LIMIT = 64 << 20  # ~400,000 entries; a bigger manifest is not ours
_MAX_ENTRIES = 1_000_000
_BLOB = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{64})(\.[^./\\:]{1,32})?")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class ArchiveError(DocketError):
    """An archive that cannot be written, or a zip that will not be restored."""


@dataclass(frozen=True)
class Entry:
    path: str  # the name inside the zip and, restored, inside the case folder
    sha256: str
    size: int


def check_cancelled(cancel: CancelToken | None) -> None:
    """Raise `Cancelled` if the run has been cancelled; a no-op without a token."""
    if cancel is not None:
        cancel.raise_if_cancelled()


# -- checking a zip before restoring it ---------------------------------------------------


@contextmanager
def open_zip(zip_path: Path) -> Iterator[zipfile.ZipFile]:
    if not zip_path.is_file():
        raise ArchiveError(f"no archive at {zip_path}")
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        with open(zip_path, "rb") as handle:
            looks_like_zip = handle.read(4) == b"PK\x03\x04"
        what = (
            "is damaged or truncated (its zip directory is missing)"
            if looks_like_zip
            else "is not a zip file"
        )
        raise ArchiveError(f"{zip_path.name} {what}; nothing was restored") from error
    with archive:
        yield archive


def refuse(zip_path: Path, name: str, reason: str) -> ArchiveError:
    return ArchiveError(f"refusing {zip_path.name}: entry {name!r} {reason}; nothing was restored")


def validate(
    archive: zipfile.ZipFile, zip_path: Path, dest: Path
) -> list[tuple[zipfile.ZipInfo, Entry]]:
    infos = archive.infolist()
    if len(infos) > _MAX_ENTRIES:
        raise ArchiveError(f"refusing {zip_path.name}: {len(infos)} entries is too many")
    files: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}  # by casefolded name: one file on Windows and macOS
    for info in infos:
        name = info.filename
        if name.casefold() in seen:
            twice = (
                "appears twice"
                if seen[name.casefold()] == name
                else (f"differs from {seen[name.casefold()]!r} only in letter case")
            )
            raise refuse(zip_path, name, twice)
        seen[name.casefold()] = name
        reason = _entry_problem(info)
        if reason:
            raise refuse(zip_path, name, reason)
        if not info.is_dir():
            files[name] = info
    for required in (MANIFEST_NAME, DATABASE_NAME):
        if required not in files:
            raise ArchiveError(
                f"{zip_path.name} is not a Docket case archive "
                f"(it has no {required}); nothing was restored"
            )
    _check_sizes(zip_path, dest, sum(info.file_size for info in files.values()))
    entries = _read_manifest(archive, files.pop(MANIFEST_NAME), zip_path)
    unlisted = sorted(set(files) - {entry.path for entry in entries})
    if unlisted:
        raise refuse(zip_path, unlisted[0], "is not listed in the manifest")
    plan = []
    for entry in entries:
        found = files.get(entry.path)
        if found is None:
            raise refuse(zip_path, entry.path, "is listed in the manifest but missing")
        if found.file_size != entry.size:
            raise refuse(zip_path, entry.path, "has a size that disagrees with the manifest")
        plan.append((found, entry))
    return plan


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip tool recorded no type
    if kind == stat.S_IFLNK:
        return "is a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is not a regular file"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return "uses a compression method Docket does not write"
    if not info.is_dir():
        return layout_problem(info.filename)
    # Folders are created as their files need them; these are tolerated, not written.
    folder = info.filename[:-1]
    if folder == "exports" or re.fullmatch(r"files(/[0-9a-f]{2})?", folder):
        return None
    problem = layout_problem(folder)
    if problem is None and folder.startswith("exports/"):
        return None
    return problem or "is a folder outside the case layout"


def layout_problem(name: str) -> str | None:
    """Why `name` may not be a file of a case folder, or None if it may."""
    if not name or len(name) > 1024:
        return "has an empty or overlong name"
    if "\\" in name:
        return "contains a backslash"
    if any(ord(char) < 32 or char == "\x7f" for char in name):
        return "contains control characters"
    if name.startswith("/"):
        return "is an absolute path"
    if re.match(r"[A-Za-z]:", name):
        return "starts with a drive letter"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "has an empty, '.' or '..' path component"
    if any(":" in part for part in parts):
        return "contains a colon"
    if name in (DATABASE_NAME, MANIFEST_NAME):
        return None
    blob = _BLOB.fullmatch(name)
    if blob and blob.group(2).startswith(blob.group(1)):
        return None
    if parts[0] == "exports" and 2 <= len(parts) <= 16:
        return None
    return "is outside the case layout (case.sqlite, files/xx/<sha256>.ext, exports/)"


def _check_sizes(zip_path: Path, dest: Path, declared: int) -> None:
    compressed = zip_path.stat().st_size
    if declared > SIZE_FLOOR and declared > RATIO_LIMIT * compressed:
        raise ArchiveError(
            f"refusing {zip_path.name}: it would unpack to {_megabytes(declared)} from "
            f"{_megabytes(compressed)} (more than {RATIO_LIMIT}:1, a zip bomb?); "
            "nothing was restored"
        )
    free = shutil.disk_usage(_existing_ancestor(dest)).free
    if declared > free:
        raise ArchiveError(
            f"not enough disk space: restoring needs {_megabytes(declared)}, "
            f"{_megabytes(free)} free; nothing was restored"
        )


def _read_manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, zip_path: Path) -> list[Entry]:
    def bad(reason: str) -> ArchiveError:
        return refuse(zip_path, MANIFEST_NAME, reason)

    if info.file_size > _MANIFEST_LIMIT:
        raise bad("is too large")
    try:
        with archive.open(info) as handle:
            raw = handle.read(_MANIFEST_LIMIT + 1)
        manifest: Any = json.loads(raw)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise bad(f"cannot be read ({error})") from error
    if len(raw) > _MANIFEST_LIMIT or not isinstance(manifest, dict):
        raise bad("is not a Docket manifest")
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), list):
        raise bad("is not a Docket manifest")
    version, schema = manifest.get("format_version"), manifest.get("schema_version")
    if not isinstance(version, int) or not isinstance(schema, int):
        raise bad("has no format or schema version")
    if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise ArchiveError(
            f"{zip_path.name} was made by a newer Docket "
            f"({manifest.get('docket_version')}); update Docket to restore it"
        )
    entries = []
    for item in manifest["files"]:
        entry = _manifest_entry(item)
        if entry is None:
            raise bad(f"has a malformed file record: {str(item)[:120]}")
        entries.append(entry)
    if len({entry.path for entry in entries}) != len(entries):
        raise bad("lists a file twice")
    entries.sort(key=lambda entry: entry.path != DATABASE_NAME)  # the database first
    return entries


def _manifest_entry(item: object) -> Entry | None:
    if not isinstance(item, dict):
        return None
    path, sha, size = item.get("path"), item.get("sha256"), item.get("size")
    if not isinstance(path, str) or not isinstance(sha, str) or not _HEX64.fullmatch(sha):
        return None
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    return Entry(path, sha, size)


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB"
