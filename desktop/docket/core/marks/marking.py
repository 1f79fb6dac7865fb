"""`Marking`: highlights, notes and tags of one open case (`case.marking`).

Every change is one transaction, on disk when the call returns; the search
index follows (see markrecords). Each change hands its `Changes` (which
marks, tags and documents' tags were added, changed or removed) to the
listeners, so that views update what changed instead of reloading. Mark
changes return the marks as they were and are; tag actions return a
`TagEdit` with the tags everything they touched carried before. That is all
undo needs (see history).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from docket.core.errors import CaseError, DocketError
from docket.core.model.audit import AuditAction, AuditEntry
from docket.core.model.changes import Changes, Delta, TagEdit
from docket.core.model.colours import COLOUR_KEYS, DEFAULT_COLOUR
from docket.core.model.marks import (
    FACT_STATUSES,
    Anchor,
    Mark,
    MarkChange,
    MarkFact,
    MarkFilter,
    MarkKind,
    MarkRect,
    TagCount,
    TagNode,
)
from docket.core.model.tags import is_within, normalize_tag
from docket.core.storage import audit as auditstore
from docket.core.storage import documents as store
from docket.core.storage import marks as markstore
from docket.core.storage import redactions as redactionstore
from docket.core.storage.redactions import RedactionReason
from docket.core.text.anchoring import Quote, check_anchor, find_quote, quote_of
from docket.core.text.find import fold

if TYPE_CHECKING:
    from docket.core.case import Case

MAX_NOTE_LENGTH = 100_000
_REASON_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}")


def _now() -> datetime:
    return datetime.now(UTC)


def _tags(names: Iterable[str]) -> tuple[str, ...]:
    unique: dict[str, str] = {}
    for name in names:
        normal = normalize_tag(name)
        unique.setdefault(normal.casefold(), normal)
    return tuple(sorted(unique.values(), key=str.casefold))


def _check_colour(colour: str) -> str:
    if colour not in COLOUR_KEYS:
        raise DocketError(f"unknown colour {colour!r}; choose one of {', '.join(COLOUR_KEYS)}")
    return colour


def _check_fact(fact: MarkFact) -> MarkFact:
    """A fact as stored: its date in the stored form (DateError if not), a known status."""
    from docket.core.chronology.dates import from_stored

    from_stored(fact.date, fact.circa)
    if fact.status and fact.status not in FACT_STATUSES:
        raise DocketError(
            f"unknown status {fact.status!r}; choose one of {', '.join(FACT_STATUSES)}"
        )
    return fact


def _check_note(note: str) -> str:
    if len(note) > MAX_NOTE_LENGTH:
        raise DocketError(f"a note may have at most {MAX_NOTE_LENGTH:,} characters")
    return note


class Marking:
    def __init__(self, case: Case) -> None:
        self._case = case
        self._database = case.database
        # The command line indexes each change at once; the window turns this off
        # and calls sync_index() on its writer thread, so the UI never waits.
        self.index_at_once = True
        # Told every change, on the thread that made it (an import's PDF marks: the writer's).
        self.listeners: list[Callable[[Changes], None]] = []
        # Who the audit log names for changes (None: the author in the preferences,
        # read at each change, so a new name there counts at once).
        self.author: str | None = None

    # -- reading ---------------------------------------------------------------

    def get(self, mark_id: int) -> Mark:
        found = markstore.mark(self._database.read(), mark_id)
        if found is None:
            raise DocketError(f"no mark {mark_id} in this case")
        return found

    def find(self, mark_id: int) -> Mark | None:
        return markstore.mark(self._database.read(), mark_id)

    def by_ids(self, ids: Iterable[int]) -> dict[int, Mark]:
        """The marks among `ids` that exist, by id (those a change-set names, say)."""
        return markstore.marks_by_id(self._database.read(), ids)

    def count(self, doc: int) -> int:
        """How many marks document `doc` has (without reading them)."""
        return markstore.mark_count(self._database.read(), doc)

    def marks(self, where: MarkFilter | None = None) -> list[Mark]:
        where = where or MarkFilter()
        connection = self._database.read()
        found = markstore.marks(connection, where.doc, where.colour)
        if where.tag:
            tag = normalize_tag(where.tag)
            found = [m for m in found if any(is_within(t, tag) for t in m.tags)]
        if where.kinds:
            found = [m for m in found if m.kind in where.kinds]
        words = fold(where.text).text.split() if where.text.strip() else []
        if words:

            def matches(mark: Mark) -> bool:
                haystack = fold(" ".join((mark.quote, mark.note, *mark.tags))).text
                return all(word in haystack for word in words)

            found = [m for m in found if matches(m)]
        return found

    # -- making and changing -------------------------------------------------------

    def highlight(
        self,
        doc: int,
        anchor: Anchor,
        *,
        colour: str = DEFAULT_COLOUR,
        note: str = "",
        tags: Iterable[str] = (),
        author: str = "",
        rects: Sequence[MarkRect] | None = None,
        uuid: str | None = None,
        created: datetime | None = None,
    ) -> Mark:
        """Highlight [anchor) of document `doc`; PDF rectangles are computed when not given.

        `uuid` and `created` keep an imported mark's own (W3C import); else new ones."""
        document = self._case.document(doc)
        texts = self._page_texts(doc, anchor.page, anchor.end_page)
        check_anchor({number: len(text) for number, text in texts.items()}, anchor)
        quote = quote_of(texts, anchor)
        if rects is None and document.kind.shown_as_pdf:
            from docket.core.pdf.markrects import rects_for

            lengths = {number: len(text) for number, text in texts.items()}
            # On the PDF the reader shows: an OCR'd page's words are in its rendition.
            rects = rects_for(self._case.pdf_path(doc), self._case.password(doc), anchor, lengths)
        return self._insert(
            self._new_mark(
                doc,
                MarkKind.HIGHLIGHT,
                anchor.page,
                colour,
                note,
                tags,
                author,
                anchor=anchor,
                quote=quote,
                rects=tuple(rects or ()),
                mark_uuid=uuid,
                created=created,
            )
        )

    def add_note(
        self,
        doc: int,
        note: str,
        *,
        page: int | None = None,
        tags: Iterable[str] = (),
        author: str = "",
        colour: str = DEFAULT_COLOUR,
        uuid: str | None = None,
        created: datetime | None = None,
    ) -> Mark:
        """A note on a page, or on the whole document when `page` is None."""
        document = self._case.document(doc)
        if page is not None and not 1 <= page <= document.page_count:
            raise DocketError(f"{document.title} has no page {page}")
        kind = MarkKind.DOCUMENT_NOTE if page is None else MarkKind.PAGE_NOTE
        return self._insert(
            self._new_mark(
                doc, kind, page, colour, note, tags, author, mark_uuid=uuid, created=created
            )
        )

    def redact(
        self,
        doc: int,
        where: Anchor | MarkRect,
        reason: str,
        *,
        note: str = "",
        tags: Iterable[str] = (),
        author: str = "",
        rects: Sequence[MarkRect] | None = None,
    ) -> Mark:
        """Redact words of a PDF page (`where` an Anchor: the boxes their text's geometry
        gives, or `rects` the window drew) or a drawn box (a MarkRect), for `reason`, a
        code of the case's list (see `redaction_reasons`). Burned in when produced
        (core/production/redact.py)."""
        document = self._case.document(doc)
        if not document.kind.shown_as_pdf:
            raise DocketError(
                f"{document.title} is a text document: redact its pages once produced as PDF"
            )
        code = self._known_reason(reason)
        quote: Quote | None = None
        boxes: tuple[MarkRect, ...]
        if isinstance(where, MarkRect):
            anchor, page, boxes = None, where.page, (where,)
            if not 1 <= page <= document.page_count:
                raise DocketError(f"{document.title} has no page {page}")
            if where.width <= 0 or where.height <= 0 or where.x < 0 or where.y < 0:
                raise DocketError("a redaction box needs x, y ≥ 0 and a width and height > 0")
        else:
            anchor, page = where, where.page
            texts = self._page_texts(doc, anchor.page, anchor.end_page)
            lengths = {number: len(text) for number, text in texts.items()}
            check_anchor(lengths, anchor)
            quote = quote_of(texts, anchor)
            if rects is None:
                from docket.core.pdf.markrects import rects_for

                rects = rects_for(
                    self._case.pdf_path(doc), self._case.password(doc), anchor, lengths
                )
            boxes = tuple(rects)
            if not boxes:
                raise DocketError(f"the words {quote.exact!r} show no ink on the page to cover")
        mark = self._new_mark(
            doc,
            MarkKind.REDACTION,
            page,
            DEFAULT_COLOUR,
            note,
            tags,
            author,
            anchor=anchor,
            quote=quote,
            rects=boxes,
        )
        return self._insert(replace(mark, reason=code))

    def redaction_reasons(self) -> list[RedactionReason]:
        """The reasons a redaction can give, in the order offered."""
        return redactionstore.reasons(self._database.read())

    def add_redaction_reason(self, code: str, label: str) -> RedactionReason:
        """Add a reason to the list (or relabel one there)."""
        code = code.strip()
        if not _REASON_CODE.fullmatch(code):
            raise DocketError(
                f"a reason code is 1 to 12 letters or digits (with - or _), as printed in the "
                f"box: not {code!r}"
            )
        label = " ".join(label.split())
        if not label:
            raise DocketError("a reason needs a label, e.g. 'Attorney-Client Privilege'")
        if self._database.readonly:
            raise CaseError("the case is open read-only")
        reason = RedactionReason(code, label)
        with self._database.write() as connection:
            redactionstore.add_reason(connection, reason)
        return reason

    def remove_redaction_reason(self, code: str) -> None:
        """Take a reason off the list; refused while a redaction gives it."""
        code = self._known_reason(code)
        if self._database.readonly:
            raise CaseError("the case is open read-only")
        with self._database.write() as connection:
            used = redactionstore.redactions_giving(connection, code)
            if used:
                raise DocketError(
                    f"{used} redaction{'s' if used != 1 else ''} give{'' if used != 1 else 's'} "
                    f"the reason {code}: delete or change them first"
                )
            redactionstore.remove_reason(connection, code)

    def _known_reason(self, code: str) -> str:
        """`code` as the list spells it (case aside); DocketError naming the list if not in it."""
        known = self.redaction_reasons()
        for reason in known:
            if reason.code.casefold() == code.strip().casefold():
                return reason.code
        listed = ", ".join(reason.code for reason in known) or "none"
        raise DocketError(
            f"unknown redaction reason {code!r}; the case's reasons are {listed} "
            "(docket reasons CASE --add CODE LABEL adds one)"
        )

    def change(self, mark_id: int, change: MarkChange) -> tuple[Mark, Mark]:
        """Recolour, re-note, re-tag or (un)date a mark; returns (before, after)."""
        before = self.get(mark_id)
        colour = _check_colour(change.colour) if change.colour is not None else None
        note = _check_note(change.note) if change.note is not None else None
        tags = _tags(change.tags) if change.tags is not None else None
        fact = _check_fact(change.fact) if change.fact is not None else None
        with self._database.write() as connection:
            usage = _TagUsage(connection, (*before.tags, *(tags or ())))
            old = _still_there(connection, mark_id)
            markstore.update_mark(
                connection, mark_id, colour=colour, note=note, modified=_now(), fact=fact
            )
            if tags is not None:
                markstore.set_mark_tags(connection, mark_id, tags)
            new = markstore.mark(connection, mark_id)
            auditstore.append_marks(
                connection, AuditAction.MARK_CHANGED, self._who(), {old.id: old}, _by_id(new)
            )
            tag_delta = usage.delta()
        after = self.get(mark_id)
        self._changed(Changes(marks=Delta.of(changed=[mark_id]), tags=tag_delta))
        return before, after

    def delete(self, mark_id: int) -> Mark:
        """Remove a mark; returns it whole, so that `restore` can put it back."""
        mark = self.get(mark_id)
        with self._database.write() as connection:
            usage = _TagUsage(connection, mark.tags)
            old = _still_there(connection, mark_id)
            markstore.delete_mark(connection, mark_id)
            auditstore.append_mark(connection, AuditAction.MARK_REMOVED, self._who(), old, None)
            tag_delta = usage.delta()
        self._changed(Changes(marks=Delta.of(removed=[mark_id]), tags=tag_delta))
        return mark

    def restore(self, mark: Mark) -> Mark:
        """Put back a deleted mark, under its old id, as it was."""
        if self.find(mark.id) is not None:
            raise DocketError(f"mark {mark.id} exists already")
        self._case.document(mark.doc)  # a clear error if the document is gone
        with self._database.write() as connection:
            usage = _TagUsage(connection, mark.tags)
            markstore.insert_mark(connection, replace(mark, modified=_now()), keep_id=True)
            self._log_added(connection, AuditAction.MARK_RESTORED, mark.id, self._who())
            tag_delta = usage.delta()
        self._changed(Changes(marks=Delta.of(added=[mark.id]), tags=tag_delta))
        return self.get(mark.id)

    def restore_from_log(self, entry_id: int) -> Mark:
        """Bring back the mark an audit entry's "before" holds (a mark deleted long ago),
        with its note and tags: under its old id, or a new one if that is taken.
        DocketError, the case unchanged, if it cannot come back (see auditlog)."""
        from docket.core.marks.auditlog import mark_to_restore

        if self._database.readonly:
            raise CaseError("the case is open read-only")
        entry = self.audit_entry(entry_id)
        mark = replace(mark_to_restore(self._case, entry), modified=_now())
        with self._database.write() as connection:
            usage = _TagUsage(connection, mark.tags)
            keep_id = markstore.mark(connection, mark.id) is None
            mark_id = markstore.insert_mark(connection, mark, keep_id=keep_id)
            self._log_added(connection, AuditAction.MARK_RESTORED, mark_id, self._who())
            tag_delta = usage.delta()
        self._changed(Changes(marks=Delta.of(added=[mark_id]), tags=tag_delta))
        return self.get(mark_id)

    # -- the audit log ---------------------------------------------------------------

    def audit_entries(self, *, mark: int | None = None, doc: int | None = None) -> list[AuditEntry]:
        """Every change recorded, oldest first; only mark `mark`'s, or document `doc`'s."""
        return auditstore.entries(self._database.read(), mark=mark, doc=doc)

    def audit_entry(self, entry_id: int) -> AuditEntry:
        found = auditstore.entry(self._database.read(), entry_id)
        if found is None:
            raise DocketError(f"no entry {entry_id} in this case's history")
        return found

    def _who(self, mark_author: str = "") -> str:
        """Who the audit log names: a new mark's own author (one imported from a PDF or
        a W3C file keeps the name it came with), else this session's."""
        if mark_author:
            return mark_author
        if self.author is not None:
            return self.author
        from docket.core.preferences import load_preferences

        return load_preferences().author

    def _log_added(
        self, connection: sqlite3.Connection, action: AuditAction, mark_id: int, author: str
    ) -> None:
        added = markstore.mark(connection, mark_id)
        auditstore.append_mark(connection, action, author, None, added)

    def set_state(self, mark: Mark) -> Mark:
        """Give an existing mark `mark`'s colour, note, tags and date (undoing a change)."""
        change = MarkChange(colour=mark.colour, note=mark.note, tags=mark.tags, fact=mark.fact)
        return self.change(mark.id, change)[1]

    # -- anchoring words --------------------------------------------------------------

    def anchor_for_quote(
        self, doc: int, page: int, quote: str, occurrence: int | None = None
    ) -> Anchor:
        """The one place on `page` where `quote` stands (`occurrence` picks among several)."""
        text = self._case.page(doc, page).text
        found = find_quote(text, quote)
        if not found:
            raise DocketError(f"the words {quote!r} are not on page {page}")
        if occurrence is None:
            if len(found) > 1:
                raise DocketError(
                    f"the words {quote!r} occur {len(found)} times on page "
                    f"{page}; choose one with --occurrence 1…{len(found)}"
                )
            occurrence = 1
        if not 1 <= occurrence <= len(found):
            raise DocketError(f"there are only {len(found)} occurrences on page {page}")
        start, end = found[occurrence - 1]
        return Anchor(page, start, page, end)

    # -- tags ----------------------------------------------------------------------------

    def tag_counts(self) -> list[TagCount]:
        return markstore.tag_counts(self._database.read())

    def tag_tree(self) -> list[TagNode]:
        roots: list[TagNode] = []
        nodes: dict[str, TagNode] = {}
        for count in self.tag_counts():
            parent_list, path = roots, ""
            node: TagNode | None = None
            for segment in count.name.split("/"):
                path = f"{path}/{segment}" if path else segment
                node = nodes.get(path.casefold())
                if node is None:
                    node = nodes[path.casefold()] = TagNode(segment, path)
                    parent_list.append(node)
                parent_list = node.children
            if node is not None:  # a stored name always has a segment
                node.marks, node.documents = count.marks, count.documents
        return roots

    def document_tags(self, doc: int) -> list[str]:
        return markstore.document_tags(self._database.read(), doc)

    def all_document_tags(self) -> dict[int, list[str]]:
        return markstore.all_document_tags(self._database.read())

    def tag_document(self, doc: int, tags: Iterable[str]) -> TagEdit:
        """Add tags to document `doc` (those it has already stay as they are)."""
        return self.retag_document(doc, add=tags)

    def untag_document(self, doc: int, tags: Iterable[str]) -> TagEdit:
        """Remove tags from document `doc`; `documents_before[doc]` has what it had."""
        return self.retag_document(doc, remove=tags)

    def retag_document(
        self, doc: int, *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> TagEdit:
        """Remove some tags from document `doc` and add others, as one change."""
        self._case.document(doc)
        added, removed = _tags(add), _tags(remove)

        def change(connection: sqlite3.Connection) -> None:
            if removed:
                markstore.remove_document_tags(connection, doc, removed)
            if added:
                markstore.add_document_tags(connection, doc, added)

        return self._edit_tags(change, AuditAction.DOCUMENT_TAGGED, docs=[doc])

    def documents_tagged(self, tag: str) -> list[int]:
        return markstore.documents_with_tags_within(self._database.read(), normalize_tag(tag))

    def rename_tag(self, old: str, new: str) -> TagEdit:
        """Rename a tag and the tags below it; a name in use already is merged into.
        The edit counts the marks and documents that carried a tag that moved."""
        old, new = normalize_tag(old), normalize_tag(new)
        if not any(is_within(c.name, old) for c in self.tag_counts()):
            raise DocketError(f"there is no tag {old!r}")
        if is_within(new, old) and new.casefold() != old.casefold():
            raise DocketError(f"{old!r} cannot move inside itself")
        return self._edit_tags(
            lambda connection: markstore.move_tags(connection, old, new),
            AuditAction.TAG_RENAMED,
            within=old,
        )

    def merge_tag(self, source: str, target: str) -> TagEdit:
        """Every mark and document tagged `source` (or below) gets `target` instead."""
        return self.rename_tag(source, target)

    def tag_usage(self, tag: str) -> tuple[int, int]:
        """How many marks and documents carry `tag` or a tag below it."""
        connection = self._database.read()
        name = normalize_tag(tag)
        return (
            len(markstore.marks_with_tags_within(connection, name)),
            len(markstore.documents_with_tags_within(connection, name)),
        )

    def delete_tag(self, tag: str) -> TagEdit:
        """Delete a tag and those below it; the edit counts the marks and documents
        that lose one."""
        name = normalize_tag(tag)
        return self._edit_tags(
            lambda connection: markstore.delete_tags_within(connection, name),
            AuditAction.TAG_DELETED,
            within=name,
        )

    def restore_tags(self, edit: TagEdit) -> Changes:
        """Undo a tag action: everything it touched gets back exactly the tags it had."""
        marks, docs = edit.marks_before, edit.documents_before
        return self._edit_tags(
            lambda connection: markstore.restore_tags(connection, marks, docs),
            AuditAction.TAGS_RESTORED,
            marks=marks.keys(),
            docs=docs.keys(),
        ).changes

    # -- the index ------------------------------------------------------------------------

    def sync_index(self) -> int:
        # Imported here: the window opens a case's marks before its page 1, the index after.
        from docket.core.search.engine import MissingIndex
        from docket.core.search.markrecords import sync_index

        if isinstance(self._case.index, MissingIndex):  # read-only, nothing to write to
            return 0
        return sync_index(self._database, self._case.index)

    # -- inside ---------------------------------------------------------------------------

    def _page_texts(self, doc: int, first: int, last: int) -> dict[int, str]:
        keys = [(doc, number) for number in range(first, last + 1)]
        return {
            page: text for (_, page), text in store.page_texts(self._database.read(), keys).items()
        }

    def _new_mark(
        self,
        doc: int,
        kind: MarkKind,
        page: int | None,
        colour: str,
        note: str,
        tags: Iterable[str],
        author: str,
        *,
        anchor: Anchor | None = None,
        quote: Quote | None = None,
        rects: tuple[MarkRect, ...] = (),
        mark_uuid: str | None = None,
        created: datetime | None = None,
    ) -> Mark:
        import uuid  # here: uuid loads platform, which the window's start does without

        now = _now()
        return Mark(
            id=0,
            uuid=mark_uuid or str(uuid.uuid4()),
            doc=doc,
            kind=kind,
            anchor=anchor,
            page=page,
            quote=quote.exact if quote else "",
            prefix=quote.prefix if quote else "",
            suffix=quote.suffix if quote else "",
            rects=rects,
            colour=_check_colour(colour),
            note=_check_note(note),
            tags=_tags(tags),
            author=author,
            created=created or now,
            modified=now,
        )

    def _insert(self, mark: Mark) -> Mark:
        if self._database.readonly:
            raise CaseError("the case is open read-only")
        with self._database.write() as connection:
            usage = _TagUsage(connection, mark.tags)
            mark_id = markstore.insert_mark(connection, mark, keep_id=False)
            self._log_added(connection, AuditAction.MARK_ADDED, mark_id, self._who(mark.author))
            tag_delta = usage.delta()
        self._changed(Changes(marks=Delta.of(added=[mark_id]), tags=tag_delta))
        return self.get(mark_id)

    def _edit_tags(
        self,
        change: Callable[[sqlite3.Connection], object],
        action: AuditAction,
        *,
        within: str | None = None,
        marks: Iterable[int] = (),
        docs: Iterable[int] = (),
    ) -> TagEdit:
        """Run a tag action in one transaction, noting first the tags of what it touches:
        the marks and documents tagged `within` (or below), and those given. Each mark
        and document whose tags it changes gets an `action` entry in the audit log
        (TAG_MERGED for a rename into a tag in use)."""
        with self._database.write() as connection:
            mark_ids, doc_ids = set(marks), set(docs)
            if within is not None:
                mark_ids.update(markstore.marks_with_tags_within(connection, within))
                doc_ids.update(markstore.documents_with_tags_within(connection, within))
            usage = _TagUsage(connection, None)
            marks_before = markstore.tags_of_marks(connection, mark_ids)
            docs_before = markstore.tags_of_documents(connection, doc_ids)
            old_marks = markstore.marks_by_id(connection, mark_ids)
            change(connection)
            marks_after = markstore.tags_of_marks(connection, mark_ids)
            docs_after = markstore.tags_of_documents(connection, doc_ids)
            tag_delta = usage.delta()
            if action is AuditAction.TAG_RENAMED and tag_delta.changed:
                action = AuditAction.TAG_MERGED
            moved = [m for m in mark_ids if marks_before[m] != marks_after[m]]
            who = self._who()
            auditstore.append_marks(
                connection,
                action,
                who,
                {m: old_marks[m] for m in moved if m in old_marks},
                markstore.marks_by_id(connection, moved),
            )
            auditstore.append_document_tags(connection, action, who, docs_before, docs_after)
        changes = Changes(
            marks=Delta.of(changed=(m for m in mark_ids if marks_before[m] != marks_after[m])),
            tags=tag_delta,
            document_tags=frozenset(d for d in doc_ids if docs_before[d] != docs_after[d]),
        )
        self._changed(changes)
        return TagEdit(changes, marks_before, docs_before)

    def _changed(self, changes: Changes) -> None:
        if not changes:
            return
        if self.index_at_once:
            self.sync_index()
        for listener in list(self.listeners):
            listener(changes)


def _still_there(connection: sqlite3.Connection, mark_id: int) -> Mark:
    """The mark as stored now, inside the change's transaction: one removed meanwhile
    (on another thread) is an error, not a change to log."""
    found = markstore.mark(connection, mark_id)
    if found is None:
        raise DocketError(f"no mark {mark_id} in this case")
    return found


def _by_id(mark: Mark | None) -> dict[int, Mark]:
    return {mark.id: mark} if mark is not None else {}


class _TagUsage:
    """How much some tags are used before a change, to tell after it which of them
    came into use, went out of use, or changed how much they are used.

    `names=None` watches every tag of the case (a tag action); otherwise only the
    named ones (a mark's before and after), which for a mark without tags is none."""

    def __init__(self, connection: sqlite3.Connection, names: Iterable[str] | None) -> None:
        self._connection = connection
        self._names = None if names is None else tuple(names)
        self._before = self._usage() if self._names != () else {}

    def delta(self) -> Delta[str]:
        if self._names == ():
            return Delta()
        return Delta.between(self._before, self._usage())

    def _usage(self) -> dict[str, tuple[int, int]]:
        if self._names is None:
            return markstore.tag_usage(self._connection)
        # A name new to the case is spelt as the mark has it after the change.
        return markstore.tag_usage(self._connection, self._names)
