"""The marking panels in the window: the document's marks, all marks, the tag tree.

Kept out of MainWindow: this wires the panels to the MarkController (changes,
undo) and to the library and reader (tags on documents, opening a mark).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget

from docket.app.dialogs.documenttags import document_note_text, edit_document_tags
from docket.app.panels.marks.tagpanel import TagManager

if TYPE_CHECKING:
    from docket.app.window.mainwindow import MainWindow
    from docket.core.model.marks import Mark

RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


class MarkPanels(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        controller = window.marking.controller
        self.controller = controller
        self.tags = TagManager(controller)
        new_docks = {"tags": window._dock("Tags", self.tags, RIGHT)}
        self._add_browsers(new_docks)
        window.tabifyDockWidget(window.docks["search"], new_docks["tags"])
        for dock in new_docks.values():
            window.panels_menu.addAction(dock.toggleViewAction())
            window.docks[_key(dock)] = dock
        window.docks["search"].raise_()

        library = window.library
        library.tagDocumentRequested.connect(self.tag_document)
        library.documentNoteRequested.connect(self.add_document_note)
        controller.marksChanged.connect(self._marks_changed)
        self.tags.tagActivated.connect(self.show_tag)

    def _add_browsers(self, docks: dict[str, QDockWidget]) -> None:
        """The Marks and All Marks panels."""
        from docket.app.panels.marks.browser import MarkBrowser
        from docket.app.panels.marks.panel import DocumentMarksPanel

        window = self.window
        self.document_marks = DocumentMarksPanel(self.controller)
        self.browser = MarkBrowser(self.controller)
        docks["marks"] = window._dock("Marks", self.document_marks, RIGHT)
        docks["all-marks"] = window._dock("All Marks", self.browser, RIGHT)
        window.tabifyDockWidget(window.docks["search"], docks["marks"])
        window.tabifyDockWidget(docks["marks"], docks["all-marks"])
        self.document_marks.addPageNoteRequested.connect(lambda: window.marking.add_page_note())
        self.document_marks.addDocumentNoteRequested.connect(
            lambda: window.marking.add_document_note()
        )
        window.reader.documentOpened.connect(lambda d: self.document_marks.set_document(d.id))
        window.reader.markClicked.connect(self.select_mark)
        # Panels in a tab behind another are not refreshed until their tab is chosen.
        docks["marks"].visibilityChanged.connect(self.document_marks.dock_visibility_changed)
        docks["all-marks"].visibilityChanged.connect(self.browser.dock_visibility_changed)

    # -- what the panels ask for ---------------------------------------------------------

    def tag_document(self, doc: int) -> None:
        edit_document_tags(self.window, self.controller, doc)

    def add_document_note(self, doc: int) -> None:
        case = self.controller.case
        if case is None:
            return
        text = document_note_text(self.window, case.document(doc).title)
        if text:
            self.controller.add_note(doc, text)

    def show_tag(self, tag: str) -> None:
        """All marks with this tag (or one below it), in the All Marks panel."""
        self.browser.set_tag_filter(tag)
        dock = self.window.docks["all-marks"]
        dock.show()
        dock.raise_()

    def select_mark(self, mark: Mark) -> None:
        dock = self.window.docks["marks"]
        dock.show()
        dock.raise_()
        self.document_marks.select_mark(mark.id)

    def set_colour_names(self, names: dict[str, str]) -> None:
        self.document_marks.set_colour_names(names)
        self.browser.set_colour_names(names)

    def flush(self) -> None:
        """Save a note still being typed (before the case closes or the window quits)."""
        self.document_marks.flush()
        self.browser.flush()

    def case_closed(self) -> None:
        self.window.library.set_document_tags({})
        self.document_marks.set_document(None)

    def _marks_changed(self) -> None:
        case = self.controller.case
        self.window.library.set_document_tags(case.marking.all_document_tags() if case else {})


def _key(dock: QDockWidget) -> str:
    return dock.objectName().removeprefix("dock-").replace(" ", "-")
