"""The window's actions and menus, declared in one place.

The actions call the window's commands (`Commands`: what the window does when
asked) and the reader's own; nothing here reaches into the window. The menus'
titles come first, with the window's frame (`frame_menus`), their actions
later (`build_actions`, `build_menus`): so this module loads nothing at the top
that the frame does not need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

if TYPE_CHECKING:
    from docket.app.kit.actions import ActionRegistry
    from docket.app.reader.reader import ReaderPane


class Commands(Protocol):
    """What the window does for its menus: each method is one menu command."""

    def new_case(self) -> None: ...
    def choose_case(self) -> None: ...
    def open_sample_case(self) -> None: ...
    def import_files(self) -> None: ...
    def import_folder(self) -> None: ...
    def export_marks(self) -> None: ...
    def produce_documents(self) -> None: ...
    def import_marks(self) -> None: ...
    def archive_case(self) -> None: ...
    def restore_case(self) -> None: ...
    def close_case(self) -> None: ...
    def close(self) -> bool: ...
    def focus_search(self) -> None: ...
    def fit_width(self) -> None: ...
    def fit_page(self) -> None: ...
    def toggle_full_screen(self) -> None: ...
    def go_back(self) -> None: ...
    def go_forward(self) -> None: ...
    def focus_page_box(self) -> None: ...
    def step_hit(self, delta: int) -> None: ...
    def show_preferences(self) -> None: ...
    def show_about(self) -> None: ...
    def reencode_document(self) -> None: ...


@dataclass(frozen=True)
class WindowMenus:
    recent: QMenu  # File → Open Recent, filled by the window
    panels: QMenu  # View → Panels: each dock's show/hide


@dataclass(frozen=True)
class MenuTitles:
    """The menu bar's menus, empty until build_menus fills them."""

    file: QMenu
    edit: QMenu
    view: QMenu
    go: QMenu
    document: QMenu
    help: QMenu


def frame_menus(bar: QMenuBar) -> MenuTitles:
    """The menus' titles in the bar, for the frame shown before their actions exist."""
    return MenuTitles(
        bar.addMenu("&File"),
        bar.addMenu("&Edit"),
        bar.addMenu("&View"),
        bar.addMenu("&Go"),
        bar.addMenu("&Document"),
        bar.addMenu("&Help"),
    )


def build_actions(commands: Commands, reader: ReaderPane, owner: QWidget) -> ActionRegistry:
    """Every action of the window, owned (and shortcut-scoped) by `owner`."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QStyle

    from docket.app.kit.actions import ActionRegistry, ActionSpec

    Key = QKeySequence.StandardKey
    Icon = QStyle.StandardPixmap
    actions = ActionRegistry(owner)
    w = commands
    specs = [
        (
            ActionSpec(
                "new_case",
                "&New Case…",
                (Key.New,),
                "Create a new, empty case folder",
                Icon.SP_FileDialogNewFolder,
            ),
            w.new_case,
        ),
        (
            ActionSpec(
                "open_case",
                "&Open Case…",
                (Key.Open,),
                "Open a case folder",
                Icon.SP_DialogOpenButton,
            ),
            w.choose_case,
        ),
        (
            ActionSpec("sample_case", "Open the &Sample Case", (), "A short fictional matter"),
            w.open_sample_case,
        ),
        (
            ActionSpec(
                "import_files",
                "&Import Files…",
                ("Ctrl+I",),
                "Add PDFs and text files to the case",
                "document-import",
                needs_case=True,
            ),
            w.import_files,
        ),
        (
            ActionSpec(
                "import_folder",
                "Import &Folder…",
                ("Ctrl+Shift+I",),
                "Add a folder of documents (with its subfolders)",
                "folder-import",
                needs_case=True,
            ),
            w.import_folder,
        ),
        (
            ActionSpec(
                "export",
                "&Export…",
                ("Ctrl+E",),
                "Annotated PDFs, a report of the marks, CSV or W3C annotations",
                needs_case=True,
            ),
            w.export_marks,
        ),
        (
            ActionSpec(
                "produce",
                "&Produce…",
                (),
                "Bates-numbered, stamped copies of documents with a load file",
                needs_case=True,
            ),
            w.produce_documents,
        ),
        (
            ActionSpec(
                "import_marks",
                "Import &Marks…",
                (),
                "Marks from a W3C Web Annotation file (as Export writes them)",
                needs_case=True,
            ),
            w.import_marks,
        ),
        (
            ActionSpec(
                "archive_case",
                "&Archive Case…",
                (),
                "Save the whole case in one zip file, to back it up or move it",
            ),
            w.archive_case,
        ),
        (
            ActionSpec(
                "restore_case",
                "&Restore Case from Archive…",
                (),
                "Unpack a case archive into a new folder and open it",
            ),
            w.restore_case,
        ),
        (ActionSpec("close_case", "&Close Case", (Key.Close,), needs_case=True), w.close_case),
        (ActionSpec("quit", "&Quit", (Key.Quit,)), w.close),
        (
            ActionSpec(
                "find",
                "&Find in Document…",
                (Key.Find,),
                "Find words in the open document",
                needs_document=True,
            ),
            reader.find_bar.open_bar,
        ),
        (
            ActionSpec("find_next", "Find &Next", (Key.FindNext,), needs_document=True),
            reader.find_bar.find_next,
        ),
        (
            ActionSpec("find_previous", "Find Pre&vious", (Key.FindPrevious,), needs_document=True),
            reader.find_bar.find_previous,
        ),
        (
            ActionSpec(
                "search_case",
                "&Search the Case…",
                ("Ctrl+Shift+F",),
                "Search every document of the case",
                needs_case=True,
            ),
            w.focus_search,
        ),
        (
            ActionSpec(
                "zoom_in", "Zoom &In", (Key.ZoomIn, "Ctrl+="), icon="zoom-in", needs_document=True
            ),
            lambda: reader.view.zoom_in(),
        ),
        (
            ActionSpec(
                "zoom_out", "Zoom &Out", (Key.ZoomOut,), icon="zoom-out", needs_document=True
            ),
            lambda: reader.view.zoom_out(),
        ),
        (
            ActionSpec(
                "fit_width", "Fit &Width", ("Ctrl+2",), icon="fit-width", needs_document=True
            ),
            w.fit_width,
        ),
        (
            ActionSpec("fit_page", "Fit &Page", ("Ctrl+1",), icon="fit-page", needs_document=True),
            w.fit_page,
        ),
        (
            ActionSpec("full_screen", "F&ull Screen", (Key.FullScreen, "F11"), checkable=True),
            w.toggle_full_screen,
        ),
        (
            ActionSpec(
                "back",
                "&Back",
                (Key.Back,),
                "Go back to where you were",
                "go-back",
                needs_document=True,
            ),
            w.go_back,
        ),
        (
            ActionSpec(
                "forward",
                "&Forward",
                (Key.Forward,),
                icon="go-forward",
                needs_document=True,
            ),
            w.go_forward,
        ),
        (
            ActionSpec(
                "go_to_page",
                "&Go to Page…",
                ("Ctrl+G",),
                "Type a page number or the document's own page label",
                needs_document=True,
            ),
            w.focus_page_box,
        ),
        (
            ActionSpec(
                "next_hit",
                "Next &Hit",
                ("Ctrl+.", "F4"),
                "The next search hit, across pages and documents",
                "hit-next",
                needs_case=True,
            ),
            lambda: w.step_hit(1),
        ),
        (
            ActionSpec(
                "previous_hit",
                "Previous H&it",
                ("Ctrl+,", "Shift+F4"),
                icon="hit-previous",
                needs_case=True,
            ),
            lambda: w.step_hit(-1),
        ),
        (
            # Only the platform's own key (Cmd+, on macOS, Ctrl+Shift+, on KDE): plain Ctrl+,
            # already steps to the previous hit.
            ActionSpec(
                "preferences",
                "&Preferences…",
                (Key.Preferences,),
                "Your name, colour names, export folder and theme",
            ),
            w.show_preferences,
        ),
        (
            ActionSpec(
                "reencode",
                "Re-read as &Encoding…",
                (),
                "Read a text file again in another encoding (its marks kept where found)",
                needs_document=True,
            ),
            w.reencode_document,
        ),
        (ActionSpec("about", "&About Docket", ()), w.show_about),
    ]
    for spec, handler in specs:
        actions.add(spec, handler)
    return actions


def build_menus(menus: MenuTitles, actions: ActionRegistry) -> WindowMenus:
    """Fills the frame's menus with the actions."""
    file_menu = menus.file
    for action_id in ("new_case", "open_case", "sample_case"):
        file_menu.addAction(actions[action_id])
    recent = file_menu.addMenu("Open &Recent")
    file_menu.addSeparator()
    file_menu.addAction(actions["import_files"])
    file_menu.addAction(actions["import_folder"])
    file_menu.addSeparator()
    file_menu.addAction(actions["export"])
    file_menu.addAction(actions["produce"])
    file_menu.addAction(actions["import_marks"])
    file_menu.addSeparator()
    file_menu.addAction(actions["archive_case"])
    file_menu.addAction(actions["restore_case"])
    file_menu.addSeparator()
    file_menu.addAction(actions["close_case"])
    file_menu.addAction(actions["quit"])
    _fill(
        menus.edit,
        actions,
        ("find", "find_next", "find_previous", None, "search_case", None, "preferences"),
    )
    _fill(
        menus.view, actions, ("zoom_in", "zoom_out", "fit_width", "fit_page", None, "full_screen")
    )
    panels = menus.view.addMenu("&Panels")
    _fill(menus.go, actions, ("back", "forward", "go_to_page", None, "next_hit", "previous_hit"))
    menus.document.addAction(actions["reencode"])
    menus.help.addAction(actions["about"])
    return WindowMenus(recent, panels)


def _fill(menu: QMenu, actions: ActionRegistry, action_ids: Sequence[str | None]) -> None:
    """The actions in order; None is a separator."""
    for action_id in action_ids:
        if action_id is None:
            menu.addSeparator()
        else:
            menu.addAction(actions[action_id])
