"""Actions declared once — id, text, shortcut, icon, tip — shared by menus and toolbars."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QStyle, QWidget

from docket.app.kit.icons import svg_icon


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    shortcuts: tuple[QKeySequence | QKeySequence.StandardKey | str, ...] = ()
    tip: str = ""
    icon: QStyle.StandardPixmap | str | None = None
    needs_case: bool = False  # enabled only while a case is open
    needs_document: bool = False  # enabled only while a document is open
    checkable: bool = False


class ActionRegistry:
    """Creates QActions from specs; enables them as the window's state changes."""

    def __init__(self, owner: QWidget) -> None:
        self._owner = owner
        self._actions: dict[str, QAction] = {}
        self._specs: dict[str, ActionSpec] = {}
        # Icons are tinted with the palette: redraw them when the theme changes.
        self._watcher = _PaletteWatcher(owner, lambda: self.retint(owner.palette()))

    def add(self, spec: ActionSpec, handler: Callable[[], object]) -> QAction:
        action = QAction(spec.text, self._owner)
        shortcuts = [s if isinstance(s, QKeySequence) else QKeySequence(s) for s in spec.shortcuts]
        action.setShortcuts(shortcuts)
        tip = spec.tip or spec.text.replace("&", "")
        if shortcuts:
            tip += f" ({shortcuts[0].toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(spec.tip or "")
        action.setCheckable(spec.checkable)
        self._set_icon(action, spec, self._owner.palette())
        action.triggered.connect(lambda _checked=False: handler())
        self._owner.addAction(action)  # shortcuts work even when not in a visible menu
        self._actions[spec.id] = action
        self._specs[spec.id] = spec
        return action

    def _set_icon(self, action: QAction, spec: ActionSpec, palette: QPalette) -> None:
        if isinstance(spec.icon, QStyle.StandardPixmap):
            action.setIcon(self._owner.style().standardIcon(spec.icon))
        elif isinstance(spec.icon, str):
            action.setIcon(svg_icon(spec.icon, palette))

    def retint(self, palette: QPalette) -> None:
        """Redraws every icon in the palette's colours (after a switch to light or dark)."""
        for action_id, action in self._actions.items():
            self._set_icon(action, self._specs[action_id], palette)

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def update_enabled(self, *, case_open: bool, document_open: bool) -> None:
        for action_id, action in self._actions.items():
            spec = self._specs[action_id]
            enabled = (case_open or not spec.needs_case) and (
                document_open or not spec.needs_document
            )
            action.setEnabled(enabled)


class _PaletteWatcher(QObject):
    """Calls back when the watched widget's palette changes (theme switch, system change)."""

    def __init__(self, widget: QWidget, changed: Callable[[], object]) -> None:
        super().__init__(widget)
        self._changed = changed
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange:
            self._changed()
        return False
