"""The marking panels in the window: the document's marks, all marks, the tag tree.

Kept out of MainWindow: this wires the panels to the MarkController (changes,
undo) and to the library and reader (tags on documents, opening a mark).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the panels' code loads with MarkPanels, after the window's page 1
    from docket.app.kit.docks import DockArea
    from docket.app.panels.library.panel import LibraryPanel
    from docket.app.reader.reader import ReaderPane
    from docket.app.window.marking import MarkingUi
    from docket.core.model.changes import Changes
    from docket.core.model.marks import Mark


def reserve_mark_docks(docks: DockArea) -> None:
    """The marking panels' docks, laid out (tabbed with "search") before MarkPanels
    puts the panels in them: the window has its layout before page 1 is painted."""
    right = Qt.DockWidgetArea.RightDockWidgetArea
    docks.reserve("tags", "Tags", right)
    docks.reserve("marks", "Marks", right)
    docks.reserve("all-marks", "All Marks", right)
    docks.tabify("search", "marks")
    docks.tabify("marks", "all-marks")
    docks.reserve("chronology", "Chronology", right, tab_with="all-marks")
    docks.tabify("search", "tags")
    docks["search"].raise_()


class MarkPanels(QObject):
    """The panels go in the docks reserve_mark_docks laid out; dialogs open over `parent`."""

    def __init__(
        self,
        marking: MarkingUi,
        docks: DockArea,
        library: LibraryPanel,
        reader: ReaderPane,
        parent: QWidget,
    ) -> None:
        from docket.app.panels.marks.tagpanel import TagManager

        super().__init__(parent)
        self.marking = marking
        self.docks = docks
        self.library = library
        self.reader = reader
        self._parent = parent
        controller = marking.controller
        self.controller = controller
        self.tags = TagManager(controller)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        docks.add("tags", "Tags", self.tags, right)
        self._add_browsers()
        self._add_chronology()

        library.tagDocumentRequested.connect(self.tag_document)
        library.documentNoteRequested.connect(self.add_document_note)
        controller.marksChanged.connect(self._marks_changed)
        self.tags.tagActivated.connect(self.show_tag)

    def _add_browsers(self) -> None:
        """The Marks and All Marks panels."""
        from docket.app.panels.marks.browser import MarkBrowser
        from docket.app.panels.marks.panel import DocumentMarksPanel

        docks, marking = self.docks, self.marking
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.document_marks = DocumentMarksPanel(self.controller)
        self.browser = MarkBrowser(self.controller)
        docks.add("marks", "Marks", self.document_marks, right)
        docks.add("all-marks", "All Marks", self.browser, right)
        self.document_marks.addPageNoteRequested.connect(lambda: marking.add_page_note())
        self.document_marks.addDocumentNoteRequested.connect(lambda: marking.add_document_note())
        self.document_marks.historyRequested.connect(self.show_history)
        self.browser.historyRequested.connect(self.show_history)
        self.reader.documentOpened.connect(lambda d: self.document_marks.set_document(d.id))
        self.reader.markClicked.connect(self.select_mark)
        # Panels in a tab behind another are not refreshed until their tab is chosen;
        # a dock laid out before its panel came is told to the panel now.
        docks["marks"].visibilityChanged.connect(self.document_marks.dock_visibility_changed)
        docks["all-marks"].visibilityChanged.connect(self.browser.dock_visibility_changed)
        self.document_marks.dock_visibility_changed(docks["marks"].isVisible())
        self.browser.dock_visibility_changed(docks["all-marks"].isVisible())

    def _add_chronology(self) -> None:
        """The Chronology panel: facts in date order; a click opens the source page."""
        from docket.app.panels.chronology.panel import ChronologyPanel

        self.chronology = ChronologyPanel(self.controller)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.docks.add("chronology", "Chronology", self.chronology, right, tab_with="all-marks")
        self.docks["chronology"].visibilityChanged.connect(self.chronology.dock_visibility_changed)
        self.chronology.dock_visibility_changed(self.docks["chronology"].isVisible())

    # -- what the panels ask for ---------------------------------------------------------

    def tag_document(self, doc: int) -> None:
        from docket.app.dialogs.documenttags import edit_document_tags

        edit_document_tags(self._parent, self.controller, doc)

    def add_document_note(self, doc: int) -> None:
        case = self.controller.case
        if case is None:
            return
        from docket.app.dialogs.documenttags import document_note_text

        text = document_note_text(self._parent, case.document(doc).title)
        if text:
            self.controller.add_note(doc, text)

    def show_history(self, mark_id: int) -> None:
        """A mark's history (the audit log's entries for it), in a dialog of its own."""
        from docket.app.dialogs.markhistory import MarkHistoryDialog  # loaded when asked for

        dialog = MarkHistoryDialog(self.controller, mark_id, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_tag(self, tag: str) -> None:
        """All marks with this tag (or one below it), in the All Marks panel."""
        self.browser.set_tag_filter(tag)
        self.docks.bring_forward("all-marks")

    def select_mark(self, mark: Mark) -> None:
        self.docks.bring_forward("marks")
        self.document_marks.select_mark(mark.id)

    def set_colour_names(self, names: dict[str, str]) -> None:
        self.document_marks.set_colour_names(names)
        self.browser.set_colour_names(names)

    def flush(self) -> None:
        """Save a note still being typed (before the case closes or the window quits)."""
        self.document_marks.flush()
        self.browser.flush()

    def case_closed(self) -> None:
        self.library.set_document_tags({})
        self.document_marks.set_document(None)

    def _marks_changed(self, changes: Changes | None) -> None:
        if changes is not None and not changes.document_tags:
            return  # the library shows documents' own tags, and these did not change
        case = self.controller.case
        self.library.set_document_tags(case.marking.all_document_tags() if case else {})
