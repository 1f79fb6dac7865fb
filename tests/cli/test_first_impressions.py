"""First impressions: `docket CASE` opens the case, counts read "1 page", options are documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.cli.main import _parser, main
from docket.cli.output import EXIT_CASE, EXIT_OK, EXIT_USAGE
from docket.core.counts import count, plural
from tests.cli.runner import run


class _Window:
    """Stands in for the window: records what it was asked to open."""

    def __init__(self) -> None:
        self.opened: list[tuple[Path | None, list[Path] | None]] = []

    def __call__(self, case: Path | None = None, import_files: list[Path] | None = None) -> int:
        self.opened.append((case, import_files))
        return EXIT_OK


def test_a_bare_case_path_opens_it_like_docket_open(case_path: Path, tmp_path: Path) -> None:
    window = _Window()
    assert main([str(case_path)], open_window=window) == EXIT_OK
    letter = tmp_path / "letter.txt"
    letter.write_text("a letter", encoding="utf-8")
    assert main([str(case_path / "case.sqlite"), str(letter)], open_window=window) == EXIT_OK
    assert window.opened == [(case_path, None), (case_path, [letter.absolute()])]


def test_a_bare_path_that_is_no_case_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, str(tmp_path / "nowhere"))
    assert code == EXIT_CASE and "no case at" in err and "invalid choice" not in err


def test_a_mistyped_command_is_still_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serch", "x"])
    assert stopped.value.code == EXIT_USAGE
    assert "invalid choice: 'serch'" in capsys.readouterr().err


def test_without_a_window_a_bare_case_is_described_in_the_singular(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(case_path))
    assert code == EXIT_OK
    assert out.startswith("3 documents, 8 pages")
    assert "(text, 1 page)" in out and "1 pages" not in out


def test_counts_are_singular_for_one_only() -> None:
    assert [count(n, "page") for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert count(1234, "hit", grouped=True) == "1,234 hits"
    assert plural("match", 2) == "matches" and plural("annotated PDF", 3) == "annotated PDFs"
    assert plural("entry", 1) == "entry" and plural("entry", 0) == "entries"


def test_quiet_progress_and_bare_paths_are_documented() -> None:
    assert "docket CASE" in (_parser().epilog or "")
    parser = _parser(wanted="import")  # a command's own options are defined when it runs
    import_help = " ".join(
        next(
            action.choices["import"].format_help()
            for action in parser._actions
            if action.dest == "command"
        ).split()
    )
    assert "--quiet" in import_help and "--progress" in import_help
    assert "only the line per file" in import_help and "not a terminal" in import_help
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for promise in ("--quiet", "--progress", "--passwords FILE", "--force", "docket CASE"):
        assert promise in readme, promise
