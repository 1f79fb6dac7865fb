"""Exports never destroy: no silent overwrite, folders written into, nothing partial left."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from docket.cli.output import EXIT_FAILURES, EXIT_OK
from tests.cli.runner import run


def _remove_original(case_path: Path, title: str) -> Path:
    """Delete the stored original of the document titled `title` (a damaged case)."""
    from docket.core.case import Case

    with Case.open(case_path, readonly=True) as case:
        doc = next(d.id for d in case.documents() if d.title == title)
        original = case.original_path(doc)
    original.parent.chmod(0o755)
    original.chmod(0o644)
    original.unlink()
    return original


def _everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_report_never_replaces_a_file_without_force(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    target.write_text("my own notes", encoding="utf-8")
    code, out, err = run(capsys, "export", str(case_path), "--format", "md", "--out", str(target))
    assert code == EXIT_FAILURES and out == ""
    assert str(target) in err and "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "my own notes"
    assert _everything_under(target.parent) == ["report.md"]  # no temporary file left
    code, out, _ = run(
        capsys, "export", str(case_path), "--format", "md", "--out", str(target), "--force"
    )
    assert code == EXIT_OK and "wrote 8 marks" in out
    assert "police fired" in target.read_text(encoding="utf-8")


def test_an_annotated_copy_never_replaces_a_file_without_force(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.pdf"
    target.write_bytes(b"not mine to lose")
    args = ("export", str(case_path), "--format", "pdf", "--doc", "Complaint", "--out")
    code, _, err = run(capsys, *args, str(target))
    assert code == EXIT_FAILURES and str(target) in err
    assert target.read_bytes() == b"not mine to lose"
    code, _, _ = run(capsys, *args, str(target), "--force")
    assert code == EXIT_OK and PdfReader(target).pages


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "w3c", "report-pdf"])
def test_an_existing_folder_as_out_is_written_into(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    folder = tmp_path / "exports here"
    folder.mkdir()
    code, out, err = run(capsys, "export", str(case_path), "--format", fmt, "--out", str(folder))
    assert code == EXIT_OK, err
    written = list(folder.iterdir())
    assert len(written) == 1 and written[0].is_file() and written[0].stat().st_size > 0
    assert str(written[0]) in out
    hidden = [p.name for p in (*tmp_path.iterdir(), *folder.iterdir()) if p.name.startswith(".")]
    assert hidden == []  # no temporary file beside or inside the folder
    # A second export into the same folder takes a new name: nothing replaced.
    code, _, _ = run(capsys, "export", str(case_path), "--format", fmt, "--out", str(folder))
    assert code == EXIT_OK and len(list(folder.iterdir())) == 2


def test_no_temporary_file_is_left_beside_an_existing_folder(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    code, _, _ = run(capsys, "export", str(case_path), "--format", "md", "--out", str(folder))
    assert code == EXIT_OK
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_out_ending_in_a_slash_is_a_folder_for_one_document(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "copies"
    code, out, err = run(
        capsys,
        "export",
        str(case_path),
        "--format",
        "pdf",
        "--doc",
        "Complaint",
        "--out",
        f"{folder}/",
    )
    assert code == EXIT_OK, err
    assert folder.is_dir()
    assert [p.name for p in folder.iterdir()] == ["Complaint (annotated).pdf"]
    assert "Complaint (annotated).pdf" in out


def test_a_folder_of_copies_numbers_names_already_there_and_says_so(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    (folder / "Complaint (annotated).pdf").write_bytes(b"an older copy")
    code, out, _ = run(capsys, "export", str(case_path), "--format", "pdf", "--out", str(folder))
    assert code == EXIT_OK
    assert (folder / "Complaint (annotated).pdf").read_bytes() == b"an older copy"
    assert (
        "Complaint (2) (annotated).pdf" in out
        and (folder / "Complaint (2) (annotated).pdf").is_file()
    )
    # --force replaces the copies of the same name instead.
    code, out, _ = run(
        capsys, "export", str(case_path), "--format", "pdf", "--out", str(folder), "--force"
    )
    assert code == EXIT_OK and "  Complaint (annotated).pdf" in out
    assert (folder / "Complaint (annotated).pdf").read_bytes().startswith(b"%PDF")


def test_a_missing_original_is_named_and_nothing_is_left(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = _remove_original(case_path, "Brief")
    folder = tmp_path / "copies"
    code, out, err = run(capsys, "export", str(case_path), "--format", "pdf", "--out", str(folder))
    assert code == EXIT_FAILURES and out == ""
    assert "“Brief”" in err and str(gone) in err and "Traceback" not in err
    assert not folder.exists()  # not even an empty folder
    # An existing folder keeps exactly what it had: the good copy is not written alone.
    folder.mkdir()
    code, _, _ = run(capsys, "export", str(case_path), "--format", "pdf", "--out", str(folder))
    assert code == EXIT_FAILURES and list(folder.iterdir()) == []
    single = tmp_path / "one" / "brief.pdf"
    code, _, err = run(
        capsys, "export", str(case_path), "--format", "pdf", "--doc", "Brief", "--out", str(single)
    )
    assert code == EXIT_FAILURES and "“Brief”" in err
    assert not single.parent.exists()


def test_the_originals_are_untouched_by_a_refused_export(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (case_path / "files").rglob("*")
        if p.is_file()
    }
    target = tmp_path / "r.csv"
    target.write_text("x")
    run(capsys, "export", str(case_path), "--format", "csv", "--out", str(target))
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in before}
    assert before == after


def test_a_place_that_cannot_be_written_is_one_clear_line(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "export", str(case_path), "--format", "pdf", "--out", str(a_file))
    assert code == EXIT_FAILURES and "is a file" in err and "Traceback" not in err
    assert a_file.read_text(encoding="utf-8") == "mine"
    inside_a_file = a_file / "report.md"
    code, _, err = run(
        capsys, "export", str(case_path), "--format", "md", "--out", str(inside_a_file)
    )
    assert code == EXIT_FAILURES and f"cannot write {inside_a_file}" in err
