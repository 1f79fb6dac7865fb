"""`docket language CASE DOC [LANG]`: a document's language shown, or set and re-indexed;
`docket list --json` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.core.case import Case
from tests.cli.runner import run

RUSSIAN = (
    "Адвокаты рабочих подали жалобу в прокуратуру. Суд отказал в рассмотрении жалобы, "
    "и защита рабочих обратилась в вышестоящую инстанцию с новым заявлением."
)
ENGLISH = "The police were running towards the square where the oil workers had gathered."


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ru.txt").write_text(RUSSIAN, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([folder], workers=1)
    return tmp_path / "case"


def _doc(case_dir: Path, name: str) -> int:
    with Case.open(case_dir, readonly=True) as case:
        return next(d.id for d in case.documents() if d.source_name == name)


def _found(capsys: pytest.CaptureFixture[str], case_dir: Path, query: str) -> list[int]:
    code, out, _ = run(capsys, "search", str(case_dir), query, "--json")
    assert code == 0
    return sorted(hit["doc"] for hit in json.loads(out)["results"])


def test_list_json_shows_each_documents_language(
    capsys: pytest.CaptureFixture[str], case_dir: Path
) -> None:
    code, out, _ = run(capsys, "list", str(case_dir), "--json")
    assert code == 0
    languages = {d["title"] or d["id"]: d["language"] for d in json.loads(out)}
    assert sorted(languages.values()) == ["en", "ru"]


def test_language_prints_it(capsys: pytest.CaptureFixture[str], case_dir: Path) -> None:
    doc = _doc(case_dir, "ru.txt")
    code, out, _ = run(capsys, "language", str(case_dir), str(doc))
    assert code == 0
    assert out.strip() == f"document {doc}: Russian (ru), detected; its words are stemmed by it"
    code, out, _ = run(capsys, "language", str(case_dir), str(doc), "--json")
    assert json.loads(out) == {
        "doc": doc, "language": "ru", "name": "Russian", "chosen": False, "stemmed": True,
    }  # fmt: skip


def test_setting_it_reindexes_the_document(
    capsys: pytest.CaptureFixture[str], case_dir: Path
) -> None:
    doc = _doc(case_dir, "ru.txt")
    assert _found(capsys, case_dir, "рабочие") == [doc]
    code, out, _ = run(capsys, "language", str(case_dir), str(doc), "kk")
    assert code == 0
    assert "Kazakh (kk) (was Russian), indexed again" in out
    assert "found as written" in out
    assert _found(capsys, case_dir, "рабочие") == []  # Kazakh is not stemmed
    assert _found(capsys, case_dir, "рабочих") == [doc]
    code, out, _ = run(capsys, "language", str(case_dir), "ru.txt", "Russian")
    assert code == 0
    assert _found(capsys, case_dir, "рабочие") == [doc]
    code, out, _ = run(capsys, "language", str(case_dir), str(doc), "--json")
    assert json.loads(out)["chosen"] is True


def test_a_bad_language_is_refused_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], case_dir: Path
) -> None:
    doc = _doc(case_dir, "ru.txt")
    code, _, err = run(capsys, "language", str(case_dir), str(doc), "Klingonese")
    assert code == 2
    assert "'Klingonese' is not a language" in err
    code, _, err = run(capsys, "language", str(case_dir), "404", "ru")
    assert code == 2
    assert "no document 404" in err
    with Case.open(case_dir, readonly=True) as case:
        assert (case.document(doc).language, case.document(doc).language_set) == ("ru", False)
