"""The window's dock area: panels added by key, tabbed together, listed in View → Panels.

Helpers that bring panels of their own (the marking panels) get this, not the
window: they can add a panel, tab it beside another and bring one forward.

A dock can be reserved before its panel exists: the window lays out every dock
(and restores the user's layout) before page 1 is painted, so the page keeps
its width, and puts the panels in after.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    Area = Qt.DockWidgetArea


class DockArea:
    def __init__(self, window: QMainWindow, panels_menu: QMenu) -> None:
        self._window = window
        self._menu = panels_menu
        self._docks: dict[str, QDockWidget] = {}
        self._reserved: set[str] = set()  # docks laid out whose panel is still to come

    def reserve(
        self, key: str, title: str, area: Area, *, tab_with: str | None = None
    ) -> QDockWidget:
        """An empty dock, laid out as `add` would; `add` with its key puts the panel in."""
        dock = self.add(key, title, QWidget(), area, tab_with=tab_with)
        self._reserved.add(key)
        return dock

    def add(
        self, key: str, title: str, widget: QWidget, area: Area, *, tab_with: str | None = None
    ) -> QDockWidget:
        """A dock for `widget` in `area`, or in a tab behind the dock `tab_with`; a
        reserved dock gets `widget` in place of its empty one, where it was laid out."""
        if key in self._reserved:
            self._reserved.discard(key)
            dock = self._docks[key]
            placeholder = dock.widget()
            dock.setWidget(widget)
            if placeholder is not None:
                placeholder.deleteLater()
            return dock
        dock = QDockWidget(title, self._window)
        dock.setObjectName(f"dock-{title.lower()}")  # restoreState finds docks by name
        dock.setWidget(widget)
        self._window.addDockWidget(area, dock)
        self._docks[key] = dock
        if tab_with is not None:
            self.tabify(tab_with, key)
        self._menu.addAction(dock.toggleViewAction())
        return dock

    def tabify(self, first: str, second: str) -> None:
        """Put the dock `second` in a tab behind `first`."""
        self._window.tabifyDockWidget(self._docks[first], self._docks[second])

    def bring_forward(self, key: str) -> QDockWidget:
        """Show the dock and raise it above the others in its tab group."""
        dock = self._docks[key]
        dock.show()
        dock.raise_()
        return dock

    def set_visible(self, visible: bool) -> None:
        for dock in self._docks.values():
            dock.setVisible(visible)

    def __getitem__(self, key: str) -> QDockWidget:
        return self._docks[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._docks)

    def values(self) -> list[QDockWidget]:
        return list(self._docks.values())
