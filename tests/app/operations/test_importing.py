"""Importing through a Session, with no window: progress, the change-set it announces, the queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QStatusBar, QWidget
from pytestqt.qtbot import QtBot

from docket.app.kit import tasks
from docket.app.kit.session import Session
from docket.app.kit.tasks import SerialExecutor
from docket.app.operations.importing import ImportController, ImportProgress, import_changes
from docket.app.operations.marks import MarkController
from docket.core.case import Case
from docket.core.errors import DocketError
from docket.core.ingest.pipeline import ImportReport
from docket.core.model.changes import Changes, Delta
from docket.core.model.records import ImportStatus
from tests.core.case_factory import write_matter


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert tasks.wait_for_idle(5000), "background work still running after the test"


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """What the window would be: a parent for dialogs, with a status bar."""
    widget = QWidget()
    QStatusBar(widget).setObjectName("status")
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def session(host: QWidget, tmp_path: Path) -> Iterator[Session]:
    writer = SerialExecutor(host)
    status = host.findChild(QStatusBar, "status")
    assert isinstance(status, QStatusBar)
    session = Session(writer, MarkController(writer, host), status, host)
    case = Case.create(tmp_path / "case")
    session.set_case(case)
    yield session
    writer.wait_for_idle(10_000)
    session.set_case(None)
    case.close()


def import_and_wait(qtbot: QtBot, importer: ImportController, paths: list[Path]) -> ImportReport:
    with qtbot.waitSignal(importer.finished, timeout=60_000) as finished:
        importer.start(paths)
    report = finished.args[0]
    assert isinstance(report, ImportReport)
    return report


def test_an_import_announces_the_documents_it_added(
    qtbot: QtBot, host: QWidget, session: Session, tmp_path: Path
) -> None:
    importer = ImportController(session, host)
    announced: list[Changes] = []
    session.changed.connect(announced.append)
    assert host.findChild(ImportProgress) is importer.progress  # in the session's status bar

    report = import_and_wait(qtbot, importer, [write_matter(tmp_path / "matter")])

    assert session.case is not None
    documents = {document.id for document in session.case.documents()}
    assert report.count(ImportStatus.IMPORTED) == 3 and len(documents) == 3
    assert announced == [Changes(documents=Delta.of(added=documents))]
    assert session.status_bar.currentMessage() == "Imported 3 documents (6 pages)"
    assert not importer.running and importer.progress.isHidden()


def test_files_already_in_the_case_announce_no_change(
    qtbot: QtBot, host: QWidget, session: Session, tmp_path: Path
) -> None:
    importer = ImportController(session, host)
    matter = write_matter(tmp_path / "matter")
    import_and_wait(qtbot, importer, [matter])
    announced: list[Changes] = []
    session.changed.connect(announced.append)

    report = import_and_wait(qtbot, importer, [matter])

    assert report.count(ImportStatus.DUPLICATE) == 3
    assert not import_changes(report)
    assert announced == []


def test_a_second_import_waits_for_the_first_and_each_announces_its_own(
    qtbot: QtBot, host: QWidget, session: Session, tmp_path: Path
) -> None:
    importer = ImportController(session, host)
    announced: list[Changes] = []
    session.changed.connect(announced.append)
    reports: list[ImportReport] = []
    importer.finished.connect(reports.append)
    letter = tmp_path / "extra" / "note.txt"
    letter.parent.mkdir()
    letter.write_text("A note on the police report.\n", encoding="utf-8")

    importer.start([write_matter(tmp_path / "matter")])
    importer.start([letter])  # queued behind the first
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=60_000)

    added = [changes.documents.added for changes in announced]
    assert [len(ids) for ids in added] == [3, 1]
    assert session.case is not None
    assert added[0] | added[1] == {document.id for document in session.case.documents()}


def test_with_no_case_open_nothing_starts(host: QWidget, session: Session, tmp_path: Path) -> None:
    importer = ImportController(session, host)
    case = session.case
    session.set_case(None)
    try:
        importer.start([write_matter(tmp_path / "matter")])
        assert not importer.running
    finally:
        session.set_case(case)


def test_the_session_says_when_its_case_changes_and_only_real_changes(
    qtbot: QtBot, session: Session
) -> None:
    case = session.case
    assert case is not None and session.require_case() is case
    announced: list[Changes] = []
    session.changed.connect(announced.append)
    session.announce(Changes())  # nothing changed: nothing said
    session.announce(Changes(documents=Delta.of(added=[7])))
    assert announced == [Changes(documents=Delta.of(added=[7]))]

    with qtbot.waitSignal(session.caseChanged) as closed:
        session.set_case(None)
    assert closed.args == [None]
    session.announce(Changes(documents=Delta.of(added=[8])))  # no case: nobody to tell
    assert announced == [Changes(documents=Delta.of(added=[7]))]
    with pytest.raises(DocketError, match="no case is open"):
        session.require_case()
    with qtbot.waitSignal(session.caseChanged) as opened:
        session.set_case(case)
    assert opened.args == [case]


def test_the_session_announces_the_mark_controllers_change_sets_too(
    qtbot: QtBot, host: QWidget, session: Session, tmp_path: Path
) -> None:
    import_and_wait(qtbot, ImportController(session, host), [write_matter(tmp_path / "matter")])
    case = session.require_case()
    session.marks.set_case(case)
    announced: list[Changes] = []
    session.changed.connect(announced.append)

    mark = session.marks.add_note(case.documents()[0].id, "Compare with the deposition")

    assert mark is not None
    assert announced == [Changes(marks=Delta.of(added=[mark.id]))]
    session.marks.set_case(None)  # the controller's own case change is not a change-set
    assert len(announced) == 1
