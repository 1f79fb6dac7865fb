"""Getting marks out of a case: one entry point for every export format.

    export_marks(case, ExportFormat.HTML, out, ReportOptions(group=Grouping.TAG))

The command line and the window both call `export_marks`. Every file is
written to a temporary name beside the target and renamed into place, so a
crash or a full disk never leaves half a report, and nothing is ever written
inside the case's files/ folder: the originals are never modified.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.errors import DocketError
from docket.core.export.filenames import safe_file_name
from docket.core.export.reportmodel import Grouping, ReportOptions, build_report, selected_marks
from docket.core.model.marks import MarkFilter
from docket.core.progress import CancelToken, Progress, ProgressCallback, no_progress

if TYPE_CHECKING:
    from docket.core.case import Case

__all__ = [
    "ExportFormat",
    "ExportResult",
    "Grouping",
    "ReportOptions",
    "default_output",
    "export_marks",
]


class ExportFormat(StrEnum):
    ANNOTATED_PDF = "pdf"
    MARKDOWN = "md"
    HTML = "html"
    REPORT_PDF = "report-pdf"
    CSV = "csv"
    W3C = "w3c"


FORMAT_NAMES = {
    ExportFormat.ANNOTATED_PDF: "Annotated PDF copies",
    ExportFormat.HTML: "Report (HTML)",
    ExportFormat.REPORT_PDF: "Report (PDF)",
    ExportFormat.MARKDOWN: "Report (Markdown)",
    ExportFormat.CSV: "Spreadsheet (CSV)",
    ExportFormat.W3C: "W3C Web Annotations (JSON-LD)",
}
SUFFIXES = {
    ExportFormat.MARKDOWN: ".md",
    ExportFormat.HTML: ".html",
    ExportFormat.REPORT_PDF: ".pdf",
    ExportFormat.CSV: ".csv",
    ExportFormat.W3C: ".jsonld",
    ExportFormat.ANNOTATED_PDF: ".pdf",
}


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: ExportFormat
    path: Path  # the file written, or the folder of annotated copies
    marks: int  # how many marks went out (annotated copies: how many files)

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
    return _unique(folder / f"{case_name} {name} {stamp}{SUFFIXES[fmt]}")


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
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(
        prefix=f".{path.stem[:40]}-", suffix=path.suffix, dir=path.parent
    )
    os.close(handle)
    try:
        count = write(Path(temp))
        if not os.path.getsize(temp):
            raise DocketError(f"nothing could be written to {path}")
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
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
) -> ExportResult:
    """Write the chosen marks to `out` in `fmt`; safe to run on a worker thread."""
    options = options or ReportOptions()
    out = Path(out)
    check_output(case, out)
    if colour_names is None:
        from docket.core.preferences import load_preferences

        colour_names = load_preferences().display_colour_names()
    progress(Progress(0, 1, 0, str(out)))
    if fmt is ExportFormat.ANNOTATED_PDF:
        count = _annotated(case, out, options)
    else:
        count = write_atomically(
            out, lambda temp: _write(case, fmt, temp, options, colour_names, cancel)
        )
    progress(Progress(1, 1, 0, str(out)))
    return ExportResult(fmt, out, count)


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


def _annotated(case: Case, out: Path, options: ReportOptions) -> int:
    """Annotated copies: one document to one file, else a folder of them."""
    from docket.core.export import annotatedpdf  # pypdf work, loaded when asked for

    if len(options.docs) == 1 and not out.is_dir():
        annotatedpdf.export_annotated_pdf(case, options.docs[0], out, selected_marks(case, options))
        return 1
    where = MarkFilter(tag=options.tag, colour=options.colour)
    return len(annotatedpdf.export_annotated_pdfs(case, out, list(options.docs) or None, where))
