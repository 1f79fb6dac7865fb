"""Archiving and restoring from the window: dialogs, background work, Cancel, the result."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from docket.app.kit import tasks
from docket.app.operations import archiving
from docket.app.operations.archiving import (
    ArchiveProgress,
    archive_case_dialog,
    restore_case_dialog,
)
from docket.app.window.mainwindow import MainWindow
from docket.core.case import Case
from docket.core.errors import Cancelled
from docket.core.progress import CancelToken, Progress, ProgressCallback
from tests.core.case_factory import write_matter


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert tasks.wait_for_idle(5000), "background work still running after the test"


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    with Case.create(tmp_path / "case") as case:
        case.import_paths([write_matter(tmp_path / "matter")], workers=0)
    return tmp_path / "case"


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Every message box shown, as (kind, title, text); `question` answers Yes."""
    shown: list[tuple[str, str, str]] = []

    def recorder(kind: str, answer: QMessageBox.StandardButton) -> Callable[..., object]:
        def show(_parent: object, title: str, text: str, *_: object) -> object:
            shown.append((kind, title, text))
            return answer

        return show

    ok, yes = QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "information", recorder("information", ok))
    monkeypatch.setattr(QMessageBox, "warning", recorder("warning", ok))
    monkeypatch.setattr(QMessageBox, "question", recorder("question", yes))
    return shown


def answer_dialogs(
    monkeypatch: pytest.MonkeyPatch,
    *,
    save: tuple[str, ...] = (),
    open_: str = "",
    folder: str = "",
) -> None:
    """What the file dialogs answer: `save` in turn, then "" (the user pressed Cancel)."""
    answers = list(save)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_, **__: (answers.pop(0) if answers else "", "")
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_, **__: (open_, ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_, **__: folder)


def test_archive_the_open_case_then_restore_and_open_it(
    window: MainWindow,
    case_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[tuple[str, str, str]],
) -> None:
    assert window.open_case(case_path)
    out = tmp_path / "archive"  # no suffix typed: .zip is added
    answer_dialogs(monkeypatch, save=(str(out),))
    task = archive_case_dialog(window.session, window)
    assert task is not None
    assert window.statusBar().findChild(ArchiveProgress) is not None
    qtbot.waitUntil(lambda: bool(boxes), timeout=20_000)
    kind, title, text = boxes.pop()
    assert (kind, title) == ("information", "Case archived")
    assert "Archived 3 documents" in text and str(out.with_suffix(".zip")) in text
    qtbot.waitUntil(lambda: window.statusBar().findChild(ArchiveProgress) is None)

    restored = tmp_path / "restored"
    answer_dialogs(monkeypatch, save=(str(restored),), open_=str(out.with_suffix(".zip")))
    assert restore_case_dialog(window.session, window, window.open_case) is not None
    qtbot.waitUntil(lambda: bool(boxes), timeout=20_000)
    kind, title, text = boxes.pop()
    assert (kind, title) == ("question", "Case restored")
    assert "Restored 3 documents (6 pages)" in text and "Open it now?" in text
    assert window.case is not None and window.case.path == restored.resolve()
    assert window.case.search("police").total > 0


def test_archive_with_no_case_open_asks_for_the_folder(
    window: MainWindow,
    case_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[tuple[str, str, str]],
) -> None:
    answer_dialogs(monkeypatch, save=(str(tmp_path / "closed.zip"),), folder=str(case_path))
    assert archive_case_dialog(window.session, window) is not None
    qtbot.waitUntil(lambda: bool(boxes), timeout=20_000)
    assert boxes[0][1] == "Case archived" and (tmp_path / "closed.zip").is_file()


def test_dismissed_dialogs_start_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, boxes: list[tuple[str, str, str]]
) -> None:
    answer_dialogs(monkeypatch)
    assert archive_case_dialog(window.session, window) is None
    assert restore_case_dialog(window.session, window, window.open_case) is None
    assert boxes == [] and window.statusBar().findChild(ArchiveProgress) is None


def test_a_refused_restore_shows_why(
    window: MainWindow,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[tuple[str, str, str]],
) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_text("not a zip", encoding="utf-8")
    answer_dialogs(monkeypatch, save=(str(tmp_path / "restored"),), open_=str(fake))
    restore_case_dialog(window.session, window, window.open_case)
    qtbot.waitUntil(lambda: bool(boxes), timeout=20_000)
    assert boxes == [
        ("warning", "Cannot restore the case", "fake.zip is not a zip file; nothing was restored")
    ]
    assert not (tmp_path / "restored").exists() and window.case is None


def test_cancel_in_the_status_bar_stops_the_work(
    window: MainWindow,
    case_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[tuple[str, str, str]],
) -> None:
    started = threading.Event()

    def slow_archive(
        _case: Path, _out: Path, progress: ProgressCallback, cancel: CancelToken, **_: object
    ) -> None:
        progress(Progress(1, 10, 0))
        started.set()
        while not cancel.cancelled:  # stands for a large case still being written
            cancel_wait.wait(0.01)
        raise Cancelled("cancelled")

    cancel_wait = threading.Event()
    monkeypatch.setattr(archiving, "archive_case", slow_archive)
    answer_dialogs(monkeypatch, save=(str(tmp_path / "big.zip"),), folder=str(case_path))
    archive_case_dialog(window.session, window)
    indicator = window.statusBar().findChild(ArchiveProgress)
    assert indicator is not None
    qtbot.waitUntil(started.is_set)
    qtbot.waitUntil(lambda: "1 of 10 files" in indicator.label.text())
    indicator.cancel_button.click()
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage())
    assert boxes == [] and window.statusBar().findChild(ArchiveProgress) is None
