"""Reading the audit log: what an entry says in a line, and a deleted mark to bring back.

Not the undo stack (see history.py): undo lives as long as the window and steps
back through this session's changes; the audit log is in the case for ever and
records every change anyone made, undos included (`Marking.audit_entries`).
A mark comes back from an entry's "before" through `Marking.restore_from_log`;
`mark_to_restore` is its check that the mark still has somewhere to stand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from docket.core.errors import CaseError, DocketError
from docket.core.model.audit import AuditEntry, mark_from_state
from docket.core.model.marks import Anchor, Mark
from docket.core.model.records import DocumentKind
from docket.core.storage import marks as markstore
from docket.core.text.anchoring import Quote, locate, quote_of

if TYPE_CHECKING:
    from docket.core.case import Case

_NOTE_CHARS = 40  # of a note quoted in a one-line summary


def mark_to_restore(case: Case, entry: AuditEntry) -> Mark:
    """The mark `entry`'s "before" holds, placed where its words stand in the document
    now: DocketError if the entry holds no mark, the mark is in the case already, its
    document is gone or its words are no longer in it."""
    if not _is_mark(entry.before):
        raise DocketError(
            f"entry {entry.id} ({entry.action}) holds no mark as it was before; "
            "choose the entry that removed the mark"
        )
    assert entry.before is not None
    try:
        mark = mark_from_state(entry.before, datetime.now(UTC))
    except (KeyError, TypeError, ValueError) as problem:
        raise DocketError(f"entry {entry.id} is damaged: {problem}") from None
    existing = markstore.mark_id_by_uuid(case.database.read(), mark.uuid)
    if existing is not None:
        raise DocketError(f"the mark of entry {entry.id} is in the case already (mark {existing})")
    try:
        document = case.document(mark.doc)
    except CaseError:
        raise DocketError(
            f"the mark of entry {entry.id} was on document {mark.doc}, which is no longer "
            "in the case"
        ) from None
    if mark.page is not None and not 1 <= mark.page <= document.page_count:
        raise DocketError(f"{document.title} has no page {mark.page} any more")
    if mark.anchor is None:
        return mark
    return _placed(case, mark, mark.anchor, document.kind is DocumentKind.PDF)


def _placed(case: Case, mark: Mark, anchor: Anchor, pdf: bool) -> Mark:
    """`mark` where its quote stands now: in place if the words there are the same,
    else where `locate` finds them (the text was read again since)."""
    pages = {page.number: page.text for page in case.pages(mark.doc)}
    fits = anchor.page in pages and anchor.end_page in pages
    if fits and quote_of(pages, anchor).exact.casefold() == mark.quote.casefold():
        return mark
    found = locate(pages, Quote(mark.quote, mark.prefix, mark.suffix), anchor)
    if found is None:
        raise DocketError(
            f"the words “{_short(mark.quote)}” are no longer in {case.document(mark.doc).title}"
        )
    rects = mark.rects
    if pdf:
        from docket.core.pdf.markrects import rects_for

        lengths = {number: len(text) for number, text in pages.items()}
        # The PDF the reader shows: an OCR'd page's words are in its rendition.
        rects = rects_for(case.pdf_path(mark.doc), case.password(mark.doc), found, lengths)
    return replace(mark, anchor=found, page=found.page, rects=rects)


def _is_mark(record: dict[str, Any] | None) -> bool:
    return record is not None and "uuid" in record and "kind" in record


def describe(entry: AuditEntry) -> str:
    """What an entry changed, in a line: "colour yellow → pink; tags +Issue/Torture"."""
    before, after = entry.before, entry.after
    if not _is_mark(before) and not _is_mark(after):  # a document's own tags
        old = (before or {}).get("tags", [])
        new = (after or {}).get("tags", [])
        return _tag_change(old, new) or "no change"
    if before is None or after is None:
        state = after if before is None else before
        assert state is not None
        what = [str(state.get("kind", "mark"))]
        if state.get("quote"):
            what.append(f"“{_short(str(state['quote']))}”")
        if state.get("note"):
            what.append(f"note “{_short(str(state['note']))}”")
        if state.get("tags"):
            what.append("tags " + ", ".join(map(str, state["tags"])))
        if _fact_date(state.get("fact")):
            what.append(f"dated {_fact_date(state.get('fact'))}")
        return " ".join(what)
    parts: list[str] = []
    if before.get("colour") != after.get("colour"):
        parts.append(f"colour {before.get('colour')} → {after.get('colour')}")
    if before.get("note") != after.get("note"):
        parts.append(
            f"note “{_short(str(before.get('note', '')))}” → “{_short(str(after.get('note', '')))}”"
        )
    tags = _tag_change(before.get("tags", []), after.get("tags", []))
    if tags:
        parts.append(tags)
    if before.get("range") != after.get("range") or before.get("page") != after.get("page"):
        parts.append(f"moved to page {after.get('page')}")
    if before.get("kind") != after.get("kind"):
        parts.append(f"now a {after.get('kind')}")
    parts += _fact_change(before.get("fact"), after.get("fact"))
    return "; ".join(parts) or "no change"


def _fact_date(fact: Any) -> str:
    """A fact's date as the user typed it (the chronology's; '' for none)."""
    if not isinstance(fact, dict) or not fact.get("date"):
        return ""
    return str(fact.get("date_text") or fact["date"])


def _fact_change(old: Any, new: Any) -> list[str]:
    """What changed of a fact: "date none → c. 2011", "status disputed → undisputed"."""
    parts: list[str] = []
    if _fact_date(old) != _fact_date(new):
        parts.append(f"date {_fact_date(old) or 'none'} → {_fact_date(new) or 'none'}")
    old_status = old.get("status", "") if isinstance(old, dict) else ""
    new_status = new.get("status", "") if isinstance(new, dict) else ""
    if old_status != new_status:
        parts.append(f"status {old_status or 'none'} → {new_status or 'none'}")
    return parts


def _tag_change(old: list[Any], new: list[Any]) -> str:
    added = [str(t) for t in new if t not in old]
    removed = [str(t) for t in old if t not in new]
    if not added and not removed:
        return ""
    return "tags " + " ".join([*(f"+{t}" for t in added), *(f"−{t}" for t in removed)])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _NOTE_CHARS else text[: _NOTE_CHARS - 1] + "…"
