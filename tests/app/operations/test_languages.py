"""Setting a document's language from the window: the library's "Language…" entry asks,
the document is indexed again on the writer thread, and the session announces it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from docket.app.operations.languages import (
    UNKNOWN,
    choice_language,
    language_choices,
)
from docket.app.window.mainwindow import MainWindow
from docket.core.model.changes import Changes
from tests.app.window.test_mainwindow import import_through_window, open_new_case

RUSSIAN = (
    "Адвокаты рабочих подали жалобу в прокуратуру. Суд отказал в рассмотрении жалобы, "
    "и защита рабочих обратилась в вышестоящую инстанцию с новым заявлением."
)


def test_the_choices_and_what_they_mean() -> None:
    choices = language_choices()
    assert choices[0] == UNKNOWN
    assert "Russian (ru)" in choices and "Kazakh (kk)" in choices
    assert choice_language("Russian (ru)") == "ru"
    assert choice_language(UNKNOWN) == ""
    assert choice_language(" kk ") == "kk"  # typed instead of picked
    with pytest.raises(ValueError, match="not a language"):
        choice_language("Elvish")


def _russian_document(qtbot, window: MainWindow, tmp_path: Path) -> int:
    open_new_case(window, tmp_path)
    path = tmp_path / "жалоба.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    assert import_through_window(qtbot, window, [path]).count("imported") == 1
    case = window.session.require_case()
    (document,) = case.documents()
    assert document.language == "ru"
    return document.id


def _found(window: MainWindow, query: str) -> int:
    return window.session.require_case().search(query).total


def test_the_library_menu_sets_the_language_and_reindexes(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _russian_document(qtbot, window, tmp_path)
    assert _found(window, "рабочие") == 1
    asked: list[tuple[list[str], int]] = []

    def pick(parent, title, label, items, current, editable):
        asked.append((list(items), current))
        return "Kazakh (kk)", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    entry = next(a for a in window.library.context_menu(doc).actions() if a.text() == "Language…")
    announced: list[Changes] = []
    window.session.changed.connect(announced.append)
    with qtbot.waitSignal(window.languages.languageSet, timeout=10_000) as done:
        entry.trigger()
    items, current = asked[0]
    assert items[current] == "Russian (ru)"  # the dialog opens on the present language
    assert done.args[0].language == "kk" and done.args[0].language_set
    assert any(doc in changes.documents.changed for changes in announced)
    case = window.session.require_case()
    assert case.document(doc).language == "kk"
    assert _found(window, "рабочие") == 0  # Kazakh: not stemmed
    assert _found(window, "рабочих") == 1


def test_a_language_that_is_not_one_changes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _russian_document(qtbot, window, tmp_path)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *args: ("Elvish", True)))
    window.languages.choose(doc)
    assert "not a language" in window.statusBar().currentMessage()
    case = window.session.require_case()
    assert (case.document(doc).language, case.document(doc).language_set) == ("ru", False)
    assert _found(window, "рабочие") == 1
