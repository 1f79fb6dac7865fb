"""Copy with Citation (Ctrl+Shift+C) and short titles, in the window.

What is cited: the mark selected in a Marks panel that has the focus, else the
words selected in the reader, else the mark selected in the Marks panel (a
highlight clicked in the page selects it there). The clipboard gets
“quote” (cite) as text/plain and as text/html. The window keeps one
CiteSession per case: a document's first cite is full, later ones short, and a
cite right after one of the same document is Id. (core/cite/forms.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QMenuBar, QWidget

from docket.app.kit.actions import ActionRegistry, ActionSpec
from docket.app.kit.session import Session
from docket.app.panels.marks.panel import MarkListPane
from docket.app.reader.reader import ReaderPane
from docket.core.cite.citation import Citation, CiteSession, Selection
from docket.core.errors import DocketError
from docket.core.model.marks import Mark

MarkSource = tuple[QWidget, Callable[[], Mark | None]]  # a panel, and its selected mark


class CitingUi(QObject):
    def __init__(
        self,
        session: Session,
        actions: ActionRegistry,
        reader: ReaderPane,
        mark_sources: Sequence[MarkSource],
        menu_bar: QMenuBar,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.reader = reader
        self._mark_sources = list(mark_sources)
        self._parent = parent
        self.memory = CiteSession()
        self.last: Citation | None = None  # kept for tests and the status line
        self.action = actions.add(
            ActionSpec(
                "copy_citation",
                "Copy with &Citation",
                ("Ctrl+Shift+C",),
                "Copy the selected words or mark with its pin cite (Smith Dep. at 12)",
                needs_case=True,
            ),
            lambda: self.copy_citation(),
        )
        session.caseChanged.connect(lambda _case: self.memory.forget())
        for panel, _selected in self._mark_sources:
            if isinstance(panel, MarkListPane):
                panel.menu_extensions.append(self._add_to_mark_menu)
        _add_to_edit_menu(menu_bar, self.action)

    # -- what is cited ----------------------------------------------------------------

    def target(self) -> Mark | Selection | None:
        focus = QApplication.focusWidget()
        for panel, selected in self._mark_sources:
            if focus is not None and (focus is panel or panel.isAncestorOf(focus)):
                mark = selected()
                if mark is not None:
                    return mark
        document = self.reader.document
        ranges = self.reader.selection()
        if document is not None and ranges:
            return Selection(document.id, tuple(ranges))
        for _panel, selected in self._mark_sources[:1]:  # the open document's Marks panel
            mark = selected()
            if mark is not None:
                return mark
        return None

    def add_to_menu(self, menu: QMenu, mark: Mark | None) -> None:
        """The reader's context menu: cite the selection, or the highlight right-clicked."""
        if self.reader.selection():
            menu.addSeparator()
            menu.addAction(self.action)
        elif mark is not None:
            menu.addSeparator()
            menu.addAction("Copy with &Citation", lambda: self.copy_citation(mark))

    def _add_to_mark_menu(self, menu: QMenu, mark: Mark) -> None:
        """A Marks panel's context menu: cite the row's mark."""
        menu.addAction("Copy with &Citation", lambda: self.copy_citation(mark))

    def copy_citation(self, target: Mark | Selection | None = None) -> Citation | None:
        """Copy `target` (else what `target()` finds) with its cite to the clipboard."""
        case = self.session.case
        target = target or self.target()
        if case is None or target is None:
            self.session.say("Select some words or a mark to copy with its citation", 5000)
            return None
        try:
            citation = self.memory.cite(case.citing, target)
        except DocketError as problem:
            self.session.say(str(problem), 8000)
            return None
        data = QMimeData()
        data.setText(citation.text)
        data.setHtml(citation.html)
        QGuiApplication.clipboard().setMimeData(data)
        self.last = citation
        self.session.say(f"Copied with its citation: {citation.cite}", 5000)
        return citation

    # -- short titles -----------------------------------------------------------------

    def edit_short_title(self, doc: int) -> None:
        """The library's "Short title…": asks for it, sets it on the writer."""
        case = self.session.case
        if case is None:
            return
        title = case.document(doc).title
        text, ok = QInputDialog.getText(
            self._parent,
            "Short Title",
            f"Short title for later cites of “{title}” (empty: the title):",
            text=case.citing.short_title(doc),
        )
        if ok:
            self.set_short_title(doc, text)

    def set_short_title(self, doc: int, text: str) -> None:
        case = self.session.require_case()
        self.session.writer.submit(
            case.citing.set_short_title,
            doc,
            text,
            on_result=self.session.announce,
            on_error=lambda error: self.session.say(str(error), 8000),
            context=self,
        )


def _add_to_edit_menu(bar: QMenuBar, action: QAction) -> None:
    """After Copy in the Edit menu (at its end when Copy is not there)."""
    edit = next((a.menu() for a in bar.actions() if a.text().replace("&", "") == "Edit"), None)
    if not isinstance(edit, QMenu):
        return
    entries = edit.actions()
    copy = next((a for a in entries if a.text().replace("&", "") == "Copy"), None)
    following = entries[entries.index(copy) + 1] if copy and copy is not entries[-1] else None
    if following is not None:
        edit.insertAction(following, action)
    else:
        edit.addAction(action)
