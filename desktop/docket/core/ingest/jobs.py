"""Which extractor reads a file, and the job that worker processes run.

The kind is decided by content, not by name: a `.pdf` that is really text is
reported as such, and a PDF saved as `.txt` is still read as a PDF.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.errors import ExtractionError
from docket.core.model.records import ExtractedDocument

if TYPE_CHECKING:
    from docket.core.search.engine import PageTerms

_PDF_MAGIC = b"%PDF-"

TOO_LARGE = "too large to process safely"
# The system refused memory (see the ceiling in core/workers.py).
_OUT_OF_MEMORY = f"{TOO_LARGE}: it needed more memory than allowed"


def looks_like_pdf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return _PDF_MAGIC in handle.read(1024)


def extract_file(path: Path, password: str | None = None) -> ExtractedDocument:
    """Read one file as a document, or raise ExtractionError with the reason."""
    from docket.core.ingest import images, textfiles  # deferred: workers import only what they use

    try:
        if not path.is_file():  # a pipe or device would block the open below
            raise ExtractionError("not a regular file")
        size = path.stat().st_size
        is_pdf = size > 0 and looks_like_pdf(path)
    except OSError as error:
        raise ExtractionError(f"cannot read the file: {error.strerror or error}") from error
    if size == 0:
        raise ExtractionError("empty file (0 bytes)")
    suffix = path.suffix.lower()
    if not is_pdf and images.is_image(path):  # content decides: a scan named .pdf is an image
        return images.read_image_document(path)
    if is_pdf or suffix == ".pdf":
        from docket.core.pdf.extract import extract_pdf
        from docket.core.pdf.forms import with_form_fields
        from docket.core.transcripts.detect import with_printed_labels

        return with_printed_labels(with_form_fields(extract_pdf(path, password), path, password))
    if suffix in textfiles.TEXT_SUFFIXES or textfiles.sniff_text(path):
        return textfiles.read_text_document(path)
    if reason := images.not_an_image_reason(path):
        raise ExtractionError(reason)
    raise ExtractionError(f"not a PDF, image or text file ({suffix or 'no extension'})")


@dataclass(frozen=True)
class JobResult:
    document: ExtractedDocument | None
    failure: str | None
    # Each page's index terms, made here so the one writer does not analyse the text.
    terms: tuple[PageTerms, ...] | None = None
    # False when the PDF certainly holds no marks of other readers (pdfannotations):
    # the importing process then need not open it with pypdf.
    may_carry_marks: bool = True


def run_job(path: str, password: str | None) -> JobResult:
    """What a worker process runs for one file; never raises."""
    try:
        document = extract_file(Path(path), password)
    except ExtractionError as error:
        return JobResult(None, str(error))
    except MemoryError:
        return JobResult(None, _OUT_OF_MEMORY)
    except Exception as error:  # a reader bug must not stop the batch
        return JobResult(None, f"could not be read ({type(error).__name__}: {error})")
    # The terms of an unknown language (Porter's stems): the importing process
    # detects the language (`with_language`) and re-analyses the few documents
    # whose language stems otherwise. Detecting here cost each worker the
    # model's 72 MB and 0.8 s (bench_real_import: 802 MB peak, 13 s slower).
    try:
        from docket.core.search.analysis import page_term_positions

        terms = tuple(page_term_positions(page.text, "") for page in document.pages)
    except MemoryError:
        return JobResult(None, _OUT_OF_MEMORY)
    except Exception:  # the writer can analyse the text itself
        terms = None
    return JobResult(document, None, terms, _may_carry_marks(document, Path(path)))


def _may_carry_marks(document: ExtractedDocument, path: Path) -> bool:
    from docket.core.model.records import DocumentKind
    from docket.core.pdf.annotations import may_carry_marks

    return document.kind is DocumentKind.PDF and may_carry_marks(path)


def with_language(result: JobResult) -> JobResult:
    """The job's document with its language detected, in the importing process.

    One detector model serves the whole import there. The worker's terms are
    kept when the language stems as an unknown one does (English, and every
    document too short to tell); otherwise the writer analyses the text again.
    """
    document = result.document
    if document is None:
        return result
    from docket.core.search.analysis import stemmer_for
    from docket.core.text.languages import document_language

    try:
        language = document_language(page.text for page in document.pages)
    except Exception:  # unknown: stemmed as English, as before languages; said in the log
        logging.getLogger(__name__).exception("language detection failed for %s", document.title)
        return result
    terms = result.terms if stemmer_for(language) == stemmer_for("") else None
    return replace(result, document=replace(document, language=language), terms=terms)
