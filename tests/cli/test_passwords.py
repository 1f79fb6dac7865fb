"""Passwords for encrypted PDFs: several tried in turn, a file's own from a file, '' allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.cli.output import EXIT_FAILURES, EXIT_OK, EXIT_USAGE
from docket.core.case import Case
from docket.core.ingest.passwords import Passwords, read_passwords_file
from docket.core.ingest.pipeline import PASSWORD_FAILURES
from docket.core.pdf.extract import NEEDS_PASSWORD, WRONG_PASSWORD
from tests.cli.runner import run
from tests.core.pdf_factory import qt_app, write_encrypted_pdf, write_pdf


@pytest.fixture
def sealed(tmp_path: Path) -> Path:
    """A folder: alpha.pdf (password "alpha"), beta.pdf ("beta"), open.pdf (none).

    Each page has text enough to search (40 letters, ocr/plan.py): a one-line page
    would be read by OCR after the import, seconds a test that passwords do not need."""
    qt_app()
    folder = tmp_path / "sealed"
    folder.mkdir()
    for name, password in (("alpha", "alpha"), ("beta", "beta"), ("open", None)):
        page = f"{name.title()} words: the statement of the witness, signed and dated."
        if password is None:
            write_pdf(folder / f"{name}.pdf", [page], title=name.title())
        else:
            write_encrypted_pdf(folder / f"{name}.pdf", [page], password, title=name.title())
    return folder


def _new_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    case = tmp_path / "case"
    assert run(capsys, "new", str(case))[0] == EXIT_OK
    return case


def _stored_passwords(case: Path) -> dict[str, str | None]:
    with Case.open(case, readonly=True) as opened:
        return {d.title: opened.password(d.id) for d in opened.documents()}


def test_password_repeats_and_each_is_tried_on_every_file(
    sealed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _new_case(tmp_path, capsys)
    code, out, _ = run(
        capsys, "import", str(case), str(sealed), "--password", "beta", "--password", "alpha"
    )
    assert code == EXIT_OK, out
    assert out.count("imported: ") == 3
    # Each keeps the one that opened it; the file that needed none keeps none.
    assert _stored_passwords(case) == {"Alpha": "alpha", "Beta": "beta", "Open": None}


def test_a_passwords_file_maps_names_to_passwords(
    sealed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "passwords.tsv"
    listing.write_text("# for the statements\nalpha.pdf\talpha\nbeta.pdf\tbeta\n", "utf-8")
    case = _new_case(tmp_path, capsys)
    code, out, _ = run(capsys, "import", str(case), str(sealed), "--passwords", str(listing))
    assert code == EXIT_OK, out
    assert _stored_passwords(case) == {"Alpha": "alpha", "Beta": "beta", "Open": None}


def test_a_json_passwords_file_and_a_file_that_none_opens(
    sealed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "passwords.json"
    listing.write_text(json.dumps({"alpha.pdf": ["wrong", "alpha"]}), "utf-8")
    case = _new_case(tmp_path, capsys)
    code, out, _ = run(
        capsys,
        "import",
        str(case),
        str(sealed),
        "--passwords",
        str(listing),
        "--password",
        "nope",
    )
    assert code == EXIT_FAILURES
    assert f"failed: {sealed / 'beta.pdf'}: encrypted PDF: wrong password" in out
    assert _stored_passwords(case) == {"Alpha": "alpha", "Open": None}


def test_several_wrong_passwords_are_counted_in_the_reason(
    sealed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _new_case(tmp_path, capsys)
    locked = sealed / "alpha.pdf"
    code, out, _ = run(
        capsys, "import", str(case), str(locked), "--password", "", "--password", "nope"
    )
    assert code == EXIT_FAILURES
    assert "encrypted PDF: none of the 2 passwords given opens it" in out


def test_an_empty_password_can_be_given_among_others(
    sealed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _new_case(tmp_path, capsys)
    args = ("--password", "", "--password", "alpha", "--password", "beta")
    code, out, err = run(capsys, "import", str(case), str(sealed), *args)
    assert code == EXIT_OK, err
    assert out.count("imported: ") == 3
    assert _stored_passwords(case) == {"Alpha": "alpha", "Beta": "beta", "Open": None}
    assert Passwords.of(["", "x"]).for_file(Path("a.pdf")) == ("", "x")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("alpha.pdf alpha\n", "line 1: expected NAME<TAB>PASSWORD"),
        ('{"a.pdf": 3}', "must map to a password or a list of passwords"),
        ('{"a.pdf": ', "not valid JSON at line 1"),
    ],
)
def test_a_bad_passwords_file_is_a_usage_error_before_anything_is_imported(
    sealed: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    listing = tmp_path / "bad.txt"
    listing.write_text(content, "utf-8")
    case = _new_case(tmp_path, capsys)
    code, out, err = run(capsys, "import", str(case), str(sealed), "--passwords", str(listing))
    assert code == EXIT_USAGE and out == ""
    assert message in err and str(listing) in err
    assert _stored_passwords(case) == {}
    code, _, err = run(capsys, "import", str(case), str(sealed), "--passwords", "missing.tsv")
    assert code == EXIT_USAGE and "cannot read missing.tsv" in err


def test_a_files_own_passwords_come_first_and_keys_may_be_paths(tmp_path: Path) -> None:
    listing = tmp_path / "p.tsv"
    target = tmp_path / "x" / "s.pdf"
    listing.write_text(f"s.pdf\tone\n{target}\ttwo\ns.pdf\tthree\tfour\n", "utf-8")
    by_name = read_passwords_file(listing)
    assert by_name == {"s.pdf": ("one", "three\tfour"), str(target): ("two",)}
    passwords = Passwords(("common", "one"), by_name)
    assert passwords.for_file(target) == ("two", "common", "one")  # the full path wins
    assert passwords.for_file(Path("other/s.pdf")) == ("one", "three\tfour", "common")


def test_the_pipeline_knows_the_extractors_password_failures() -> None:
    assert set(PASSWORD_FAILURES) == {NEEDS_PASSWORD, WRONG_PASSWORD}
