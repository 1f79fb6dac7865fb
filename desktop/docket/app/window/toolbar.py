"""The reader's toolbar: history, a page box that takes numbers or page labels, zoom."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QToolBar

from docket.app.kit.actions import ActionRegistry
from docket.app.reader.reader import ReaderPane
from docket.app.reader.transcriptlines import parse_page_line

Say = Callable[[str, int], None]  # a status-bar message for so many milliseconds


class ReaderToolBar(QToolBar):
    def __init__(self, reader: ReaderPane, actions: ActionRegistry, say: Say) -> None:
        super().__init__("Reader")
        self.setObjectName("toolbar-reader")
        self.setMovable(False)
        self._reader = reader
        self._say = say
        self.addAction(actions["import_files"])
        self.addSeparator()
        self.addAction(actions["back"])
        self.addAction(actions["forward"])
        self.addSeparator()
        self.page_box = QLineEdit()
        self.page_box.setObjectName("page-box")
        self.page_box.setFixedWidth(70)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_box.setToolTip(
            "Page number or the document's own page label; page:line on a transcript (Ctrl+G)"
        )
        self.page_box.returnPressed.connect(self._go)
        self.page_count_label = QLabel()
        self.addWidget(self.page_box)
        self.addWidget(self.page_count_label)
        self.addSeparator()
        for action_id in ("zoom_out", "zoom_in", "fit_width", "fit_page"):
            self.addAction(actions[action_id])
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.addWidget(self.zoom_label)
        self.addSeparator()
        self.addAction(actions["previous_hit"])
        self.addAction(actions["next_hit"])
        self._count = 0

    def set_page_count(self, count: int) -> None:
        self._count = count
        self.page_count_label.setText(f"  of {count}  ")

    def show_page(self, number: int, label: str, bates: str | None = None) -> None:
        """`bates`: the page's Bates number (issue 18), shown after the count."""
        if not self.page_box.hasFocus():
            self.page_box.setText(label)
        suffix = f" (page {number})" if label != str(number) else ""
        suffix += f" · {bates}" if bates else ""
        self.page_count_label.setText(f"  of {self._count}{suffix}  ")

    def show_zoom(self, factor: float) -> None:
        self.zoom_label.setText(f"{factor * 100:.0f}%")

    def focus_page_box(self) -> None:
        self.page_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.page_box.selectAll()

    def _go(self) -> None:
        reader = self._reader
        line = reader.go_to_line(self.page_box.text())  # "27:4" on a transcript
        wanted = parse_page_line(self.page_box.text())
        if line is not None and wanted is not None:
            self._say(f"Page {reader.labels[line.page - 1]}, line {wanted[1]}", 4000)
            reader.view.setFocus()
            return
        page = reader.page_for(self.page_box.text())
        if page is None:
            self._say(f"No page “{self.page_box.text()}” in this document", 4000)
            self.page_box.selectAll()
            return
        reader.go_to_page(page)
        reader.view.setFocus()
