"""Restoring a case archive into a new or empty folder, or refusing and leaving it so.

The zip is checked by `docket.core.archive.check` before anything is written, then
extracted into a temporary folder beside the target; every original is checked against
the SHA-256 its document has in case.sqlite (the manifest only vouches for the zip's own
bytes), the index rebuilt from the stored page texts, and the folder renamed into place
at the end, so a cancelled, failed or unverified run leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docket.core.archive.check import (
    CHUNK,
    ArchiveError,
    Entry,
    check_cancelled,
    open_zip,
    refuse,
    validate,
)
from docket.core.case import Case
from docket.core.errors import CaseError
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.storage import documents as store
from docket.core.storage.folder import DATABASE_NAME
from docket.core.storage.originals import sha256_of
from docket.core.storage.schema import connect


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    files: int
    documents: int
    pages: int
    problems: tuple[str, ...]  # what `Case.verify` found in the restored case


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
    with open_zip(zip_path) as archive:
        plan = validate(archive, zip_path, dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.restoring-", dir=dest.parent))
        try:
            _extract(archive, plan, temp, report, cancel)
            _verify_originals(temp, zip_path, cancel)
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


def _extract(
    archive: zipfile.ZipFile,
    plan: list[tuple[zipfile.ZipInfo, Entry]],
    root: Path,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> None:
    zip_path = Path(archive.filename or "archive")
    for done, (info, entry) in enumerate(plan, start=1):
        check_cancelled(cancel)
        target = root.joinpath(*entry.path.split("/"))
        if not target.resolve().is_relative_to(root.resolve()):  # validated; checked again
            raise refuse(zip_path, entry.path, "would be written outside the case")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            _copy_checked(archive, info, entry, target, cancel, zip_path)
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            raise refuse(zip_path, entry.path, f"is damaged ({error})") from error
        if entry.path.startswith("files/"):
            os.chmod(target, 0o444)  # as imported: a guard against editing an original
        progress(Progress(done, len(plan), 0, entry.path))


def _copy_checked(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    entry: Entry,
    target: Path,
    cancel: CancelToken | None,
    zip_path: Path,
) -> None:
    """Copy one entry, counting bytes as they come rather than trusting its header."""
    digest, written = hashlib.sha256(), 0
    with archive.open(info) as reader, open(target, "xb") as writer:
        while chunk := reader.read(CHUNK):
            check_cancelled(cancel)
            written += len(chunk)
            if written > entry.size:
                raise refuse(zip_path, entry.path, "holds more bytes than its size says")
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    if written != entry.size:
        raise refuse(zip_path, entry.path, "holds fewer bytes than its size says")
    if digest.hexdigest() != entry.sha256:
        raise refuse(zip_path, entry.path, "does not match its SHA-256 in the manifest")


def _verify_originals(root: Path, zip_path: Path, cancel: CancelToken | None) -> None:
    """Every document's original is there, inside files/, with the hash case.sqlite gives it."""
    connection = connect(root / DATABASE_NAME, readonly=True)
    try:
        rows = store.blobs(connection)
    except sqlite3.DatabaseError as error:
        raise refuse(zip_path, DATABASE_NAME, f"cannot be read ({error})") from error
    finally:
        connection.close()
    files = (root / "files").resolve()
    for doc_id, sha, blob, _ in rows:
        check_cancelled(cancel)
        original = root / blob
        if not original.resolve().is_relative_to(files):
            raise refuse(zip_path, blob, f"(document {doc_id}) lies outside files/")
        if not original.is_file():
            raise refuse(zip_path, blob, f"is missing: it is document {doc_id}'s original")
        if sha256_of(original) != sha:
            raise refuse(
                zip_path, blob, f"does not match the SHA-256 of document {doc_id} in case.sqlite"
            )


def _reindex_and_verify(
    root: Path, files: int, progress: ProgressCallback, cancel: CancelToken | None
) -> tuple[int, int, tuple[str, ...]]:
    """Open the restored case, rebuild its index, and check it is whole."""

    def indexing(step: Progress) -> None:
        progress(Progress(files, files, step.pages_done, "index"))

    with Case.open(root, catch_up=False) as case:
        case.reindex(indexing, cancel)
        check_cancelled(cancel)  # a cancelled rebuild returns early; the restore must not count
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


def _remove_tree(path: Path) -> None:
    def writable_then_retry(function: Callable[..., Any], name: str, _: object) -> None:
        os.chmod(name, stat.S_IWRITE | stat.S_IREAD)  # restored originals are read-only
        function(name)

    if path.exists():
        shutil.rmtree(path, onerror=writable_then_retry)
