"""The chronology written out: CSV, Markdown, HTML and PDF, one row per fact in date order.

The facts are `case.chronology`'s (a mark with a date), with their pin cites;
`ReportOptions`' documents and tag choose among them as they choose the marks
of a report. The writers reuse the report's: CSV cells made safe from
formulas and written with a BOM (spreadsheet.py), Markdown escaping
(markdown.py), a self-contained HTML page under a Content-Security-Policy
that loads nothing (html.py), and Qt's typesetting into PDF (reportpdf.py).
"""

from __future__ import annotations

import csv
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from docket import __version__
from docket.core.chronology.facts import Fact, FactFilter
from docket.core.counts import count
from docket.core.export.markdown import escape as md_escape
from docket.core.export.reportmodel import ReportOptions
from docket.core.export.spreadsheet import TAG_JOIN, safe_cell

if TYPE_CHECKING:
    from docket.core.case import Case

CSV_HEADER = (
    "Date",
    "Date as written",
    "Circa",
    "Status",
    "Fact",
    "Note",
    "Source",
    "Tags",
    "Document ID",
    "Page",
    "Mark ID",
)
_HTML_STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, "Segoe UI", "DejaVu Sans", "Noto Sans", sans-serif;
       color: #1d1d1f; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
.meta { color: #6e6e73; margin: .2rem 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem;
         border-bottom: 1px solid #d8d8dc; }
th { font-size: .85rem; color: #6e6e73; }
td.date { white-space: nowrap; font-weight: 600; }
.note { color: #3a3a3c; margin-top: .25rem; white-space: pre-wrap; }
.status-disputed { color: #b3261e; font-weight: 600; }
.tag { display: inline-block; border: 1px solid #c7c7cc; border-radius: .7em;
       padding: 0 .5em; margin: 0 .2em .2em 0; font-size: .85rem; }
@media print { body { max-width: none; margin: 0; } tr { break-inside: avoid; } }
"""


def chronology_facts(case: Case, options: ReportOptions) -> list[Fact]:
    """The facts an export writes: of the documents and tag chosen, in date order."""
    facts = case.chronology.facts(FactFilter(tag=options.tag))
    if options.docs:
        facts = [fact for fact in facts if fact.mark.doc in options.docs]
    return facts


def title_of(case: Case) -> str:
    return f"Chronology — {case.path.name}"


def write_chronology_csv(facts: list[Fact], path: Path) -> int:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for fact in facts:
            mark = fact.mark
            writer.writerow(
                [
                    fact.date.stored,
                    safe_cell(fact.date_text),
                    "yes" if fact.date.circa else "",
                    fact.status,
                    safe_cell(fact.quote),
                    safe_cell(mark.note if mark.quote else ""),
                    safe_cell(fact.citation.cite),
                    safe_cell(TAG_JOIN.join(mark.tags)),
                    mark.doc,
                    mark.page if mark.page is not None else "",
                    mark.id,
                ]
            )
    return len(facts)


def render_chronology_markdown(facts: list[Fact], title: str) -> str:
    def cell(text: str) -> str:
        return md_escape(" ".join(text.split()))

    lines = [f"# {md_escape(title)}", "", count(len(facts), "fact"), ""]
    if not facts:
        return "\n".join([*lines, "_No facts match._", ""])
    lines += ["| Date | Fact | Source | Status | Tags |", "|---|---|---|---|---|"]
    for fact in facts:
        words = f"“{cell(fact.quote)}”" if fact.mark.quote else cell(fact.quote)
        if fact.mark.quote and fact.mark.note.strip():
            words += f" — {cell(fact.mark.note)}"
        tags = ", ".join(cell(tag) for tag in fact.mark.tags)
        row = (cell(fact.date.label), words, cell(fact.citation.cite), fact.status, tags)
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def _fact_cell(fact: Fact) -> str:
    words = escape(fact.quote)
    text = f"“{words}”" if fact.mark.quote else words
    if fact.mark.quote and fact.mark.note.strip():
        text += f'<div class="note">{escape(fact.mark.note.strip())}</div>'
    return text


def render_chronology_html(facts: list[Fact], title: str) -> str:
    rows = [
        "<tr>"
        f'<td class="date">{escape(fact.date.label)}</td>'
        f'<td dir="auto">{_fact_cell(fact)}</td>'
        f"<td>{escape(fact.citation.cite)}</td>"
        f'<td class="status-{escape(fact.status)}">{escape(fact.status)}</td>'
        f"<td>{''.join(f'<span class=tag>{escape(t)}</span>' for t in fact.mark.tags)}</td>"
        "</tr>"
        for fact in facts
    ]
    table = (
        "<table><thead><tr><th>Date</th><th>Fact</th><th>Source</th><th>Status</th>"
        f"<th>Tags</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if facts
        else '<p class="meta"><i>No facts match.</i></p>'
    )
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta http-equiv="Content-Security-Policy" '
                "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
                f'<meta name="generator" content="Docket {__version__}">',
                f"<title>{escape(title)}</title>",
                f"<style>{_HTML_STYLE}</style>",
                "</head>",
                "<body>",
                f"<h1>{escape(title)}</h1>",
                f'<p class="meta">{count(len(facts), "fact")}</p>',
                table,
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )


def qt_chronology_html(facts: list[Fact], title: str) -> str:
    """The table in the HTML subset QTextDocument typesets (for the PDF)."""
    rows = "".join(
        "<tr>"
        f"<td><b>{escape(fact.date.label)}</b></td>"
        f"<td>{_fact_cell(fact)}</td>"
        f'<td><span style="font-size: 9pt">{escape(fact.citation.cite)}</span></td>'
        f'<td><span style="font-size: 9pt">{escape(fact.status)}</span></td>'
        f'<td><span style="font-size: 8.5pt">{escape(", ".join(fact.mark.tags))}</span></td>'
        "</tr>"
        for fact in facts
    )
    table = (
        '<table width="100%" border="0.5" cellspacing="0" cellpadding="4">'
        # Qt shares a table's width equally unless told: the fact's words get the most.
        '<tr><th width="15%" align="left">Date</th><th width="38%" align="left">Fact</th>'
        '<th width="17%" align="left">Source</th><th width="13%" align="left">Status</th>'
        '<th width="17%" align="left">Tags</th></tr>'
        f"{rows}</table>"
        if facts
        else "<p><i>No facts match.</i></p>"
    )
    return (
        f'<html><body><h1 style="font-size: 17pt">{escape(title)}</h1>'
        f'<p style="color: #6e6e73">{count(len(facts), "fact")}</p>{table}</body></html>'
    )


def write_chronology(case: Case, kind: str, path: Path, options: ReportOptions) -> int:
    """Write the chronology as `kind` ('csv', 'md', 'html' or 'pdf'); how many facts."""
    facts = chronology_facts(case, options)
    title = title_of(case)
    if kind == "csv":
        return write_chronology_csv(facts, path)
    if kind == "pdf":
        from docket.core.export.reportpdf import typeset_pdf  # Qt is loaded only for this

        typeset_pdf(qt_chronology_html(facts, title), title, path)
        return len(facts)
    render = render_chronology_html if kind == "html" else render_chronology_markdown
    path.write_text(render(facts, title), encoding="utf-8")
    return len(facts)
