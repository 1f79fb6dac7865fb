"""Keeping the search index in step with the marks and the documents' tags.

case.sqlite is written first (that is what makes a mark safe); the index
learns of it after, from what the database queued: marks with `indexed = 0`,
removed marks in `unindexed_removals`, documents in `unindexed_document_tags`.
A kill in between leaves the queue, and the next open works it off.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, time

from docket.core.chronology.dates import from_stored
from docket.core.errors import DocketError
from docket.core.model.marks import Mark
from docket.core.model.records import Document, FormField
from docket.core.search.engine import IndexRecord, SearchEngine
from docket.core.search.nodes import bates_parts
from docket.core.storage import documents as store
from docket.core.storage import marks as markstore
from docket.core.storage.database import Database


def mark_words(mark: Mark) -> str:
    """What plain words in a search match for a mark: its quote and its note."""
    return "\n".join(part for part in (mark.quote, mark.note) if part)


class _Labels:
    """Page labels, read once per document (a rebuild indexes thousands of marks)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._by_doc: dict[int, dict[int, str]] = {}

    def __call__(self, doc: int, page: int | None) -> str:
        labels = self._by_doc.get(doc)
        if labels is None:
            labels = self._by_doc[doc] = store.page_labels(self._connection, doc)
        number = page or 1
        return labels[number] if number in labels else str(page or "")


def fact_period(mark: Mark) -> tuple[datetime, datetime] | None:
    """The first and last moment a fact's date may mean (None: no fact, or a damaged date)."""
    try:
        when = from_stored(mark.fact.date, mark.fact.circa)
    except DocketError:
        return None
    if when is None:
        return None
    return datetime.combine(when.start, time.min), datetime.combine(when.end, time.max)


def mark_record(mark: Mark, document: Document, label: str) -> IndexRecord:
    anchor = mark.anchor
    spans = ((anchor.start, anchor.end),) if anchor and anchor.page == anchor.end_page else ()
    words = mark_words(mark)
    return IndexRecord(
        kind="mark",
        key=f"mark:{mark.id}",
        doc=mark.doc,
        page=mark.page or 1,
        label=label,
        title=document.title,
        name=document.source_name,
        type=str(document.kind),
        text=words,
        note=mark.note,
        author=mark.author,
        tags=tuple(mark.tags),
        mark=mark.id,
        summary=words or ", ".join(mark.tags),
        summary_spans=spans,
        language=document.language,  # a quote is stemmed as its page's words are
        fact=fact_period(mark),
    )


def document_record(document: Document, tags: list[str], label: str) -> IndexRecord:
    return IndexRecord(
        kind="document",
        key=f"document:{document.id}",
        doc=document.id,
        page=1,
        label=label,
        title=document.title,
        name=document.source_name,
        type=str(document.kind),
        tags=tuple(tags),
        summary="Document tagged " + ", ".join(tags),
    )


def field_record(
    doc: int,
    position: int,
    form_field: FormField,
    title: str,
    name: str,
    kind: str,
    label: str,
    language: str = "",
) -> IndexRecord:
    """A filled form field: its value is what plain words match (stemmed by its
    document's `language`, as the pages are); its result says which field it is and
    where it sits on its page."""
    return IndexRecord(
        kind="field",
        key=f"field:{doc}:{position}",
        doc=doc,
        page=form_field.page,
        label=label,
        title=title,
        name=name,
        type=kind,
        text=form_field.value,
        summary=field_summary(form_field),
        rect=form_field.rect,
        language=language,
    )


# A field's result shows its name and the start of its value: a snippet centred
# on a hit deep in a long value would lose the name, which says what was found.
FIELD_SUMMARY_CHARS = 160


def field_summary(form_field: FormField) -> str:
    value = " ".join(form_field.value.split())
    if len(value) > FIELD_SUMMARY_CHARS:
        value = value[:FIELD_SUMMARY_CHARS].rsplit(" ", 1)[0] + " \u2026"
    return f"Field \u201c{form_field.name}\u201d: {value}"


def field_records(
    doc: int,
    fields: Sequence[FormField],
    title: str,
    name: str,
    kind: str,
    labels: dict[int, str],
    language: str = "",
) -> list[IndexRecord]:
    return [
        field_record(doc, n, f, title, name, kind, labels.get(f.page, str(f.page)), language)
        for n, f in enumerate(fields)
    ]


def sync_index(database: Database, index: SearchEngine) -> int:
    """Write what the index is waiting for; returns how many records changed."""
    connection = database.read()
    stale, removed, docs = markstore.waiting_for_index(connection)
    if not (stale or removed or docs):
        return 0
    marks = markstore.marks_by_id(connection, stale)
    wanted = {m.doc for m in marks.values()} | set(docs)
    found = {doc: store.document(connection, doc) for doc in wanted}
    documents = {doc: document for doc, document in found.items() if document is not None}
    label = _Labels(connection)
    with index.writer(flush_pages=None) as writer:
        for mark_id in removed:
            writer.delete_key(f"mark:{mark_id}")
        for mark in marks.values():
            document = documents.get(mark.doc)
            if document is not None:
                writer.put(mark_record(mark, document, label(mark.doc, mark.page)))
        indexed_tags: dict[int, list[str]] = {}
        for doc in docs:
            tags = indexed_tags[doc] = markstore.document_tags(connection, doc)
            if tags and doc in documents:
                writer.put(document_record(documents[doc], tags, label(doc, 1)))
            else:
                writer.delete_key(f"document:{doc}")
    with database.write() as connection:
        # Only the versions written here: a mark changed meanwhile stays queued. A
        # tag rename or its undo leaves `modified` alone, so the whole mark is compared.
        now = markstore.marks_by_id(connection, marks)
        connection.executemany(
            "UPDATE marks SET indexed = 1 WHERE id = ?",
            [(m.id,) for m in marks.values() if now.get(m.id) == m],
        )
        # Only the documents whose tags are still those written: one tagged again
        # meanwhile (an undo while this ran) stays queued for the next sync.
        done = [d for d in docs if markstore.document_tags(connection, d) == indexed_tags[d]]
        markstore.record_indexed(connection, (), removed, done)
    return len(marks) + len(removed) + len(docs)


def bates_records(
    doc: int,
    numbers: dict[int, list[str]],
    title: str,
    name: str,
    kind: str,
    labels: dict[int, str],
) -> list[IndexRecord]:
    """A page's Bates numbers (issue 18), stamped by a production or printed on it when
    received: searching `ABC000042` or `bates:[ABC000040 TO ABC000050]` finds the page."""
    return [
        IndexRecord(
            kind="bates",
            key=f"bates:{doc}:{page}:{number}",
            doc=doc,
            page=page,
            label=labels.get(page, str(page)),
            title=title,
            name=name,
            type=kind,
            text=number,
            summary=f"Bates {number}",
            bates=bates_parts(number),
        )
        for page, found in sorted(numbers.items())
        for number in found
    ]
