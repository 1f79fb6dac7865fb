"""The library's "Transcript (Page:Line)" tick: a document set as a transcript by hand,
or not, on the writer; the reader reads its line maps again when it is the one open."""

from __future__ import annotations

from PySide6.QtCore import QObject

from docket.app.kit.session import Session
from docket.app.reader.reader import ReaderPane
from docket.core.counts import count
from docket.core.errors import DocketError
from docket.core.model.changes import Changes
from docket.core.transcripts.service import pin_text


class TranscriptUi(QObject):
    def __init__(self, session: Session, reader: ReaderPane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.reader = reader
        reader.selectionChanged.connect(self._say_selected_lines)

    def is_transcript(self, doc: int) -> bool:
        case = self.session.case
        if case is None:
            return False
        try:
            return case.transcripts.is_transcript(doc)
        except DocketError:  # a document gone meanwhile: no tick
            return False

    def selected_lines(self) -> str:
        """Where the reader's selection stands on a transcript: "2:4–3:2"; '' elsewhere."""
        ranges = self.reader.selection()
        lines = self.reader.transcript
        if not ranges or not lines.maps:
            return ""
        first, last = ranges[0], ranges[-1]
        start = lines.line_at(first.page, first.start)
        end = lines.line_at(last.page, max(last.start, last.end - 1))
        if start is None or end is None:
            return ""
        labels = dict(enumerate(self.reader.labels, start=1))
        return pin_text(((first.page, start), (last.page, end)), labels)

    def _say_selected_lines(self) -> None:
        if where := self.selected_lines():
            self.session.say(f"Selected {where}", 4000)

    def set_transcript(self, doc: int, on: bool) -> None:
        case = self.session.require_case()
        self.session.writer.submit(
            case.transcripts.set,
            doc,
            on,
            on_result=lambda changes: self._done(doc, on, changes),
            on_error=lambda error: self.session.say(str(error), 8000),
            context=self,
        )

    def _done(self, doc: int, on: bool, changes: Changes) -> None:
        self.session.announce(changes)
        case = self.session.case
        if case is None:
            return
        if self.reader.document is not None and self.reader.document.id == doc:
            self.reader.reload_lines(case)
        document = case.document(doc)
        title = document.title
        if on:
            mapped = case.transcripts.line_maps(doc, range(1, document.page_count + 1))
            lines = count(len(mapped), "page")
            self.session.say(f"“{title}” is a transcript: line numbers on {lines}", 5000)
        else:
            self.session.say(f"“{title}” is not a transcript: cites give pages", 5000)
