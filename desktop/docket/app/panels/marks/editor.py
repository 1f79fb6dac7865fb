"""Edits one mark in place: colour, note, tags; shows its quote, page, author and time.

Every change goes through the MarkController, so it is saved at once and can
be undone. The note is saved when typing pauses (one undo step per pause),
when the note box loses focus, and before the editor shows another mark or
hides, so that the last words typed are never lost.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QHideEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from docket.app.operations.marks import NOTE_PAUSE_MS, MarkController
from docket.app.panels.marks.delegate import QuoteView, swatch_icon
from docket.app.panels.marks.factrow import FactRow
from docket.app.panels.marks.model import PageLabels, display_colour_names, rgb_of, where
from docket.core.model.changes import Changes
from docket.core.model.colours import HIGHLIGHT_COLOURS
from docket.core.model.marks import Mark, TagNode


def split_tags(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def tag_paths(nodes: list[TagNode]) -> list[str]:
    """Every tag path of the tree, parents included, in tree order."""
    return [path for node in nodes for path in (node.path, *tag_paths(node.children))]


class TagCompleter(QCompleter):
    """Completes the tag after the last comma; what comes before it stays as typed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(QStringListModel(parent), parent)
        self._typed = ""

    def splitPath(self, path: str) -> list[str]:
        self._typed = path  # the text the completions are for, whatever happens to it next
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        # From the text typed, not the line edit's: Enter on a completion saves the tags
        # (and shows them as stored) before the completer writes its pick in.
        head = self._typed.rsplit(",", 1)[0] + ", " if "," in self._typed else ""
        return head + str(index.data())


class MarkEditor(QWidget):
    def __init__(self, controller: MarkController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._mark: Mark | None = None
        self._case = controller.case  # the case `_mark` belongs to
        self._labels = PageLabels()
        self._saved_note = ""  # the note as last stored: the text differs → unsaved typing
        self._shown_tags = ""  # the tags as last shown: the text differs → being typed
        self._loading = False

        self.colour_buttons = QButtonGroup(self)
        swatches = QHBoxLayout()
        swatches.setSpacing(2)
        for number, colour in enumerate(HIGHLIGHT_COLOURS):
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setIcon(swatch_icon(colour.rgb))
            button.setProperty("colour", colour.key)
            self.colour_buttons.addButton(button, number)
            swatches.addWidget(button)
        swatches.addStretch(1)
        self.delete_button = QPushButton("Delete")
        swatches.addWidget(self.delete_button)
        self.info_label = QLabel()
        self.info_label.setTextFormat(Qt.TextFormat.PlainText)
        self.info_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # follows the theme
        self.quote_view = QuoteView()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("Add a note…")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setAccessibleName("Note")
        self.note_edit.installEventFilter(self)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("Tags, separated by commas: Issue/Torture, Witness")
        self.tags_edit.setAccessibleName("Tags")
        self.tag_completer = TagCompleter(self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "tort" → Issue/Torture
        self.tags_edit.setCompleter(self.tag_completer)
        self.fact_row = FactRow(controller)  # a date makes the mark a fact of the chronology
        self.set_colour_names(display_colour_names())

        form = QWidget()
        layout = QVBoxLayout(form)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(swatches)
        layout.addWidget(self.info_label)
        layout.addWidget(self.quote_view)
        layout.addWidget(self.note_edit, 1)
        layout.addWidget(self.tags_edit)
        layout.addWidget(self.fact_row)
        empty = QLabel("Select a mark to see its note and tags here.")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(empty)
        self._stack.addWidget(form)

        self._pause = QTimer(self, singleShot=True, interval=NOTE_PAUSE_MS)
        self._pause.timeout.connect(self.flush)
        self.note_edit.textChanged.connect(self._note_typed)
        self.tags_edit.editingFinished.connect(self._save_tags)
        self.colour_buttons.idClicked.connect(self._recolour)
        self.delete_button.clicked.connect(self._delete)
        controller.marksChanged.connect(self._marks_changed)

    # -- what panels use ------------------------------------------------------------------

    def mark(self) -> Mark | None:
        return self._mark

    def set_mark(self, mark: Mark | None) -> None:
        """Edit `mark` (None: nothing); typing for the mark shown before is saved first."""
        if (
            mark is not None
            and self._mark is not None
            and mark.id == self._mark.id
            and self._case is self._controller.case
        ):
            self._fill(mark, reloading=True)
            return
        self.flush()
        self._mark, self._case = mark, self._controller.case
        self._labels.reset(self._case)
        if mark is None:
            self._stack.setCurrentIndex(0)
            return
        self._fill(mark, reloading=False)
        self._stack.setCurrentIndex(1)

    def flush(self) -> None:
        """Save what was typed and not saved yet (the note, and tags not yet confirmed)."""
        self._pause.stop()
        mark, case = self._mark, self._case
        if mark is None or case is None or case is not self._controller.case:
            return
        if case.marking.find(mark.id) is None:
            return  # deleted meanwhile (an undo): nothing left to save the words to
        text = self.note_edit.toPlainText()
        if text != self._saved_note:
            self._saved_note = text
            self._controller.set_note(mark.id, text)
        self._save_tags()
        self.fact_row.save_date()

    def set_colour_names(self, names: dict[str, str]) -> None:
        for button in self.colour_buttons.buttons():
            key = str(button.property("colour"))
            button.setToolTip(names.get(key, key))
            button.setAccessibleName(names.get(key, key))

    # -- showing --------------------------------------------------------------------------

    def _fill(self, mark: Mark, *, reloading: bool) -> None:
        self._mark = mark
        self._loading = True
        try:
            for button in self.colour_buttons.buttons():
                button.setChecked(button.property("colour") == mark.colour)
            self._labels.fill([mark])
            self.info_label.setText(self._info(mark))
            self.quote_view.set_text(mark.quote, rgb_of(mark.colour))
            self.quote_view.setVisible(bool(mark.quote))
            self.delete_button.setText("Delete Highlight" if mark.quote else "Delete Note")
            typing = reloading and self.note_edit.toPlainText() != self._saved_note
            if not typing and self.note_edit.toPlainText() != mark.note:
                self._set_note_text(mark.note)
            self._saved_note = mark.note
            if not (reloading and self._tags_typed()):
                self._shown_tags = ", ".join(mark.tags)
                self.tags_edit.setText(self._shown_tags)
            self._fill_completer()
            self.fact_row.show_mark(mark, reloading=reloading)
        finally:
            self._loading = False

    def _set_note_text(self, note: str) -> None:
        # An undo elsewhere changes the note under the cursor: keep the cursor where it was.
        position = self.note_edit.textCursor().position()
        self.note_edit.setPlainText(note)
        cursor = self.note_edit.textCursor()
        cursor.setPosition(min(position, len(note)))
        self.note_edit.setTextCursor(cursor)

    def _info(self, mark: Mark) -> str:
        moment = QDateTime.fromMSecsSinceEpoch(int(mark.modified.timestamp() * 1000))
        edited = QLocale().toString(moment, "d MMM yyyy, HH:mm")  # the month in words: no
        # doubt whether 03/04 is March or April
        parts = [where(mark, self._labels), mark.author, f"edited {edited}"]
        return "  ·  ".join(part for part in parts if part)

    def _fill_completer(self) -> None:
        case = self._controller.case
        names = tag_paths(case.marking.tag_tree()) if case is not None else []
        model = self.tag_completer.model()
        if isinstance(model, QStringListModel) and model.stringList() != names:
            model.setStringList(names)

    def _marks_changed(self, changes: Changes | None) -> None:
        if self._mark is None:
            return
        if changes is None or self._mark.id in changes.marks.touched:
            self._reload()
        elif changes.tags:
            self._fill_completer()  # another mark's tags: the choices to complete to

    def _reload(self) -> None:
        """The case changed: show this mark as it now is, or nothing if it is gone."""
        if self._mark is None:
            return
        case = self._controller.case
        found = case.marking.find(self._mark.id) if case is self._case and case else None
        if found is None:
            self._pause.stop()
            self._mark = None  # gone: nothing to save the typing to
            self.set_mark(None)
        else:
            self._fill(found, reloading=True)

    # -- changing -------------------------------------------------------------------------

    def _note_typed(self) -> None:
        if not self._loading and self._mark is not None:
            self._pause.start()

    def _tags_typed(self) -> bool:
        # Not isModified(): picking a completion sets the text and clears that flag.
        return self.tags_edit.text() != self._shown_tags

    def _save_tags(self) -> None:
        mark = self._mark
        if mark is None or not self._tags_typed():
            return
        names = split_tags(self.tags_edit.text())
        self._shown_tags = self.tags_edit.text()
        if sorted(n.casefold() for n in names) != sorted(t.casefold() for t in mark.tags):
            self._controller.set_tags(mark.id, names)
        self._reload()  # shows the tags as stored (normalised; unchanged if refused)

    def _recolour(self, number: int) -> None:
        if self._mark is not None:
            self._controller.recolour(self._mark.id, HIGHLIGHT_COLOURS[number].key)

    def _delete(self) -> None:
        if self._mark is not None:
            self.flush()  # an undo brings the mark back with the last words typed
            self._controller.delete(self._mark.id)

    # -- events ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()  # the panel closes or its dock is hidden
        super().hideEvent(event)
