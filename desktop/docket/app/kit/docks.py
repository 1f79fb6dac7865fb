"""The window's dock area: panels added by key, tabbed together, listed in View → Panels.

Helpers that bring panels of their own (the marking panels) get this, not the
window: they can add a panel, tab it beside another and bring one forward.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

Area = Qt.DockWidgetArea


class DockArea:
    def __init__(self, window: QMainWindow, panels_menu: QMenu) -> None:
        self._window = window
        self._menu = panels_menu
        self._docks: dict[str, QDockWidget] = {}

    def add(
        self, key: str, title: str, widget: QWidget, area: Area, *, tab_with: str | None = None
    ) -> QDockWidget:
        """A dock for `widget` in `area`, or in a tab behind the dock `tab_with`."""
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
