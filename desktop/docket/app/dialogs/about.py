"""The About dialog: what Docket is, its versions, and the libraries it ships with.

Versions and licences are read from the installed packages' metadata, so the
table stays true as the pins move; a package that is missing (a trimmed
bundle) is listed as such instead of breaking the dialog.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as metadata
import platform
from dataclasses import dataclass

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from docket import APP_NAME, __version__
from docket.resources import resource

# (distribution, what the metadata cannot say about code bundled inside it)
BUNDLED = (
    ("PySide6-Essentials", "Qt"),
    ("PySide6-Pdf", "QtPdf; its PDFium engine is BSD-3-Clause"),
    ("pypdf", ""),
    ("whoosh-reloaded", ""),
    ("PyStemmer", "Snowball's stemmers"),
    ("cryptography", ""),
    ("charset-normalizer", ""),
    ("platformdirs", ""),
    ("tqdm", ""),
)
LICENCE_CLASSIFIER = "License :: OSI Approved :: "


@dataclass(frozen=True)
class Library:
    name: str
    version: str  # "" when the package is not installed
    licence: str

    @property
    def installed(self) -> bool:
        return bool(self.version)


def bundled_libraries() -> list[Library]:
    libraries = []
    for name, note in BUNDLED:
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            libraries.append(Library(name, "", ""))
            continue
        licence = _licence(meta)
        libraries.append(
            Library(name, _field(meta, "Version"), f"{licence} ({note})" if note else licence)
        )
    return libraries


def _licence(meta: metadata.PackageMetadata) -> str:
    """The SPDX expression where the package gives one, else its licence text or classifier."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    text = _field(meta, "License").strip()
    if text and "\n" not in text and len(text) <= 80:  # some packages paste the whole text
        return text
    classifiers = [
        c.removeprefix(LICENCE_CLASSIFIER)
        for c in meta.get_all("Classifier") or []
        if c.startswith(LICENCE_CLASSIFIER)
    ]
    return ", ".join(classifiers) or "see the package"


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name)  # unlike meta[name], the same on every Python version
    return str(values[0]) if values else ""


def _app_icon() -> QIcon:
    icon = QApplication.windowIcon()
    if icon.isNull():  # the window icon is set by make_application, not by every caller
        with contextlib.suppress(FileNotFoundError):
            icon = QIcon(str(resource("icons/docket.svg")))
    return icon


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About {0}").format(APP_NAME))
        icon = QLabel()
        icon.setPixmap(_app_icon().pixmap(72, 72))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2>{APP_NAME} {__version__}</h2>")
        description = QLabel(
            self.tr(
                "An offline reader and annotator for case files: import PDFs and text, "
                "mark passages, write notes, tag, search and export."
            )
        )
        description.setWordWrap(True)
        offline = QLabel(
            "<b>"
            + self.tr("No network connections, ever.")
            + "</b> "
            + self.tr("Nothing you import leaves this computer.")
        )
        offline.setWordWrap(True)
        versions = QLabel(
            self.tr("Qt {0} · PySide6 {1} · Python {2}").format(
                qVersion(), PySide6.__version__, platform.python_version()
            )
        )
        versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        licence = QLabel(self.tr("Docket is free software under the GPL-3.0-or-later."))
        licence.setWordWrap(True)

        text = QVBoxLayout()
        for label in (title, description, offline, versions, licence):
            text.addWidget(label)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addLayout(text, 1)
        self.libraries = self._table(bundled_libraries())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # Fusion's stock Close icon is dark ink and vanishes on a dark palette.
        buttons.button(QDialogButtonBox.StandardButton.Close).setIcon(QIcon())
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(QLabel(self.tr("Bundled libraries:")))
        layout.addWidget(self.libraries, 1)
        layout.addWidget(buttons)
        self.resize(660, self.sizeHint().height())

    def _table(self, libraries: list[Library]) -> QTableWidget:
        table = QTableWidget(len(libraries), 3)
        table.setHorizontalHeaderLabels(
            [self.tr("Library"), self.tr("Version"), self.tr("Licence")]
        )
        for row, library in enumerate(libraries):
            cells = (
                library.name,
                library.version or self.tr("not installed"),
                library.licence or "—",
            )
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(row, column, item)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        # Sized to its rows: no scrolling for eight libraries, and no empty band below them.
        table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        return table
