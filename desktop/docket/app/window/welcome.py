"""The welcome page, shown when no case is open: new, open, recent, sample."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class WelcomePage(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    sampleRequested = Signal()
    recentActivated = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Docket")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        subtitle = QLabel("Read, mark and search the documents of a case — all on this computer.")
        subtitle.setWordWrap(True)
        subtitle_font = QFont(subtitle.font())
        subtitle_font.setPointSizeF(subtitle_font.pointSizeF() * 1.2)
        subtitle.setFont(subtitle_font)

        self.new_button = QPushButton("New case…")
        self.open_button = QPushButton("Open case…")
        self.sample_button = QPushButton("Open the sample case")
        self.sample_button.setToolTip("A short fictional matter to try Docket on")
        self.new_button.setDefault(True)
        self.new_button.clicked.connect(self.newRequested)
        self.open_button.clicked.connect(self.openRequested)
        self.sample_button.clicked.connect(self.sampleRequested)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.sample_button):
            button.setMinimumHeight(34)
            buttons.addWidget(button)
        buttons.addStretch()

        self.recent_label = QLabel("Recent cases")
        self.recent_list = QListWidget()
        self.recent_list.setAlternatingRowColors(True)
        self.recent_list.itemActivated.connect(self._activate)

        column = QVBoxLayout()
        column.setSpacing(14)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(10)
        column.addLayout(buttons)
        column.addSpacing(10)
        column.addWidget(self.recent_label)
        column.addWidget(self.recent_list, 3)
        column.addStretch(1)
        centred = QHBoxLayout(self)
        centred.addStretch(1)
        centred.addLayout(column, 4)
        centred.addStretch(1)

    def set_recent_cases(self, cases: Sequence[Path]) -> None:
        self.recent_list.clear()
        for path in cases:
            item = QListWidgetItem(f"{path.name}\n{path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent_list.addItem(item)
        self.recent_label.setVisible(bool(cases))
        self.recent_list.setVisible(bool(cases))

    def _activate(self, item: QListWidgetItem) -> None:
        self.recentActivated.emit(Path(item.data(Qt.ItemDataRole.UserRole)))
