"""The privilege log (issue 18): documents and redactions tagged Privilege/…, one row each."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.export.formats import ExportFormat, export_marks
from docket.core.export.reportmodel import ReportOptions
from docket.core.model.marks import Anchor
from docket.core.production.produce import ProductionOptions, produce
from tests.core.ocr.scanned_case import import_one
from tests.core.pdf_factory import qt_app, write_pdf


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    qt_app()
    with Case.create(tmp_path / "case") as opened:
        opened.marking.author = "Tester"
        yield opened


def _redact(case: Case, doc: int, page: int, words: str, reason: str, **kwargs: object) -> None:
    start = case.page(doc, page).text.index(words)
    case.marking.redact(doc, Anchor(page, start, page, start + len(words)), reason, **kwargs)  # type: ignore[arg-type]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_privileged_documents_and_redactions_are_logged_with_bates_ranges(
    case: Case, tmp_path: Path
) -> None:
    advice = import_one(
        case,
        write_pdf(
            tmp_path / "advice.pdf",
            ["Advice on the claim", "More advice"],
            title="Advice letter",
            author="R. Lawyer",
            info={"/CreationDate": "D:20120514103000+06'00'"},
        ),
    )
    case.marking.tag_document(advice, ["Privilege/Attorney-Client", "Type/Letter"])
    case.marking.add_note(advice, "Counsel's advice on   the strike claims")
    minutes = import_one(
        case,
        write_pdf(tmp_path / "minutes.pdf", ["Board minutes: counsel said settle", "Budget"]),
    )
    _redact(case, minutes, 1, "counsel said settle", "AC")  # logged: AC is a privilege
    _redact(case, minutes, 2, "Budget", "PII")  # personal data: not a privilege
    _redact(
        case, minutes, 1, "Board", "CONF", tags=["Privilege/Work Product"], note="Draft strategy"
    )
    untouched = import_one(case, write_pdf(tmp_path / "public.pdf", ["Public notice"]))

    produce(case, ProductionOptions(out=tmp_path / "vol1", prefix="ABC", docs=(advice, minutes)))
    result = export_marks(case, ExportFormat.PRIVILEGE_LOG, tmp_path / "log.csv")

    assert result.marks == 3
    rows = _rows(tmp_path / "log.csv")
    assert [(r["Entry"], r["Document ID"]) for r in rows] == [
        ("1", str(advice)),
        ("2", str(minutes)),
        ("3", str(minutes)),
    ]
    assert rows[0] == {
        "Entry": "1",
        "Bates range": "ABC000001–ABC000002",
        "Date": "2012-05-14",
        "Author": "R. Lawyer",
        "Recipients": "",
        "Document type": "Letter",
        "Privilege type": "Attorney-Client",
        "Description": "Counsel's advice on the strike claims",
        "Document": "Advice letter",
        "Document ID": str(advice),
    }
    by_type = {r["Privilege type"]: r for r in rows[1:]}
    assert by_type["Attorney-Client Privilege"]["Bates range"] == "ABC000003"
    assert by_type["Attorney-Client Privilege"]["Description"] == (
        "Redacted: Attorney-Client Privilege"
    )
    assert by_type["Attorney-Client Privilege"]["Document type"] == "PDF"
    assert by_type["Work Product"]["Description"] == "Draft strategy"
    assert all(r["Document ID"] != str(untouched) for r in rows)


def test_a_document_not_produced_has_a_blank_bates_range_and_docs_narrow_the_log(
    case: Case, tmp_path: Path
) -> None:
    memo = import_one(case, write_pdf(tmp_path / "memo.pdf", ["Memo"], title="Memo"))
    other = import_one(case, write_pdf(tmp_path / "other.pdf", ["Other"], title="Other"))
    for doc in (memo, other):
        case.marking.tag_document(doc, ["Privilege"])

    export_marks(
        case, ExportFormat.PRIVILEGE_LOG, tmp_path / "log.csv", ReportOptions(docs=(memo,))
    )

    (row,) = _rows(tmp_path / "log.csv")
    assert (row["Document"], row["Bates range"], row["Privilege type"]) == (
        "Memo",
        "",
        "Privileged",
    )
