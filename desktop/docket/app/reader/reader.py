"""The reader: a PDF or text document in one pane, with find, marks and history.

Both views share one small interface (pages, zoom, marks, reveal), so the
window treats them alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QHelpEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QLabel, QStackedWidget, QToolTip, QVBoxLayout, QWidget

from docket.app.reader.findbar import FindBar
from docket.app.reader.highlightlayer import HighlightLayer
from docket.app.reader.overlays import MarkStyle, Style
from docket.app.reader.pdfselection import PdfTextSelector
from docket.app.reader.pdfview import FitMode, PdfPageView
from docket.app.reader.transcriptlines import TranscriptLines, parse_page_line
from docket.core.case import Case
from docket.core.model.marks import Anchor, Mark, MarkRect
from docket.core.model.records import Document, DocumentKind, SearchHit, TextRange
from docket.core.pdf.markrects import anchor_rects

if TYPE_CHECKING:  # loaded by the text_view property, when a text document is shown
    from docket.app.reader.textview import TextPageView

FLASH_MS = 1200  # how long a mark opened from a panel stays outlined


@dataclass(frozen=True)
class Place:
    doc: int
    page: int


class ReaderPane(QWidget):
    pageChanged = Signal(int)
    zoomChanged = Signal(float)
    documentOpened = Signal(object)  # Document
    historyChanged = Signal()
    selectionChanged = Signal()
    markClicked = Signal(object)  # Mark: a highlight clicked in the page
    contextMenuWanted = Signal(QPoint, object, int)  # global position, Mark or None, page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf_view = PdfPageView()
        self._text_view: TextPageView | None = None  # see text_view
        self.placeholder = QLabel("Open a document from the library, or search the case.")
        self.placeholder.setEnabled(False)
        self.placeholder.setMargin(24)
        self.stack = QStackedWidget()
        for widget in (self.placeholder, self.pdf_view):
            self.stack.addWidget(widget)
        self.pdf_view.set_fit(FitMode.WIDTH)  # a page read whole, as readers open them
        self.find_bar = FindBar()
        self.find_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.find_bar)

        self.document: Document | None = None
        self._shown: Path | None = None  # the PDF file shown: the original or OCR's rendition
        self.labels: list[str] = []
        self._pdf: QPdfDocument | None = None
        self._hit_marks: list[tuple[TextRange, Style]] = []
        self._find_marks: list[tuple[TextRange, Style]] = []
        self.highlights = HighlightLayer()
        self._texts: list[str] = []
        self.transcript = TranscriptLines()  # line maps: Ctrl+G to 27:4, numbers shown
        self.selector = PdfTextSelector(self.pdf_view)
        self.selector.selectionChanged.connect(self._selection_changed)
        self.selector.clicked.connect(self._pdf_clicked)
        self.selector.contextRequested.connect(self._pdf_context)
        self.selector.hovered.connect(self._pdf_hovered)
        self._flash = QTimer(self, singleShot=True, interval=FLASH_MS)
        self._flash.timeout.connect(self._end_flash)
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self.pdf_view.pageChanged.connect(self.pageChanged)
        self.pdf_view.zoomChanged.connect(self.zoomChanged)
        self.find_bar.matchesChanged.connect(self._show_find_matches)
        self.find_bar.currentMatchChanged.connect(self._reveal_match)

    @property
    def text_view(self) -> TextPageView:
        """The view of text documents, made when one is first shown: its code and
        widgets (~10 ms) wait, at a start on a PDF, until after its first page."""
        if self._text_view is None:
            from docket.app.reader.textview import TextPageView

            view = self._text_view = TextPageView()
            self.stack.addWidget(view)
            view.pageChanged.connect(self.pageChanged)
            view.zoomChanged.connect(self.zoomChanged)
            view.selectionChanged.connect(self.selectionChanged)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(self._text_context)
            view.viewport().installEventFilter(self)  # notes shown on hover
        return self._text_view

    # -- documents ---------------------------------------------------------------

    @property
    def view(self) -> PdfPageView | TextPageView:
        if self.document is not None and self.document.kind is DocumentKind.TEXT:
            return self.text_view
        return self.pdf_view

    @property
    def pdf_document(self) -> QPdfDocument | None:
        return self._pdf

    def open_document(self, case: Case, doc_id: int, page: int = 1) -> None:
        """Show a document of the case at a page, remembering where we were."""
        self._remember_here()
        if self.document is None or self.document.id != doc_id:
            self._load(case, doc_id)
        self.view.go_to_page(page)

    def _load(self, case: Case, doc_id: int) -> None:
        document = case.document(doc_id)
        pages = case.pages(doc_id)
        self.document = document
        self.labels = [page.label for page in pages]
        self._texts = [page.text for page in pages]
        self.transcript.load(case, doc_id, self._texts)
        self._hit_marks, self._find_marks = [], []
        self.highlights.set_marks([], {})
        self.selector.set_texts(self._texts)
        if document.kind.shown_as_pdf:  # an image through its rendition
            old, self._pdf = self._pdf, QPdfDocument(self)
            password = case.password(doc_id)
            if password:
                self._pdf.setPassword(password)
            self._shown = case.pdf_path(doc_id)  # OCR's rendition if any
            self._pdf.load(str(self._shown))
            self.pdf_view.set_document(self._pdf, self.labels)
            if self._text_view is not None:
                self._text_view.set_pages([], [])
            if old is not None:
                old.deleteLater()
            self.stack.setCurrentWidget(self.pdf_view)
        else:
            self._shown = None
            self.text_view.set_pages([page.text for page in pages], self.labels)
            self.transcript.mark_numbers(self.text_view)
            self.pdf_view.set_document(None)
            self.stack.setCurrentWidget(self.text_view)
        self.find_bar.set_pages([page.text for page in pages])
        self.documentOpened.emit(document)

    def reload_lines(self, case: Case) -> None:
        """Read the open document's line maps again (set as a transcript, or not, by hand),
        at the same page."""
        if self.document is None:
            return
        self.transcript.load(case, self.document.id, self._texts)
        if self.view is self._text_view:
            page = self.current_page()
            self.text_view.set_pages(self._texts, self.labels)
            self.transcript.mark_numbers(self.text_view)
            self.text_view.go_to_page(page)
            self._apply_marks()

    def reload(self, case: Case) -> bool:
        """Load the open document again if OCR gave it new text or a new rendition,
        at the same page and zoom; history is kept. False if nothing changed."""
        if self.document is None:
            return False
        doc_id = self.document.id
        texts = [page.text for page in case.pages(doc_id)]
        shown = case.pdf_path(doc_id) if self.document.kind.shown_as_pdf else None
        if texts == self._texts and shown == self._shown:
            return False  # nothing to see: the reader's place, find and selection stay
        page, fit, zoom = self.current_page(), self.pdf_view.fit(), self.pdf_view.zoom()
        hits, found = self._hit_marks, self.find_bar.current_match()
        self._load(case, self.document.id)  # finds again what the find bar holds
        if self.view is self.pdf_view:
            if fit is FitMode.NONE:
                self.pdf_view.set_zoom(zoom)
            else:
                self.pdf_view.set_fit(fit)
        # The search's hits until it runs again over the new text, and the match the
        # find bar was on: a reload is no new search.
        self._hit_marks = hits
        self._apply_marks()
        if found is not None:
            self.find_bar.select_match(found)  # outlined again, and revealed: scrolled to
        # Last, so the reader is where it was, not at that match: a reload is no jump.
        self.view.go_to_page(min(max(page, 1), self.document.page_count))
        return True

    def close_document(self) -> None:
        self.document = None
        self._texts = []
        self.transcript.clear()
        self.highlights.set_marks([], {})
        self.selector.set_texts([])
        self.pdf_view.set_document(None)
        if self._text_view is not None:
            self._text_view.set_pages([], [])
        self.find_bar.set_pages([])
        self.stack.setCurrentWidget(self.placeholder)
        self._back.clear()
        self._forward.clear()
        self.historyChanged.emit()

    # -- pages -------------------------------------------------------------------

    def current_page(self) -> int:
        return self.view.current_page() if self.document else 0

    def go_to_page(self, number: int) -> None:
        if self.document and 1 <= number <= self.document.page_count:
            self._remember_here()
            self.view.go_to_page(number)

    def go_to_line(self, typed: str) -> TextRange | None:
        """Go to "27:4" (page number or label, line) on a transcript and outline the line;
        None when `typed` is no page:line of this document (the page box then tries a page)."""
        wanted = parse_page_line(typed)
        page = self.page_for(wanted[0]) if wanted else None
        span = self.transcript.span(page, wanted[1]) if wanted and page else None
        if span is None:
            return None
        self.reveal(span)
        self._flash.start()
        return span

    def page_for(self, typed: str) -> int | None:
        """The page a user means by `typed`: the PDF's own label first, then a number."""
        typed = typed.strip()
        if typed in self.labels:
            return self.labels.index(typed) + 1
        lowered = [label.lower() for label in self.labels]
        if typed.lower() in lowered:
            return lowered.index(typed.lower()) + 1
        if typed.isdigit() and 1 <= int(typed) <= len(self.labels):
            return int(typed)
        return None

    def label_of(self, number: int) -> str:
        return self.labels[number - 1] if 0 < number <= len(self.labels) else str(number)

    # -- zoom --------------------------------------------------------------------

    def fit_width(self) -> None:
        if self.view is self.pdf_view:
            self.pdf_view.set_fit(FitMode.WIDTH)
        else:  # a text view always fits its width; "fit" means the normal size
            self.text_view.set_zoom(1.0)

    def fit_page(self) -> None:
        if self.view is self.pdf_view:
            self.pdf_view.set_fit(FitMode.PAGE)
        else:
            self.text_view.set_zoom(1.0)

    # -- marks -------------------------------------------------------------------

    def set_search_hits(self, hits: Sequence[SearchHit]) -> None:
        """Mark every hit of the query on this document's pages."""
        doc = self.document.id if self.document else None
        self._hit_marks = [
            (TextRange(hit.page, start, end), MarkStyle.SEARCH_HIT)
            for hit in hits
            if hit.doc == doc
            for start, end in hit.hits
        ]
        self._apply_marks()

    def reveal(self, text_range: TextRange) -> None:
        self._remember_here()
        self.view.reveal(text_range)

    def _show_find_matches(self, matches: list[TextRange]) -> None:
        self._find_marks = [(match, MarkStyle.FIND_MATCH) for match in matches]
        self._apply_marks()

    def _reveal_match(self, match: TextRange | None) -> None:
        if match is not None:
            self.view.reveal(match)

    def _apply_marks(self) -> None:
        # Highlights first, so that hits and the selection are drawn over them.
        selection = [(r, MarkStyle.SELECTION) for r in self.selector.ranges]
        marks = [*self.highlights.styled, *self._hit_marks, *self._find_marks]
        if self.view is self.pdf_view:
            self.pdf_view.set_marks([*marks, *selection], self.highlights.known_rects)
        else:
            self.text_view.set_marks(marks)

    # -- highlights and the selection ---------------------------------------------

    def page_lengths(self) -> dict[int, int]:
        return {number: len(text) for number, text in enumerate(self._texts, 1)}

    def page_text(self, number: int) -> str:
        return self._texts[number - 1] if 1 <= number <= len(self._texts) else ""

    def set_highlights(self, marks: list[Mark]) -> None:
        """The open document's marks, drawn in their colours (others are ignored)."""
        doc = self.document.id if self.document else None
        self.highlights.set_marks([m for m in marks if m.doc == doc], self.page_lengths())
        self.pdf_view.set_note_badges(self.highlights.badges)
        self.pdf_view.set_redactions(self.highlights.redactions)
        self._apply_marks()

    def selection(self) -> list[TextRange]:
        """What is selected, as ranges of the stored page texts (one per page)."""
        if self.document is None:
            return []
        if self.view is self.pdf_view:
            return list(self.selector.ranges)
        return self.text_view.selected_ranges()

    def anchor_rects(self, anchor: Anchor) -> tuple[MarkRect, ...] | None:
        """A highlight's rectangles, from the PDF already open (None for text): the
        same that the core computes when it opens the original itself."""
        if self._pdf is None or self.view is not self.pdf_view:
            return None
        return anchor_rects(self._pdf, anchor, self.page_lengths())

    def clear_selection(self) -> None:
        self.selector.clear()
        if self._text_view is not None:
            self._text_view.clear_selection()

    def select(self, ranges: list[TextRange]) -> None:
        """Select ranges programmatically (tests, find → highlight)."""
        if self.view is self.pdf_view:
            self.selector.select(ranges)
        elif ranges:
            cursor = self.text_view.range_cursor(ranges[0])
            last = self.text_view.range_cursor(ranges[-1])
            cursor.setPosition(last.selectionEnd(), cursor.MoveMode.KeepAnchor)
            self.text_view.setTextCursor(cursor)

    def show_mark(self, mark: Mark) -> None:
        """Bring a mark into view and outline it for a moment."""
        span = self.highlights.first_range(mark, self.page_lengths())
        if span is None:
            self.view.go_to_page(mark.page or 1)
            return
        self.reveal(span)
        self._flash.start()

    def show_area(self, page: int, rect: tuple[float, float, float, float]) -> None:
        """Bring a place on a PDF page into view and outline it for a moment: where
        a form field whose value a search found sits."""
        if self.view is not self.pdf_view:
            self.view.go_to_page(page)
            return
        self._remember_here()
        self.pdf_view.show_area(page, rect)
        self._flash.start()

    def _end_flash(self) -> None:
        view = self.view
        view.clear_current()

    def _selection_changed(self) -> None:
        self._apply_marks()
        self.selectionChanged.emit()

    def _pdf_clicked(self, page: int, point: QPointF) -> None:
        mark = self.highlights.at_point(page, point)
        if mark is not None:
            self.markClicked.emit(mark)

    def _pdf_context(self, page: int, point: QPointF, where: QPoint) -> None:
        self.contextMenuWanted.emit(where, self.highlights.at_point(page, point), page)

    def _pdf_hovered(self, page: int, point: QPointF, where: QPoint) -> None:
        mark = self.highlights.at_point(page, point)
        if mark is not None and mark.note:
            QToolTip.showText(where, _tooltip(mark), self.pdf_view.viewport())
        elif QToolTip.isVisible():
            QToolTip.hideText()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._text_view is not None
            and watched is self._text_view.viewport()
            and event.type() == QEvent.Type.ToolTip
            and isinstance(event, QHelpEvent)
        ):
            mark = self.highlights.at_offset(*self.text_view.range_at(event.pos()))
            if mark is not None and mark.note:
                QToolTip.showText(event.globalPos(), _tooltip(mark), self.text_view.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def _text_context(self, position: QPoint) -> None:
        page, offset = self.text_view.range_at(position)
        mark = self.highlights.at_offset(page, offset)
        self.contextMenuWanted.emit(self.text_view.viewport().mapToGlobal(position), mark, page)

    # -- history -----------------------------------------------------------------

    def _remember_here(self) -> None:
        if self.document is None:
            return
        here = Place(self.document.id, self.current_page())
        if not self._back or self._back[-1] != here:
            self._back.append(here)
        self._forward.clear()
        self.historyChanged.emit()

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def go_back(self, case: Case) -> None:
        self._travel(case, self._back, self._forward)

    def go_forward(self, case: Case) -> None:
        self._travel(case, self._forward, self._back)

    def _travel(self, case: Case, source: list[Place], destination: list[Place]) -> None:
        if not source or self.document is None:
            return
        destination.append(Place(self.document.id, self.current_page()))
        place = source.pop()
        if place.doc != self.document.id:
            self._load(case, place.doc)
        self.view.go_to_page(place.page)
        self.historyChanged.emit()


def _tooltip(mark: Mark) -> str:
    from html import escape

    tags = f"<br><i>{escape(', '.join(mark.tags))}</i>" if mark.tags else ""
    return f"<p style='white-space:pre-wrap'>{escape(mark.note)}{tags}</p>"
