"""The Tags panel: the case's tag tree, how much each tag is used; rename, merge, delete.

A change here renames or removes a tag on every mark and document at once, so
it is confirmed before it is made, and it goes through the MarkController, so
that Ctrl+Z undoes it like any edit of a mark. Merging A into B (Merge Into…,
dragging A onto B, or renaming A to B's name) is one rule, the core's
`rename_tag(A, B)`: whatever was tagged A is tagged B, and A's subtags A/x
become B/x. The tree is rebuilt only after a change that touched tags.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from docket.app.panels.marks.tagmodel import PATH_ROLE, TagTreeModel, usage_text
from docket.core.errors import DocketError
from docket.core.model.tags import is_within, moved, normalize_tag

if TYPE_CHECKING:
    from docket.app.operations.marks import MarkController
    from docket.core.model.changes import Changes


Index = QModelIndex | QPersistentModelIndex
ROW_AIR = 6  # pixels added to each row's height: rows as roomy as the library's


def amount(marks: int, documents: int) -> str:
    return usage_text(marks, documents, " and ")


class _RoomyDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return super().sizeHint(option, index) + QSize(0, ROW_AIR)


class TagManager(QWidget):
    tagActivated = Signal(str)  # a tag path: show the marks tagged with it

    def __init__(self, controller: MarkController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = TagTreeModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(_RoomyDelegate(self.view))
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setAccessibleName("Tags")
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # F2 only
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragDropOverwriteMode(True)  # a tag is dropped onto a tag, never between
        self.view.setAutoExpandDelay(600)  # hovering a closed tag while dragging opens it
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel(
            "No tags yet. Tag a highlight, or a document from the library's menu."
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.show_action = self._action("Show Marks", self._show_marks)
        self.rename_action = self._action("Rename", self._start_rename, QKeySequence("F2"))
        self.rename_action.setToolTip("Rename the tag (F2); a name with '/' is a whole path")
        self.merge_action = self._action("Merge Into…", self._merge_current)
        self.delete_action = self._action(
            "Delete", self._delete_current, QKeySequence(QKeySequence.StandardKey.Delete)
        )
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.rename_action, self.merge_action, self.delete_action])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addStretch(0)

        # Queued: the confirmation must not open inside a drop or an editor's commit.
        queued = Qt.ConnectionType.QueuedConnection
        self.model.renameRequested.connect(self.rename, queued)
        self.model.mergeRequested.connect(self.merge, queued)
        self.view.activated.connect(self._activate)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        self.view.selectionModel().currentChanged.connect(self._update_actions)
        self.view.installEventFilter(self)
        self.view.itemDelegate().closeEditor.connect(
            lambda *_: QTimer.singleShot(0, self, self.refresh)
        )
        self._moving: tuple[str, str] | None = None  # (old, new) while a rename runs
        self._seen: set[str] = set()  # parents shown before: new ones open expanded
        controller.marksChanged.connect(self._marks_changed)
        self.refresh()

    # -- the tree ---------------------------------------------------------------------

    def _marks_changed(self, changes: Changes | None) -> None:
        if changes is None or changes.tags:  # else no tag came, went or changed its count
            self.refresh(changes)

    def refresh(self, changes: Changes | None = None) -> None:
        """Show the case's tags again, keeping what was open and the current tag."""
        if self.view.state() == QAbstractItemView.State.EditingState:
            return  # a rebuild would close the editor; see the delegate's closeEditor
        case = self.controller.case
        counts = case.marking.tag_counts() if case else []
        if counts == self.model.counts:
            return  # a note or a colour changed: the tags did not
        roots = case.marking.tag_tree() if case and counts else []
        expanded = {self._after_move(p) for p in self._expanded_paths()}
        current = self.current_tag()
        current = self._after_move(current) if current else None
        scroll = self.view.verticalScrollBar().value()
        self.model.set_tree(roots, counts)
        parents = self.model.parent_paths()
        for path in parents:
            if path in expanded or path not in self._seen:
                self.view.setExpanded(self.model.index_of(path), True)
        self._seen = set(parents)
        if current is not None and not self.select_tag(current) and changes is not None:
            self._follow(current, changes)
        self.view.verticalScrollBar().setValue(scroll)
        self.view.setVisible(bool(counts))
        self.empty_label.setVisible(not counts)
        self._update_actions()

    def _follow(self, current: str, changes: Changes) -> None:
        """Keep the current tag selected when a change (an undo or redo of a rename,
        say) moved it: the one tag the change-set added, or the same place under it."""
        added, removed = changes.tags.added, changes.tags.removed
        if current not in removed or not added:
            return
        new_root = min(added, key=len)
        old_root = min((tag for tag in removed if is_within(current, tag)), key=len)
        if all(is_within(tag, new_root) for tag in added):
            self.select_tag(moved(current, old_root, new_root))

    def current_tag(self) -> str | None:
        path = self.view.currentIndex().data(PATH_ROLE)
        return str(path) if path else None

    def select_tag(self, path: str) -> bool:
        index = self.model.index_of(path)
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    # -- changes, each confirmed --------------------------------------------------------

    def rename(self, path: str, typed: str) -> bool:
        """Rename `path` to `typed`: a sibling name, or with '/' a whole new path."""
        try:
            if "/" in typed:
                new = normalize_tag(typed)
            else:
                parent = path.rpartition("/")[0]
                new = normalize_tag(f"{parent}/{typed}" if parent else typed)
        except DocketError as problem:
            QMessageBox.warning(self, "Cannot rename the tag", str(problem))
            return False
        if new == path:
            return False
        marking = self.controller.marking
        if any(
            is_within(c.name, new) and not is_within(c.name, path) for c in marking.tag_counts()
        ):
            marks, documents = marking.tag_usage(path)
            if not self._confirm(
                "Merge Tags",
                f"{new} exists already: merge the {amount(marks, documents)} of {path} into it?",
            ):
                return False
        return self._move("Cannot rename the tag", path, new)

    def merge(self, source: str, target: str | None = None) -> bool:
        """Tag with `target` whatever is tagged `source`; asks for the target when None."""
        if target is None:
            choices = [p for p in self.model.paths() if not is_within(p, source)]
            if not choices:
                QMessageBox.information(self, "Merge Tag", "There is no other tag to merge into.")
                return False
            target, chosen = QInputDialog.getItem(
                self, "Merge Tag", f"Merge {source} into:", choices, 0, False
            )
            if not chosen:
                return False
        marks, documents = self.controller.marking.tag_usage(source)
        subtags = self.model.subtag_count(source)
        moving = f" Its subtags move under {target}." if subtags else ""
        text = (
            f"Merge {source} into {target}? The {amount(marks, documents)} tagged "
            f"{source} will be tagged {target} instead.{moving}"
        )
        if not self._confirm("Merge Tags", text):
            return False
        return self._move("Cannot merge the tags", source, target, merging=True)

    def delete(self, path: str) -> bool:
        marking = self.controller.marking
        marks, documents = marking.tag_usage(path)
        subtags = self.model.subtag_count(path)
        also = f" and its {subtags} subtag{'s' if subtags != 1 else ''}" if subtags else ""
        if not self._confirm(
            "Delete Tag", f"Delete the tag {path}{also}? {amount(marks, documents)} will lose it."
        ):
            return False
        try:
            self.controller.delete_tag(path)
        except DocketError as problem:
            QMessageBox.warning(self, "Cannot delete the tag", str(problem))
            return False
        return True

    def _move(self, failure: str, old: str, new: str, *, merging: bool = False) -> bool:
        self._moving = (old, new)  # the refresh inside rename_tag follows the tag
        try:
            if merging:
                self.controller.merge_tag(old, new)
            else:
                self.controller.rename_tag(old, new)
        except DocketError as problem:
            QMessageBox.warning(self, failure, str(problem))
            return False
        finally:
            self._moving = None
        self.select_tag(new)
        return True

    def _confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(self, title, text, buttons, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # -- actions, keys and the menu ---------------------------------------------------

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.show_action)
        menu.addSeparator()
        menu.addActions([self.rename_action, self.merge_action, self.delete_action])
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # F2 and Delete belong to the tree while it has focus, even where the window
        # uses the same keys (Delete removes a mark): claim them before shortcuts run.
        if (
            watched is self.view
            and isinstance(event, QKeyEvent)
            and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        ):
            for action in (self.rename_action, self.delete_action):
                if QKeySequence(event.keyCombination()) == action.shortcut():
                    if event.type() == QEvent.Type.KeyPress:
                        action.trigger()
                    event.accept()
                    return True
        return super().eventFilter(watched, event)

    def _action(
        self, text: str, slot: Callable[[], None], shortcut: QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)  # shown in menus; the tree's key filter acts on it
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        return action

    def _update_actions(self) -> None:
        selected = self.current_tag() is not None
        for action in (self.show_action, self.rename_action, self.merge_action, self.delete_action):
            action.setEnabled(selected)

    def _show_context_menu(self, position: QPoint) -> None:
        if not self.view.indexAt(position).isValid():
            return
        menu = self.context_menu()
        menu.aboutToHide.connect(menu.deleteLater)  # after its action has run
        menu.popup(self.view.viewport().mapToGlobal(position))

    def _activate(self, index: QModelIndex) -> None:
        if path := index.data(PATH_ROLE):
            self.tagActivated.emit(str(path))

    def _show_marks(self) -> None:
        if path := self.current_tag():
            self.tagActivated.emit(path)

    def _start_rename(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index.siblingAtColumn(0))

    def _merge_current(self) -> None:
        if path := self.current_tag():
            self.merge(path)

    def _delete_current(self) -> None:
        if path := self.current_tag():
            self.delete(path)

    def _expanded_paths(self) -> list[str]:
        return [
            p for p in self.model.parent_paths() if self.view.isExpanded(self.model.index_of(p))
        ]

    def _after_move(self, path: str) -> str:
        if self._moving and is_within(path, self._moving[0]):
            return moved(path, *self._moving)
        return path
