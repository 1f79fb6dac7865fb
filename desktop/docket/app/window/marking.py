"""Marking in the main window: the actions, the context menu and the reader's highlights.

The window owns one `MarkingUi`; everything that changes a mark goes through
its MarkController (saved at once, undoable). Keys: H highlights the
selection in the current colour, Alt+1…6 in a chosen one; Ctrl+Z and
Ctrl+Shift+Z undo and redo.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QInputDialog, QMenu, QMenuBar, QToolBar, QToolButton, QWidget

from docket.app.kit.actions import ActionRegistry, ActionSpec
from docket.app.kit.session import Session
from docket.app.reader.reader import ReaderPane
from docket.core.model.colours import HIGHLIGHT_COLOURS, colour_names
from docket.core.model.marks import Anchor, Mark, MarkKind, MarkRect
from docket.core.text.anchoring import readable

if TYPE_CHECKING:
    from docket.core.case import Case
    from docket.core.model.changes import Changes

Key = QKeySequence.StandardKey
READ_IN_BACKGROUND = 300  # a document with more marks has them read off the UI thread


def swatch_icon(rgb: str, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 90))
    painter.setBrush(QColor(rgb))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


def _preferences() -> tuple[str, dict[str, str]]:
    """(author for new marks, colour names) from the user's preferences."""
    from docket.core.preferences import load_preferences

    preferences = load_preferences()
    return preferences.author, colour_names(preferences.colour_names)


class MarkingUi(QObject):
    """Marking for one window: its menus go in `menu_bar`, its dialogs open over
    `parent`, and a mark in another document opens with `open_document(doc, page)`."""

    def __init__(
        self,
        session: Session,
        actions: ActionRegistry,
        reader: ReaderPane,
        menu_bar: QMenuBar,
        parent: QWidget,
        open_document: Callable[[int, int], None],
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.actions = actions
        self.reader = reader
        self._menu_bar = menu_bar
        self._parent = parent
        self._open_document = open_document
        self.controller = session.marks
        self.colour_names: dict[str, str] = {}
        # Others' entries for the reader's context menu (Copy with Citation): each is
        # called with the menu and the mark right-clicked, if any, before it shows.
        self.menu_extensions: list[Callable[[QMenu, Mark | None], None]] = []
        self.reload_preferences()
        self._add_actions()
        self.controller.marksChanged.connect(self._marks_changed)
        self.controller.historyChanged.connect(self._update_undo)
        self.controller.markActivated.connect(self._show_mark)
        self.controller.failed.connect(lambda text: session.say(text, 8000))
        self.reader.documentOpened.connect(lambda _document: self.refresh_reader())
        self.reader.selectionChanged.connect(self._update_enabled)
        self.reader.contextMenuWanted.connect(self._context_menu)
        self.reader.selector.boxDrawn.connect(self._box_drawn)
        self._update_undo()

    def reload_preferences(self) -> None:
        self.controller.author, self.colour_names = _preferences()
        if hasattr(self, "colour_menu"):
            self._update_colour_button()

    # -- the case -----------------------------------------------------------------------

    def case_opened(self, case: Case) -> None:
        self.reload_preferences()
        self.controller.set_case(case)

    def case_closed(self) -> None:
        self.controller.set_case(None)

    def _marks_changed(self, changes: Changes | None) -> None:
        if changes is None or changes.marks:  # else only tags or documents' tags changed
            self.refresh_reader()

    def refresh_reader(self) -> None:
        document = self.reader.document
        if document is None:
            self.reader.set_highlights([])
            return
        marks = self.controller.cached_marks(document.id)
        if marks is None and self.controller.mark_count(document.id) > READ_IN_BACKGROUND:
            # Many marks: the page shows now, its highlights when they are read.
            self.controller.load_marks(document.id, self.refresh_reader)
            return
        self.reader.set_highlights(
            marks if marks is not None else self.controller.marks(document.id)
        )

    # -- what the actions do ----------------------------------------------------------------

    def highlight(self, colour: str | None = None) -> Mark | None:
        document = self.reader.document
        ranges = self.reader.selection()
        if document is None or not ranges:
            self.session.say("Select some text to highlight first", 5000)
            return None
        anchor = Anchor(ranges[0].page, ranges[0].start, ranges[-1].page, ranges[-1].end)
        mark = self.controller.highlight(
            document.id, anchor, colour, self.reader.anchor_rects(anchor)
        )
        if mark is not None:
            self.reader.clear_selection()
            self._update_colour_button()
        return mark

    def redact(self, reason: str | None = None) -> Mark | None:
        """Redact the selected words for a reason the user picks from the case's list
        (`reason` given: without asking). Burned in when the document is produced."""
        document = self.reader.document
        ranges = self.reader.selection()
        if document is None or not ranges or self.controller.case is None:
            self.session.say("Select the words to redact first", 5000)
            return None
        reason = reason or self._ask_reason()
        if reason is None:
            return None
        anchor = Anchor(ranges[0].page, ranges[0].start, ranges[-1].page, ranges[-1].end)
        mark = self.controller.redact(document.id, anchor, reason, self.reader.anchor_rects(anchor))
        if mark is not None:
            self.reader.clear_selection()
        return mark

    def redact_area(self) -> None:
        """The next drag on a PDF page draws a box to redact (a signature, a photo)."""
        if self.reader.document is None or self.reader.view is not self.reader.pdf_view:
            self.session.say("Open a PDF or a scan to redact an area of a page", 5000)
            return
        self.reader.selector.draw_box()
        self.session.say("Drag a box over what to redact", 8000)

    def _box_drawn(self, page: int, box: QRectF) -> Mark | None:
        document = self.reader.document
        if document is None or self.controller.case is None:
            return None
        reason = self._ask_reason()
        if reason is None:
            return None
        where = MarkRect(page, box.x(), box.y(), box.width(), box.height())
        return self.controller.redact(document.id, where, reason)

    def _ask_reason(self) -> str | None:
        """A reason code from the case's list, as the user picks it; None if cancelled."""
        reasons = self.controller.marking.redaction_reasons()
        choices = [f"{r.code} — {r.label}" for r in reasons]
        chosen, ok = QInputDialog.getItem(
            self._parent, "Redact", "Reason (printed in the box when produced):", choices, 0, False
        )
        if not ok or not chosen:
            return None
        return reasons[choices.index(chosen)].code

    def add_page_note(self, page: int | None = None) -> Mark | None:
        document = self.reader.document
        if document is None:
            return None
        page = page or self.reader.current_page()
        label = self.reader.label_of(page)
        text, ok = QInputDialog.getMultiLineText(
            self._parent, "Note on a Page", f"Note on page {label} of {document.title}:"
        )
        return self.controller.add_note(document.id, text, page) if ok and text.strip() else None

    def add_document_note(self, doc: int | None = None) -> Mark | None:
        document = self.reader.document
        doc = doc or (document.id if document else None)
        if doc is None or self.controller.case is None:
            return None
        title = self.controller.case.document(doc).title
        text, ok = QInputDialog.getMultiLineText(
            self._parent, "Note on a Document", f"Note on {title}:"
        )
        return self.controller.add_note(doc, text) if ok and text.strip() else None

    def edit_note(self, mark: Mark) -> None:
        text, ok = QInputDialog.getMultiLineText(self._parent, "Note", "Note:", mark.note)
        if ok:
            self.controller.set_note(mark.id, text)

    def edit_tags(self, mark: Mark) -> None:
        text, ok = QInputDialog.getText(
            self._parent,
            "Tags",
            "Tags, separated by commas (use / for sub-tags):",
            text=", ".join(mark.tags),
        )
        if ok:
            self.controller.set_tags(mark.id, [t for t in text.split(",") if t.strip()])

    def copy_selection(self) -> None:
        ranges = self.reader.selection()
        text = "\n".join(readable(self.reader.page_text(r.page)[r.start : r.end]) for r in ranges)
        if text:
            QGuiApplication.clipboard().setText(text)

    # -- actions, menus, toolbar -------------------------------------------------------------

    def _add_actions(self) -> None:
        add = self.actions.add
        add(
            ActionSpec("undo", "&Undo", (Key.Undo,), icon="undo", needs_case=True),
            self.controller.undo,
        )
        add(
            ActionSpec("redo", "&Redo", (Key.Redo, "Ctrl+Shift+Z"), icon="redo", needs_case=True),
            self.controller.redo,
        )
        add(ActionSpec("copy", "&Copy", (Key.Copy,), needs_document=True), self.copy_selection)
        add(
            ActionSpec(
                "highlight",
                "&Highlight Selection",
                ("H",),
                "Highlight the selected words in the current colour",
                "highlight",
                needs_document=True,
            ),
            self.highlight,
        )
        for number, colour in enumerate(HIGHLIGHT_COLOURS, 1):
            action = add(
                ActionSpec(
                    f"highlight_{colour.key}",
                    colour.default_name,
                    (f"Alt+{number}",),
                    needs_document=True,
                ),
                partial(self.highlight, colour.key),
            )
            action.setIcon(swatch_icon(colour.rgb))
        add(
            ActionSpec(
                "redact",
                "&Redact Selection…",
                ("Ctrl+Shift+R",),
                "Redact the selected words: burned in when the document is produced",
                needs_document=True,
            ),
            self.redact,
        )
        add(
            ActionSpec(
                "redact_area",
                "Redact an &Area…",
                (),
                "Drag a box over part of a page to redact it (burned in when produced)",
                needs_document=True,
            ),
            self.redact_area,
        )
        add(
            ActionSpec(
                "page_note",
                "Add Note to &Page…",
                ("Ctrl+Alt+N",),
                "Write a note on the page in view",
                "note",
                needs_document=True,
            ),
            self.add_page_note,
        )
        add(
            ActionSpec(
                "document_note",
                "Add Note to &Document…",
                (),
                "Write a note on the whole document",
                needs_document=True,
            ),
            self.add_document_note,
        )
        self._build_menus()

    def _build_menus(self) -> None:
        actions = self.actions
        bar = self._menu_bar
        edit = next(a.menu() for a in bar.actions() if a.text().replace("&", "") == "Edit")
        assert isinstance(edit, QMenu)  # the stubs type QAction.menu() as a QObject
        first = edit.actions()[0]  # Find…: undo, redo and copy go above it
        for action_id in ("undo", "redo"):
            edit.insertAction(first, actions[action_id])
        edit.insertSeparator(first)
        edit.insertAction(first, actions["copy"])
        edit.insertSeparator(first)
        mark_menu = QMenu("&Mark", self._parent)
        bar.insertMenu(bar.actions()[3], mark_menu)  # after File, Edit, View
        mark_menu.addAction(actions["highlight"])
        self.colour_menu = mark_menu.addMenu("Highlight &As")
        for colour in HIGHLIGHT_COLOURS:
            self.colour_menu.addAction(actions[f"highlight_{colour.key}"])
        mark_menu.addAction(actions["redact"])
        mark_menu.addAction(actions["redact_area"])
        mark_menu.addSeparator()
        mark_menu.addAction(actions["page_note"])
        mark_menu.addAction(actions["document_note"])
        self.mark_menu = mark_menu

    def attach_toolbar(self, toolbar: QToolBar) -> None:
        """Highlight (with its colours), page note, undo and redo at the end of `toolbar`."""
        actions = self.actions
        toolbar.addSeparator()
        button = QToolButton(toolbar)
        button.setDefaultAction(actions["highlight"])
        button.setMenu(self.colour_menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.colour_button = button
        toolbar.addWidget(button)
        toolbar.addAction(actions["page_note"])
        toolbar.addAction(actions["undo"])
        toolbar.addAction(actions["redo"])
        self._update_colour_button()

    def _update_colour_button(self) -> None:
        for colour in HIGHLIGHT_COLOURS:
            self.actions[f"highlight_{colour.key}"].setText(self.colour_names[colour.key])
        name = self.colour_names.get(self.controller.current_colour, "")
        self.actions["highlight"].setToolTip(f"Highlight the selection as “{name}” (H)")

    def _update_undo(self) -> None:
        history = self.controller.history
        undo, redo = self.actions["undo"], self.actions["redo"]
        undo.setText(f"&Undo {history.undo_label}" if history.undo_label else "&Undo")
        redo.setText(f"&Redo {history.redo_label}" if history.redo_label else "&Redo")
        case_open = self.controller.case is not None
        undo.setEnabled(case_open and history.undo_label is not None)
        redo.setEnabled(case_open and history.redo_label is not None)

    def _update_enabled(self) -> None:
        has_selection = bool(self.reader.selection())
        self.actions["copy"].setEnabled(has_selection)

    def update_actions(self) -> None:
        """After the window enabled its actions by case and document: refine ours."""
        self._update_undo()
        self._update_enabled()

    # -- the context menu and opening marks ----------------------------------------------------

    def _context_menu(self, where: QPoint, mark: Mark | None, page: int) -> None:
        actions = self.actions
        menu = QMenu(self._parent)
        if self.reader.selection():
            menu.addAction(actions["highlight"])
            menu.addMenu(self.colour_menu)
            menu.addAction(actions["redact"])
            menu.addAction(actions["copy"])
            menu.addSeparator()
        if mark is not None:
            menu.addAction("Edit &Note…", lambda: self.edit_note(mark))
            recolour = menu.addMenu("C&olour")
            for colour in HIGHLIGHT_COLOURS:
                action = recolour.addAction(
                    swatch_icon(colour.rgb), self.colour_names.get(colour.key, colour.key)
                )
                action.setCheckable(True)
                action.setChecked(colour.key == mark.colour)
                action.triggered.connect(
                    lambda _=False, key=colour.key: self.controller.recolour(mark.id, key)
                )
            menu.addAction("&Tags…", lambda: self.edit_tags(mark))
            deleted = "Redaction" if mark.kind is MarkKind.REDACTION else "Highlight"
            menu.addAction(f"&Delete {deleted}", lambda: self.controller.delete(mark.id))
            menu.addSeparator()
        menu.addAction(
            f"Add Note to Page {self.reader.label_of(page)}…", lambda: self.add_page_note(page)
        )
        menu.addAction(actions["document_note"])
        for extend in self.menu_extensions:
            extend(menu, mark)
        menu.popup(where)
        self.context_menu = menu  # kept for tests

    def _show_mark(self, mark: Mark) -> None:
        if self.session.case is None:
            return
        if self.reader.document is None or self.reader.document.id != mark.doc:
            self._open_document(mark.doc, mark.page or 1)
        self.reader.show_mark(mark)
