"""The About dialog names every bundled library with its version and licence."""

from __future__ import annotations

import importlib.metadata as metadata

import pytest
from PySide6.QtWidgets import QLabel

from docket import APP_NAME, __version__
from docket.app.dialogs.about import BUNDLED, AboutDialog, bundled_libraries

NAMES = [
    "PySide6-Essentials",
    "PySide6-Pdf",
    "pypdf",
    "whoosh-reloaded",
    "PyStemmer",
    "cryptography",
    "charset-normalizer",
    "platformdirs",
    "tqdm",
]


def table_rows(dialog: AboutDialog) -> list[list[str]]:
    table = dialog.libraries
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_every_bundled_library_is_listed_with_version_and_licence(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = table_rows(dialog)
    assert [row[0] for row in rows] == NAMES
    for name, version, licence in rows:
        assert version == metadata.version(name)
        assert licence and licence != "—", name
    licences = {row[0]: row[2] for row in rows}
    assert "LGPL-3.0" in licences["PySide6-Pdf"] and "PDFium" in licences["PySide6-Pdf"]
    assert "BSD-3-Clause" in licences["PySide6-Pdf"]
    assert "BSD" in licences["pypdf"] and "MIT" in licences["platformdirs"]


def test_it_says_what_docket_is_and_that_it_never_goes_online(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert APP_NAME in text and __version__ in text
    assert "No network connections, ever." in text
    assert "Qt 6." in text and "PySide6 6." in text and "Python 3." in text


def test_a_missing_package_is_shown_as_missing(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("docket.app.dialogs.about.BUNDLED", (*BUNDLED, ("no-such-package", "")))
    libraries = bundled_libraries()
    assert libraries[-1].name == "no-such-package" and not libraries[-1].installed
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert table_rows(dialog)[-1] == ["no-such-package", "not installed", "—"]
