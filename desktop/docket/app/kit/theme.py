"""Light, dark or the system's palette for the whole application.

Qt 6.8+ can ask the platform for a colour scheme (`QStyleHints.setColorScheme`),
which keeps the native look where the platform supports it (Windows 11,
macOS, recent GNOME and KDE). Where it has no effect — older desktops, a bare
X server, the offscreen platform of the tests — the Fusion style with an
explicit palette gives the same result everywhere.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
_FALLBACK = "docketThemeFallback"  # app property: the style that was there before ours

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def apply_start_theme(app: QApplication, theme: str) -> None:
    """`theme` for an application just made: "system" (or one unknown) is what it has
    already, so nothing is done (not even loading Qt's namespace of enums, 20-40 ms,
    before the window is on screen)."""
    if theme in THEMES and theme != "system":
        apply_theme(app, theme)


def apply_theme(app: QApplication, theme: str) -> None:
    """Switches the whole application to `theme` ("system", "light" or "dark")."""
    from PySide6.QtCore import Qt  # here: see apply_start_theme

    schemes = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
    scheme = schemes.get(theme, Qt.ColorScheme.Unknown)
    _undo_fallback(app)
    app.styleHints().setColorScheme(scheme)
    if scheme == Qt.ColorScheme.Unknown:
        return
    # Platforms deliver the change as a queued theme event: let it arrive before checking.
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if is_dark(app.palette()) != (scheme == Qt.ColorScheme.Dark):
        _use_fallback(app, dark=scheme == Qt.ColorScheme.Dark)


def is_dark(palette: QPalette) -> bool:
    return palette.color(Group.Active, Role.Window).lightness() < 128


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        Role.Window: "#2b2d30",
        Role.WindowText: "#e4e6eb",
        Role.Base: "#1e1f22",
        Role.AlternateBase: "#2f3134",
        Role.ToolTipBase: "#3a3c40",
        Role.ToolTipText: "#e4e6eb",
        Role.PlaceholderText: "#8c9096",
        Role.Text: "#e4e6eb",
        Role.Button: "#393b40",
        Role.ButtonText: "#e4e6eb",
        Role.BrightText: "#ff6b6b",
        Role.Light: "#4e5157",
        Role.Midlight: "#43454a",
        Role.Mid: "#2f3134",
        Role.Dark: "#1a1b1e",
        Role.Shadow: "#0c0c0d",
        Role.Highlight: "#3574f0",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#6aa7ff",
        Role.LinkVisited: "#b792ff",
        Role.Accent: "#3574f0",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.HighlightedText):
        palette.setColor(Group.Disabled, role, QColor("#7d8187"))
    palette.setColor(Group.Disabled, Role.Highlight, QColor("#45484d"))
    return palette


def light_palette() -> QPalette:
    fusion = QStyleFactory.create("Fusion")
    palette = fusion.standardPalette()
    palette.setColor(Role.Accent, palette.color(Role.Highlight))
    return palette


def _use_fallback(app: QApplication, *, dark: bool) -> None:
    app.setProperty(_FALLBACK, app.style().name())
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # native styles may ignore a palette (Windows, macOS)
    app.setPalette(dark_palette() if dark else light_palette())


def _undo_fallback(app: QApplication) -> None:
    original = app.property(_FALLBACK)
    if not original:
        return
    app.setProperty(_FALLBACK, "")
    if str(original).lower() != app.style().name().lower():
        app.setStyle(str(original))
    app.setPalette(QPalette())  # an empty palette resolves nothing: the platform's comes back
