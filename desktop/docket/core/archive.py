"""Case archives: a whole case in one zip, and back, refusing hostile or damaged zips.

An archive holds:

    manifest.json      format, Docket and schema versions, each entry's SHA-256 and size
    case.sqlite        a consistent snapshot (SQLite's online backup), rollback-journal mode
    files/ab/ab….pdf   the originals; PDFs stored as they are (already compressed)
    exports/…          the case's exports

`index/` is left out. It is derived, and copying it while the window writes the case
could pair a half-committed index with the snapshot; a restore rebuilds it from the
stored page texts instead. Measured: 406 pages restore in 0.3 s, 0.15 s of it the
rebuild; 2,006 pages in 1.2 s, 0.7 s of it the rebuild. The index would have added
about a sixth to the zip (1.06 MB beside 6.2 MB).

Both directions write under a temporary name beside the target and rename at the end,
so a cancelled or failed run leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docket import __version__
from docket.core import store
from docket.core.case import Case
from docket.core.casefolder import DATABASE_NAME, CaseLayout, existing_case
from docket.core.errors import CaseError, DocketError
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.schema import SCHEMA_VERSION, connect, schema_version

MANIFEST_NAME = "manifest.json"
FORMAT = "docket-case-archive"
FORMAT_VERSION = 1

_CHUNK = 1 << 20
# A real case compresses far less than 64:1 (PDFs hardly at all, page texts maybe
# 5:1); a zip bomb compresses 1000:1. Below the floor any ratio is harmless.
RATIO_LIMIT = 64
SIZE_FLOOR = 64 << 20
_MANIFEST_LIMIT = 64 << 20  # ~400,000 entries; a bigger manifest is not ours
_MAX_ENTRIES = 1_000_000
_ZIP64_FROM = 1 << 31  # zipfile must be told in advance that a streamed entry may be large
_STORED_SUFFIXES = frozenset({".pdf", ".zip", ".png", ".jpg", ".jpeg", ".gz", ".docx"})
_BLOB = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{64})(\.[^./\\:]{1,32})?")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class ArchiveError(DocketError):
    """An archive that cannot be written, or a zip that will not be restored."""


@dataclass(frozen=True)
class Entry:
    path: str  # the name inside the zip and, restored, inside the case folder
    sha256: str
    size: int


@dataclass(frozen=True)
class ArchiveReport:
    path: Path
    files: int  # entries besides the manifest: the database, originals and exports
    documents: int
    size: int  # bytes of the zip
    content_bytes: int  # bytes of the files inside, uncompressed
    problems: tuple[str, ...]  # e.g. originals the case itself has lost


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    files: int
    documents: int
    pages: int
    problems: tuple[str, ...]  # what `Case.verify` found in the restored case


# -- writing an archive -------------------------------------------------------------


def archive_case(
    case_path: Path,
    out_zip: Path,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    *,
    overwrite: bool = False,
) -> ArchiveReport:
    """Write the case at `case_path` into `out_zip`, even while another Docket writes it."""
    layout = existing_case(Path(case_path))
    out = Path(out_zip).absolute()
    _check_output(layout, out, overwrite)
    report = progress or no_progress
    with _temporary_file(out.parent, f".{out.name}.", ".snapshot") as snapshot:
        _snapshot_database(layout.database, snapshot)
        _check(cancel)
        # After the snapshot: an original is copied in before its row is committed,
        # so every original the snapshot names is on disk by now.
        sources, problems = _case_sources(layout, snapshot)
        documents, schema, lost = _snapshot_facts(snapshot, {name for name, _ in sources})
        with _temporary_file(out.parent, f".{out.name}.", ".partial") as partial:
            try:
                entries = _write_zip(partial, sources, schema, documents, report, cancel)
                os.replace(partial, out)
            except OSError as error:  # a full disk, an unreadable original
                raise ArchiveError(f"cannot write {out}: {error}") from error
    return ArchiveReport(out, len(entries), documents, out.stat().st_size,
                         sum(e.size for e in entries), tuple(lost + problems))


def _check_output(layout: CaseLayout, out: Path, overwrite: bool) -> None:
    if out.is_dir():
        raise ArchiveError(f"{out} is a folder; give the name of the zip to write")
    if out.exists() and not overwrite:
        raise ArchiveError(f"{out} already exists; choose another name")
    if not out.parent.is_dir():
        raise ArchiveError(f"cannot write {out}: the folder {out.parent} does not exist")
    if out.resolve().is_relative_to(layout.root):
        raise ArchiveError("choose a place outside the case folder for its archive")


def _snapshot_database(source: Path, target: Path) -> None:
    """Copy the database as of one moment, without stopping whoever is writing it.

    One backup step holds one read transaction, so the copy is consistent; in WAL
    mode readers never block the writer. (Backing up in several steps would restart
    whenever another connection writes, which during an import is all the time.)
    """
    reader = connect(source, readonly=True)
    try:
        copy = sqlite3.connect(target, isolation_level=None)
        try:
            reader.backup(copy)
            # One self-contained file: no -wal beside it to forget.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise ArchiveError(f"cannot read the case database: {error}") from error
    finally:
        reader.close()


def _case_sources(layout: CaseLayout, snapshot: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """(name in the zip, file) for everything archived, and what was left out."""
    sources = [(DATABASE_NAME, snapshot)]
    skipped = []
    for folder in (layout.files, layout.exports):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(layout.root).as_posix()
            if path.name.endswith(".partial") or (path.is_dir() and not path.is_symlink()):
                continue  # a copy still being written (or killed): not part of the case
            reason = "a link" if path.is_symlink() else _layout_problem(name)
            if reason is None and path.is_file():
                sources.append((name, path))
            else:
                skipped.append(f"left out {name}: {reason or 'not a regular file'}")
    return sources, skipped


def _snapshot_facts(snapshot: Path, names: set[str]) -> tuple[int, int, list[str]]:
    connection = sqlite3.connect(f"{snapshot.as_uri()}?mode=ro", uri=True)
    try:
        rows = store.blobs(connection)
        lost = [f"document {doc_id}: original is missing ({blob}); archived without it"
                for doc_id, _, blob, _ in rows if blob not in names]
        return len(rows), schema_version(connection), lost
    finally:
        connection.close()


def _write_zip(partial: Path, sources: list[tuple[str, Path]], schema: int, documents: int,
               progress: ProgressCallback, cancel: CancelToken | None) -> list[Entry]:
    entries: list[Entry] = []
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (name, source) in enumerate(sources, start=1):
            _check(cancel)
            entries.append(_add_file(archive, name, source, cancel))
            progress(Progress(done, len(sources), 0, name))
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "docket_version": __version__,
            "schema_version": schema, "documents": documents,
            "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "files": [{"path": e.path, "sha256": e.sha256, "size": e.size} for e in entries],
        }
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=1, ensure_ascii=False))
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())  # on disk before the rename makes it the archive
    return entries


def _add_file(archive: zipfile.ZipFile, name: str, source: Path,
              cancel: CancelToken | None) -> Entry:
    status = source.stat()
    info = zipfile.ZipInfo(name, date_time=_zip_time(status.st_mtime))
    stored = Path(name).suffix.lower() in _STORED_SUFFIXES
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as reader, \
            archive.open(info, "w", force_zip64=status.st_size >= _ZIP64_FROM) as writer:
        while chunk := reader.read(_CHUNK):
            _check(cancel)
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    return Entry(name, digest.hexdigest(), size)


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    moment = time.localtime(max(mtime, 315532800 + 86400))  # zip dates start in 1980
    return moment[:6]


# -- restoring an archive -------------------------------------------------------------


def restore_case(
    zip_path: Path,
    dest: Path,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> RestoreReport:
    """Restore the archive into `dest` (absent or empty), or refuse and leave it so.

    Every check that can be made on the zip's directory and manifest is made before
    anything is written; sizes and hashes are checked again on the bytes themselves.
    """
    zip_path, dest = Path(zip_path), Path(dest).absolute()
    _check_destination(dest)
    report = progress or no_progress
    with _open_zip(zip_path) as archive:
        plan = _validate(archive, zip_path, dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.restoring-", dir=dest.parent))
        try:
            _extract(archive, plan, temp, report, cancel)
            documents, pages, problems = _reindex_and_verify(temp, len(plan), report, cancel)
            _move_into_place(temp, dest)
        except OSError as error:  # a full disk, a permission: one clear line, not a trace
            _remove_tree(temp)
            raise ArchiveError(f"cannot restore into {dest}: {error}") from error
        except BaseException:
            _remove_tree(temp)
            raise
    return RestoreReport(dest, len(plan), documents, pages, problems)


def _check_destination(dest: Path) -> None:
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise CaseError(f"{dest} exists and is not a folder; choose a new or empty folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise CaseError(f"{dest} is not empty; choose a new or empty folder to restore into")


@contextmanager
def _open_zip(zip_path: Path) -> Iterator[zipfile.ZipFile]:
    if not zip_path.is_file():
        raise ArchiveError(f"no archive at {zip_path}")
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        with open(zip_path, "rb") as handle:
            looks_like_zip = handle.read(4) == b"PK\x03\x04"
        what = ("is damaged or truncated (its zip directory is missing)" if looks_like_zip
                else "is not a zip file")
        raise ArchiveError(f"{zip_path.name} {what}; nothing was restored") from error
    with archive:
        yield archive


def _refuse(zip_path: Path, name: str, reason: str) -> ArchiveError:
    return ArchiveError(f"refusing {zip_path.name}: entry {name!r} {reason}; nothing was restored")


def _validate(archive: zipfile.ZipFile, zip_path: Path,
              dest: Path) -> list[tuple[zipfile.ZipInfo, Entry]]:
    infos = archive.infolist()
    if len(infos) > _MAX_ENTRIES:
        raise ArchiveError(f"refusing {zip_path.name}: {len(infos)} entries is too many")
    files: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}  # by casefolded name: one file on Windows and macOS
    for info in infos:
        name = info.filename
        if name.casefold() in seen:
            twice = "appears twice" if seen[name.casefold()] == name else (
                f"differs from {seen[name.casefold()]!r} only in letter case")
            raise _refuse(zip_path, name, twice)
        seen[name.casefold()] = name
        reason = _entry_problem(info)
        if reason:
            raise _refuse(zip_path, name, reason)
        if not info.is_dir():
            files[name] = info
    for required in (MANIFEST_NAME, DATABASE_NAME):
        if required not in files:
            raise ArchiveError(f"{zip_path.name} is not a Docket case archive "
                               f"(it has no {required}); nothing was restored")
    _check_sizes(zip_path, dest, sum(info.file_size for info in files.values()))
    entries = _read_manifest(archive, files.pop(MANIFEST_NAME), zip_path)
    unlisted = sorted(set(files) - {entry.path for entry in entries})
    if unlisted:
        raise _refuse(zip_path, unlisted[0], "is not listed in the manifest")
    plan = []
    for entry in entries:
        found = files.get(entry.path)
        if found is None:
            raise _refuse(zip_path, entry.path, "is listed in the manifest but missing")
        if found.file_size != entry.size:
            raise _refuse(zip_path, entry.path, "has a size that disagrees with the manifest")
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
        return _layout_problem(info.filename)
    # Folders are created as their files need them; these are tolerated, not written.
    folder = info.filename[:-1]
    if folder == "exports" or re.fullmatch(r"files(/[0-9a-f]{2})?", folder):
        return None
    problem = _layout_problem(folder)
    if problem is None and folder.startswith("exports/"):
        return None
    return problem or "is a folder outside the case layout"


def _layout_problem(name: str) -> str | None:
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
            "nothing was restored")
    free = shutil.disk_usage(_existing_ancestor(dest)).free
    if declared > free:
        raise ArchiveError(f"not enough disk space: restoring needs {_megabytes(declared)}, "
                           f"{_megabytes(free)} free; nothing was restored")


def _read_manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                   zip_path: Path) -> list[Entry]:
    def bad(reason: str) -> ArchiveError:
        return _refuse(zip_path, MANIFEST_NAME, reason)

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
        raise ArchiveError(f"{zip_path.name} was made by a newer Docket "
                           f"({manifest.get('docket_version')}); update Docket to restore it")
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


def _extract(archive: zipfile.ZipFile, plan: list[tuple[zipfile.ZipInfo, Entry]], root: Path,
             progress: ProgressCallback, cancel: CancelToken | None) -> None:
    zip_path = Path(archive.filename or "archive")
    for done, (info, entry) in enumerate(plan, start=1):
        _check(cancel)
        target = root.joinpath(*entry.path.split("/"))
        if not target.resolve().is_relative_to(root.resolve()):  # validated; checked again
            raise _refuse(zip_path, entry.path, "would be written outside the case")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            _copy_checked(archive, info, entry, target, cancel, zip_path)
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            raise _refuse(zip_path, entry.path, f"is damaged ({error})") from error
        if entry.path.startswith("files/"):
            os.chmod(target, 0o444)  # as imported: a guard against editing an original
        progress(Progress(done, len(plan), 0, entry.path))


def _copy_checked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Entry, target: Path,
                  cancel: CancelToken | None, zip_path: Path) -> None:
    """Copy one entry, counting bytes as they come rather than trusting its header."""
    digest, written = hashlib.sha256(), 0
    with archive.open(info) as reader, open(target, "xb") as writer:
        while chunk := reader.read(_CHUNK):
            _check(cancel)
            written += len(chunk)
            if written > entry.size:
                raise _refuse(zip_path, entry.path, "holds more bytes than its size says")
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    if written != entry.size:
        raise _refuse(zip_path, entry.path, "holds fewer bytes than its size says")
    if digest.hexdigest() != entry.sha256:
        raise _refuse(zip_path, entry.path, "does not match its SHA-256 in the manifest")


def _reindex_and_verify(root: Path, files: int, progress: ProgressCallback,
                        cancel: CancelToken | None) -> tuple[int, int, tuple[str, ...]]:
    """Open the restored case, rebuild its index, and check it is whole."""
    def indexing(step: Progress) -> None:
        progress(Progress(files, files, step.pages_done, "index"))

    with Case.open(root, catch_up=False) as case:
        case.reindex(indexing, cancel)
        _check(cancel)  # a cancelled rebuild returns early; the restore must not count
        report = case.verify()
        documents = case.documents()
    return len(documents), sum(d.page_count for d in documents), report.problems


def _move_into_place(temp: Path, dest: Path) -> None:
    try:
        os.replace(temp, dest)  # POSIX: takes the place of an empty folder atomically
    except OSError:
        if not dest.is_dir() or any(dest.iterdir()):
            raise CaseError(f"{dest} was filled while restoring; nothing was restored") from None
        dest.rmdir()  # Windows will not rename onto a folder, even an empty one
        os.replace(temp, dest)


# -- helpers ------------------------------------------------------------------------------


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()


@contextmanager
def _temporary_file(folder: Path, prefix: str, suffix: str) -> Iterator[Path]:
    """A file name beside the target; removed afterwards unless renamed away."""
    try:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    except OSError as error:
        raise ArchiveError(f"cannot write in {folder}: {error.strerror}") from error
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _remove_tree(path: Path) -> None:
    def writable_then_retry(function: Callable[..., Any], name: str, _: object) -> None:
        os.chmod(name, stat.S_IWRITE | stat.S_IREAD)  # restored originals are read-only
        function(name)

    if path.exists():
        shutil.rmtree(path, onerror=writable_then_retry)


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB"
