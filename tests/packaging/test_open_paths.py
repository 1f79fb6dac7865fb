"""Opening from the desktop: `docket open %F` with a case, its case.sqlite, or documents."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from docket.app import main as app_main
from docket.cli import starting
from docket.core.case import Case
from docket.core.errors import CaseError
from docket.entry import main


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "case"
    Case.create(path).close()
    return path


def _document(folder: Path, name: str = "memo.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("Memo\n\nThe police fired without warning.\n", encoding="utf-8")
    return path


def test_a_case_is_its_folder_or_its_database(case: Path, tmp_path: Path) -> None:
    memo = _document(tmp_path / "docs")
    assert starting.split_open_paths([case]) == (case, [])
    assert starting.split_open_paths([case / "case.sqlite", memo]) == (case, [memo])
    assert starting.split_open_paths([memo]) == (None, [memo])


def test_two_cases_at_once_are_refused(case: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    Case.create(other).close()
    with pytest.raises(CaseError, match="one case at a time"):
        starting.split_open_paths([case, other / "case.sqlite"])


def test_a_folder_that_is_not_a_case_is_not_imported(tmp_path: Path, capsys) -> None:
    _document(tmp_path / "docs")
    assert main(["open", str(tmp_path / "docs")]) == 3
    assert "is not a Docket case" in capsys.readouterr().err


def test_open_passes_the_case_and_documents_to_the_window(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path | None, list[Path] | None]] = []
    monkeypatch.setattr(starting, "_has_display", lambda: True)
    monkeypatch.setattr(
        app_main,
        "run_window",
        lambda case=None, import_files=None: calls.append((case, import_files)) or 0,
    )
    memo = _document(tmp_path / "docs")
    assert main(["open", str(case / "case.sqlite")]) == 0
    assert main(["open", str(memo)]) == 0
    assert calls == [(case, None), (None, [memo])]


def test_documents_without_a_display_get_the_import_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(starting, "_has_display", lambda: False)
    memo = _document(tmp_path / "docs")
    assert main(["open", str(memo)]) == 1
    assert f'docket import CASE "{memo}"' in capsys.readouterr().err


def test_open_without_paths_starts_as_docket_does(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[argparse.Namespace] = []
    monkeypatch.setattr(starting, "run_default", lambda args: started.append(args) or 0)
    assert main(["open"]) == 0 and len(started) == 1


def test_window_imports_documents_into_the_sample_case_on_a_first_run(
    qtbot, tmp_path: Path
) -> None:
    """`open_window` hands back the window it opened. This test once looked for it among
    the application's top-level widgets, and so failed after any test whose closed
    window was still waiting for its deferred delete (no event loop had run since)."""
    memo = _document(tmp_path / "docs", "firing-memo.txt")
    window = app_main.open_window(import_files=[memo])
    qtbot.addWidget(window)
    assert window.isVisible() and window.importer.running
    qtbot.waitUntil(lambda: not window.importer.running, timeout=20_000)
    assert window.case is not None
    assert window.case.path.name == "Sample case"
    assert "firing-memo.txt" in [d.source_name for d in window.case.documents()]
    window.close()


def test_run_window_opens_the_window_and_runs_until_it_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = _document(tmp_path / "docs", "firing-memo.txt")
    opened: list[tuple[Path | None, bool, list[Path] | None]] = []

    def open_window(case=None, *, sample_if_new=True, import_files=None) -> object:
        opened.append((case, sample_if_new, import_files))
        return object()

    monkeypatch.setattr(app_main, "open_window", open_window)
    monkeypatch.setattr(app_main, "make_application", lambda: _LoopStandIn(lambda: 7))
    assert app_main.run_window(import_files=[memo]) == 7  # what the event loop returned
    assert opened == [(None, True, [memo])]


class _LoopStandIn:
    """The running QApplication, with `exec` replaced: run_window returns when it does."""

    def __init__(self, exec_: object) -> None:
        self.exec = exec_
