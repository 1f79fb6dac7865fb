"""Marks on a PDF's pages: the data, and where on the page each one is drawn.

Marks stay data (`TextRange`, `MarkStyle`) until a page is painted; only
then are their rectangles asked of QtPdf (`selection_rects`, a few ms per
range) and kept, in points, so zooming and scrolling cost nothing more.
Find-as-you-type sets the marks again on every key, so rectangles are kept
per range, not per mark list: the ranges that stay do not cost again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from PySide6.QtPdf import QPdfDocument

from docket.app.reader.overlays import Style
from docket.core.model.records import TextRange
from docket.core.pdf.geometry import Rect, selection_rects

Mark = tuple[TextRange, Style]


class MarkGeometry:
    def __init__(self) -> None:
        self._document: QPdfDocument | None = None
        self._by_page: dict[int, list[Mark]] = {}
        self._rects: dict[TextRange, list[Rect]] = {}

    def set_document(self, document: QPdfDocument | None) -> None:
        self._document = document
        self._by_page.clear()
        self._rects.clear()

    def set_marks(
        self, marks: Iterable[Mark], known: dict[TextRange, list[Rect]] | None = None
    ) -> None:
        """`known`: rectangles already at hand (a highlight keeps its own), not asked again."""
        if known:
            self._rects.update(known)
        self._by_page = {}
        for mark in marks:
            self._by_page.setdefault(mark[0].page, []).append(mark)

    def on_page(self, page: int) -> Sequence[Mark]:
        return self._by_page.get(page, ())

    def known_rects(self, text_range: TextRange) -> list[Rect] | None:
        """The range's rectangles if already computed; None if not yet."""
        return self._rects.get(text_range)

    def rects(self, text_range: TextRange) -> list[Rect]:
        """The range's rectangles in page points, computed now if need be."""
        rects = self._rects.get(text_range)
        if rects is None:
            document = self._document
            rects = (
                selection_rects(document, text_range.page, text_range.start, text_range.end)
                if document is not None
                else []
            )
            self._rects[text_range] = rects
        return rects

    def prepare(self, pages: Iterable[int], budget_s: float) -> bool:
        """Computes the rectangles of the marks on `pages` for up to `budget_s`.

        True when all are ready; False when time ran out (paint again later),
        so a page with hundreds of hits never freezes the view in one go.
        """
        deadline = time.perf_counter() + budget_s
        for page in pages:
            for text_range, _ in self._by_page.get(page, ()):
                if text_range not in self._rects:
                    if time.perf_counter() > deadline:
                        return False
                    self.rects(text_range)
        return True
