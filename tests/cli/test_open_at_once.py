"""`docket CASE`, `docket open [CASE]` and `docket` skip the command line's parser.

docket.entry asks `open_at_once` first: the window's own starts open it at once
(the parser and what it imports would delay the frame); everything else, and
these same words without a display, go to the parser as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.cli import starting
from docket.core.case import Case

Opened = list[tuple[Path | None, list[Path] | None]]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "case"
    Case.create(path).close()
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Opened:
    monkeypatch.setattr(starting, "_has_display", lambda: True)
    return []


def _window(opened: Opened) -> starting.OpenWindow:
    def open_window(case: Path | None = None, import_files: list[Path] | None = None) -> int:
        opened.append((case, import_files))
        return 0

    return open_window


def test_a_case_opens_the_window_at_once(case: Path, opened: Opened) -> None:
    window = _window(opened)
    assert starting.open_at_once([str(case)], window) == 0
    assert starting.open_at_once(["open", str(case)], window) == 0
    assert starting.open_at_once(["open", str(case / "case.sqlite")], window) == 0
    assert starting.open_at_once([], window) == 0  # `docket`: the last case
    assert opened == [(case, None), (case, None), (case, None), (None, None)]


def test_commands_and_other_paths_are_left_to_the_parser(
    case: Path, tmp_path: Path, opened: Opened
) -> None:
    memo = tmp_path / "memo.txt"
    memo.write_text("Memo", encoding="utf-8")
    window = _window(opened)
    for words in (
        ["--help"],
        ["list", str(case)],
        ["search", str(case), "police"],
        ["open", str(memo)],  # documents to import
        ["open", str(case), str(memo)],
        [str(tmp_path / "nothing-here")],  # the parser says there is no such case
    ):
        assert starting.open_at_once(words, window) is None, words
    assert opened == []


def test_a_case_folder_named_like_a_command_is_the_command(
    tmp_path: Path, opened: Opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    Case.create(tmp_path / "marks").close()
    monkeypatch.chdir(tmp_path)
    window = _window(opened)
    assert starting.open_at_once(["marks"], window) is None  # `docket marks`: the command
    assert starting.open_at_once(["./marks"], window) == 0  # written as a path: the case
    assert opened == [(Path("marks"), None)]


def test_without_a_display_the_parser_describes_the_case(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(starting, "_has_display", lambda: False)
    assert starting.open_at_once([str(case)], _window([])) is None
