"""The report as a PDF, typeset by Qt itself (QTextDocument into QPdfWriter).

Qt's writer embeds a subset of every font it draws with, and Qt's font
fallback picks a font that has each letter (DejaVu for Cyrillic, Greek and
Arabic, a CJK font where one is installed), so quotes in any script print as
letters, not boxes, and a PDF reader can copy them out again. Only QtGui is
used: this works without a display (the offscreen platform) and on a worker
thread, which is where the window runs it.

QTextDocument knows a subset of HTML 4 and CSS, so this module writes its own
simple table-based HTML rather than reusing the browser report's.
"""

from __future__ import annotations

import os
import sys
from html import escape
from pathlib import Path

from docket.core.errors import DocketError
from docket.core.export.reportmodel import Report, ReportItem, kind_label, summary_line
from docket.core.model.marks import MarkKind

FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica"]
GREY = "#6e6e73"
STYLE = f"""
h1 {{ font-size: 17pt; font-weight: bold; margin-bottom: 2px; }}
h2 {{ font-size: 13pt; font-weight: bold; margin-top: 16px; margin-bottom: 6px; }}
p {{ margin-top: 0px; margin-bottom: 2px; }}
.meta {{ color: {GREY}; }}
.cite {{ font-size: 9pt; }}
.grey {{ color: {GREY}; }}
.quote {{ font-size: 10.5pt; margin-top: 2px; margin-bottom: 3px; }}
.note {{ white-space: pre-wrap; }}
.details {{ font-size: 8.5pt; color: {GREY}; }}
"""

_app: object | None = None  # a QGuiApplication made here must outlive every font it loaded


def _ensure_gui() -> None:
    """QTextDocument needs a QGuiApplication for fonts; the CLI has none, so make one."""
    global _app
    from PySide6.QtGui import QGuiApplication

    existing = QGuiApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise DocketError("a PDF report needs Qt's GUI module, and only its core is running")
        return
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a server has no screen to open
    _app = QGuiApplication(sys.argv[:1])


def _swatch(rgb: str) -> str:
    return f'<span style="background-color: {rgb}">&nbsp;&nbsp;&nbsp;&nbsp;</span>'


def _item(item: ReportItem) -> str:
    mark = item.mark
    kind = f" · {kind_label(mark.kind)}" if mark.kind is not MarkKind.HIGHLIGHT else ""
    body = [
        f'<p class="cite"><b>{escape(item.citation)}</b>&nbsp;&nbsp;'
        f'<span class="grey">{escape(item.colour_name)}{kind}</span></p>'
    ]
    if mark.quote:
        # First-strong isolates keep the quotation marks where an English reader
        # expects them around Arabic or Hebrew words, which still read right to left.
        body.append(f'<p class="quote">“\u2068{escape(mark.quote)}\u2069”</p>')
    if mark.note.strip():
        # Beside a quote, the note is the reader's own words: say so.
        label = "<b>Note:</b> " if mark.quote else ""
        body.append(f'<p class="note">{label}{escape(mark.note.strip())}</p>')
    details = [", ".join(escape(tag) for tag in mark.tags)] if mark.tags else []
    details += [escape(mark.author)] if mark.author else []
    details.append(mark.created.astimezone().strftime("%Y-%m-%d"))
    body.append(f'<p class="details">{" · ".join(details)}</p>')
    # A coloured bar beside the quote, as the browser report's border; a table is
    # the one way QTextDocument draws a block of colour at a paragraph's side.
    return (
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-bottom: 9px">'
        f'<tr><td width="4" bgcolor="{item.colour_rgb}"></td><td width="8"></td>'
        f"<td>{''.join(body)}</td></tr></table>"
    )


def qt_html(report: Report) -> str:
    parts = [
        f"<html><head><style>{STYLE}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="meta">{summary_line(report)}</p>',
    ]
    parts += [f'<p class="meta">{escape(line)}</p>' for line in report.filters]
    if report.legend:
        parts.append(
            '<p class="meta">'
            + "&nbsp;&nbsp;&nbsp; ".join(
                f"{_swatch(rgb)}&nbsp;{escape(name)}" for name, rgb in report.legend
            )
            + "</p>"
        )
    if not report.sections:
        parts.append('<p class="meta"><i>No marks match.</i></p>')
    for section in report.sections:
        count = len(section.items)
        parts.append(
            f"<h2>{escape(section.heading)} "
            f'<span class="grey" style="font-weight: normal; font-size: 9pt">'
            f"&nbsp;{count} mark{'' if count == 1 else 's'}</span></h2>"
        )
        parts += [_item(item) for item in section.items]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report_pdf(report: Report, path: Path) -> None:
    """Typeset `report` into the PDF file `path` (A4, or Letter where the locale uses it)."""
    typeset_pdf(qt_html(report), report.title, path)


def typeset_pdf(page_html: str, title: str, path: Path) -> None:
    """Typeset HTML of the subset QTextDocument knows into the PDF file `path` (the
    report's and the chronology's)."""
    _ensure_gui()
    from PySide6.QtCore import QLocale, QMarginsF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    from docket import __version__

    letter = QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    writer = QPdfWriter(str(path))
    writer.setPageSize(
        QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
    )
    # QTextDocument.print_ adds its own 2 cm margin (and the page number in the
    # bottom one); a margin here as well would make 3.5 cm of empty paper.
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator(f"Docket {__version__}")
    document = QTextDocument()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    document.setHtml(page_html)
    document.print_(writer)  # also numbers the pages at the foot
    del writer  # the file is finished when the writer goes
