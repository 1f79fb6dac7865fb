"""Annotated copies of a case's PDFs: the marks as real PDF annotations.

The original is only read. The copy is written beside its destination
under a temporary name and renamed over it when whole, so a crash never
leaves half a PDF where the user expects one. Annotations already in the
PDF are kept exactly as they are; marks that came from them are written
only when changed since (see pdf/existing.py). An encrypted original gives
an encrypted copy (AES-256): the stored password opens it, or none when the
original needed none, with the original's permissions kept under a new,
random owner password. Handing a protected document on unprotected is a
choice Docket should not make for anybody.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PdfReader, PdfWriter

from docket.core.errors import DocketError
from docket.core.export.filenames import (
    missing_folders,
    remove_empty_folders,
    safe_file_name,
    unique_path,
)
from docket.core.model.colours import colour_names as default_colour_names
from docket.core.model.marks import Mark, MarkFilter, MarkKind, MarkRect
from docket.core.model.records import DocumentKind
from docket.core.pdf.annotations import ForeignAnnotation, read_pdf_annotations
from docket.core.pdf.existing import marks_to_write
from docket.core.pdf.markup import MarkupWriter
from docket.core.storage.atomicfile import write_file_atomically

if TYPE_CHECKING:
    from docket.core.case import Case

SUFFIX = " (annotated).pdf"


def export_annotated_pdf(
    case: Case,
    doc_id: int,
    out_path: Path | str,
    marks: Sequence[Mark] | None = None,
    colour_names: dict[str, str] | None = None,
) -> Path:
    """Write a copy of PDF `doc_id` carrying `marks` (default: all its marks) to `out_path`."""
    document = case.document(doc_id)
    if not document.kind.shown_as_pdf:
        raise DocketError(
            f"{document.title or document.source_name} is not a PDF: "
            "only PDFs and images can be exported with annotations"
        )
    out_path = Path(out_path)
    require_originals(case, [doc_id])
    original = case.original_path(doc_id)
    if out_path.resolve() == original.resolve():
        raise DocketError("the annotated copy cannot replace the original")
    every = case.marking.marks(MarkFilter(doc=doc_id))
    chosen = every if marks is None else [mark for mark in marks if mark.doc == doc_id]
    names = {**default_colour_names(), **(colour_names or {})}
    # The PDF the reader shows: an OCR rendition carries the invisible text layer.
    shown = case.pdf_path(doc_id)
    reader = _open(shown, case.password(doc_id))
    writer = PdfWriter(clone_from=reader)
    # Every annotation of the original stays exactly as received; a mark made
    # from one of them and unchanged since is not written again (pdf/existing.py).
    chosen = marks_to_write(chosen, _own_annotations(case, doc_id), document.sha256, every)
    # A redaction is no highlight nor note: it is burned in when produced (issue 18).
    chosen = [mark for mark in chosen if mark.kind is not MarkKind.REDACTION]
    markup = MarkupWriter(writer, names)
    missing = _missing_rects(case, doc_id, chosen)
    for mark in chosen:
        if mark.kind is MarkKind.HIGHLIGHT:
            markup.add_highlight(mark, mark.rects or missing.get(mark.id, ()))
        else:
            markup.add_note(mark)
    # A rendition is never encrypted: the copy is protected as the original is.
    protected = reader
    if shown != original and document.kind is DocumentKind.PDF:
        protected = _open(original, case.password(doc_id))
    if protected.is_encrypted:
        _encrypt_like(writer, protected, case.password(doc_id))
    write_file_atomically(out_path, writer.write)
    return out_path


def export_annotated_pdfs(
    case: Case,
    out_dir: Path | str,
    docs: Iterable[int] | None = None,
    marks_filter: MarkFilter | None = None,
    colour_names: dict[str, str] | None = None,
    *,
    replace: bool = False,
) -> list[Path]:
    """One annotated copy per PDF, named after its title, in `out_dir`.

    `docs` None means every PDF that has a mark `marks_filter` lets through;
    PDFs named in `docs` are written even without marks, text files skipped.
    Names never overwrite a file already in `out_dir` (" (2)" is added) unless
    `replace`. All or nothing: every original is checked first, the copies are
    written into a hidden staging folder and moved into place when all are
    whole, and a folder made for them is taken back on failure.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise DocketError(
            f"{out_dir} is a file: annotated copies of several documents go into a folder"
        )
    by_doc: dict[int, list[Mark]] = {}
    for mark in case.marking.marks(marks_filter or MarkFilter()):
        by_doc.setdefault(mark.doc, []).append(mark)
    wanted = sorted(by_doc) if docs is None else list(dict.fromkeys(docs))
    plan = planned_copies(case, out_dir, wanted, replace=replace)
    require_originals(case, [doc_id for doc_id, _ in plan])
    made = missing_folders(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".docket-export-", dir=out_dir))
    try:
        for doc_id, path in plan:
            export_annotated_pdf(
                case, doc_id, staging / path.name, by_doc.get(doc_id, []), colour_names
            )
        for _, path in plan:
            os.replace(staging / path.name, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        remove_empty_folders(made)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return [path for _, path in plan]


def planned_copies(
    case: Case, out_dir: Path, docs: Iterable[int], *, replace: bool = False
) -> list[tuple[int, Path]]:
    """Each PDF among `docs` with the name of its copy in `out_dir` (text files left out).

    Names are unique within the export, and unless `replace` also among the
    files already in `out_dir`.
    """
    taken: set[str] = set()
    plan: list[tuple[int, Path]] = []
    for doc_id in docs:
        document = case.document(doc_id)
        if not document.kind.shown_as_pdf:
            continue
        stem = safe_file_name(document.title or Path(document.source_name).stem, f"doc-{doc_id}")
        plan.append((doc_id, unique_path(out_dir, stem, SUFFIX, taken, on_disk=not replace)))
    return plan


def require_originals(case: Case, docs: Iterable[int]) -> None:
    """DocketError naming every document whose stored original is missing or unreadable."""
    missing: list[str] = []
    for doc_id in docs:
        original = case.original_path(doc_id)
        if not os.access(original, os.R_OK) or not original.is_file():
            document = case.document(doc_id)
            title = document.title or document.source_name
            missing.append(f"“{title}” (doc {doc_id}, {original})")
    if missing:
        what = "original is" if len(missing) == 1 else "originals are"
        raise DocketError(
            f"the {what} missing from the case: {'; '.join(missing)}; nothing was exported "
            "(docket verify checks every original)"
        )


def _open(path: Path, password: str | None) -> PdfReader:
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted and not reader.decrypt(password or ""):
        raise DocketError(f"{path.name}: the stored password no longer opens this PDF")
    return reader


def _encrypt_like(writer: PdfWriter, reader: PdfReader, password: str | None) -> None:
    permissions = reader.user_access_permissions
    # The owner password is not known (a user password opens the original), and
    # making it the user password would lift the original's restrictions.
    owner = secrets.token_hex(16)
    if permissions is None:
        writer.encrypt(user_password=password or "", owner_password=owner, algorithm="AES-256")
    else:
        writer.encrypt(
            user_password=password or "",
            owner_password=owner,
            permissions_flag=permissions,
            algorithm="AES-256",
        )


def _own_annotations(case: Case, doc_id: int) -> list[ForeignAnnotation]:
    """The original's annotations as the import read them, to know the marks made of them."""
    try:
        return read_pdf_annotations(case.original_path(doc_id), case.password(doc_id))
    except Exception:  # unreadable to pypdf's annotation reader: then no mark came from them
        return []


def _missing_rects(
    case: Case, doc_id: int, marks: Sequence[Mark]
) -> dict[int, tuple[MarkRect, ...]]:
    """Rectangles for highlights stored without any (made where no geometry was known)."""
    bare = [m for m in marks if m.kind is MarkKind.HIGHLIGHT and not m.rects and m.anchor]
    if not bare:
        return {}
    from docket.core.pdf.markrects import anchor_rects, open_pdf

    pdf = open_pdf(case.pdf_path(doc_id), case.password(doc_id))
    try:
        found: dict[int, tuple[MarkRect, ...]] = {}
        for mark in bare:
            assert mark.anchor is not None
            numbers = range(mark.anchor.page, mark.anchor.end_page + 1)
            lengths = {n: len(case.page(doc_id, n).text) for n in numbers}
            found[mark.id] = anchor_rects(pdf, mark.anchor, lengths)
        return found
    finally:
        pdf.close()
