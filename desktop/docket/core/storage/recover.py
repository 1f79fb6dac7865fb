"""`docket recover`: a new case built from what a damaged case.sqlite still holds.

The damaged case is never written to: its database (and write-ahead log) is copied
aside and read from the copy into a fresh case.sqlite (rebuild.py). The originals
and exports are copied. The new case is built
in a temporary folder beside the destination and renamed into place at the end, so a
failed run leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docket.core.errors import CaseError
from docket.core.storage.folder import DATABASE_NAME, CaseLayout, existing_case
from docket.core.storage.orphans import OrphanDocument
from docket.core.storage.rebuild import TableTally, rebuild_database


@dataclass(frozen=True)
class RecoveryReport:
    source: Path
    path: Path
    tables: tuple[TableTally, ...]
    originals: int  # originals in the damaged case's files/: one per document it had
    incomplete: tuple[str, ...]  # documents saved without all their pages
    unclaimed: tuple[str, ...]  # originals (relative paths) whose document was lost
    unreadable: str = ""  # why nothing at all could be read ("" when something could)
    orphans: tuple[OrphanDocument, ...] = ()  # lost documents that marks still name

    def tally(self, table: str) -> TableTally:
        return next((t for t in self.tables if t.table == table), TableTally(table, 0, 0, 0))

    @property
    def complete(self) -> bool:
        return not (
            self.unreadable
            or self.incomplete
            or self.unclaimed
            or any(t.damaged_spots or t.saved < t.read for t in self.tables)
        )


def default_destination(source: Path) -> Path:
    source = source.absolute()
    return source.with_name(f"{source.name} (recovered)")


def recover_case(source: Path, out: Path | None = None) -> RecoveryReport:
    """Build a new case at `out` (new or empty; default "NAME (recovered)" beside it)."""
    layout = existing_case(Path(source))
    dest = Path(out).absolute() if out is not None else default_destination(layout.root)
    _check_destination(dest, layout)
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.recovering-", dir=dest.parent))
    try:
        # The copy goes beside the new case, on the disk chosen for it: a large
        # database may not fit in the system's temporary folder.
        aside = temp / ".damaged-copy"
        aside.mkdir()
        copy = _copy_database(layout.database, aside)
        new_layout = CaseLayout(temp)
        for folder in (new_layout.files, new_layout.index, new_layout.exports):
            folder.mkdir()
        rebuilt = rebuild_database(copy, new_layout.database)
        shutil.rmtree(aside)
        originals, unclaimed = _copy_originals(layout, new_layout, rebuilt.shas)
        if layout.exports.is_dir():
            shutil.copytree(layout.exports, new_layout.exports, dirs_exist_ok=True)
        _move_into_place(temp, dest)
    except OSError as error:
        _remove_tree(temp)
        raise CaseError(f"cannot recover into {dest}: {error}") from error
    except BaseException:
        _remove_tree(temp)
        raise
    return RecoveryReport(
        layout.root,
        dest,
        rebuilt.tables,
        originals,
        rebuilt.incomplete,
        unclaimed,
        rebuilt.unreadable,
        rebuilt.orphans,
    )


def _check_destination(dest: Path, source: CaseLayout) -> None:
    if dest.resolve().is_relative_to(source.root):
        raise CaseError(f"{dest} is inside the damaged case; choose a folder outside it")
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise CaseError(f"{dest} exists and is not a folder; choose a new or empty folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise CaseError(f"{dest} is not empty; choose a new or empty folder (--out)")


def _copy_database(database: Path, aside: Path) -> Path:
    """The damaged database and its write-ahead log, copied: reading the original could
    replay or checkpoint its log, and the damaged case must stay exactly as it was."""
    copy = aside / DATABASE_NAME
    shutil.copyfile(database, copy)
    _whole_pages(copy)
    wal = database.with_name(DATABASE_NAME + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, copy.with_name(DATABASE_NAME + "-wal"))
    return copy


def _whole_pages(copy: Path) -> None:
    """A file cut short: SQLite refuses it whole (a torn last page, a header that counts
    pages no longer there), so the torn page goes and the header counts what is left;
    the pages before the cut can then be read."""
    with open(copy, "r+b") as file:
        header = file.read(100)
        if len(header) < 100:
            return
        size = int.from_bytes(header[16:18], "big")
        page = 65536 if size == 1 else size
        if page < 512 or page & (page - 1):
            return  # the header is garbage: nothing to mend by it
        length = file.seek(0, os.SEEK_END)
        pages = length // page
        if length % page:
            file.truncate(pages * page)
        if int.from_bytes(header[28:32], "big") > pages:
            file.seek(28)
            file.write(pages.to_bytes(4, "big"))


def _copy_originals(
    source: CaseLayout, target: CaseLayout, saved_shas: frozenset[str]
) -> tuple[int, tuple[str, ...]]:
    """Copy every original (read-only, as imported); those no saved document names."""
    count, unclaimed = 0, []
    if not source.files.is_dir():
        return 0, ()
    for original in sorted(source.files.glob("*/*")):
        if not original.is_file() or original.name.endswith(".partial"):
            continue
        relative = original.relative_to(source.root)
        copy = target.root / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, copy)
        os.chmod(copy, 0o444)
        count += 1
        if original.stem not in saved_shas:
            unclaimed.append(relative.as_posix())
    return count, tuple(unclaimed)


def _move_into_place(temp: Path, dest: Path) -> None:
    if dest.is_dir():
        dest.rmdir()  # empty (checked): Windows will not rename onto a folder
    os.replace(temp, dest)


def _remove_tree(path: Path) -> None:
    def writable_then_retry(function: Callable[..., Any], name: str, _: object) -> None:
        os.chmod(name, stat.S_IWRITE | stat.S_IREAD)  # copied originals are read-only
        function(name)

    if path.exists():
        shutil.rmtree(path, onerror=writable_then_retry)
