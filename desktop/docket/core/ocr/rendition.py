"""The rendition: the PDF the reader opens for a document OCR has read, or an image.

It is the original's pages (an image's: one page per frame, made by
core/pdf/imagepdf.py) with the text layers stored in `ocr_pages` laid over
them (graft.lay_over), written to `<case>/derived/<sha256>-v<ocr_version>.pdf`
through a temporary file and a rename, so a reader never meets half a file.
Each stored OCR chunk raises the document's ocr_version and writes a new
rendition; older ones are removed once the new version is committed.

Derived data, like `index/`: `derived/` can be deleted and loses nothing; a
missing rendition is rebuilt from the stored layers when asked for, and an
archive leaves the folder out (a restore rebuilds on demand). The original
is never modified: its hash still verifies.

The rendition's page text as QtPdf reads it is each OCR'd page's canonical
text (pages.text), so search offsets, selection and highlight rectangles all
meet the same characters; `page_texts` reads it back for storing.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_path
from PySide6.QtPdf import QPdfDocument

from docket.core.errors import DocketError
from docket.core.model.records import DocumentKind
from docket.core.storage import ocr as ocrstore
from docket.core.storage.atomicfile import write_file_atomically

if TYPE_CHECKING:
    from pypdf import PdfWriter

    from docket.core.case import Case

# page → (Tesseract's one-page text layer, degrees the page is turned to stand upright)
Layers = Mapping[int, tuple[bytes, int]]


# A partial file this old is left over from a build that was killed.
_PARTIAL_AGE_SECONDS = 600.0


class RenditionFailed(DocketError):
    """The rendition could not be written; the message says why."""


def rendition_path(derived: Path, sha256: str, version: int) -> Path:
    return derived / f"{sha256}-v{version}.pdf"


def build_rendition(
    target: Path,
    kind: DocumentKind,
    original: Path,
    password: str | None,
    layers: Layers,
    *,
    previous: Path | None = None,
) -> Path:
    """Writes the rendition to `target` (atomically) and returns it.

    `previous`: a rendition of the same document to build on, whose pages
    carry every layer but `layers` (pages not laid yet): only those are laid.
    A page takes ~30 ms to lay (pypdf merges content streams), so each chunk
    of a 300-page scan lays its 20 pages rather than all read so far.
    """
    # pypdf here, not at the top: the reader opens an original through current_pdf,
    # and the window's first page must not wait for pypdf to load.
    from pypdf import PdfReader, PdfWriter

    from docket.core.ocr.graft import lay_over

    try:
        if previous is not None:
            writer = PdfWriter(clone_from=PdfReader(previous, strict=False))
        else:
            writer = _base(kind, original, password)
        for number, (layer, rotation) in sorted(layers.items()):
            if not 1 <= number <= len(writer.pages):
                raise RenditionFailed(f"the document has no page {number} for its text layer")
            lay_over(writer.pages[number - 1], layer, rotation)
    except DocketError:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise RenditionFailed(f"the searchable copy could not be made ({error})") from error
    write_file_atomically(target, writer.write)
    return target


def current_pdf(case: Case, doc_id: int) -> Path:
    """The PDF to show, draw, select and export for `doc_id`: its rendition when it
    is an image or OCR laid text over some page (built if missing), else the original."""
    document = case.document(doc_id)
    connection = case.database.read()
    if document.kind is not DocumentKind.IMAGE and not ocrstore.has_layers(connection, doc_id):
        return case.original_path(doc_id)
    version, layers = ocrstore.version_and_layers(connection, doc_id)
    path = rendition_path(case.layout.derived, document.sha256, version)
    if path.is_file():
        return path
    original = case.original_path(doc_id)
    try:
        return build_rendition(path, document.kind, original, case.password(doc_id), layers)
    except OSError:
        # A case on read-only media (opened read-only): built where this user may write.
        elsewhere = user_cache_path("docket", appauthor=False) / "renditions"
        spare = rendition_path(elsewhere, document.sha256, version)
        if not spare.is_file():
            build_rendition(spare, document.kind, original, case.password(doc_id), layers)
        return spare


def _base(kind: DocumentKind, original: Path, password: str | None) -> PdfWriter:
    """The pages the layers go on: the original PDF's (decrypted), or an image's."""
    if kind is DocumentKind.IMAGE:
        from docket.core.pdf.imagepdf import image_document_pdf

        return image_document_pdf(original)
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(original, strict=False)
    if reader.is_encrypted and not reader.decrypt(password or ""):
        raise RenditionFailed(f"{original.name}: the stored password no longer opens this PDF")
    # A clone keeps the original's annotations, outline, labels and metadata.
    return PdfWriter(clone_from=reader)


def remove_other_versions(derived: Path, sha256: str, keep: int | None) -> None:
    """Removes the document's renditions but version `keep`, and leftover partial
    files. A file the reader still has open goes when it lets go (POSIX); where
    the system refuses (Windows), the next build tries again."""
    if not derived.is_dir():
        return
    pattern = re.compile(rf"\.?{re.escape(sha256)}-v(\d+)\.(pdf|.*\.part)$")
    for path in derived.iterdir():
        found = pattern.match(path.name)
        if found is None:
            continue
        if path.name.startswith("."):
            with contextlib.suppress(OSError):  # another build may be writing it right now
                if time.time() - path.stat().st_mtime > _PARTIAL_AGE_SECONDS:
                    path.unlink()
        elif int(found.group(1)) != keep:
            with contextlib.suppress(OSError):
                path.unlink()


def page_texts(path: Path, numbers: Iterable[int]) -> dict[int, tuple[str, float, float]]:
    """page → (text, width, height in points as shown) as QtPdf reads the rendition."""
    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            raise RenditionFailed(f"the searchable copy {path.name} cannot be read back")
        found: dict[int, tuple[str, float, float]] = {}
        for number in numbers:
            if not 1 <= number <= document.pageCount():
                continue
            size = document.pagePointSize(number - 1)
            text = document.getAllText(number - 1).text()
            found[number] = (text, float(size.width()), float(size.height()))
        return found
    finally:
        document.close()
