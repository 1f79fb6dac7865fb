"""The message that says where finished work was written, with an Open Folder button."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


def finished_box(
    parent: QWidget | None, title: str, text: str, folder: Path, details: str = ""
) -> QMessageBox:
    """An information box (not yet shown) whose Open Folder shows `folder`."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    if details:
        box.setDetailedText(details)
    open_folder = box.addButton("Open Folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)

    def clicked(button: QAbstractButton) -> None:
        if button is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    box.buttonClicked.connect(clicked)
    return box
