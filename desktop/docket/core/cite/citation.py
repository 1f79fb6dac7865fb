"""`Citing` (`case.citing`): a mark or a selection as a quote with its pin cite.

    citation = case.citing.cite(mark, style="full")
    citation.text  ->  “the police fired” (Deposition of John Smith (“Smith Dep.”), at 12)

The quote is the stored text cleaned as Ctrl+C cleans it (core/text/anchoring
`readable`: hyphen breaks joined, whitespace squeezed); on a transcript page
(one with a line map) only the lines' own text is quoted, so line numbers
printed in the margin stay out, and the pin says page:line. Forms: see forms.py.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from docket.core.cite.forms import (
    CiteForm,
    PinPoint,
    cite_text,
    clean_quote,
    pin,
    quoted,
    with_bates,
)
from docket.core.errors import DocketError
from docket.core.model.changes import Changes, Delta
from docket.core.model.marks import Anchor, Mark, MarkKind
from docket.core.model.records import TextRange
from docket.core.storage import citing as store
from docket.core.storage.citing import LineMap
from docket.core.storage.documents import page_texts
from docket.core.text.anchoring import PAGE_JOIN, readable

if TYPE_CHECKING:
    from docket.core.case import Case

Style = Literal["short", "full"]
MAX_SHORT_TITLE = 200


@dataclass(frozen=True, slots=True)
class Selection:
    """Words selected in the reader: one range per page, in reading order."""

    doc: int
    ranges: tuple[TextRange, ...]


@dataclass(frozen=True, slots=True)
class Citation:
    doc: int
    quote: str  # cleaned, without the surrounding quote marks
    cite: str  # "Smith Dep. at 12"
    form: CiteForm
    pin: str  # "12", "12–13", "27:4–28:2"; "" for a document note
    page: int | None  # first page (1-based)
    end_page: int | None
    label: str  # the first page's own label
    lines: tuple[tuple[int, int], tuple[int, int]] | None = None  # (page, line) first, last
    mark: int | None = None

    @property
    def text(self) -> str:
        """“quote” (cite), as text/plain."""
        return quoted(self.quote, self.cite)

    @property
    def html(self) -> str:
        """The same as text/html, with Id. in italics as briefs set it."""
        cite = html.escape(self.cite, quote=False)
        if self.form is CiteForm.ID:
            cite = cite.replace("Id.", "<i>Id.</i>", 1)
        if not self.quote:
            return cite
        return f"\u201c{html.escape(self.quote, quote=False)}\u201d ({cite})"

    def as_json(self) -> dict[str, object]:
        """The shape of `docket cite --json`."""
        found: dict[str, object] = {
            "mark": self.mark,
            "quote": self.quote,
            "cite": self.cite,
            "doc": self.doc,
            "page": self.page,
            "label": self.label,
            "end_page": self.end_page,
            "pin": self.pin,
            "text": self.text,
        }
        if self.lines is not None:
            found["lines"] = [list(self.lines[0]), list(self.lines[1])]
        return found


class Citing:
    def __init__(self, case: Case) -> None:
        self._case = case

    # -- short titles ---------------------------------------------------------------

    def short_title(self, doc: int) -> str:
        """The document's short title; '' when none is set (cites use the title)."""
        self._case.document(doc)  # a clear error for a document that is not there
        return store.short_title(self._case.database.read(), doc)

    def short_titles(self) -> dict[int, str]:
        return store.short_titles(self._case.database.read())

    def set_short_title(self, doc: int, title: str) -> Changes:
        """Set (or with '' clear) the short title later cites use."""
        self._case.document(doc)
        clean = " ".join(title.split())
        if len(clean) > MAX_SHORT_TITLE:
            raise DocketError(f"a short title may have at most {MAX_SHORT_TITLE} characters")
        with self._case.database.write() as connection:
            store.set_short_title(connection, doc, clean)
        return Changes(documents=Delta.of(changed=[doc]))

    # -- Bates numbers (issue 18) ------------------------------------------------------

    def bates_number(self, doc: int, page: int) -> str | None:
        """The page's Bates number (issue 18): the latest production's, else the one
        printed on it when received; None when it has none."""
        from docket.core.storage import bates as batesstore

        return batesstore.page_label(self._case.database.read(), doc, page)

    # -- citing -------------------------------------------------------------------

    def cite(
        self,
        target: Mark | Selection,
        style: Style = "short",
        first_use: bool = False,
        previous: Citation | None = None,
    ) -> Citation:
        """The quote and its cite.

        `style="full"` or `first_use` gives the full form; else the short one, or
        Id. when `previous` (the cite made just before) is of the same document.
        """
        if style not in ("short", "full"):
            raise DocketError(f"unknown cite style {style!r}; use short or full")
        doc = target.doc
        document = self._case.document(doc)
        if isinstance(target, Mark):
            texts = self._texts(doc, target.anchor) if target.kind is MarkKind.HIGHLIGHT else {}
            ranges, mark = _mark_ranges(target, texts), target
        else:
            ranges, mark = list(target.ranges), None
            texts = {r.page: self._case.page(doc, r.page).text for r in ranges}
        form = self._form(doc, style, first_use, previous)
        if not ranges:  # a page note cites its page, a document note the document
            page = mark.page if mark is not None else None
            label = self._label(doc, page) if page else ""
            cite = cite_text(document.title, self.short_title(doc), label, form)
            return Citation(doc, "", cite, form, label, page, page, label, mark=_id(mark))
        first, last = ranges[0], ranges[-1]
        maps = store.line_maps(self._case.database.read(), doc, {r.page for r in ranges})
        quote = clean_quote(
            readable(PAGE_JOIN.join(_spoken(texts[r.page], r, maps) for r in ranges))
        )
        if mark is not None and not maps and mark.quote:
            quote = clean_quote(mark.quote)  # the words as they were marked
        labels = self._case.page_labels(doc)
        first_line = _line_at(maps.get(first.page), first.start)
        last_line = _line_at(maps.get(last.page), max(last.start, last.end - 1))
        lines = None
        if first_line is not None and last_line is not None:
            lines = ((first.page, first_line), (last.page, last_line))
        else:
            first_line = last_line = None
        pin_text = pin(
            PinPoint(labels.get(first.page) or str(first.page), first_line),
            PinPoint(labels.get(last.page) or str(last.page), last_line),
        )
        pin_text = with_bates(
            pin_text, self.bates_number(doc, first.page), self.bates_number(doc, last.page)
        )
        same_pin = form is CiteForm.ID and previous is not None and previous.pin == pin_text
        cite = cite_text(document.title, self.short_title(doc), "" if same_pin else pin_text, form)
        label = labels.get(first.page) or str(first.page)
        return Citation(
            doc, quote, cite, form, pin_text, first.page, last.page, label, lines, _id(mark)
        )

    def _form(self, doc: int, style: Style, first_use: bool, previous: Citation | None) -> CiteForm:
        if style == "full" or first_use:
            return CiteForm.FULL
        if previous is not None and previous.doc == doc:
            return CiteForm.ID
        return CiteForm.SHORT

    def _label(self, doc: int, page: int) -> str:
        return self._case.page_labels(doc).get(page) or str(page)

    def _texts(self, doc: int, anchor: Anchor | None) -> dict[int, str]:
        """The stored texts of the pages an anchor spans, in one query."""
        if anchor is None:
            return {}
        keys = [(doc, number) for number in range(anchor.page, anchor.end_page + 1)]
        found = page_texts(self._case.database.read(), keys)
        return {number: found.get((doc, number), "") for _, number in keys}


def _mark_ranges(mark: Mark, texts: dict[int, str]) -> list[TextRange]:
    """One range per page a highlight covers (none for a note)."""
    if mark.kind is not MarkKind.HIGHLIGHT or mark.anchor is None:
        return []
    return mark.anchor.ranges({number: len(text) for number, text in texts.items()})


def _id(mark: Mark | None) -> int | None:
    return mark.id if mark is not None else None


def _spoken(text: str, span: TextRange, maps: dict[int, LineMap]) -> str:
    """The selected text; on a transcript page only the parts inside its numbered lines."""
    lines = maps.get(span.page)
    if not lines:
        return text[span.start : span.end]
    parts = [
        text[max(start, span.start) : min(end, span.end)]
        for _, start, end in lines
        if start < span.end and end > span.start
    ]
    return "\n".join(parts)


def _line_at(lines: LineMap | None, offset: int) -> int | None:
    """The number of the line at `offset` (or the next one after it); None without a map."""
    if not lines:
        return None
    for number, _start, end in lines:
        if offset < end:
            return number
    return lines[-1][0]


class CiteSession:
    """Cites made one after another, as a brief makes them (the window keeps one per
    case): a document's first cite is full, later ones short, and one right after a
    cite of the same document is Id."""

    def __init__(self) -> None:
        self._cited: set[int] = set()
        self.last: Citation | None = None

    def cite(self, citing: Citing, target: Mark | Selection) -> Citation:
        citation = citing.cite(target, "short", target.doc not in self._cited, self.last)
        self._cited.add(target.doc)
        self.last = citation
        return citation

    def forget(self) -> None:
        self._cited.clear()
        self.last = None
