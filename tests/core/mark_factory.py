"""A small case with marks of every kind, for the export and import tests.

Documents: "Complaint" (PDF, 3 pages), "Brief" (PDF whose pages are labelled
i, ii, iii, iv), "Witness statements" (a text file in Cyrillic, Greek and
Arabic). Marks in several colours, with notes, nested tags and an author.
"""

from __future__ import annotations

from pathlib import Path

from docket.core.case import Case
from docket.core.model.marks import Mark
from tests.core.case_factory import COMPLAINT_PAGES
from tests.core.pdf_factory import write_labelled_pdf, write_pdf

BRIEF_PAGES = [
    "BRIEF FOR THE PLAINTIFFS",
    "Table of contents",
    "Summary of argument",
    "Argument\nThe officers were firing without warning at the square.",
]
STATEMENTS = (
    "Witness statements\n"
    "Свидетель видел полицию на площади.\n"
    "Ο μάρτυρας είδε την αστυνομία στην πλατεία.\n"
    "الشاهد رأى الشرطة في الساحة\n"
)
CYRILLIC = "Свидетель видел полицию"
GREEK = "Ο μάρτυρας είδε την αστυνομία"
ARABIC = "الشاهد رأى الشرطة"
SCRIPT_NOTE = 'Read before trial <script>alert("x")</script> & *stars* # not a heading'


def write_documents(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(folder / "complaint.pdf", COMPLAINT_PAGES, title="Complaint", author="R. Lawyer")
    write_labelled_pdf(folder / "brief.pdf", BRIEF_PAGES, labels=[(1, "r", "", 1)], title="Brief")
    (folder / "Witness statements.txt").write_text(STATEMENTS, encoding="utf-8")
    return folder


def doc_id(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def add_marks(case: Case) -> dict[str, Mark]:
    complaint, brief = doc_id(case, "Complaint"), doc_id(case, "Brief")
    statements = doc_id(case, "Witness statements")
    marking = case.marking

    def words(doc: int, page: int, quote: str, **kwargs: object) -> Mark:
        return marking.highlight(doc, marking.anchor_for_quote(doc, page, quote), **kwargs)

    return {
        "police": words(
            complaint,
            1,
            "police fired",
            colour="pink",
            note="Key admission\nsecond line",
            author="Ann",
            tags=["Issue/Torture", "Witness/Karimova"],
        ),
        "torture": words(complaint, 2, "torture in custody", tags=["Issue/Torture"]),
        "amount": marking.add_note(complaint, "Check the amount", page=3, colour="blue"),
        "firing": words(brief, 4, "firing without warning", colour="green"),
        "brief-note": marking.add_note(brief, SCRIPT_NOTE, tags=["Issue"]),
        "cyrillic": words(statements, 1, CYRILLIC, colour="purple", tags=["Witness"]),
        "greek": words(statements, 1, GREEK, colour="orange"),
        "arabic": words(statements, 1, ARABIC, colour="blue"),
    }


def marked_case(tmp_path: Path) -> tuple[Case, dict[str, Mark]]:
    """A new case at tmp_path/case holding the documents and their marks (caller closes)."""
    folder = write_documents(tmp_path / "documents")
    case = Case.create(tmp_path / "case")
    case.import_paths([folder], workers=0)  # read in this process: no worker to start
    return case, add_marks(case)
