"""Review coverage in the window: pages the reader had in view are recorded, and the
library and the page thumbnails are told what is read.

The reader's PageDwellTracker says when a page was in view long enough; the
page is recorded on the session's writer (a short task, never on the GUI
thread) for the reviewer named in Preferences (else the OS user). Coverage
counts pages anyone reviewed, as `docket coverage` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaMethod, QObject, Signal

from docket.app.kit.session import Session
from docket.app.reader.reviewtracker import PageDwellTracker
from docket.core.review.coverage import VIEWED, default_reviewer

if TYPE_CHECKING:
    from docket.core.case import Case


class ReviewController(QObject):
    countsChanged = Signal(object)  # {doc id: reviewed pages}, every document
    documentCountChanged = Signal(int, int)  # doc id, reviewed pages
    pagesReviewed = Signal(int, object)  # doc id, frozenset of its reviewed pages
    recorded = Signal(int, int)  # doc id, page: stored for this reviewer

    def __init__(self, session: Session, tracker: PageDwellTracker, parent: QObject) -> None:
        super().__init__(parent)
        self.session = session
        self.tracker = tracker
        self._reviewed: dict[int, set[int]] = {}  # by anyone, for the documents opened
        tracker.pageDwelled.connect(self._page_dwelled)
        session.caseChanged.connect(self._case_changed)

    def _case_changed(self, case: Case | None) -> None:
        self._reviewed.clear()
        if case is None:
            self.tracker.stop()
            self.countsChanged.emit({})
            return
        self.announce_coverage()

    def announce_coverage(self) -> None:
        """Every document's reviewed pages (countsChanged), read only if someone listens:
        at a start the library is made after page 1, and asks then."""
        case = self.session.case
        if case is None or not self.isSignalConnected(QMetaMethod.fromSignal(self.countsChanged)):
            return
        self.countsChanged.emit(
            {entry.doc: entry.reviewed_pages for entry in case.review.coverage()}
        )

    def document_opened(self, doc: int) -> frozenset[int]:
        """The reader opened `doc`: its reviewed pages, told to the thumbnails and the tracker."""
        case = self.session.case
        if case is None:
            return frozenset()
        pages = case.review.reviewed_pages(doc)
        self._reviewed[doc] = set(pages)
        self.tracker.set_known(case.review.reviewed_pages(doc, default_reviewer()))
        self.pagesReviewed.emit(doc, pages)
        return pages

    def _page_dwelled(self, doc: int, page: int) -> None:
        case = self.session.case
        if case is None:
            return

        def record() -> int:
            return case.review.record(doc, [page], default_reviewer(), VIEWED)

        self.session.writer.submit(
            record,
            on_result=lambda _added: self._recorded(doc, page),
            on_error=lambda error: self.session.say(f"Could not record the review: {error}", 8000),
            context=self,
        )

    def _recorded(self, doc: int, page: int) -> None:
        pages = self._reviewed.setdefault(doc, set())
        pages.add(page)
        self.recorded.emit(doc, page)
        self.pagesReviewed.emit(doc, frozenset(pages))
        self.documentCountChanged.emit(doc, len(pages))
