"""Case archives: a byte-for-byte round trip, archiving a case being written, cancel,
and restores that refuse hostile or damaged zips without writing anything."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import stat
import struct
import subprocess
import sys
import threading
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from docket.core.archive import restore as restore_module
from docket.core.archive.check import MANIFEST_NAME, ArchiveError, Entry
from docket.core.archive.restore import restore_case
from docket.core.archive.write import archive_case
from docket.core.case import Case
from docket.core.errors import Cancelled, CaseError, DocketError
from docket.core.progress import CancelToken, Progress
from tests.core.case_factory import write_many_pdfs, write_matter

QUERIES = ("police", '"police fired"', "tortur*", "Nazarbaev~", "witness")


# -- the case the tests archive ----------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case with PDFs, a text file and an export, built once for the module."""
    root = tmp_path_factory.mktemp("template")
    with Case.create(root / "case") as case:
        case.import_paths([write_matter(root / "matter")], workers=0)
        case.import_paths(write_many_pdfs(root / "exhibits", 4, pages_each=2), workers=0)
    (root / "case" / "exports" / "notes.txt").write_text("Exported notes\n", encoding="utf-8")
    return root / "case"


@pytest.fixture
def case_path(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "case"))


def database_rows(case: Path) -> dict[str, object]:
    """Every table's rows (whatever tables the schema has by now), and the schema itself."""
    connection = sqlite3.connect(f"{(case / 'case.sqlite').as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        rows: dict[str, object] = {
            table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"')))
            for table in tables
        }
        rows["(schema)"] = sorted(connection.execute("SELECT type, name, sql FROM sqlite_master"))
        rows["(version)"] = connection.execute("PRAGMA user_version").fetchone()
        return rows
    finally:
        connection.close()


def originals(case: Path) -> dict[str, bytes]:
    return {
        path.relative_to(case).as_posix(): path.read_bytes()
        for path in sorted((case / "files").rglob("*"))
        if path.is_file()
    }


def search_results(case: Path) -> list[object]:
    with Case.open(case, readonly=True) as opened:
        return [
            [(hit.doc, hit.page, hit.hits) for hit in opened.search(query).results]
            for query in QUERIES
        ]


def tree(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


# -- the round trip ------------------------------------------------------------------------


def test_round_trip_restores_originals_and_rows_byte_for_byte(
    case_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "case.zip"
    report = archive_case(case_path, out)
    assert report.path == out and out.is_file() and report.problems == ()
    assert report.documents == 7 and report.files == 1 + 7 + 1  # database, originals, export
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert not [name for name in names if name.startswith("index/")]  # derived: left out
        pdfs = [info for info in archive.infolist() if info.filename.endswith(".pdf")]
        assert pdfs and all(info.compress_type == zipfile.ZIP_STORED for info in pdfs)
        manifest = json.loads(archive.read(MANIFEST_NAME))
    assert manifest["schema_version"] == database_rows(case_path)["(version)"][0]
    assert {entry["path"] for entry in manifest["files"]} == set(names) - {MANIFEST_NAME}

    restored = tmp_path / "restored"
    result = restore_case(out, restored)
    assert result.path == restored and result.problems == ()
    assert (result.documents, result.files) == (7, report.files)
    assert originals(restored) == originals(case_path)
    assert database_rows(restored) == database_rows(case_path)
    assert (restored / "exports" / "notes.txt").read_text(encoding="utf-8") == "Exported notes\n"
    with Case.open(restored, readonly=True) as opened:
        assert opened.verify().ok
    assert search_results(restored) == search_results(case_path)
    assert search_results(restored)[0]  # the queries do find something
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_restore_into_an_existing_empty_folder(case_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "case.zip"
    archive_case(case_path, out)
    (tmp_path / "empty").mkdir()
    assert restore_case(out, tmp_path / "empty").documents == 7


def test_archive_refuses_to_overwrite_or_to_write_inside_the_case(
    case_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "case.zip"
    out.write_bytes(b"mine")
    with pytest.raises(ArchiveError, match="already exists"):
        archive_case(case_path, out)
    assert out.read_bytes() == b"mine"
    archive_case(case_path, out, overwrite=True)
    assert zipfile.is_zipfile(out)
    with pytest.raises(ArchiveError, match="outside the case folder"):
        archive_case(case_path, case_path / "exports" / "self.zip")
    with pytest.raises(CaseError, match="not a Docket case"):
        archive_case(tmp_path, tmp_path / "x.zip")


# -- archiving a case that is being written --------------------------------------------------


class RolledBack(Exception):
    pass


def test_archive_while_another_case_object_writes(case_path: Path, tmp_path: Path) -> None:
    """The window holds the case open for writing: committed changes still only in the
    WAL are in the archive; a transaction still open is not."""
    with Case.open(case_path) as writer:
        writer.import_paths(write_many_pdfs(tmp_path / "more", 2))
        writer.flush_index()
        assert (case_path / "case.sqlite-wal").stat().st_size > 0  # not checkpointed
        with pytest.raises(RolledBack), writer.database.write() as connection:
            connection.execute("UPDATE documents SET title = 'uncommitted'")
            report = archive_case(case_path, tmp_path / "busy.zip")  # must not wait or fail
            raise RolledBack
        committed = database_rows(case_path)
    assert report.documents == 9
    restored = tmp_path / "restored"
    restore_case(tmp_path / "busy.zip", restored)
    rows = database_rows(restored)
    assert "uncommitted" not in str(rows["documents"])
    assert rows == committed
    assert originals(restored) == originals(case_path)


HOLD_THE_CASE = """
import sys
from pathlib import Path

import docket
from docket.core.case import Case

case = Case.open(Path(sys.argv[1]))
with case.database.write() as connection:
    connection.execute("UPDATE documents SET title = 'committed elsewhere' WHERE id = 1")
pending = case.database.write()
pending.__enter__().execute("UPDATE documents SET title = 'uncommitted'")
print("ready", flush=True)
sys.stdin.readline()
"""


def test_archive_while_another_process_holds_the_case(case_path: Path, tmp_path: Path) -> None:
    """As when the window has the case open: its lock, its WAL, a transaction under way."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_CASE, str(case_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
        with pytest.raises(CaseError, match="open in another Docket"):
            Case.open(case_path)
        archive_case(case_path, tmp_path / "held.zip")
    finally:
        holder.communicate("done\n", timeout=30)
    restore_case(tmp_path / "held.zip", tmp_path / "restored")
    titles = str(database_rows(tmp_path / "restored")["documents"])
    assert "committed elsewhere" in titles and "uncommitted" not in titles


def test_archive_during_an_import_is_consistent(case_path: Path, tmp_path: Path) -> None:
    sources = write_many_pdfs(tmp_path / "incoming", 12, pages_each=2)
    with Case.open(case_path) as writer:
        importing = threading.Thread(target=writer.import_paths, args=(sources,))
        importing.start()
        try:
            report = archive_case(case_path, tmp_path / "during.zip")
        finally:
            importing.join()
    assert 7 <= report.documents <= 19
    restored = restore_case(tmp_path / "during.zip", tmp_path / "restored")
    assert restored.problems == ()  # every archived row has its original and its pages


# -- cancel ------------------------------------------------------------------------------------


def _cancel_after(steps: int) -> tuple[CancelToken, list[Progress], Callable[[Progress], None]]:
    token, seen = CancelToken(), []

    def progress(step: Progress) -> None:
        seen.append(step)
        if len(seen) >= steps:
            token.cancel()

    return token, seen, progress


def test_a_cancelled_archive_leaves_no_zip(case_path: Path, tmp_path: Path) -> None:
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    token, seen, progress = _cancel_after(2)
    with pytest.raises(Cancelled):
        archive_case(case_path, out_folder / "case.zip", progress, token)
    assert len(seen) == 2
    assert list(out_folder.iterdir()) == []  # neither the zip nor a partial or snapshot


def test_a_cancelled_restore_leaves_no_folder(case_path: Path, tmp_path: Path) -> None:
    archive_case(case_path, tmp_path / "case.zip")
    before = tree(tmp_path)
    token, _, progress = _cancel_after(3)
    with pytest.raises(Cancelled):
        restore_case(tmp_path / "case.zip", tmp_path / "restored", progress, token)
    assert tree(tmp_path) == before


# -- hostile and damaged zips -------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_zip(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good") / "good.zip"
    archive_case(template, out)
    return out


def build_zip(
    path: Path,
    good: Path,
    extra: list[tuple[zipfile.ZipInfo | str, bytes]],
    *,
    drop: tuple[str, ...] = (),
    manifest_changes: dict[str, object] | None = None,
) -> Path:
    """A copy of a real archive with `extra` entries added (and listed in the manifest)."""
    with (
        zipfile.ZipFile(good) as source,
        zipfile.ZipFile(path, "w") as target,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of duplicate names
        manifest = json.loads(source.read(MANIFEST_NAME))
        for info in source.infolist():
            if info.filename not in (MANIFEST_NAME, *drop):
                target.writestr(info, source.read(info))
        for entry, data in extra:
            target.writestr(entry, data, zipfile.ZIP_DEFLATED)
            name = entry.filename if isinstance(entry, zipfile.ZipInfo) else entry
            manifest["files"].append({"path": name, "size": len(data), "sha256": "0" * 64})
        manifest["files"] = [e for e in manifest["files"] if e["path"] not in drop]
        manifest.update(manifest_changes or {})
        if MANIFEST_NAME not in drop:
            target.writestr(MANIFEST_NAME, json.dumps(manifest))
    return path


def symlink_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


BLOB = "files/ab/ab" + "0" * 62 + ".pdf"
HOSTILE = {
    "dot-dot": ([("../evil", b"x")], "'..'"),
    "deep dot-dot": ([("exports/../../evil", b"x")], "'..'"),
    "absolute": ([("/abs/path", b"x")], "absolute path"),
    "drive letter": ([("C:/x", b"x")], "drive letter"),
    "backslash drive": ([("C:\\x", b"x")], "backslash"),
    "backslash trick": ([("exports\\..\\..\\evil", b"x")], "backslash"),
    "symlink": ([(symlink_entry(BLOB), b"/etc/passwd")], "symbolic link"),
    "outside the layout": ([("run-me.sh", b"#!/bin/sh\n")], "outside the case layout"),
    "the index": ([("index/_MAIN_1.toc", b"x")], "outside the case layout"),
    "a misfiled blob": ([("files/cd/ab" + "0" * 62 + ".pdf", b"x")], "outside the case layout"),
    "duplicate": ([("case.sqlite", b"second")], "appears twice"),
    "case-only duplicate": (
        [("exports/Notes.txt", b"a"), ("exports/notes.TXT", b"b")],
        "only in letter case",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_entries_are_refused_before_anything_is_written(
    name: str, good_zip: Path, tmp_path: Path
) -> None:
    extra, message = HOSTILE[name]
    hostile = build_zip(tmp_path / "hostile.zip", good_zip, extra)
    work = tmp_path / "work"
    work.mkdir()
    dest = work / "restored"
    with pytest.raises(ArchiveError, match=message) as refused:
        restore_case(hostile, dest)
    bad_name = extra[0][0] if isinstance(extra[0][0], str) else extra[0][0].filename
    if "duplicate" not in name:
        assert repr(bad_name) in str(refused.value)  # the message names the entry
    assert "nothing was restored" in str(refused.value)
    assert tree(work) == set()  # not even a temporary folder
    assert sorted(tree(tmp_path)) == ["hostile.zip", "work"]


def test_a_zip_bomb_is_refused_without_unpacking_it(good_zip: Path, tmp_path: Path) -> None:
    """200 MB of zeros in a few hundred KB: refused from the zip's directory alone."""
    bomb = tmp_path / "bomb.zip"
    shutil.copy(good_zip, bomb)
    zeros = bytes(1 << 20)
    entry = zipfile.ZipInfo("exports/zeros.txt")
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(bomb, "a", compresslevel=9) as archive, archive.open(entry, "w") as writer:
        for _ in range(200):
            writer.write(zeros)
    assert bomb.stat().st_size < 1 << 20
    started = time.process_time()  # CPU: the wall clock counts other processes on a busy CI
    with pytest.raises(ArchiveError, match="zip bomb"):
        restore_case(bomb, tmp_path / "restored")
    assert time.process_time() - started < 2
    assert sorted(tree(tmp_path)) == ["bomb.zip"]


def _set_uncompressed_size(path: Path, name: str, size: int, crc: int | None = None) -> None:
    """Make an entry's local and central headers claim `size` bytes (and `crc`)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    if crc is not None:
        struct.pack_into("<I", data, info.header_offset + 14, crc)
    start = 0
    while (start := data.find(b"PK\x01\x02", start + 1)) != -1:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name.encode():
            struct.pack_into("<I", data, start + 24, size)
            if crc is not None:
                struct.pack_into("<I", data, start + 16, crc)
    path.write_bytes(data)


@pytest.mark.parametrize("claimed", [1000, 4 << 20])
def test_an_entry_whose_size_header_lies_is_refused(
    claimed: int, good_zip: Path, tmp_path: Path
) -> None:
    """Sizes come from the bytes read, not the header: too many or too few, it is refused."""
    content = b"line of an exported report\n" * 40_000  # ~1 MB, deflated to a few KB
    hostile = build_zip(tmp_path / "lying.zip", good_zip, [("exports/report.txt", content)])
    # The manifest and both headers agree on the lie, and the CRC fits what they claim.
    claimed_crc = zlib.crc32(content[:claimed])
    _rewrite_manifest_entry(
        hostile, "exports/report.txt", claimed, hashlib.sha256(content).hexdigest()
    )
    _set_uncompressed_size(hostile, "exports/report.txt", claimed, claimed_crc)
    with pytest.raises(ArchiveError, match=r"exports/report\.txt"):
        restore_case(hostile, tmp_path / "restored")
    assert sorted(tree(tmp_path)) == ["lying.zip"]


def test_bytes_are_counted_as_they_come_not_taken_from_the_header(tmp_path: Path) -> None:
    """Even if a reader gave more bytes than declared, no more than declared are written."""

    class Lying:
        def open(self, _: object) -> io.BytesIO:
            return io.BytesIO(b"x" * 5000)

    target = tmp_path / "out.txt"
    entry = Entry("exports/out.txt", "0" * 64, 1000)
    with pytest.raises(ArchiveError, match="more bytes than its size says"):
        restore_module._copy_checked(
            Lying(),
            zipfile.ZipInfo(entry.path),
            entry,  # type: ignore[arg-type]
            target,
            None,
            tmp_path / "a.zip",
        )
    assert target.stat().st_size == 0


def _rewrite_manifest_entry(path: Path, name: str, size: int, sha256: str) -> None:
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
        infos = {info.filename: info for info in archive.infolist()}
    manifest = json.loads(entries[MANIFEST_NAME])
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["size"], entry["sha256"] = size, sha256
    with zipfile.ZipFile(path, "w") as archive:
        for filename, data in entries.items():
            if filename == MANIFEST_NAME:
                data = json.dumps(manifest).encode()
            archive.writestr(infos[filename], data)


def test_a_damaged_original_is_refused(good_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(good_zip) as source:
        pdf = next(info for info in source.infolist() if info.filename.endswith(".pdf"))
    data = bytearray(good_zip.read_bytes())
    name_length, extra_length = struct.unpack_from("<HH", data, pdf.header_offset + 26)
    data[pdf.header_offset + 30 + name_length + extra_length + 200] ^= 0xFF  # stored PDF data
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(data)
    with pytest.raises(ArchiveError, match=pdf.filename):
        restore_case(damaged, tmp_path / "restored")
    assert sorted(tree(tmp_path)) == ["damaged.zip"]


@pytest.mark.parametrize("missing", [MANIFEST_NAME, "case.sqlite"])
def test_an_archive_without_its_manifest_or_database_is_refused(
    missing: str, good_zip: Path, tmp_path: Path
) -> None:
    partial = build_zip(tmp_path / "partial.zip", good_zip, [], drop=(missing,))
    with pytest.raises(ArchiveError, match=f"not a Docket case archive.*{missing}"):
        restore_case(partial, tmp_path / "restored")
    assert sorted(tree(tmp_path)) == ["partial.zip"]


def test_an_unlisted_entry_and_a_newer_schema_are_refused(good_zip: Path, tmp_path: Path) -> None:
    newer = build_zip(
        tmp_path / "newer.zip",
        good_zip,
        [],
        manifest_changes={"schema_version": 999, "docket_version": "9.0"},
    )
    with pytest.raises(ArchiveError, match="newer Docket"):
        restore_case(newer, tmp_path / "restored")
    unlisted = tmp_path / "unlisted.zip"
    shutil.copy(good_zip, unlisted)
    with zipfile.ZipFile(unlisted, "a") as archive:
        archive.writestr("exports/sneaked-in.txt", b"x")
    with pytest.raises(ArchiveError, match=r"sneaked-in\.txt.*not listed"):
        restore_case(unlisted, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "case.zip"
    fake.write_bytes(b"%PDF-1.4 not a zip at all\n" * 100)
    with pytest.raises(ArchiveError, match="is not a zip file"):
        restore_case(fake, tmp_path / "restored")
    with pytest.raises(ArchiveError, match="no archive at"):
        restore_case(tmp_path / "absent.zip", tmp_path / "restored")
    assert sorted(tree(tmp_path)) == ["case.zip"]


def test_a_truncated_zip_is_refused(good_zip: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good_zip.read_bytes()[: good_zip.stat().st_size // 2])
    with pytest.raises(ArchiveError, match="damaged or truncated"):
        restore_case(truncated, tmp_path / "restored")
    assert sorted(tree(tmp_path)) == ["truncated.zip"]


def test_the_destination_must_be_new_or_empty(good_zip: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CaseError, match="not empty"):
        restore_case(good_zip, full)
    assert tree(full) == {"keep.txt"}
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(CaseError, match="not a folder"):
        restore_case(good_zip, tmp_path / "a-file")


def test_every_refusal_is_a_docket_error() -> None:
    assert issubclass(ArchiveError, DocketError)  # the CLI and window show it as one line
