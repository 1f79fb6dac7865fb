"""Builds small folders of real documents for tests: PDFs, text files, bad files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.model.marks import Anchor
from tests.core.pdf_factory import write_pdf

if TYPE_CHECKING:
    from docket.core.case import Case
    from docket.core.model.marks import Mark

COMPLAINT_PAGES = [
    "COMPLAINT\nKarimova v. City of Aktau Police Department\n"
    "On 16 December 2011 the police fired on striking oil workers\nin Zhanaözen.",
    "The plaintiffs allege torture in custody and the denial\nof counsel for nine days.",
    "Relief sought: damages of 1,500,000 tenge and a declaration.",
]
DEPOSITION_PAGES = [
    "DEPOSITION OF ASKAR BATKANBAYEV\nQ. Where were you when the firing began?",
    "A. Near the square. The officers were firing without warning.",
]
LETTER_TEXT = (
    "Dear Counsel,\n\nWe write about the tortured detainees held after the events\n"
    "in Zhanaozen. President Nazarbayev's office has not replied.\n"
)


def write_matter(folder: Path) -> Path:
    """A folder with two PDFs and a text file, one of them in a subfolder."""
    (folder / "pleadings").mkdir(parents=True, exist_ok=True)
    write_pdf(
        folder / "pleadings" / "complaint.pdf",
        COMPLAINT_PAGES,
        title="Complaint",
        author="R. Lawyer",
    )
    write_pdf(folder / "deposition.pdf", DEPOSITION_PAGES, title="Deposition of Batkanbayev")
    (folder / "letter.txt").write_text(LETTER_TEXT, encoding="utf-8")
    return folder


def write_many_pdfs(folder: Path, count: int, pages_each: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        pages = [
            f"Exhibit {number} page {page}\nThe witness number {number} saw the "
            f"police at the square."
            for page in range(pages_each)
        ]
        paths.append(
            write_pdf(folder / f"exhibit-{number:03}.pdf", pages, title=f"Exhibit {number}")
        )
    return paths


def highlight_words(case: Case, doc: int, page: int, words: str, *tags: str) -> Mark:
    """Highlight the first `words` on a page, tagged."""
    start = case.page(doc, page).text.index(words)
    return case.marking.highlight(doc, Anchor(page, start, page, start + len(words)), tags=tags)
