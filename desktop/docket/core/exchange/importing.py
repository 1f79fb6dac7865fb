"""Importing W3C Web Annotations into a case: each mark found again, or said to be orphaned.

For each annotation: a uuid the case has already is skipped (importing twice
never duplicates); the document is found by the SHA-256 of its original;
a highlight's words are looked for where its position says, then by quote
and context on that page, then on any page of the document. Words that are
nowhere make the mark ORPHANED, with the reason: a mark is never attached to
other words than its own. The whole file is read and checked before the
first mark is written, so bad input leaves the case as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.errors import CaseError, DocketError
from docket.core.exchange.parse import ParsedAnnotation, read_annotations
from docket.core.model.marks import Anchor, Mark
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.text.anchoring import check_anchor, locate, quote_of

if TYPE_CHECKING:
    from docket.core.case import Case


@dataclass(frozen=True, slots=True)
class Orphan:
    uuid: str
    quote: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"id": f"urn:uuid:{self.uuid}", "quote": self.quote, "reason": self.reason}


@dataclass(slots=True)
class ImportMarksReport:
    imported: list[Mark] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # uuids the case had already
    orphans: list[Orphan] = field(default_factory=list)
    moved: int = 0  # found again by quote, elsewhere than their position said

    def as_json(self) -> dict[str, object]:
        return {
            "imported": len(self.imported),
            "duplicates": len(self.duplicates),
            "orphaned": len(self.orphans),
            "moved": self.moved,
            "orphans": [orphan.as_json() for orphan in self.orphans],
        }


class _Pages:
    """A document's page texts, read page by page while a position still fits."""

    def __init__(self, case: Case, doc: int) -> None:
        self._case, self._doc = case, doc
        self.count = case.document(doc).page_count
        self._texts: dict[int, str] = {}
        self._all = False

    def text(self, number: int) -> str | None:
        if not 1 <= number <= self.count:
            return None
        if number not in self._texts:
            self._texts[number] = self._case.page(self._doc, number).text
        return self._texts[number]

    def every(self) -> dict[int, str]:
        if not self._all:
            self._texts = {page.number: page.text for page in self._case.pages(self._doc)}
            self._all = True
        return self._texts


def find_words(pages: _Pages, parsed: ParsedAnnotation) -> Anchor | None:
    """Where the quoted words stand now: at the position, on its page, or anywhere."""
    assert parsed.quote is not None
    quote, hint = parsed.quote, parsed.position
    if hint is not None and hint.page != hint.end_page:
        texts = {n: pages.text(n) for n in range(hint.page, hint.end_page + 1)}
        known = {n: text for n, text in texts.items() if text is not None}
        try:
            check_anchor({n: len(text) for n, text in known.items()}, hint)
        except DocketError:
            pass
        else:
            if quote_of(known, hint).exact.casefold() == quote.exact.casefold():
                return hint
        hint = Anchor(hint.page, hint.start, hint.page, hint.start)  # near there, if anywhere
    page = hint.page if hint is not None else parsed.page
    text = pages.text(page) if page is not None else None
    if text is not None:
        found = locate({page: text}, quote, hint)  # type: ignore[dict-item]
        if found is not None:
            return found
    return locate(pages.every(), quote, hint)


def import_web_annotations(
    case: Case,
    path: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ImportMarksReport:
    if case.readonly:
        raise CaseError("the case is open read-only; marks cannot be imported into it")
    parsed = read_annotations(path)  # raises before any change
    report = ImportMarksReport()
    known = {mark.uuid for mark in case.marking.marks()}
    documents: dict[str, int | None] = {}
    pages: dict[int, _Pages] = {}
    marking = case.marking
    index_at_once, marking.index_at_once = marking.index_at_once, False  # one sync at the end
    try:
        for done, item in enumerate(parsed, start=1):
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(Progress(done - 1, len(parsed), 0, item.uuid))
            if item.uuid in known:
                report.duplicates.append(item.uuid)
                continue
            sha = item.sha256 or ""
            if sha not in documents:
                documents[sha] = case.document_with_sha(sha) if sha else None
            doc = documents[sha]
            if doc is None:
                report.orphans.append(
                    Orphan(item.uuid, _quote(item), f"document not in this case ({item.source})")
                )
                continue
            made = _attach(case, doc, item, pages.setdefault(doc, _Pages(case, doc)), report)
            if made is not None:
                known.add(made.uuid)
                report.imported.append(made)
        progress(Progress(len(parsed), len(parsed), 0))
    finally:
        marking.index_at_once = index_at_once
        if index_at_once and report.imported:
            marking.sync_index()
    return report


def _quote(item: ParsedAnnotation) -> str:
    return item.quote.exact if item.quote else ""


def _attach(
    case: Case, doc: int, item: ParsedAnnotation, pages: _Pages, report: ImportMarksReport
) -> Mark | None:
    reason = None
    anchor = find_words(pages, item) if item.quote is not None else None
    if item.quote is not None and anchor is None:
        reason = f"the quoted words are no longer anywhere in {case.document(doc).title!r}"
    elif item.quote is None and item.page is not None and not 1 <= item.page <= pages.count:
        reason = f"{case.document(doc).title!r} has no page {item.page}"
    elif item.quote is None and not item.note.strip():
        reason = "it has neither quoted words nor a note"
    if reason is not None:
        report.orphans.append(Orphan(item.uuid, _quote(item), reason))
        return None
    try:
        if anchor is None:
            return case.marking.add_note(
                doc,
                item.note,
                page=item.page,
                tags=item.tags,
                author=item.author,
                colour=item.colour,
                uuid=item.uuid,
                created=item.created,
            )
        made = case.marking.highlight(
            doc,
            anchor,
            colour=item.colour,
            note=item.note,
            tags=item.tags,
            author=item.author,
            uuid=item.uuid,
            created=item.created,
        )
        report.moved += item.position is not None and anchor != item.position
        return made
    except CaseError:
        raise
    except DocketError as problem:  # a tag or a note this case cannot take
        report.orphans.append(Orphan(item.uuid, _quote(item), str(problem)))
        return None
