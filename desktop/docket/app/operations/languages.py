"""A document's language from the window: the library's "Language…" entry.

The user picks a language (or types an ISO 639-1 code); the document is
re-indexed with it on the session's writer thread (behind an import, if one
runs), and the session announces the document changed. A language that is not
one is refused with a message, and the case stays as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from docket.app.kit.session import Session
from docket.core.model.changes import Changes, Delta
from docket.core.model.records import Document
from docket.core.text.languages import NAMES, language_name, normalize_language

UNKNOWN = "Unknown (stemmed as English)"


def language_choices() -> list[str]:
    """What the dialog offers: unknown, then "Russian (ru)" and the like, by name."""
    named = sorted((name, code) for code, name in NAMES.items())
    return [UNKNOWN, *(f"{name} ({code})" for name, code in named)]


def choice_language(choice: str) -> str:
    """The ISO 639-1 code of a dialog choice, or of what the user typed instead
    ("kk", "Kazakh"); ValueError when it names no language."""
    text = choice.strip()
    if text == UNKNOWN:
        return ""
    if text.endswith(")") and "(" in text:
        text = text[text.rindex("(") + 1 : -1]
    return normalize_language(text)


def choice_of(document: Document) -> str:
    if not document.language:
        return UNKNOWN
    return f"{language_name(document.language)} ({document.language})"


class LanguageController(QObject):
    """Shows and sets documents' languages; dialogs open over `parent`."""

    languageSet = Signal(object)  # Document: after its pages were indexed again

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent

    def choose(self, doc_id: int) -> None:
        """Ask which language document `doc_id` is in, and set it."""
        case = self._session.case
        if case is None:
            return
        document = case.document(doc_id)
        choices = language_choices()
        current = choice_of(document)
        if current not in choices:
            choices.insert(1, current)  # a detected language without a name here
        how = "chosen by you" if document.language_set else "detected from its text"
        choice, accepted = QInputDialog.getItem(
            self._parent,
            "Document Language",
            f"{document.title or document.source_name}\n\n"
            f"Its words are stemmed by its language (now {language_name(document.language)}, "
            f"{how}), so that a word is found by its other forms. Pick one, or type a "
            "two-letter code:",
            choices,
            choices.index(current),
            True,  # editable: any ISO 639-1 code
        )
        if not accepted:
            return
        try:
            code = choice_language(choice)
        except ValueError as problem:
            self._session.say(str(problem), 10000)
            return
        self.set_language(doc_id, code)

    def set_language(self, doc_id: int, code: str) -> None:
        """Set the language and re-index the document on the writer thread."""
        case = self._session.case
        if case is None:
            return
        self._session.say(f"Indexing the document again as {language_name(code)}…")

        def done(document: Document) -> None:
            self._session.announce(Changes(documents=Delta.of(changed=[doc_id])))
            self._session.say(
                f"{document.title or document.source_name}: {language_name(code)}", 8000
            )
            self.languageSet.emit(document)

        def failed(problem: BaseException) -> None:
            self._session.say(f"The language was not changed: {problem}", 10000)

        self._session.writer.submit(
            case.set_language, doc_id, code, on_result=done, on_error=failed, context=self
        )
