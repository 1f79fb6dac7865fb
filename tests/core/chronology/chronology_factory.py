"""A small case whose marks are facts of a chronology, for the chronology tests.

"Incident report" (a PDF of 3 pages, created 20 December 2011) and
"Statement" (a text file). Five facts and one mark without a date.
"""

from __future__ import annotations

from pathlib import Path

from docket.core.case import Case
from docket.core.model.marks import Mark
from tests.core.pdf_factory import write_pdf

REPORT_PAGES = [
    "INCIDENT REPORT\nOn December 16 the police fired on the strikers.\nDecember 2011 was cold.",
    "The strike began in May 2011 at the oil field.",
    "Witnesses were questioned from December 2011 to April 2012.",
]
STATEMENT = "Statement\nThe detainee was released about March 2012.\nNothing else.\n"


def write_documents(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(
        folder / "report.pdf",
        REPORT_PAGES,
        title="Incident report",
        info={"/CreationDate": "D:20111220103000+06'00'"},
    )
    (folder / "Statement.txt").write_text(STATEMENT, encoding="utf-8")
    return folder


def doc_id(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def add_facts(case: Case) -> dict[str, Mark]:
    """Marks dated through case.chronology; returns them as they are after dating."""
    report, statement = doc_id(case, "Incident report"), doc_id(case, "Statement")
    marking = case.marking

    def words(doc: int, page: int, quote: str, tags: list[str]) -> Mark:
        return marking.highlight(doc, marking.anchor_for_quote(doc, page, quote), tags=tags)

    marks = {
        "fired": words(report, 1, "the police fired", ["People/Karimova", "Issue/Shooting"]),
        "cold": words(report, 1, "December 2011 was cold", []),
        "strike": words(report, 2, "The strike began", ["Issue/Strike"]),
        "questioned": words(report, 3, "Witnesses were questioned", ["People/Batkanbayev"]),
        "released": words(statement, 1, "The detainee was released", ["People/Karimova"]),
        "undated": words(report, 2, "oil field", []),
    }
    dates = {
        "fired": ("2011-12-16", "disputed"),
        "cold": ("December 2011", None),
        "strike": ("May 2011", "undisputed"),
        "questioned": ("December 2011 to April 2012", None),
        "released": ("about March 2012", "unknown"),
    }
    for name, (when, status) in dates.items():
        case.chronology.set_date(marks[name].id, when, status)
    return {name: marking.get(mark.id) for name, mark in marks.items()}


# The facts in date order: May 2011; Dec 2011 (page 1) before Dec 2011–Apr 2012 (page 3),
# both starting 1 Dec; 16 Dec 2011; March 2012.
DATE_ORDER = ["strike", "cold", "questioned", "fired", "released"]


def chronology_case(tmp_path: Path) -> tuple[Case, dict[str, Mark]]:
    """A new case at tmp_path/case with the documents and their facts (caller closes)."""
    folder = write_documents(tmp_path / "documents")
    case = Case.create(tmp_path / "case")
    case.import_paths([folder], workers=1)
    return case, add_facts(case)
