"""Renders the sample case's PDFs from the plain-text sources in `sources/`.

    python resources/sample-case/build_pdfs.py [complaint deposition letter]

The PDFs are committed; run this again only after editing a source. Pages
are drawn with QPdfWriter + QPainter so that QtPdf, the program's canonical
extractor, reads the text back exactly; page labels, the outline and fixed
dates are added afterwards with pypdf, which QPdfWriter cannot write.

Source format (UTF-8): `%key: value` lines at the top, then pages separated
by form feeds; pages are laid out by hand, and text that runs past the
bottom margin is an error. Keys: title, author, subject, keywords, date
(YYYY-MM-DD), layout (`prose` or `transcript`), header and footer
(`left | right` or `left | centre | right`, with {page}, {pages}, {label}
and {number}, the label's number), first-label (`Dep. 12`: pages are
labelled Dep. 12, Dep. 13…), indent (of a paragraph's first line, points),
tabs (tab stops, points), outline (`page:line title`, for transcripts).

In the prose layout, blocks are separated by blank lines:

    ## HEADING      centred, bold, in the outline    ### Subheading  bold, in the outline
    # line          centred, bold                    ^ line          centred
    > line          right-aligned                    | line          as is; tabs go to tab stops
    anything else   a justified paragraph; `{-}` marks where a word may be hyphenated

In the transcript layout every source line is one numbered line, 25 a page.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QMarginsF, QPointF, QUuid
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

if TYPE_CHECKING:
    from pypdf import PdfWriter

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
DOCUMENTS = ("complaint", "deposition", "letter")

# Points: the writer runs at 72 dpi, so one device unit is one point. A4.
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
LEFT = RIGHT = 72.0
FIRST_BASELINE = 84.0
LAST_BASELINE = 772.0
HEADER_BASELINE = 46.0
FOOTER_BASELINE = 806.0
BODY_SIZE = 11.0
SMALL_SIZE = 8.5
LINE_HEIGHT = (
    15.0  # about 1.3 lines: room to annotate between lines, and the complaint fits 3 pages
)
PARAGRAPH_GAP = 6.0
HEADING_GAP = 10.0

TRANSCRIPT_LINES = 25
TRANSCRIPT_LINE_HEIGHT = 26.0  # double spacing, as court reporters type
TRANSCRIPT_TEXT_LEFT = 108.0
TRANSCRIPT_FIRST_BASELINE = 112.0

SERIF = "DejaVu Serif"
HYPHEN_POINT = "{-}"
# Lines drawn as they are, chosen by their first two characters: (font, alignment).
LINE_MARKS = {"# ": ("bold", "centre"), "^ ": ("body", "centre"), "> ": ("body", "right")}
INK = QColor(20, 20, 20)
GREY = QColor(110, 110, 110)


class OutlineItem(NamedTuple):
    title: str
    page: int  # 1-based
    level: int  # 0 for top level
    top: float  # points from the top of the page, where a reader should scroll to


@dataclass
class Source:
    name: str
    meta: dict[str, list[str]]
    pages: list[str]

    def get(self, key: str, default: str = "") -> str:
        values = self.meta.get(key)
        return values[-1] if values else default

    def label_start(self) -> tuple[str, int]:
        """("Dep. ", 12) for `%first-label: Dep. 12`; ("", 1) when pages are not labelled."""
        match = re.fullmatch(r"(.*?)(\d+)", self.get("first-label"))
        return (match.group(1), int(match.group(2))) if match else ("", 1)

    def fields(self, page: int) -> dict[str, object]:
        prefix, start = self.label_start()
        number = start + page - 1
        return {
            "page": page,
            "pages": len(self.pages),
            "label": f"{prefix}{number}",
            "number": number,
        }


@dataclass
class Fonts:
    body: QFont
    bold: QFont
    small: QFont
    metrics: dict[str, QFontMetricsF] = field(default_factory=dict)

    def __getitem__(self, name: str) -> QFont:
        font: QFont = getattr(self, name)
        return font


def parse_source(path: Path) -> Source:
    meta: dict[str, list[str]] = {}
    lines = path.read_text(encoding="utf-8").split("\n")
    while lines and lines[0].startswith("%"):
        key, _, value = lines.pop(0)[1:].partition(":")
        meta.setdefault(key.strip(), []).append(value.strip())
    pages = "\n".join(lines).split("\f")
    return Source(path.stem, meta, [page.strip("\n") for page in pages])


def make_fonts(writer: QPdfWriter) -> Fonts:
    body = QFont(SERIF)
    body.setPointSizeF(BODY_SIZE)
    if QFontInfo(body).family() != SERIF:
        # Another font changes every line break: say so rather than ship a surprise.
        print(f"warning: {SERIF} is not installed; using {QFontInfo(body).family()}")
    bold = QFont(body)
    bold.setBold(True)
    small = QFont(body)
    small.setPointSizeF(SMALL_SIZE)
    fonts = Fonts(body, bold, small)
    for name in ("body", "bold", "small"):
        # Measured on the writer, so widths are in points, not screen pixels.
        fonts.metrics[name] = QFontMetricsF(fonts[name], writer)
    return fonts


class Renderer:
    """Draws one source onto a QPdfWriter, page by page."""

    def __init__(self, source: Source, writer: QPdfWriter, painter: QPainter) -> None:
        self.source = source
        self.writer = writer
        self.painter = painter
        self.fonts = make_fonts(writer)
        self.outline: list[OutlineItem] = []
        self.room: list[float] = []  # points left at the foot of each prose page
        tabs = [float(t) for t in source.get("tabs").split()]
        self.tabs = tabs or [36.0 * n for n in range(1, 15)]
        self.indent = float(source.get("indent", "36"))

    def render(self) -> None:
        transcript = self.source.get("layout", "prose") == "transcript"
        for number, text in enumerate(self.source.pages, start=1):
            if number > 1:
                self.writer.newPage()
            # Header, body, footer in reading order: PDFium extracts text in drawing order.
            fields = self.source.fields(number)
            header = self.source.get("header")
            if header and (transcript or number > 1):  # page 1 has a caption or letterhead
                self.draw_furniture(header.format(**fields), HEADER_BASELINE, rule=True)
            if transcript:
                self.draw_transcript_page(number, text)
            else:
                self.draw_prose_page(number, text)
            footer = self.source.get("footer")
            if footer:
                self.draw_furniture(footer.format(**fields), FOOTER_BASELINE, rule=False)
        for entry in self.source.meta.get("outline", []):
            where, _, title = entry.partition(" ")
            page, _, line = where.partition(":")
            top = TRANSCRIPT_FIRST_BASELINE + (int(line or 1) - 1) * TRANSCRIPT_LINE_HEIGHT
            self.outline.append(OutlineItem(title, int(page), 0, top - 20))

    # Headers and footers ------------------------------------------------------------

    def draw_furniture(self, text: str, baseline: float, rule: bool) -> None:
        """Draws `left | right` or `left | centre | right` in small grey type."""
        parts = [part.strip() for part in text.split("|")]
        if len(parts) == 2:
            parts.insert(1, "")
        texts = [*parts, "", ""][:3]
        metrics = self.fonts.metrics["small"]
        widths = [metrics.horizontalAdvance(part) for part in texts]
        starts = [LEFT, (PAGE_WIDTH - widths[1]) / 2, PAGE_WIDTH - RIGHT - widths[2]]
        placed = [(x, x + w) for part, x, w in zip(texts, starts, widths, strict=True) if part]
        if any(end + 6 > start for (_, end), (start, _) in itertools.pairwise(placed)):
            raise SystemExit(f"{self.source.name}: header or footer parts overlap: {text!r}")
        self.painter.setFont(self.fonts.small)
        self.painter.setPen(GREY)
        for part, x in zip(texts, starts, strict=True):
            self.painter.drawText(QPointF(x, baseline), part)
        if rule:
            y = baseline + 6
            self.painter.drawLine(QPointF(LEFT, y), QPointF(PAGE_WIDTH - RIGHT, y))
        self.painter.setPen(INK)

    # Transcript pages ---------------------------------------------------------------

    def draw_transcript_page(self, page: int, text: str) -> None:
        lines = text.split("\n")
        if len(lines) > TRANSCRIPT_LINES:
            raise SystemExit(f"{self.source.name}: page {page} has {len(lines)} lines, not 25")
        painter, metrics = self.painter, self.fonts.metrics["body"]
        # The double rule left of the text and the single one on the right are what
        # make a page read as a transcript at a glance.
        top, bottom = TRANSCRIPT_FIRST_BASELINE - 22, LAST_BASELINE - 6
        painter.setPen(QPen(GREY, 0.6))
        for x in (TRANSCRIPT_TEXT_LEFT - 10, TRANSCRIPT_TEXT_LEFT - 7, PAGE_WIDTH - RIGHT + 6):
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setFont(self.fonts.body)
        for row in range(TRANSCRIPT_LINES):
            baseline = TRANSCRIPT_FIRST_BASELINE + row * TRANSCRIPT_LINE_HEIGHT
            number = str(row + 1)
            painter.setPen(GREY)
            x = TRANSCRIPT_TEXT_LEFT - 18 - metrics.horizontalAdvance(number)
            painter.drawText(QPointF(x, baseline), number)
            painter.setPen(INK)
            if row < len(lines) and lines[row].strip():
                self.draw_tabbed(lines[row], TRANSCRIPT_TEXT_LEFT, baseline, "body")

    # Prose pages --------------------------------------------------------------------

    def draw_prose_page(self, page: int, text: str) -> None:
        y = FIRST_BASELINE
        for block in re.split(r"\n\s*\n", text):
            if block.strip():
                y = self.draw_block(block.strip("\n"), y, page)
        self.room.append(LAST_BASELINE - (y - LINE_HEIGHT - PARAGRAPH_GAP))

    def draw_block(self, block: str, y: float, page: int) -> float:
        """Draws one block with its first baseline at `y`; returns the next block's baseline."""
        for mark, level in (("### ", 1), ("## ", 0)):
            if block.startswith(mark):
                title = block[len(mark) :].strip()
                y += HEADING_GAP if level == 0 else 0
                # Headings are set in capitals; the outline reads better in sentence case.
                entry = title if level else title.capitalize()
                self.outline.append(OutlineItem(entry, page, level, y - 16))
                self.draw_line(title, y, "bold", "left" if level else "centre")
                return y + LINE_HEIGHT + PARAGRAPH_GAP
        lines = block.split("\n")
        if all(line[:2] in LINE_MARKS or line[:1] == "|" for line in lines):
            for line in lines:
                if line[:1] == "|":
                    self.draw_tabbed(line[1:], LEFT, y, "body")
                else:
                    font, align = LINE_MARKS[line[:2]]
                    self.draw_line(line[2:].strip(), y, font, align)
                y += LINE_HEIGHT
            return y + PARAGRAPH_GAP
        return self.draw_paragraph(" ".join(line.strip() for line in lines), y)

    def draw_line(self, text: str, y: float, font: str, align: str) -> None:
        self.painter.setFont(self.fonts[font])
        width = self.fonts.metrics[font].horizontalAdvance(text)
        x = {"left": LEFT, "centre": (PAGE_WIDTH - width) / 2, "right": PAGE_WIDTH - RIGHT - width}
        self.painter.drawText(QPointF(x[align], y), text)

    def draw_tabbed(self, text: str, left: float, y: float, font: str) -> None:
        """Draws a line whose tabs jump to the next tab stop (caption columns, Q and A)."""
        self.painter.setFont(self.fonts[font])
        metrics = self.fonts.metrics[font]
        x = left
        for index, piece in enumerate(text.split("\t")):
            if index:
                x = left + next((t for t in self.tabs if left + t > x + 2), x - left + 12)
            if piece:
                self.painter.drawText(QPointF(x, y), piece)
                x += metrics.horizontalAdvance(piece)
        if x > PAGE_WIDTH - RIGHT + 1:
            raise SystemExit(f"{self.source.name}: a line runs into the right margin: {text!r}")

    def draw_paragraph(self, text: str, y: float) -> float:
        """Word-wraps and justifies a paragraph, hyphenating at `{-}` marks; returns the
        next block's baseline."""
        metrics = self.fonts.metrics["body"]
        space = metrics.horizontalAdvance(" ")
        words = text.split()
        line: list[str] = []
        x = LEFT + self.indent
        while words:
            word = words.pop(0)
            plain = word.replace(HYPHEN_POINT, "")
            used = sum(metrics.horizontalAdvance(w) for w in line) + space * len(line)
            room = PAGE_WIDTH - RIGHT - x
            if not line or used + metrics.horizontalAdvance(plain) <= room:
                line.append(plain)
                continue
            head, tail = self.split_word(word, room - used)
            if head:
                line.append(head + "-")
                words.insert(0, tail)
            else:
                words.insert(0, word)
            self.draw_words(line, x, y, justify=True)
            y += LINE_HEIGHT
            line, x = [], LEFT
        self.draw_words(line, x, y, justify=False)
        return y + LINE_HEIGHT + PARAGRAPH_GAP

    def split_word(self, word: str, room: float) -> tuple[str, str]:
        """The longest `{-}`-marked head of `word` that fits in `room` with its hyphen."""
        metrics = self.fonts.metrics["body"]
        pieces = word.split(HYPHEN_POINT)
        for cut in range(len(pieces) - 1, 0, -1):
            head = "".join(pieces[:cut])
            if metrics.horizontalAdvance(head + "-") <= room:
                return head, HYPHEN_POINT.join(pieces[cut:])
        return "", word

    def draw_words(self, words: list[str], x: float, y: float, justify: bool) -> None:
        metrics = self.fonts.metrics["body"]
        self.painter.setFont(self.fonts.body)
        widths = [metrics.horizontalAdvance(w) for w in words]
        gap = metrics.horizontalAdvance(" ")
        if justify and len(words) > 1:
            gap = (PAGE_WIDTH - RIGHT - x - sum(widths)) / (len(words) - 1)
        # Word by word, so that justified gaps are exact; PDFium reads the gaps as spaces,
        # and a line ending in "-" as a hyphenated word (U+FFFE), as in real documents.
        for word, width in zip(words, widths, strict=True):
            self.painter.drawText(QPointF(x, y), word)
            x += width + gap


def render(source: Source, target: Path) -> Renderer:
    """Writes `target` from `source`; the renderer returned knows the outline to add."""
    writer = QPdfWriter(str(target))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setResolution(72)
    writer.setTitle(source.get("title"))
    writer.setAuthor(source.get("author"))
    writer.setCreator("Docket sample case (resources/sample-case/build_pdfs.py)")
    # A document id derived from the name, so rebuilding does not churn it.
    namespace = QUuid("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # the RFC 4122 URL namespace
    writer.setDocumentId(QUuid.createUuidV5(namespace, source.name.encode()))
    painter = QPainter(writer)
    renderer = Renderer(source, writer, painter)
    try:
        renderer.render()
    finally:
        painter.end()
    return renderer


def finish(source: Source, target: Path, outline: list[OutlineItem]) -> None:
    """Adds with pypdf what QPdfWriter cannot write: page labels, the outline, the
    document's own dates (not the build's), subject and keywords."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import Fit, IndirectObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(target.read_bytes())))
    prefix, start = source.label_start()
    if source.get("first-label"):
        writer.set_page_label(
            0,
            len(writer.pages) - 1,
            style=PageLabelStyle.DECIMAL,
            prefix=prefix or None,
            start=start,
        )
    parents: list[IndirectObject] = []
    for item in outline:
        parent = parents[item.level - 1] if 0 < item.level <= len(parents) else None
        # An explicit position and zoom: QtPdf warns about, and ignores, bare /Fit targets.
        fit = Fit.xyz(left=0, top=PAGE_HEIGHT - item.top, zoom=0)
        entry = writer.add_outline_item(
            title=item.title, page_number=item.page - 1, parent=parent, fit=fit
        )
        del parents[item.level :]
        parents.append(entry)
    if outline:
        writer.page_mode = "/UseOutlines"
    date = source.get("date")
    info = {"/Subject": source.get("subject"), "/Keywords": source.get("keywords")}
    if date:  # the document's own date, 10:00 in Aktau (UTC+5), not the build's
        pdf_date = "D:" + date.replace("-", "") + "100000+05'00'"
        info |= {"/CreationDate": pdf_date, "/ModDate": pdf_date}
        _set_xmp_dates(writer, f"{date}T10:00:00+05:00")
    writer.add_metadata({key: value for key, value in info.items() if value})
    with open(target, "wb") as handle:
        writer.write(handle)


def _set_xmp_dates(writer: PdfWriter, iso_date: str) -> None:
    """QPdfWriter stamps the XMP metadata with the build time; readers that prefer XMP
    would show it, and every rebuild would change the file."""
    reference = writer.root_object.get("/Metadata")
    if reference is None:
        return
    stream = reference.get_object()
    pattern = rb'(xmp:(?:CreateDate|ModifyDate|MetadataDate)=")[^"]*"'
    stream.set_data(re.sub(pattern, rb"\g<1>" + iso_date.encode() + b'"', stream.get_data()))


def main(names: list[str]) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication([])  # QPainter needs it for fonts, for as long as it draws
    for name in names or DOCUMENTS:
        source = parse_source(SOURCES / f"{name}.txt")
        target = HERE / f"{name}.pdf"
        renderer = render(source, target)
        finish(source, target, renderer.outline)
        room = ", ".join(f"{r:.0f}" for r in renderer.room)
        print(
            f"wrote {target.name}: {len(source.pages)} pages"
            + (f"; room left at the foot: {room} pt" if room else "")
        )
        if any(r < 0 for r in renderer.room):
            raise SystemExit(f"{name}: a page runs past the bottom margin; move a form feed")
    del app


if __name__ == "__main__":
    main(sys.argv[1:])
