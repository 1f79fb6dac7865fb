"""`produce`: a production set written from the case.

Every chosen document is copied (a text document typeset first, an image or
an OCR'd scan taken from its rendition, which carries the text OCR read),
each page passed through `prepare_page` (where redactions are burned in:
a `PageFilter`), stamped with its Bates number, and written with load files
into a temporary folder beside `out`, which is renamed to `out` once whole.
Only then is the production stored in the case: its row and every page's
number in one transaction, the documents queued for the index so their
numbers become searchable (a kill before that is caught up on the next open).

Nothing is changed before every document has opened and the numbers are known
to be new, so a bad prefix, a range that repeats an earlier one or an
encrypted original without its password leaves `out` and the case as they were.
The originals are only read.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pypdf import PageObject, PdfReader, PdfWriter

from docket.core.errors import DocketError
from docket.core.model.records import DocumentKind
from docket.core.production.loadfile import ProducedDocument, write_load_files
from docket.core.production.numbering import DEFAULT_DIGITS, NumberRange, plan_range
from docket.core.production.stamp import Position, Stamp, stamp_pages
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.storage import bates as batestore
from docket.core.storage import documents as store
from docket.core.storage import marks as markstore

if TYPE_CHECKING:
    from docket.core.case import Case


class ProductionError(DocketError):
    """A production that cannot be made as asked; nothing was written."""


class ProductionExists(ProductionError):
    """--out is a folder with files in it, and replacing it was not asked for."""


@dataclass(frozen=True)
class PageContext:
    """What a page filter knows of the page it is given."""

    doc_id: int
    page: int  # the page in its document, 1-based
    bates: str  # the number it will be stamped with
    source: PdfReader  # the PDF the page comes from (decrypted)


class PageFilter(Protocol):
    """Changes a page before it is stamped (redaction burns its boxes in here)."""

    def __call__(self, page: PageObject, context: PageContext) -> PageObject: ...


def unchanged(page: PageObject, context: PageContext) -> PageObject:
    """The default filter: the page as it is."""
    return page


def prepare_page(
    page: PageObject, context: PageContext, page_filter: PageFilter = unchanged
) -> PageObject:
    """The page to stamp: the document's page as `page_filter` leaves it."""
    return page_filter(page, context)


@dataclass(frozen=True)
class ProductionOptions:
    out: Path
    prefix: str
    start: int | None = None  # None: after the highest number the prefix used (1 if none)
    digits: int = DEFAULT_DIGITS
    docs: tuple[int, ...] = ()
    tag: str | None = None  # and the documents tagged with it (or a tag below it)
    legend: str = ""
    exhibits: bool = False  # "Exhibit 1", "Exhibit 2"… on each document's first page
    first_exhibit: int = 1
    position: Position = Position.BOTTOM_RIGHT
    force: bool = False  # replace an --out folder that has files in it


@dataclass(frozen=True)
class ProductionResult:
    id: int
    folder: Path
    numbers: NumberRange
    documents: tuple[ProducedDocument, ...] = field(default=())

    @property
    def pages(self) -> int:
        return self.numbers.last - self.numbers.first + 1

    def as_json(self) -> dict[str, object]:
        return {
            "production": self.id,
            "folder": str(self.folder),
            "prefix": self.numbers.prefix,
            "first": self.numbers.label(self.numbers.first),
            "last": self.numbers.label(self.numbers.last),
            "pages": self.pages,
            "documents": [
                {
                    "doc": d.doc_id,
                    "begin": d.begin,
                    "end": d.end,
                    "pages": d.pages,
                    "file": d.file,
                    "title": d.title,
                }
                for d in self.documents
            ],
        }


def chosen_documents(case: Case, docs: Sequence[int], tag: str | None) -> list[int]:
    """The documents named, then those tagged `tag` (or below it), each once, in order."""
    connection = case.database.read()
    tagged = sorted(markstore.documents_with_tags_within(connection, tag)) if tag else []
    if tag and not tagged:
        raise ProductionError(f"no document is tagged {tag!r}; nothing was produced")
    chosen = list(dict.fromkeys([*docs, *tagged]))
    if not chosen:
        raise ProductionError("choose the documents to produce: --doc or --tag")
    for doc_id in chosen:
        case.document(doc_id)  # CaseError for one that is not in the case
    return chosen


def check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ProductionError(f"{out} is a file: --out names the folder the production goes in")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ProductionExists(
            f"{out} already has files in it; nothing was written (--force replaces it)"
        )
    if not out.parent.is_dir():
        raise ProductionError(f"{out.parent} does not exist: create it, or choose another --out")


def produce(
    case: Case,
    options: ProductionOptions,
    *,
    page_filter: PageFilter = unchanged,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ProductionResult:
    """Write the production `options` asks for; see the module's notes."""
    if case.readonly:
        raise ProductionError("a production is recorded in the case: open it writable")
    out = Path(options.out).absolute()
    check_out(out, options.force)
    doc_ids = chosen_documents(case, options.docs, options.tag)
    sources = [_source(case, doc_id) for doc_id in doc_ids]  # every one opens, or nothing
    from docket.core.production.redact import Redactor

    # Redactions are always burned in; one that cannot be (its words moved) refuses all.
    redactor = Redactor(case, doc_ids)

    def redacted(page: PageObject, context: PageContext) -> PageObject:
        return page_filter(redactor(page, context), context)

    total = sum(len(reader.pages) for reader in sources)
    connection = case.database.read()
    numbers = plan_range(
        options.prefix,
        options.digits,
        total,
        start=options.start,
        used=batestore.used_ranges(connection, options.prefix),
    )
    documents = [case.document(doc_id) for doc_id in doc_ids]
    temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    produced: list[ProducedDocument] = []
    try:
        number = numbers.first
        for index, (document, reader) in enumerate(zip(documents, sources, strict=True)):
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(Progress(index, len(documents), number - numbers.first, document.title))
            labels = tuple(numbers.label(n) for n in range(number, number + len(reader.pages)))
            exhibit = f"Exhibit {options.first_exhibit + index}" if options.exhibits else ""
            name = f"{labels[0]}.pdf"
            _write_document(
                reader, document.id, labels, temporary / name, options, exhibit, redacted
            )
            produced.append(
                ProducedDocument(
                    document.id,
                    labels[0],
                    labels[-1],
                    document.title,
                    document.source_name,
                    document.sha256,
                    labels,
                    name,
                )
            )
            number += len(labels)
        write_load_files(temporary, produced, out.name)
        redactor.write_log(temporary)  # REDACTIONS.csv: document, Bates page, reason
        _put_in_place(temporary, out)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    finally:
        redactor.close()
    try:
        production_id = _record(case, numbers, options, out, produced)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # a set the case does not know would repeat
        raise
    progress(Progress(len(documents), len(documents), total, ""))
    case.catch_up_index()  # the produced documents again, now with their Bates numbers
    return ProductionResult(production_id, out, numbers, tuple(produced))


def _source(case: Case, doc_id: int) -> PdfReader:
    """The PDF a document is produced from, opened and decrypted."""
    document = case.document(doc_id)
    title = document.title or document.source_name
    if document.kind is DocumentKind.TEXT:
        from docket.core.production.textpdf import text_pdf

        return text_pdf([page.text for page in case.pages(doc_id)], document.title)
    path = case.pdf_path(doc_id)  # an image's or an OCR'd scan's rendition, else the original
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            password = case.password(doc_id)
            if password is None:
                raise ProductionError(
                    f"“{title}” (doc {doc_id}) is encrypted and the case has no password "
                    "for it; nothing was produced"
                )
            if not reader.decrypt(password):
                raise ProductionError(
                    f"“{title}” (doc {doc_id}): the stored password no longer opens it; "
                    "nothing was produced"
                )
        if len(reader.pages) == 0:
            raise ProductionError(f"“{title}” (doc {doc_id}) has no pages to produce")
    except OSError as error:
        raise ProductionError(
            f"cannot read “{title}” (doc {doc_id}): {error.strerror or error}; "
            "docket verify checks every original"
        ) from error
    return reader


def _write_document(
    reader: PdfReader,
    doc_id: int,
    labels: Sequence[str],
    target: Path,
    options: ProductionOptions,
    exhibit: str,
    page_filter: PageFilter,
) -> None:
    writer = PdfWriter()
    pages: list[PageObject] = []
    stamps: list[Stamp] = []
    for number, (page, label) in enumerate(zip(reader.pages, labels, strict=True), start=1):
        prepared = prepare_page(page, PageContext(doc_id, number, label, reader), page_filter)
        pages.append(writer.add_page(prepared))
        stamps.append(
            Stamp(label, options.position, options.legend, exhibit if number == 1 else "")
        )
    stamp_pages(pages, stamps)
    writer.add_metadata({"/Title": labels[0], "/Producer": "Docket"})
    with target.open("wb") as handle:
        writer.write(handle)
        handle.flush()
        os.fsync(handle.fileno())


def _put_in_place(temporary: Path, out: Path) -> None:
    """Rename the finished folder to `out`; a folder already there (empty, or
    replaced with --force) goes only once the new one is in its place."""
    if not out.exists():
        temporary.rename(out)
        return
    old = out.with_name(f".{out.name}.{os.getpid()}.old")
    out.rename(old)
    try:
        temporary.rename(out)
    except BaseException:
        with contextlib.suppress(OSError):
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _record(
    case: Case,
    numbers: NumberRange,
    options: ProductionOptions,
    out: Path,
    produced: Sequence[ProducedDocument],
) -> int:
    with case.database.write() as connection:
        # Checked again in the transaction: another production may have taken numbers.
        plan_range(
            numbers.prefix,
            numbers.digits,
            numbers.last - numbers.first + 1,
            start=numbers.first,
            used=batestore.used_ranges(connection, numbers.prefix),
        )
        production_id = batestore.insert_production(
            connection,
            prefix=numbers.prefix,
            digits=numbers.digits,
            first_number=numbers.first,
            last_number=numbers.last,
            produced_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            legend=options.legend,
            folder=str(out),
            documents=len(produced),
        )
        first = numbers.first
        rows: list[batestore.BatesPage] = []
        for document in produced:
            for page, label in enumerate(document.labels, start=1):
                rows.append(
                    batestore.BatesPage(
                        document.doc_id, page, numbers.prefix, first, label, production_id
                    )
                )
                first += 1
        batestore.insert_pages(connection, rows)
        store.set_indexed(connection, [d.doc_id for d in produced], False)
    return production_id
