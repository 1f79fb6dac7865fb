"""The OCR dialog says "read again" (and that marks are kept) only for a document OCR has read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from docket.app.dialogs.ocrlanguages import OcrLanguagesDialog
from docket.core.model.records import Document, DocumentKind, OcrState

SCAN = Document(
    id=1,
    kind=DocumentKind.PDF,
    title="Police report",
    author="",
    page_count=2,
    sha256="0" * 64,
    source_name="report.pdf",
    source_path="/scans/report.pdf",
    size=1000,
    imported_at=datetime(2026, 1, 5, tzinfo=UTC),
    created=None,
    modified=None,
    encoding="",
    flags=(),
)


def intro_text(qtbot: QtBot, document: Document) -> str:
    dialog = OcrLanguagesDialog(document, ["eng", "rus"], "eng")
    qtbot.addWidget(dialog)
    return dialog.findChildren(QLabel)[0].text()


def test_a_document_ocr_read_is_read_again_and_its_marks_kept(qtbot: QtBot) -> None:
    text = intro_text(qtbot, replace(SCAN, ocr=OcrState.DONE))
    assert text.startswith("Police report\n\n")
    assert "read again" in text
    assert "Marks whose words are still found are kept" in text


@pytest.mark.parametrize("state", [OcrState.SKIPPED, OcrState.PENDING, OcrState.FAILED])
def test_a_document_never_read_is_not_said_to_be_read_again(qtbot: QtBot, state: OcrState) -> None:
    text = intro_text(qtbot, replace(SCAN, ocr=state))
    assert "Every page is read in the languages ticked" in text
    assert "again" not in text
    assert "Marks" not in text
