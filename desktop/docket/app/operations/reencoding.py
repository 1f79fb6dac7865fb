"""Re-reading a text document in another encoding from the window.

Document → Re-read as Encoding… asks which encoding (the window opens the
dialog, app/dialogs/encoding.py); this controller runs `Case.reencode` on the
session's writer thread (behind an import, if one runs), announces the
document's and its marks' `Changes`, and says in the status bar how many
highlights were kept and which were orphaned. An encoding that does not fit
the file leaves the case as it was and says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from docket.app.kit.session import Session
from docket.core.model.changes import Changes

if TYPE_CHECKING:  # charset detection loads when a document is re-read, not with the window
    from docket.core.ingest.reencode import Reencoded


def summary(result: Reencoded) -> str:
    """What re-reading did, in one line."""
    line = f"Re-read as {result.encoding}"
    if result.unchanged:
        line += " (the text is the same)"
    marks = len(result.kept) + len(result.orphaned)
    if marks:
        line += f"; {len(result.kept)} of {marks} highlights kept"
    if result.orphaned:
        quotes = ", ".join(f"\u201c{orphan.quote[:40]}\u201d" for orphan in result.orphaned[:3])
        more = ", …" if len(result.orphaned) > 3 else ""
        line += f"; {len(result.orphaned)} orphaned, now page notes: {quotes}{more}"
    return line


class ReencodeController(QObject):
    """Re-reads documents; `reencoded` carries the result once the case has it."""

    reencoded = Signal(object)  # Reencoded
    failed = Signal(str)  # why the document was not re-read

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session

    def reencode(self, doc_id: int, encoding: str) -> None:
        case = self._session.case
        if case is None:
            return
        self._session.say(f"Reading the document again as {encoding}…")

        def done(outcome: tuple[Reencoded, Changes]) -> None:
            result, changes = outcome
            self._session.announce(changes)
            self._session.say(summary(result), 15000)
            self.reencoded.emit(result)

        def failed(problem: BaseException) -> None:
            message = f"Not re-read as {encoding}: {problem}. The document is unchanged."
            self._session.say(message, 15000)
            self.failed.emit(message)

        self._session.writer.submit(
            case.reencode, doc_id, encoding, on_result=done, on_error=failed, context=self
        )
