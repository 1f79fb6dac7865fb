"""`docket text`: a document's stored text page by page, then its form fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.core.case import Case
from tests.cli.runner import run
from tests.core.pdf.form_factory import write_form
from tests.core.pdf_factory import qt_app, write_labelled_pdf, write_pdf

MEMO = "Memo\r\non the firing\n\nThe police fired."


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    qt_app()
    folder = tmp_path / "in"
    folder.mkdir()
    write_form(folder / "form.pdf")
    write_pdf(folder / "statement.pdf", ["First page\nof two", "Second page"], title="Statement")
    (folder / "memo.txt").write_bytes(MEMO.encode("utf-8"))
    with Case.create(tmp_path / "case") as case:
        case.import_paths([folder], workers=1)
    return tmp_path / "case"


def _doc(case_dir: Path, name: str) -> int:
    with Case.open(case_dir, readonly=True) as case:
        return next(d.id for d in case.documents() if d.source_name == name)


def _stored(case_dir: Path, doc: int) -> list[str]:
    with Case.open(case_dir, readonly=True) as case:
        return [page.text for page in case.pages(doc)]


def test_plain_text_is_each_page_then_the_fields(capsys, case_dir: Path) -> None:
    doc = _doc(case_dir, "form.pdf")
    code, out, err = run(capsys, "text", str(case_dir), str(doc))
    assert (code, err) == (0, "")
    assert out == (
        "--- page 1 ---\nApplication form\n"
        "--- page 2 ---\nSecond page\n"
        "--- form fields ---\n"
        "page 1  Name: Alice\n"
        "page 1  Friend: Bob\n"
        "page 1  Colour: Crimson\n"
        "page 1  Agree: Yes\n"
        "page 2  Contact: Phone\n"
        "page 2  applicant.city: Almaty\n"
    )


def test_json_is_the_stored_text_verbatim(capsys, case_dir: Path) -> None:
    doc = _doc(case_dir, "statement.pdf")
    code, out, _ = run(capsys, "text", str(case_dir), str(doc), "--json")
    assert code == 0
    texts = _stored(case_dir, doc)
    assert "\r\n" in texts[0]  # QtPdf's line ends, kept
    assert json.loads(out) == {
        "doc": doc,
        "pages": [
            {"page": 1, "label": "1", "text": texts[0]},
            {"page": 2, "label": "2", "text": texts[1]},
        ],
        "fields": [],
    }


def test_one_page_with_its_fields_only(capsys, case_dir: Path) -> None:
    doc = _doc(case_dir, "form.pdf")
    code, out, _ = run(capsys, "text", str(case_dir), str(doc), "--page", "2", "--json")
    assert code == 0
    assert json.loads(out) == {
        "doc": doc,
        "pages": [{"page": 2, "label": "2", "text": "Second page"}],
        "fields": [
            {"page": 2, "name": "Contact", "value": "Phone"},
            {"page": 2, "name": "applicant.city", "value": "Almaty"},
        ],
    }


def test_a_text_file_by_its_name(capsys, case_dir: Path) -> None:
    code, out, _ = run(capsys, "text", str(case_dir), "memo.txt", "--json")
    assert code == 0
    [page] = json.loads(out)["pages"]
    assert page["text"] == _stored(case_dir, _doc(case_dir, "memo.txt"))[0]
    assert "The police fired." in page["text"]


def test_page_labels_are_named(capsys, tmp_path: Path) -> None:
    qt_app()
    pdf = write_labelled_pdf(
        tmp_path / "book.pdf", ["Preface", "Chapter one"], [(1, "r", "", 1), (2, "D", "", 1)]
    )
    with Case.create(tmp_path / "case") as case:
        [outcome] = case.import_paths([pdf], workers=1).outcomes
    code, out, _ = run(capsys, "text", str(tmp_path / "case"), str(outcome.doc))
    assert code == 0
    assert out == "--- page 1 (label i) ---\nPreface\n--- page 2 (label 1) ---\nChapter one\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["99"], "no document 99 in this case; `docket list` shows them"),
        (["nothing.pdf"], "no document is called 'nothing.pdf'"),
        (["form.pdf", "--page", "3"], "has no page 3; it has pages 1 to 2"),
        (["form.pdf", "--page", "0"], "has no page 0; it has pages 1 to 2"),
    ],
)
def test_bad_documents_and_pages_are_usage_errors(
    capsys, case_dir: Path, args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "text", str(case_dir), *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_a_missing_case_says_so(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "text", str(tmp_path / "nowhere"), "1")
    assert code == 3 and out == "" and err.startswith("docket: ")


def test_search_shows_a_field_hit(capsys, case_dir: Path) -> None:
    code, out, _ = run(capsys, "search", str(case_dir), "Alice")
    assert code == 0
    assert "— form field on page 1" in out
    assert "Field \u201cName\u201d: [Alice]" in out
    code, out, _ = run(capsys, "search", str(case_dir), "Alice", "--json")
    [hit] = json.loads(out)["results"]
    assert (hit["source"], hit["hits"], hit["rect"]) == ("field", [], [72.0, 172.0, 200.0, 20.0])


def test_reindex_keeps_fields_findable(capsys, case_dir: Path) -> None:
    assert run(capsys, "reindex", str(case_dir))[0] == 0
    _, out, _ = run(capsys, "search", str(case_dir), "almaty", "--json")
    assert [r["snippet"] for r in json.loads(out)["results"]] == [
        "Field \u201capplicant.city\u201d: <b>Almaty</b>"
    ]


def test_a_value_of_several_lines_stays_under_its_field() -> None:
    from docket.cli.text import as_text
    from docket.core.model.records import FormField, Page

    page = Page(1, 1, "1", "Form", 612.0, 792.0)
    fields = [FormField(1, "Jobs", "text", "Several\n\nOther"), FormField(1, "Age", "text", "6")]
    assert as_text([page], fields) == (
        "--- page 1 ---\nForm\n--- form fields ---\n"
        "page 1  Jobs: Several\n\n    Other\npage 1  Age: 6\n"
    )
