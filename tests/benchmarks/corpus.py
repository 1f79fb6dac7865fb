"""Generates a benchmark corpus: PDFs of English legal and news prose, plus text files.

    stats = build_corpus(Path("/tmp/corpus"), pages=20_000)
    python tests/benchmarks/corpus.py /tmp/corpus --pages 2000

Why generated rather than collected: a fresh clone must be able to benchmark
import and search at 20,000 pages without anything beside the repository.
Why this prose: index size, posting lists and query times depend on the term
distribution, so words are drawn by rank with Zipf-like weights from a
vocabulary with a long tail (~150,000 made-up words), in sentences built from
parts of speech; each document has a cast of recurring people and places
(with diacritics: Zhanaözen, Kovačević), dates, amounts and case numbers.
Pages carry 1,800-2,500 characters, a running header and a page number, and
some words are hyphenated at a line end (QtPdf reads those as U+FFFE).

Content depends only on the seed and the file's number, so any number of
processes gives the same corpus. A manifest (corpus.json) records the
parameters; calling again with the same ones reuses the folder.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docket  # noqa: F401 - guards None against PySide6's refcount bug (docket._nonefix)

MANIFEST = "corpus.json"
# Bump when the generated files change, so stale cached corpora are rebuilt.
GENERATOR_VERSION = 3  # 2: glyphs merged into text runs; 3: compressed again
CHARS_PER_PAGE = (1800, 2500)
HYPHENATE = 0.12  # chance that a long word at a line end is split: ~1 page in 3, as measured

from tests.benchmarks.corpus_prose import (  # noqa: E402
    Prose,
)
from tests.benchmarks.corpus_words import (  # noqa: E402
    VOWELS,
)

# --- PDF layout -------------------------------------------------------------------------

_APP: Any = None


def qt_app() -> Any:
    """A QGuiApplication for QPainter's fonts, made once per process, offscreen."""
    global _APP
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _APP = QGuiApplication.instance() or QGuiApplication([])
    return _APP


class Measure:
    """Word widths in points, cached: there are few distinct words per process."""

    def __init__(self, font: Any, device: Any) -> None:
        from PySide6.QtGui import QFontMetricsF

        self.metrics = QFontMetricsF(font, device)
        self.cache: dict[str, float] = {}
        self.space = self.metrics.horizontalAdvance(" ")

    def __call__(self, word: str) -> float:
        width = self.cache.get(word)
        if width is None:
            width = self.cache[word] = self.metrics.horizontalAdvance(word)
        return width


def wrap(text: str, width: float, measure: Measure, rng: random.Random) -> list[str]:
    """Greedy line breaking; a long word that does not fit is sometimes hyphenated."""
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    words = text.split(" ")
    index = 0
    while index < len(words):
        word = words[index]
        needed = measure(word) + (measure.space if line else 0.0)
        if used + needed <= width or not line:
            line.append(word)
            used += needed
            index += 1
            continue
        room = width - used - measure.space
        if len(word) >= 7 and word.isalpha() and rng.random() < HYPHENATE:
            for cut in range(len(word) - 3, 2, -1):
                # Before a consonant that starts a syllable (defen-dant), as people hyphenate.
                syllable = word[cut] not in VOWELS and word[cut + 1] in VOWELS
                if syllable and measure(word[:cut] + "-") <= room:
                    line.append(word[:cut] + "-")
                    words[index] = word[cut:]
                    break
        lines.append(" ".join(line))
        line, used = [], 0.0
    if line:
        lines.append(" ".join(line))
    return lines


@dataclass(frozen=True)
class PdfJob:
    path: str
    number: int
    pages: int
    seed: int


def write_pdf(job: PdfJob) -> tuple[str, int, int]:
    """Writes one generated PDF; returns (file name, pages, bytes)."""
    qt_app()
    from PySide6.QtCore import QMarginsF, QPointF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    rng = random.Random(f"{job.seed}:pdf:{job.number}")
    legal = rng.random() < 0.7
    prose = Prose(rng, year=rng.randint(2004, 2023))
    letter = rng.random() < 0.4  # US Letter or A4: page geometry varies in real collections
    page_width, page_height = (612.0, 792.0) if letter else (595.0, 842.0)
    margin, top, bottom = 72.0, 84.0, page_height - 72.0

    writer = QPdfWriter(job.path)
    writer.setPageSize(
        QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
    )
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setResolution(72)  # one device unit is one point
    title = prose.title(legal)
    writer.setTitle(title)
    writer.setAuthor(prose.person())
    writer.setCreator("Docket benchmark corpus")
    body = QFont(rng.choice(("DejaVu Serif", "DejaVu Sans")))
    body.setPointSizeF(rng.choice((10.0, 10.5, 11.0)))
    small = QFont(body)
    small.setPointSizeF(8.0)
    bold = QFont(body)
    bold.setBold(True)
    measure = Measure(body, writer)
    line_height = body.pointSizeF() * 1.45
    width = page_width - 2 * margin

    painter = QPainter(writer)
    lines: list[tuple[str, str]] = [("heading", title)]
    blocks = prose.blocks()
    filed = prose.date()
    for page in range(1, job.pages + 1):
        if page > 1:
            writer.newPage()
        painter.setFont(small)
        header = (
            f"Case {prose.case_number}   Document {job.number % 300 + 1}   Filed {filed}   "
            f"Page {page} of {job.pages}"
            if legal
            else f"THE {prose.places[0].upper()} LEDGER — {filed} — Page {page}"
        )
        painter.drawText(QPointF(margin, 48.0), header)
        budget = rng.randint(*CHARS_PER_PAGE)
        y, written = top, 0
        while written < budget and y <= bottom:
            while not lines:
                kind, text = next(blocks)
                if kind == "heading":
                    lines.append(("heading", text))
                else:
                    lines += [("line", line) for line in wrap(text, width, measure, rng)]
                    lines.append(("gap", ""))
            kind, text = lines.pop(0)
            if kind == "gap":
                y += line_height * 0.4
                continue
            if kind == "heading" or painter.font() != body:  # setFont only when it changes
                painter.setFont(bold if kind == "heading" else body)
            painter.drawText(QPointF(margin, y), text)
            written += len(text) + 1
            y += line_height
        painter.setFont(small)
        painter.drawText(QPointF(page_width / 2 - 4, page_height - 40.0), str(page))
    painter.end()
    # QPdfWriter writes each glyph as its own text object, which PDFium reads at
    # half the speed of real PDFs' text runs: merge them so the benchmark is fair.
    from tests.core.pdf_factory import merge_text_runs

    merge_text_runs(job.path)
    return Path(job.path).name, job.pages, os.path.getsize(job.path)


# --- text files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextJob:
    path: str
    number: int
    pages: int
    seed: int


def write_text(job: TextJob) -> tuple[str, int, int]:
    """Writes a UTF-8 text or Markdown file whose pages are separated by form feeds."""
    rng = random.Random(f"{job.seed}:text:{job.number}")
    prose = Prose(rng, year=rng.randint(2004, 2023))
    markdown = job.path.endswith(".md")
    title = prose.title(legal=rng.random() < 0.5)
    pages: list[str] = []
    for _ in range(job.pages):
        budget, parts, size = rng.randint(*CHARS_PER_PAGE), [], 0
        if not pages:
            parts.append(f"# {title}" if markdown else title.upper())
        while size < budget:
            paragraph = hard_wrap(prose.paragraph(), 76)
            if markdown and rng.random() < 0.15:
                paragraph = f"## {prose.heading(len(parts))}\n\n{paragraph}"
            parts.append(paragraph)
            size += len(paragraph)
        pages.append("\n\n".join(parts) + "\n")
    Path(job.path).write_text("\f".join(pages), encoding="utf-8")
    return Path(job.path).name, job.pages, os.path.getsize(job.path)


def hard_wrap(text: str, columns: int) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > columns:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


# --- the corpus ---------------------------------------------------------------------------


def plan(
    folder: Path, pages: int, pages_per_pdf: tuple[int, int], text_files: int, seed: int
) -> tuple[list[PdfJob], list[TextJob]]:
    """Which files to write. PDF lengths are log-uniform in the range, as in real
    collections (many short documents, a few long ones), and add up to `pages`."""
    rng = random.Random(f"{seed}:plan")
    low, high = pages_per_pdf
    pdfs: list[PdfJob] = []
    total = 0
    while total < pages:
        count = round(math.exp(rng.uniform(math.log(low), math.log(high))))
        count = min(count, pages - total)
        pdfs.append(
            PdfJob(str(folder / f"doc-{len(pdfs) + 1:05d}.pdf"), len(pdfs) + 1, count, seed)
        )
        total += count
    texts = [
        TextJob(
            str(folder / f"note-{n:03d}.{'md' if n % 4 == 0 else 'txt'}"),
            n,
            rng.randint(1, 6),
            seed,
        )
        for n in range(1, text_files + 1)
    ]
    return pdfs, texts


def run_job(job: PdfJob | TextJob) -> tuple[str, int, int]:
    return write_pdf(job) if isinstance(job, PdfJob) else write_text(job)


def build_corpus(
    folder: Path,
    pages: int = 20000,
    pages_per_pdf: tuple[int, int] = (5, 120),
    text_files: int = 50,
    seed: int = 1,
    processes: int = 2,
) -> dict[str, Any]:
    """Writes the corpus into `folder` (or reuses it) and returns
    {pdfs, text_files, pages, bytes, seconds, cached}. `pages` counts PDF pages;
    the text files' pages come on top and are included in the returned count."""
    folder = Path(folder)
    params = {
        "version": GENERATOR_VERSION,
        "pages": pages,
        "pages_per_pdf": list(pages_per_pdf),
        "text_files": text_files,
        "seed": seed,
    }
    cached = _cached_stats(folder, params)
    if cached is not None:
        return cached | {"cached": True}
    _clear(folder)
    started = time.perf_counter()
    pdf_jobs, text_jobs = plan(folder, pages, pages_per_pdf, text_files, seed)
    jobs: list[PdfJob | TextJob] = [*pdf_jobs, *text_jobs]
    # Written first so that an interrupted run is recognised and cleared next time.
    _write_manifest(
        folder,
        {
            "params": params,
            "complete": False,
            "files": [Path(job.path).name for job in jobs],
        },
    )
    # Longest first, so that neither process is left with a long PDF at the end.
    jobs.sort(key=lambda job: -job.pages)
    results = list(_run(jobs, processes))
    files = sorted(results)
    stats = {
        "pdfs": len(pdf_jobs),
        "text_files": len(text_jobs),
        "pages": sum(pages for _, pages, _ in files),
        "bytes": sum(size for _, _, size in files),
        "seconds": round(time.perf_counter() - started, 2),
    }
    _write_manifest(
        folder,
        {
            "params": params,
            "complete": True,
            "stats": stats,
            "files": [{"name": n, "pages": p, "bytes": b} for n, p, b in files],
        },
    )
    return stats | {"cached": False}


def _run(jobs: list[PdfJob | TextJob], processes: int) -> Iterator[tuple[str, int, int]]:
    if processes <= 1:
        yield from map(run_job, jobs)
        return
    # "spawn": each worker starts clean and makes its own QGuiApplication; forking a
    # process that already has Qt running (pytest-qt, the app) is not safe.
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        yield from pool.imap_unordered(run_job, jobs, chunksize=1)


def _cached_stats(folder: Path, params: dict[str, Any]) -> dict[str, Any] | None:
    manifest = _read_manifest(folder)
    if not manifest or manifest.get("params") != params or not manifest.get("complete"):
        return None
    for entry in manifest["files"]:
        path = folder / entry["name"]
        if not path.is_file() or path.stat().st_size != entry["bytes"]:
            return None
    stats: dict[str, Any] = manifest["stats"]
    return stats


def _clear(folder: Path) -> None:
    """Removes a previous corpus; refuses a folder that holds anything else."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(folder)
    ours = {MANIFEST, MANIFEST + ".tmp"}
    if manifest:
        ours |= {entry if isinstance(entry, str) else entry["name"] for entry in manifest["files"]}
    strangers = [p.name for p in folder.iterdir() if p.name not in ours]
    if strangers:
        raise FileExistsError(
            f"{folder} holds files that are not a generated corpus "
            f"(e.g. {strangers[0]}); give an empty or new folder"
        )
    for name in ours:
        (folder / name).unlink(missing_ok=True)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def _write_manifest(folder: Path, data: dict[str, Any]) -> None:
    temporary = folder / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    temporary.replace(folder / MANIFEST)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--min-pages", type=int, default=5, help="pages of the shortest PDF")
    parser.add_argument("--max-pages", type=int, default=120, help="pages of the longest PDF")
    parser.add_argument("--text-files", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    stats = build_corpus(
        args.folder,
        args.pages,
        (args.min_pages, args.max_pages),
        args.text_files,
        args.seed,
        args.processes,
    )
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
