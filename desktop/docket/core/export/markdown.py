"""The report as Markdown: readable as plain text, and rendered well by any Markdown tool.

User text (quotes, notes, tags, titles) is escaped, so that a quote that
starts with "#" or holds "*" or "<script>" stays the words it was.
"""

from __future__ import annotations

import re

from docket.core.export.reportmodel import Report, ReportItem, kind_label, summary_line
from docket.core.model.marks import MarkKind

# Characters that mean something inline in CommonMark; backslash-escaped anywhere.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# What would start a heading, list, quote or rule at the start of a line.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def escape(text: str) -> str:
    """Markdown-escaped text; each line keeps its own words."""
    lines = [_LINE_START.sub(r"\1\\\2", _INLINE.sub(r"\\\1", line)) for line in text.split("\n")]
    return "\n".join(lines)


def _paragraphs(text: str) -> str:
    """A note's lines kept as the writer broke them (a hard break is two spaces)."""
    blocks = re.split(r"\n\s*\n", text.strip().replace("\r\n", "\n"))
    return "\n\n".join(
        "  \n".join(escape(line) for line in block.split("\n")) for block in blocks if block.strip()
    )


def _item(item: ReportItem) -> list[str]:
    mark = item.mark
    head = f"**{escape(item.citation)}** — {escape(item.colour_name)}"
    if mark.kind is not MarkKind.HIGHLIGHT:
        head += f" · {kind_label(mark.kind)}"
    lines = [head, ""]
    if mark.quote:
        lines += [f"> {escape(mark.quote)}", ""]
    if mark.note.strip():
        lines += [_paragraphs(mark.note), ""]
    details = []
    if mark.tags:
        details.append("Tags: " + ", ".join(escape(tag) for tag in mark.tags))
    if mark.author:
        details.append(escape(mark.author))
    details.append(mark.created.astimezone().strftime("%Y-%m-%d"))
    lines += ["*" + " · ".join(details) + "*", ""]
    return lines


def render_markdown(report: Report) -> str:
    lines = [f"# {escape(report.title)}", "", summary_line(report), ""]
    lines += [f"- {escape(line)}" for line in report.filters]
    if report.filters:
        lines.append("")
    if report.legend:
        lines += ["Colours: " + ", ".join(escape(name) for name, _ in report.legend), ""]
    if not report.sections:
        lines += ["No marks match.", ""]
    for section in report.sections:
        lines += [f"## {escape(section.heading)}", ""]
        for item in section.items:
            lines += _item(item)
    return "\n".join(lines).rstrip() + "\n"
