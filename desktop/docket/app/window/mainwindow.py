"""The main window: welcome page or an open case with library, reader and search.

It builds the parts and wires them; the helpers it makes get only what they use
(the session, the actions, the reader, the dock area), never the window itself.

The window comes in three steps, so that it is on screen as soon as Qt is up
and page 1 soon after (docket.app.main): `MainWindow(frame_only=True)` is the
frame (title, size, the menu bar's titles, an empty page and status bar),
cheap to import and to make; `build(panels=False)` adds what page 1 needs and
the layout (reader, actions, toolbar, marking, controllers, every dock laid
out but empty); `build_panels()` puts the panels in the docks, after page 1 is
painted. `MainWindow()` does all three at once. So this module imports only
the frame's few needs at the top, the rest in the methods that use it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from docket import APP_NAME
from docket.app.kit.settings import WindowSettings
from docket.app.window.menus import MenuTitles, frame_menus
from docket.core.counts import count as counted
from docket.core.errors import DocketError

if TYPE_CHECKING:  # types only: the modules load with build(), after the frame is shown
    from PySide6.QtCore import QMetaObject
    from PySide6.QtWidgets import QMenu

    from docket.app.kit.actions import ActionRegistry
    from docket.app.kit.docks import DockArea
    from docket.app.kit.session import Session
    from docket.app.operations.importing import ImportController
    from docket.app.operations.languages import LanguageController
    from docket.app.operations.ocr import OcrController
    from docket.app.operations.reencoding import ReencodeController
    from docket.app.operations.review import ReviewController
    from docket.app.panels.library.panel import LibraryPanel
    from docket.app.panels.search.panel import SearchPanel
    from docket.app.reader.navigation import HitNavigator
    from docket.app.reader.outline import OutlinePanel
    from docket.app.reader.reader import ReaderPane
    from docket.app.reader.thumbnails import ThumbnailList
    from docket.app.window.citing import CitingUi
    from docket.app.window.importsummary import ImportSummaries
    from docket.app.window.markdocks import MarkPanels
    from docket.app.window.marking import MarkingUi
    from docket.app.window.toolbar import ReaderToolBar
    from docket.app.window.transcripts import TranscriptUi
    from docket.app.window.welcome import WelcomePage
    from docket.core.case import Case
    from docket.core.ingest.reencode import Reencoded
    from docket.core.model.changes import Changes
    from docket.core.model.records import Document, SearchHit, SearchResults
    from docket.core.progress import CancelToken, ProgressCallback

# Bumped when the set of panels changes: a layout saved with other panels would
# leave the new ones stacked loose (too tall for a laptop screen), so it is
# dropped for the default one.
LAYOUT_VERSION = 2
# Reading this many documents one by one costs more than reading the whole list.
READ_ALL_FROM = 500
# The background work a case starts (index check, OCR resume) waits for the first
# page painted, or this long in a window that paints nothing (hidden, minimised).
BACKGROUND_START_MS = 1500


class MainWindow(QMainWindow):
    # The parts build() adds (declared for the type checker; absent from a bare frame).
    session: Session
    welcome: WelcomePage
    reader: ReaderPane
    actions_: ActionRegistry
    recent_menu: QMenu
    library: LibraryPanel
    search: SearchPanel
    outline: OutlinePanel
    thumbnails: ThumbnailList
    docks: DockArea
    hits: HitNavigator
    toolbar: ReaderToolBar
    marking: MarkingUi
    mark_panels: MarkPanels
    citing: CitingUi
    transcripts: TranscriptUi
    review: ReviewController
    status_label: QLabel
    importer: ImportController
    reencoder: ReencodeController
    languages: LanguageController
    ocr: OcrController
    import_summaries: ImportSummaries

    def __init__(self, settings: WindowSettings | None = None, *, frame_only: bool = False) -> None:
        """The whole window; with `frame_only` its frame alone, to be shown before
        `build()` adds the rest (see the module's docstring)."""
        super().__init__()
        self.settings = settings or WindowSettings()
        self.built = False  # build(): the reader, actions, docks…
        self.panels_built = False  # build_panels(): the panels in the docks
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )
        # The page while the rest is built: empty, as the reader is before a document opens.
        self.pages = QStackedWidget()
        self.pages.addWidget(QWidget())
        self.setCentralWidget(self.pages)
        # The menus' titles now, their actions with build(): the bar keeps its height.
        self._menu_titles: MenuTitles = frame_menus(self.menuBar())
        self.statusBar()  # made now, so the page does not shrink when it appears
        self._restore_size()
        if not frame_only:
            self.build()

    def build(self, *, panels: bool = True) -> None:
        """Everything but the frame: the pages, actions and menus, the docks, the
        controllers; with `panels`, the panels in the docks too (else they come with
        build_panels(), after page 1 is painted)."""
        if not self.built:
            self.built = True
            self._build_reading()
        if panels:
            self.build_panels()

    def _build_reading(self) -> None:
        """What page 1 needs and what lays the window out: the reader, the actions,
        menus and toolbar, marking, the docks (empty until build_panels)."""
        # Here, not at the top: the frame is on screen before these load.
        from PySide6.QtCore import Qt

        from docket.app.kit.docks import DockArea
        from docket.app.kit.session import Session
        from docket.app.kit.tasks import SerialExecutor
        from docket.app.operations.importing import ImportController
        from docket.app.operations.languages import LanguageController
        from docket.app.operations.marks import MarkController
        from docket.app.operations.ocr import OcrController
        from docket.app.operations.reencoding import ReencodeController
        from docket.app.operations.review import ReviewController
        from docket.app.reader.navigation import HitNavigator
        from docket.app.reader.reader import ReaderPane
        from docket.app.reader.reviewtracker import PageDwellTracker
        from docket.app.window.importsummary import ImportSummaries
        from docket.app.window.markdocks import reserve_mark_docks
        from docket.app.window.marking import MarkingUi
        from docket.app.window.menus import build_actions, build_menus
        from docket.app.window.toolbar import ReaderToolBar
        from docket.app.window.welcome import WelcomePage

        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        writer = SerialExecutor(self)  # everything that writes the case, in order
        self.session = Session(writer, MarkController(writer, self), self.statusBar(), self)

        self.welcome = WelcomePage()
        self.reader = ReaderPane()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.reader)

        self.actions_ = build_actions(self, self.reader, self)
        menus = build_menus(self._menu_titles, self.actions_)
        self.recent_menu = menus.recent

        # Every dock laid out now, so the page has its width when it is painted.
        self.docks = DockArea(self, menus.panels)
        self.docks.reserve("library", "Library", left)
        self.docks.reserve("search", "Search", right)
        self.docks.reserve("outline", "Outline", left, tab_with="library")
        self.docks.reserve("thumbnails", "Pages", left, tab_with="outline")
        self.docks["library"].raise_()
        reserve_mark_docks(self.docks)
        self.hits = HitNavigator()
        self.toolbar = ReaderToolBar(self.reader, self.actions_, self.session.say)
        self.addToolBar(self.toolbar)
        self.marking = MarkingUi(
            self.session, self.actions_, self.reader, self.menuBar(), self, self.open_document
        )
        self.marking.attach_toolbar(self.toolbar)
        # Review coverage: pages in view long enough are recorded; library and thumbnails show it.
        self.review = ReviewController(self.session, PageDwellTracker(self.reader, self), self)
        self.review.pagesReviewed.connect(self._pages_reviewed)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.importer = ImportController(self.session, self)
        self.reencoder = ReencodeController(self.session, self)
        self.reencoder.reencoded.connect(self._document_reencoded)
        self.languages = LanguageController(self.session, self)
        # OCR reads in the background what an import left without text, and what a
        # case opened with still waiting; the reader shows each chunk as it is stored.
        self.ocr = OcrController(self.session, self)
        self.importer.finished.connect(self.ocr.after_import)
        self.ocr.documentsRead.connect(self._documents_read)
        self.import_summaries = ImportSummaries(self.importer, self)

        self.welcome.newRequested.connect(self.new_case)
        self.welcome.openRequested.connect(self.choose_case)
        self.welcome.sampleRequested.connect(self.open_sample_case)
        self.welcome.recentActivated.connect(self.open_case)
        self.reader.pageChanged.connect(self._page_changed)
        self.reader.documentOpened.connect(self._document_opened)
        self.reader.historyChanged.connect(self._update_actions)
        self.reader.zoomChanged.connect(self.toolbar.show_zoom)
        # After _document_opened: the thumbnails have the document when told its coverage.
        self.reader.documentOpened.connect(lambda d: self.review.document_opened(d.id))

        # Panels start hidden (the welcome page has none), and the layout learns it
        # now: else the size restored below is held to the minimum of every
        # panel stacked, as they were when added.
        self.docks.set_visible(False)
        layout = self.layout()
        if layout is not None:  # a QMainWindow always has one; the stubs allow None
            layout.activate()
        self._restore_size()  # again: adding the docks may have stretched the frame
        _geometry, state = self.settings.window_state()
        if state is None or not self.restoreState(state, LAYOUT_VERSION):
            self._first_run_panels()
        self._show_welcome()

    def build_panels(self, *, fill: bool = True) -> None:
        """The panels, put in their docks (library, search, outline, pages, marks,
        tags, chronology), and what hangs on them (citing, transcripts); with a case
        open already (a start: page 1 first), they are filled for it, unless not
        `fill` (then _fill_panels is the caller's)."""
        if self.panels_built:
            return
        self.build(panels=False)
        self.panels_built = True
        from PySide6.QtCore import Qt

        from docket.app.panels.library.panel import LibraryPanel
        from docket.app.panels.search.panel import SearchPanel
        from docket.app.reader.outline import OutlinePanel
        from docket.app.reader.thumbnails import ThumbnailList
        from docket.app.window.citing import CitingUi
        from docket.app.window.markdocks import MarkPanels
        from docket.app.window.transcripts import TranscriptUi

        self.library = LibraryPanel(self._read_documents)
        self.search = SearchPanel(self._search)
        self.outline = OutlinePanel()
        self.thumbnails = ThumbnailList()
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.docks.add("library", "Library", self.library, left)
        self.docks.add("search", "Search", self.search, right)
        self.docks.add("outline", "Outline", self.outline, left)
        self.docks.add("thumbnails", "Pages", self.thumbnails, left)
        self.mark_panels = MarkPanels(self.marking, self.docks, self.library, self.reader, self)
        # Copy with Citation (Ctrl+Shift+C): the reader's words or a Marks panel's mark.
        panels = (self.mark_panels.document_marks, self.mark_panels.browser)
        self.citing = CitingUi(
            self.session,
            self.actions_,
            self.reader,
            [(panel, panel.selected_mark) for panel in panels],
            self.menuBar(),
            self,
        )
        self.library.shortTitleRequested.connect(self.citing.edit_short_title)
        # Transcripts set by hand from the library's menu (page:line cites and Ctrl+G).
        self.transcripts = TranscriptUi(self.session, self.reader, self)
        self.library.is_transcript = self.transcripts.is_transcript
        self.library.transcriptRequested.connect(self.transcripts.set_transcript)
        self.marking.menu_extensions.append(self.citing.add_to_menu)
        self.review.countsChanged.connect(self.library.set_coverage)
        self.review.documentCountChanged.connect(self.library.set_document_coverage)
        self.library.languageRequested.connect(self.languages.choose)
        self.library.ocrRequested.connect(self._read_with_ocr)
        self.library.model.low_confidence_pages = self._low_confidence_pages
        # What an action changed, each panel applies to itself.
        self.session.changed.connect(self.library.apply_changes)
        self.session.changed.connect(self.search.apply_changes)
        self.session.changed.connect(self._documents_changed)  # after the library's
        self.library.documentActivated.connect(self.open_document)
        self.search.hitActivated.connect(self.open_hit)
        self.search.resultsChanged.connect(self._results_changed)
        self.outline.pageActivated.connect(self.reader.go_to_page)
        self.thumbnails.pageActivated.connect(self.reader.go_to_page)
        if fill and self.case is not None:
            self._fill_panels()

    def _fill_panels(self) -> None:
        """The panels, made after a case was opened, shown what it holds: its documents,
        their review coverage, its marks; the open document's pages and outline."""
        self.refresh_library()
        self.review.announce_coverage()
        self.marking.controller.marksChanged.emit(None)  # as at a case's opening
        document = self.reader.document
        if document is not None:
            self.mark_panels.document_marks.set_document(document.id)
            self._document_opened_panels(document)
            self._page_changed(self.reader.current_page())  # its Bates number too
            self.review.document_opened(document.id)

    def _restore_size(self) -> None:
        """The size and place the window had at the last quit, else the default size."""
        geometry, _state = self.settings.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            self._default_size()

    def _default_size(self) -> None:
        """1280 × 820, or less on a smaller screen (a 1366 × 768 laptop keeps its status bar;
        its width is nearly all used, for the library and the reader side by side)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1280, 820
        if screen is not None and screen.width() > 0:
            width = min(max(width, int(screen.width() * 0.98)), 1400, screen.width())
            height = min(height, int(screen.height() * 0.92))
        self.resize(width, height)

    def _first_run_panels(self) -> None:
        """The panels' widths when no layout was saved: the library wide enough for a
        title and its flags side by side, the search panel narrower (1366 px wide: 440
        and 330, the reader the 570 left); later the user's own layout is restored."""
        from PySide6.QtCore import Qt

        width = self.width()
        library = max(300, min(460, int(width * 0.33)))
        search = max(260, min(400, int(width * 0.25)))
        self.resizeDocks(
            [self.docks["library"], self.docks["search"]],
            [library, search],
            Qt.Orientation.Horizontal,
        )

    # -- cases -------------------------------------------------------------------

    @property
    def case(self) -> Case | None:
        """The open case (the session's; none while the window is only its frame)."""
        return self.session.case if self.built else None

    def open_case(self, path: Path, *, page_first: bool = False) -> bool:
        """Open the case at `path` in the window (False, having said why, if it cannot be).

        `page_first` (the start): the first document's page 1 is painted before
        the library and the document tags are read and shown; else they are
        shown before this returns."""
        from docket.core.case import Case  # the case's code loads when a case opens

        # The panels now (before the case is set, so they are filled once), or after page 1.
        self.build(panels=not page_first)
        try:
            # The index opens (Whoosh loads) with the catch-up after the first paint; the
            # half-written copies a killed import left are removed then too.
            case = Case.open(Path(path), catch_up=False, index_later=True, tidy_later=True)
        except DocketError as problem:
            QMessageBox.warning(self, "Cannot open the case", str(problem))
            return False
        self.close_case()
        try:
            self._show_case(case, page_first=page_first)
        except Exception as error:
            # Damage in the middle of case.sqlite is met by the first reads, here:
            # one clear answer and the way out, not the unexpected-error dialog.
            damage = case.database.damaged(error)
            if damage is None:
                raise
            self._abandon_case(case)
            QMessageBox.warning(self, "Cannot open the case", str(damage))
            return False
        return True

    def _abandon_case(self, case: Case) -> None:
        """Back to the welcome page from a case that could not be shown."""
        self.reader.close_document()
        if self.panels_built:
            self.library.set_documents([])
            self.search.clear()
        self.marking.case_closed()
        if self.panels_built:
            self.mark_panels.case_closed()
        self.session.set_case(None)
        self.settings.forget_last_case()  # not offered again at the next start
        case.close()
        self._show_welcome()

    def _show_case(self, case: Case, *, page_first: bool = False) -> None:
        case.prefer_responsiveness()
        self.session.set_case(case)
        self.marking.case_opened(case)
        self.settings.remember_case(case.path)
        self.setWindowTitle(f"{case.path.name} — {APP_NAME}")
        self.pages.setCurrentWidget(self.reader)
        self.docks.set_visible(True)
        self.toolbar.setVisible(True)
        if page_first:
            # The panels (their code and widgets, 100 ms and more) and the library's
            # rows (as much again for 752 documents, most in fitting its columns) wait
            # until page 1 is painted; only the first document is read before.
            from docket.core.storage.documents import first_document

            first = first_document(case.database.read())
            self._update_actions()
            if first is not None:
                self.open_document(first.id)
            self._after_first_paint(case, lambda: self._show_panels_then_work(case))
            return
        self.build_panels()
        self.search.clear()
        documents = self.refresh_library()
        self._update_actions()
        if documents:  # show something to read at once, as a reader opens a book
            self.open_document(documents[0].id)
        self._after_first_paint(case, lambda: self._start_background_work(case))

    def _show_panels_then_work(self, case: Case) -> None:
        """After the first paint of a start: the panels made, then (an event later, so
        the window paints and takes input between) filled, the library with the open
        document selected, then the background work."""
        if not self.panels_built:
            self.build_panels(fill=False)
            QTimer.singleShot(0, self, lambda: self._fill_panels_then_work(case))
            return
        self.search.clear()
        self.refresh_library()
        if self.reader.document is not None:
            self.library.select_document(self.reader.document.id)
        self._start_background_work(case)

    def _fill_panels_then_work(self, case: Case) -> None:
        if self.case is not case:
            return  # another case was opened meanwhile: its own opening filled them
        self._fill_panels()
        self._start_background_work(case)

    def _after_first_paint(self, case: Case, work: Callable[[], None]) -> None:
        """Runs `work` once the reader has painted the first page of `case`'s first
        document (at once for a text document or none; at the latest after
        BACKGROUND_START_MS, as a hidden window paints nothing) and only if `case`
        is still the one open: the page comes before the rest of the start."""
        view = self.reader.pdf_view
        connection: QMetaObject.Connection | None = None

        def start() -> None:
            nonlocal connection
            if connection is not None:
                from docket.app.reader.pagecache import disconnect

                disconnect(connection)
                connection = None
            elif not pending:
                return  # started already, by the painted page or the timer
            pending.clear()
            if self.case is case:
                work()

        pending = [True]
        if self.reader.document is not None and self.reader.view is view:
            # Queued: whoever else waits for the painted page is served first.
            connection = view.pagePainted.connect(lambda _page: QTimer.singleShot(0, self, start))
            QTimer.singleShot(BACKGROUND_START_MS, self, start)
        else:
            QTimer.singleShot(0, self, start)

    def _start_background_work(self, case: Case) -> None:
        """After the first paint: the program's log started (if not yet), the index
        checked (it loads Whoosh) and caught up if a crash or a deleted index/ left it
        behind, on the writer thread; OCR that a quit left pending resumed."""
        from docket.logs import setup_logging

        setup_logging()  # logging.handlers and its socket, pickle… (~10 ms) after page 1
        self._catch_up_index(case)
        self.ocr.resume()  # documents a quit left pending

    def _catch_up_index(self, case: Case) -> None:
        """Index what a crash or a deleted index/ left out, on the writer thread.

        The check itself runs there too (it opens the index): when nothing was left
        out, nothing is said."""

        def work(progress: ProgressCallback, cancel: CancelToken) -> int:
            case.remove_partial_copies()  # after an import queued before it, as the writer's
            count = case.catch_up_index(progress, cancel)
            # A merge a kill or a shutdown cut short, started again in a process of its
            # own; its check reads the index's table of contents (~1 ms at 100k pages).
            case.index.merge_in_background()
            return count

        def say_working() -> None:
            if self.case is case and not said:
                said.append(True)
                self.statusBar().showMessage("Bringing the search index up to date…")

        def done(count: int) -> None:
            if count:
                self.statusBar().showMessage(
                    f"Search index up to date ({counted(count, 'document')})", 6000
                )
                if self.panels_built:
                    self.search.refresh()

        from docket.app.kit.tasks import Task

        said: list[bool] = []
        task = Task(work, self)
        task.progressed.connect(lambda *_counts: say_working())
        task.finished.connect(done)
        task.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        self.session.writer.start(task)

    def close_case(self) -> None:
        case = self.case
        if case is None:
            return
        writer = self.session.writer
        self.ocr.cancel_and_wait()  # the chunk being stored is stored whole
        self.importer.cancel_and_wait()
        writer.wait_for_idle(5000)
        self.reader.close_document()
        self.hits.set_hits([])
        if self.panels_built:
            self.library.set_documents([])
            self.search.clear()
            self.mark_panels.flush()  # a note still being typed is saved first
        self.marking.case_closed()
        if self.panels_built:
            self.mark_panels.case_closed()
        writer.wait_for_idle(5000)  # the marks' last index update
        case.close()
        self.session.set_case(None)
        self.settings.forget_last_case()
        self._show_welcome()

    def new_case(self) -> None:
        from docket.core.case import Case

        folder = QFileDialog.getSaveFileName(self, "New case: choose a name and place")[0]
        if not folder:
            return
        try:
            Case.create(Path(folder)).close()
        except DocketError as problem:
            QMessageBox.warning(self, "Cannot create the case", str(problem))
            return
        self.open_case(Path(folder))

    def choose_case(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a case folder")
        if folder:
            self.open_case(Path(folder))

    def open_sample_case(self) -> None:
        from docket.core.samplecase import sample_case_path

        self.open_case(sample_case_path())

    def refresh_library(self) -> list[Document]:
        """Show the case's documents in the library; returns them."""
        if self.case is None:
            return []
        self.build_panels()
        documents = self.case.documents()
        self.library.set_documents(documents)
        self.library.set_document_tags(self.case.marking.all_document_tags())
        self._show_totals()
        return documents

    def _read_documents(self, ids: Collection[int]) -> list[Document]:
        """The documents with these ids, for the library applying a change-set."""
        case = self.case
        if case is None:
            return []
        if len(ids) >= READ_ALL_FROM:
            return [document for document in case.documents() if document.id in ids]
        return [case.document(doc_id) for doc_id in sorted(ids)]

    def _documents_changed(self, changes: Changes) -> None:
        if changes.documents:
            self._show_totals()

    def _show_totals(self) -> None:
        if not self.panels_built:
            return  # the library tells them once it is filled
        documents, pages = self.library.totals()
        self.status_label.setText(f"{counted(documents, 'document')} · {counted(pages, 'page')}")

    def _search(self, query: str, limit: int) -> SearchResults:
        if self.case is None:
            raise DocketError("no case is open")
        return self.case.search(query, limit=limit)

    # -- documents and hits --------------------------------------------------------

    def open_document(self, doc_id: int, page: int = 1) -> None:
        if self.case is not None:
            self.reader.open_document(self.case, doc_id, page)

    def open_hit(self, hit: SearchHit) -> None:
        if self.case is None:
            return
        self.build_panels()
        self.hits.set_hits(self.search.hits())
        stop = self.hits.move_to(hit)
        self.reader.open_document(self.case, hit.doc, hit.page)
        self.reader.set_search_hits(self.search.hits())
        if stop and stop[0].hits:
            self.reader.reveal(stop[1])
        if hit.mark is not None:  # a note or a tag matched: show that mark
            self.marking.controller.open_mark(hit.mark)
        if hit.rect is not None:  # a form field's value matched: show the field
            self.reader.show_area(hit.page, hit.rect)
        self._show_hit_position()

    def _results_changed(self) -> None:
        hits = self.search.hits()
        self.hits.set_hits(hits)
        self.reader.set_search_hits(hits)

    def step_hit(self, delta: int) -> None:
        if self.case is None:
            return
        self.build_panels()
        if not len(self.hits):
            self.hits.set_hits(self.search.hits())
        stop = self.hits.step(delta)
        if stop is None:
            return
        hit, text_range = stop
        if self.reader.document is None or self.reader.document.id != hit.doc:
            self.reader.open_document(self.case, hit.doc, hit.page)
            self.reader.set_search_hits(self.search.hits())
        if hit.hits:
            self.reader.reveal(text_range)
        elif hit.rect is not None:
            self.reader.show_area(hit.page, hit.rect)
        else:
            self.reader.go_to_page(hit.page)
        self.search.select_hit(hit)
        self._show_hit_position()

    def _show_hit_position(self) -> None:
        self.statusBar().showMessage(f"Hit {self.hits.position} of {len(self.hits)}", 4000)

    def _document_opened(self, document: Document) -> None:
        self.setWindowTitle(
            f"{document.title} — {self.case.path.name if self.case else ''} — {APP_NAME}"
        )
        if self.panels_built:  # else build_panels shows them the document
            self._document_opened_panels(document)
        self.toolbar.show_zoom(self.reader.view.zoom())
        self.toolbar.set_page_count(document.page_count)
        self._page_changed(1)
        self._update_actions()

    def _document_opened_panels(self, document: Document) -> None:
        """The open document's pages, outline and row in the library."""
        pdf = self.reader.pdf_document if document.kind.shown_as_pdf else None
        self.thumbnails.set_document(pdf, self.reader.labels if pdf else ())
        self.outline.set_entries(self.case.outline(document.id) if self.case else [])
        self.library.select_document(document.id)

    def _pages_reviewed(self, doc: int, pages: frozenset[int]) -> None:
        """The open document's reviewed pages: the others' thumbnails carry a dot."""
        document = self.reader.document
        if self.panels_built and document is not None and document.id == doc:
            self.thumbnails.set_reviewed(pages)

    def _page_changed(self, number: int) -> None:
        document = self.reader.document
        # The page's Bates number once the panels are made: at a start, reading it
        # (the citing code, ~10 ms) waits until page 1 is painted (_fill_panels).
        bates = (
            self.case.citing.bates_number(document.id, number)
            if self.case is not None and document is not None and self.panels_built
            else None
        )
        self.toolbar.show_page(number, self.reader.label_of(number), bates)
        if self.panels_built:
            self.thumbnails.set_current_page(number)

    # -- view --------------------------------------------------------------------

    def fit_width(self) -> None:
        self.reader.fit_width()

    def fit_page(self) -> None:
        self.reader.fit_page()

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def focus_search(self) -> None:
        self.build_panels()
        self.docks["search"].show()
        self.docks["search"].raise_()
        self.search.focus_query()

    def focus_page_box(self) -> None:
        self.toolbar.focus_page_box()

    def go_back(self) -> None:
        if self.case:
            self.reader.go_back(self.case)

    def go_forward(self) -> None:
        if self.case:
            self.reader.go_forward(self.case)

    def import_files(self) -> None:
        self.importer.choose_files()

    def import_folder(self) -> None:
        self.importer.choose_folder()

    def export_marks(self) -> None:
        # Imported when asked for: exporting loads pypdf, which the start must not wait for.
        from docket.app.dialogs.export import show_export_dialog

        show_export_dialog(self.session, self.reader.document, self)

    def produce_documents(self) -> None:
        """File → Produce…: the documents selected in the library (or a tag's)."""
        from docket.app.dialogs.produce import show_produce_dialog  # loaded when asked for

        self.build_panels()
        show_produce_dialog(self.session, self.library.selected_documents(), self)

    def import_marks(self) -> None:
        from docket.app.dialogs.export import import_marks_dialog  # loaded when asked for

        import_marks_dialog(self.session, self)

    def archive_case(self) -> None:
        from docket.app.operations.archiving import archive_case_dialog  # loaded when asked for

        archive_case_dialog(self.session, self)

    def restore_case(self) -> None:
        from docket.app.operations.archiving import restore_case_dialog  # loaded when asked for

        restore_case_dialog(self.session, self, self.open_case)

    def reencode_document(self) -> None:
        """Document → Re-read as Encoding…: the open text document, in an encoding asked for."""
        from docket.app.dialogs.encoding import ask_encoding  # loaded when asked for

        document = self.reader.document
        if document is None:
            return
        from docket.core.model.records import DocumentKind

        if document.kind is not DocumentKind.TEXT:
            self.session.say("Only text files can be re-read in another encoding.", 8000)
            return
        encoding = ask_encoding(document, self)
        if encoding:
            self.reencoder.reencode(document.id, encoding)

    def _document_reencoded(self, result: Reencoded) -> None:
        """Show the new text of a re-read document that is open, at the same page."""
        if self.case is None or self.reader.document is None:
            return
        if self.reader.document.id == result.doc:
            page = min(self.reader.current_page(), result.pages)
            self.reader.close_document()
            self.open_document(result.doc, page)

    def _documents_read(self, doc_ids: frozenset[int]) -> None:
        """OCR stored text for these documents: the one open is shown with it, in place."""
        document = self.reader.document
        if self.case is not None and document is not None and document.id in doc_ids:
            self.reader.reload(self.case)

    def _read_with_ocr(self, doc_id: int) -> None:
        from docket.app.dialogs.ocrlanguages import read_with_ocr  # loaded when asked for

        if self.case is not None:
            read_with_ocr(self.case, self.ocr, doc_id, self)

    def _low_confidence_pages(self, doc_id: int) -> int:
        """For the library's Flags: how many of the document's pages OCR read poorly."""
        if self.case is None:
            return 0
        return sum(1 for info in self.case.ocr_pages(doc_id) if info.low)

    def show_about(self) -> None:
        from PySide6.QtCore import Qt

        from docket.app.dialogs.about import AboutDialog  # loaded when asked for

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_preferences(self) -> None:
        """Opens the preferences; on OK the dialog saves them and applies the theme.

        No retint here: the ActionRegistry redraws its icons whenever the window's
        palette changes, which also covers a theme switch made in the system.
        """
        from PySide6.QtCore import Qt

        from docket.app.dialogs.preferences import PreferencesDialog  # loaded when asked for

        dialog = PreferencesDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.preferencesChanged.connect(lambda _preferences: self._preferences_changed())
        dialog.open()

    def _preferences_changed(self) -> None:
        """New author and colour names: for the next marks, in menus and panels."""
        self.marking.reload_preferences()
        self.build_panels()
        self.mark_panels.set_colour_names(self.marking.colour_names)

    def _show_welcome(self) -> None:
        self.setWindowTitle(APP_NAME)
        self.welcome.set_recent_cases(self.settings.recent_cases())
        self.pages.setCurrentWidget(self.welcome)
        self.docks.set_visible(False)
        self.toolbar.setVisible(False)
        self.status_label.setText("")
        self._update_actions()

    def _update_actions(self) -> None:
        document_open = self.reader.document is not None
        self.actions_.update_enabled(case_open=self.case is not None, document_open=document_open)
        self.actions_["back"].setEnabled(self.reader.can_go_back())
        self.actions_["forward"].setEnabled(self.reader.can_go_forward())
        self.toolbar.setEnabled(document_open)
        if hasattr(self, "marking"):
            self.marking.update_actions()
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_cases():
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_case(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    # -- drag and drop, closing -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.case is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.importer.start(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.built:  # closed while only the frame was there: nothing to save
            super().closeEvent(event)
            return
        self.settings.save_window_state(self.saveGeometry(), self.saveState(LAYOUT_VERSION))
        reopen = self.case.path if self.case is not None else None
        from docket.app.kit.tasks import wait_for_idle

        wait_for_idle(5000)  # searches and renders in flight finish before the case closes
        self.close_case()
        if reopen is not None:  # the next start opens the case that was open at quit
            self.settings.remember_case(reopen)
        super().closeEvent(event)
