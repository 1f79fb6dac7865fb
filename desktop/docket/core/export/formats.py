"""Getting marks out of a case: one entry point for every export format.

    export_marks(case, ExportFormat.HTML, out, ReportOptions(group=Grouping.TAG))

The command line and the window both call `export_marks`. Every file is
written to a temporary name beside the target and renamed into place, so a
crash or a full disk never leaves half a report, and nothing is ever written
inside the case's files/ folder: the originals are never modified.

Exports never destroy: a file that is already there is replaced only when
the caller says so (`overwrite=True`; `--force`, or "Replace" in the window),
else ExportExists names it. A folder as the target (one that exists, or a
path ending in a separator) gets a new name inside it, numbered when taken.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.errors import DocketError
from docket.core.export.filenames import (
    missing_folders,
    remove_empty_folders,
    safe_file_name,
)
from docket.core.export.reportmodel import Grouping, ReportOptions, build_report, selected_marks
from docket.core.model.marks import MarkFilter
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from docket.core.storage.atomicfile import give_ordinary_permissions

if TYPE_CHECKING:
    from docket.core.case import Case

__all__ = [
    "ExportExists",
    "ExportFormat",
    "ExportResult",
    "Grouping",
    "ReportOptions",
    "default_output",
    "existing_outputs",
    "export_marks",
    "resolve_output",
]


class ExportFormat(StrEnum):
    ANNOTATED_PDF = "pdf"
    MARKDOWN = "md"
    HTML = "html"
    REPORT_PDF = "report-pdf"
    CSV = "csv"
    W3C = "w3c"
    CHRONOLOGY_CSV = "chronology-csv"  # the facts (marks with a date), in date order
    CHRONOLOGY_MD = "chronology-md"
    CHRONOLOGY_HTML = "chronology-html"
    CHRONOLOGY_PDF = "chronology-pdf"
    PRIVILEGE_LOG = "privilege-log"  # documents and redactions tagged Privilege/… (CSV)

    @property
    def is_chronology(self) -> bool:
        return self.value.startswith("chronology-")


FORMAT_NAMES = {
    ExportFormat.ANNOTATED_PDF: "Annotated PDF copies",
    ExportFormat.HTML: "Report (HTML)",
    ExportFormat.REPORT_PDF: "Report (PDF)",
    ExportFormat.MARKDOWN: "Report (Markdown)",
    ExportFormat.CSV: "Spreadsheet (CSV)",
    ExportFormat.W3C: "W3C Web Annotations (JSON-LD)",
    ExportFormat.CHRONOLOGY_CSV: "Chronology (CSV)",
    ExportFormat.CHRONOLOGY_MD: "Chronology (Markdown)",
    ExportFormat.CHRONOLOGY_HTML: "Chronology (HTML)",
    ExportFormat.CHRONOLOGY_PDF: "Chronology (PDF)",
    ExportFormat.PRIVILEGE_LOG: "Privilege log (CSV)",
}
SUFFIXES = {
    ExportFormat.MARKDOWN: ".md",
    ExportFormat.HTML: ".html",
    ExportFormat.REPORT_PDF: ".pdf",
    ExportFormat.CSV: ".csv",
    ExportFormat.W3C: ".jsonld",
    ExportFormat.ANNOTATED_PDF: ".pdf",
    ExportFormat.CHRONOLOGY_CSV: ".csv",
    ExportFormat.CHRONOLOGY_MD: ".md",
    ExportFormat.CHRONOLOGY_HTML: ".html",
    ExportFormat.CHRONOLOGY_PDF: ".pdf",
    ExportFormat.PRIVILEGE_LOG: ".csv",
}


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: ExportFormat
    path: Path  # the file written, or the folder of annotated copies
    marks: int  # how many marks went out (annotated copies: how many files)
    files: tuple[Path, ...] = ()  # every file written

    @property
    def folder(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent


def _unique(path: Path) -> Path:
    stem, suffix, number = path.stem, path.suffix, 2
    while path.exists():
        path = path.with_name(f"{stem} ({number}){suffix}")
        number += 1
    return path


def default_output(
    case: Case, fmt: ExportFormat, options: ReportOptions, export_folder: str = ""
) -> Path:
    """A new file (or folder) in the preferred export folder, else the case's exports/."""
    folder = Path(export_folder) if export_folder else case.layout.exports
    case_name = safe_file_name(case.path.name, "case")
    if fmt is ExportFormat.ANNOTATED_PDF:
        if len(options.docs) == 1:
            title = safe_file_name(case.document(options.docs[0]).title, "document")
            return _unique(folder / f"{title} (annotated).pdf")
        return _unique(folder / f"{case_name} annotated")
    stamp = datetime.now().strftime("%Y-%m-%d")
    grouped = " by tag" if options.group is Grouping.TAG else ""
    name = "annotations" if fmt is ExportFormat.W3C else f"marks{grouped}"
    if fmt.is_chronology:
        name = "chronology"
    if fmt is ExportFormat.PRIVILEGE_LOG:
        name = "privilege log"
    return _unique(folder / f"{case_name} {name} {stamp}{SUFFIXES[fmt]}")


class ExportExists(DocketError):
    """The export would replace files already there, and replacing was not asked for."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)
        shown = ", ".join(str(path) for path in self.paths[:3])
        more = f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else ""
        verb = "exists" if len(self.paths) == 1 else "exist"
        super().__init__(f"{shown}{more} already {verb}")


def names_folder(out: Path | str) -> bool:
    """`out` means a folder: one that exists, or a path typed with a trailing separator."""
    text = str(out)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def resolve_output(
    case: Case,
    fmt: ExportFormat,
    options: ReportOptions,
    out: Path | str | None,
    export_folder: str = "",
) -> Path:
    """The path an export writes: `out` itself, a new name inside `out` when it
    names a folder, else a new name in the export folder.

    Annotated copies of several documents are a folder, so a folder `out` is
    kept as it is for them.
    """
    if out is None or not str(out).strip():
        return default_output(case, fmt, options, export_folder)
    if not names_folder(out):
        return Path(out)
    if fmt is ExportFormat.ANNOTATED_PDF and len(options.docs) != 1:
        return Path(out)
    return default_output(case, fmt, options, str(out))


def existing_outputs(fmt: ExportFormat, out: Path, options: ReportOptions) -> list[Path]:
    """The files already on disk that exporting to `out` would replace.

    None for a folder of annotated copies: their names are numbered around
    files already there (unless replacing is asked for).
    """
    if fmt is ExportFormat.ANNOTATED_PDF and (len(options.docs) != 1 or out.is_dir()):
        return []
    return [out] if out.exists() or out.is_symlink() else []


def check_output(case: Case, path: Path) -> None:
    """Refuse to write where the case keeps its own files: originals, database, index."""
    target = Path(path).resolve()
    layout = case.layout
    for kept in (layout.files, layout.index):
        if target == kept or kept in target.parents:
            raise DocketError(
                f"{path} is inside the case's {kept.name}/ folder; "
                "choose another place for the export"
            )
    if target in (layout.database, layout.root):
        raise DocketError(f"{path} is the case itself; choose another place for the export")


def write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    """`write` fills a temporary file beside `path`, renamed over it when whole.

    A failure leaves nothing: not the temporary file, nor a folder made for it.
    """
    made = missing_folders(path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(
        prefix=f".{path.stem[:40]}-", suffix=path.suffix, dir=path.parent
    )
    os.close(handle)
    try:
        count = write(Path(temp))
        if not os.path.getsize(temp):
            raise DocketError(f"nothing could be written to {path}")
        give_ordinary_permissions(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        remove_empty_folders(made)
        raise
    return count


def export_marks(
    case: Case,
    fmt: ExportFormat,
    out: Path,
    options: ReportOptions | None = None,
    *,
    colour_names: dict[str, str] | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    overwrite: bool = False,
) -> ExportResult:
    """Write the chosen marks to `out` in `fmt`; safe to run on a worker thread.

    `out` naming a folder gets a new name inside it (see resolve_output); files
    already there are replaced only with `overwrite`, else ExportExists.
    """
    options = options or ReportOptions()
    out = resolve_output(case, fmt, options, out)
    check_output(case, out)
    if not overwrite and (taken := existing_outputs(fmt, out, options)):
        raise ExportExists(taken)
    if colour_names is None:
        from docket.core.preferences import load_preferences

        colour_names = load_preferences().display_colour_names()
    progress(Progress(0, 1, 0, str(out)))
    try:
        if fmt is ExportFormat.ANNOTATED_PDF:
            files = _annotated(case, out, options, overwrite)
            count = len(files)
        else:
            count = write_atomically(
                out, lambda temp: _write(case, fmt, temp, options, colour_names, cancel)
            )
            files = [out]
    except OSError as error:  # a folder that cannot be written, a full disk: one clear line
        raise DocketError(f"cannot write {out}: {error.strerror or error}") from error
    progress(Progress(1, 1, 0, str(out)))
    return ExportResult(fmt, out, count, tuple(files))


def _write(
    case: Case,
    fmt: ExportFormat,
    temp: Path,
    options: ReportOptions,
    colour_names: dict[str, str],
    cancel: CancelToken | None,
) -> int:
    if fmt is ExportFormat.CSV:
        from docket.core.export.spreadsheet import write_csv

        return write_csv(case, temp, options, colour_names, cancel)
    if fmt is ExportFormat.W3C:
        from docket.core.export.webannotation import write_web_annotations

        return write_web_annotations(case, temp, options, cancel)
    if fmt is ExportFormat.PRIVILEGE_LOG:
        from docket.core.export.privilegelog import write_privilege_log

        return write_privilege_log(case, temp, options)
    if fmt.is_chronology:
        from docket.core.export.chronology import write_chronology

        return write_chronology(case, fmt.value.removeprefix("chronology-"), temp, options)
    report = build_report(case, options, colour_names, cancel=cancel)
    if fmt is ExportFormat.REPORT_PDF:
        from docket.core.export.reportpdf import write_report_pdf  # Qt is loaded only for this

        write_report_pdf(report, temp)
    else:
        from docket.core.export.html import render_html
        from docket.core.export.markdown import render_markdown

        render = render_html if fmt is ExportFormat.HTML else render_markdown
        temp.write_text(render(report), encoding="utf-8")
    return report.mark_count


def _annotated(case: Case, out: Path, options: ReportOptions, overwrite: bool) -> list[Path]:
    """Annotated copies: one document to one file, else a folder of them."""
    from docket.core.export import annotatedpdf  # pypdf work, loaded when asked for

    if len(options.docs) == 1 and not out.is_dir():
        made = missing_folders(out.parent)
        try:
            annotatedpdf.export_annotated_pdf(
                case, options.docs[0], out, selected_marks(case, options)
            )
        except BaseException:
            remove_empty_folders(made)
            raise
        return [out]
    where = MarkFilter(tag=options.tag, colour=options.colour)
    return annotatedpdf.export_annotated_pdfs(
        case, out, _annotated_docs(case, options), where, replace=overwrite
    )


def _annotated_docs(case: Case, options: ReportOptions) -> list[int]:
    """The documents annotated copies are made of: those chosen, else every one with a
    mark the options let through."""
    if options.docs:
        return list(options.docs)
    where = MarkFilter(tag=options.tag, colour=options.colour)
    return sorted({mark.doc for mark in case.marking.marks(where)})
