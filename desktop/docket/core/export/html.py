"""The report as one self-contained HTML file: to read in any browser, mail, or print.

Everything is inside the file (CSS inline, no fonts, scripts or images from
anywhere), and a Content-Security-Policy forbids loading anything else, so
opening a confidential report never touches the network. All user text is
escaped; the only values placed in CSS are the colour table's own "#rrggbb".
"""

from __future__ import annotations

import re
from html import escape

from docket import __version__
from docket.core.export.reportmodel import UNKNOWN_RGB, Report, ReportItem, kind_label, summary_line
from docket.core.model.marks import MarkKind

_RGB = re.compile(r"#[0-9a-fA-F]{6}")

STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Noto Sans",
       sans-serif; color: #1d1d1f; background: #fff; max-width: 46rem; margin: 2.5rem auto;
       padding: 0 1.25rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem;
     border-bottom: 1px solid #d8d8dc; }
h2 .count { font-weight: normal; color: #6e6e73; font-size: .85rem; margin-left: .3rem; }
.meta, .filters { color: #6e6e73; margin: .2rem 0; padding: 0; list-style: none; }
.legend { display: flex; flex-wrap: wrap; gap: .35rem 1.2rem; list-style: none; padding: 0;
          margin: .8rem 0 0; font-size: .9rem; }
nav ol { columns: 2; font-size: .92rem; padding-left: 1.3rem; }
nav a { color: #0b57d0; text-decoration: none; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
          margin-right: .4em; vertical-align: -.05em; border: 1px solid rgba(0, 0, 0, .25); }
article { margin: 0 0 1.3rem; }
.cite { margin: 0 0 .3rem; font-size: .92rem; }
.cite .colour, .cite .kind { color: #6e6e73; margin-left: .2em; }
blockquote { margin: 0 0 .4rem; padding: .35rem .8rem; border-left: .3rem solid #9e9e9e;
             font-size: 1.02rem; }
.note { margin: .2rem 0 .3rem; white-space: pre-wrap; }
.details { margin: 0; color: #6e6e73; font-size: .85rem; }
.tag { display: inline-block; border: 1px solid #c7c7cc; border-radius: .7em;
       padding: 0 .5em; color: #3a3a3c; }
.empty { color: #6e6e73; font-style: italic; }
@page { margin: 16mm 15mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  article { break-inside: avoid; }
  .swatch, blockquote { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _rgb(value: str) -> str:
    return value if _RGB.fullmatch(value) else UNKNOWN_RGB


def _tint(rgb: str, strength: float = 0.15) -> str:
    """`rgb` laid thinly over white: a quote's background that keeps black text readable."""
    channels = (int(rgb[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in channels)


def _swatch(rgb: str) -> str:
    # Colours are inline styles, not CSS variables: mail readers and other
    # simple HTML viewers keep an inline style and drop what they do not know.
    return f'<span class="swatch" style="background-color: {rgb}"></span>'


def _item(item: ReportItem) -> str:
    mark, rgb = item.mark, _rgb(item.colour_rgb)
    kind = (
        f' <span class="kind">· {kind_label(mark.kind)}</span>'
        if mark.kind is not MarkKind.HIGHLIGHT
        else ""
    )
    # Words are separated by real spaces and dots, not only by CSS margins, so
    # that the report still reads right where its style sheet is ignored.
    parts = [
        "<article>",
        f'<p class="cite">{_swatch(rgb)}<strong>{escape(item.citation)}</strong> '
        f'<span class="colour">{escape(item.colour_name)}</span>{kind}</p>',
    ]
    if mark.quote:
        parts.append(
            f'<blockquote dir="auto" style="border-left-color: {rgb}; '
            f'background-color: {_tint(rgb)}">{escape(mark.quote)}</blockquote>'
        )
    if mark.note.strip():
        parts.append(f'<p class="note" dir="auto">{escape(mark.note.strip())}</p>')
    tags = " ".join(f'<span class="tag">{escape(tag)}</span>' for tag in mark.tags)
    said = [escape(mark.author)] if mark.author else []
    said.append(mark.created.astimezone().strftime("%Y-%m-%d"))
    parts.append(f'<p class="details">{tags + " · " if tags else ""}{" · ".join(said)}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    legend = " ".join(f"<li>{_swatch(_rgb(rgb))}{escape(name)}</li>" for name, rgb in report.legend)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="Docket {__version__}">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="meta">{summary_line(report)}</p>',
    ]
    if report.filters:
        head.append(
            '<ul class="filters">'
            + "".join(f"<li>{escape(line)}</li>" for line in report.filters)
            + "</ul>"
        )
    if legend:
        head.append(f'<ul class="legend">{legend}</ul>')
    head.append("</header>")
    body: list[str] = []
    if len(report.sections) > 1:
        body.append(
            "<nav><ol>"
            + "".join(
                f'<li><a href="#s{number}">{escape(section.heading)}</a></li>'
                for number, section in enumerate(report.sections, start=1)
            )
            + "</ol></nav>"
        )
    if not report.sections:
        body.append('<p class="empty">No marks match.</p>')
    for number, section in enumerate(report.sections, start=1):
        count = len(section.items)
        body.append(
            f'<section id="s{number}"><h2 dir="auto">{escape(section.heading)} '
            f'<span class="count">{count} mark{"" if count == 1 else "s"}</span></h2>'
        )
        body += [_item(item) for item in section.items]
        body.append("</section>")
    return "\n".join([*head, "<main>", *body, "</main>", "</body>", "</html>"]) + "\n"
