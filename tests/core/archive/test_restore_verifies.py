"""A restore verifies every original against its document's SHA-256 in case.sqlite
before the case appears: an archive whose manifest vouches for changed or missing
originals is refused, naming the file, and nothing is left at the destination."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from docket.core.archive.check import MANIFEST_NAME, ArchiveError
from docket.core.archive.restore import restore_case
from docket.core.archive.write import archive_case
from docket.core.case import Case
from tests.core.case_factory import write_matter
from tests.core.test_damaged_case import garble_table


@pytest.fixture(scope="module")
def good_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("restore")
    with Case.create(root / "case") as case:
        case.import_paths([write_matter(root / "matter")], workers=0)
    archive_case(root / "case", root / "good.zip")
    return root / "good.zip"


def rewritten(good: Path, out: Path, changes: dict[str, bytes | None]) -> Path:
    """A copy of `good` with entries replaced (None: dropped) and a manifest that agrees,
    as someone who edited the archive would make it."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        manifest = json.loads(source.read(MANIFEST_NAME))
        kept = []
        for entry in manifest["files"]:
            data = changes.get(entry["path"], b"")
            if entry["path"] in changes and data is None:
                continue
            if data:
                entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
            kept.append(entry)
        manifest["files"] = kept
        for info in source.infolist():
            if info.filename == MANIFEST_NAME:
                continue
            data = changes.get(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data or source.read(info.filename))
        target.writestr(MANIFEST_NAME, json.dumps(manifest))
    return out


def first_pdf(good: Path) -> str:
    with zipfile.ZipFile(good) as archive:
        return next(name for name in archive.namelist() if name.endswith(".pdf"))


def assert_nothing_restored(work: Path) -> None:
    assert sorted(path.name for path in work.iterdir()) == []


def test_an_original_changed_with_its_manifest_is_refused(good_zip: Path, tmp_path: Path) -> None:
    blob = first_pdf(good_zip)
    with zipfile.ZipFile(good_zip) as archive:
        data = archive.read(blob) + b"\n% a line added after the end\n"
    edited = rewritten(good_zip, tmp_path / "edited.zip", {blob: data})
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(ArchiveError, match="does not match the SHA-256 of document") as refused:
        restore_case(edited, work / "restored")
    assert repr(blob) in str(refused.value)  # the message names the file
    assert "nothing was restored" in str(refused.value)
    assert_nothing_restored(work)


def test_a_missing_original_is_refused(good_zip: Path, tmp_path: Path) -> None:
    blob = first_pdf(good_zip)
    partial = rewritten(good_zip, tmp_path / "partial.zip", {blob: None})
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(ArchiveError, match=r"is missing: it is document \d+'s original") as refused:
        restore_case(partial, work / "restored")
    assert repr(blob) in str(refused.value)
    assert_nothing_restored(work)


def test_a_damaged_database_in_the_archive_is_refused(good_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(good_zip) as archive:
        archive.extract("case.sqlite", tmp_path / "db")
    database = tmp_path / "db" / "case.sqlite"
    garble_table(database, "documents")
    damaged = rewritten(good_zip, tmp_path / "damaged.zip", {"case.sqlite": database.read_bytes()})
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(ArchiveError, match=r"'case\.sqlite' cannot be read"):
        restore_case(damaged, work / "restored")
    assert_nothing_restored(work)


def test_a_whole_archive_still_restores(good_zip: Path, tmp_path: Path) -> None:
    report = restore_case(good_zip, tmp_path / "restored")
    assert report.problems == ()
    assert report.documents == 3
