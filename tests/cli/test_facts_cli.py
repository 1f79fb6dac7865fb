"""`docket facts`, `docket fact` and `docket mark --date`: the chronology from scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docket.core.case import Case
from tests.cli.runner import run
from tests.core.chronology.chronology_factory import DATE_ORDER, chronology_case, write_documents


@pytest.fixture
def facts_case(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    case, marks = chronology_case(tmp_path)
    case.close()
    return tmp_path / "case", {name: mark.id for name, mark in marks.items()}


def _facts(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    code, out, err = run(capsys, "facts", *args, "--json")
    assert code == 0, err
    found = json.loads(out)
    assert isinstance(found, list)
    return found


def test_facts_json_shape_and_date_order(
    capsys: pytest.CaptureFixture[str], facts_case: tuple[Path, dict[str, int]]
) -> None:
    path, ids = facts_case
    facts = _facts(capsys, str(path))
    assert [f["mark"] for f in facts] == [ids[name] for name in DATE_ORDER]
    assert {"mark", "date", "date_text", "status", "quote", "cite", "tags"} <= facts[0].keys()
    released = facts[-1]
    assert released["date"] == "2012-03"
    assert released["date_text"] == "about March 2012"
    assert released["circa"] is True
    assert released["status"] == "unknown"
    assert released["quote"] == "The detainee was released"
    assert released["cite"] == "Statement at 1"
    assert released["tags"] == ["People/Karimova"]


def test_facts_filters(
    capsys: pytest.CaptureFixture[str], facts_case: tuple[Path, dict[str, int]]
) -> None:
    path, ids = facts_case
    case = str(path)

    def names(*args: str) -> list[str]:
        by_id = {v: k for k, v in ids.items()}
        return [by_id[int(str(f["mark"]))] for f in _facts(capsys, case, *args)]

    assert names("--from", "2012-01", "--to", "2012-01") == ["questioned"]
    assert names("--from", "2012") == ["questioned", "released"]
    assert names("--to", "2011-06") == ["strike"]
    assert names("--tag", "People/Karimova") == ["fired", "released"]
    assert names("--status", "disputed") == ["fired"]
    assert names("--doc", "Statement") == ["released"]
    code, out, _ = run(capsys, "facts", case)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("May 2011") and "“The strike began”" in lines[0]
    assert "[disputed]" in lines[3] and "#People/Karimova" in lines[3]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--from", "31 February 2012"), "February 2012 has 29 days"),
        (("--from", "2012", "--to", "2011"), "--to 2011 is before --from 2012"),
        (("--status", "maybe"), "unknown status 'maybe'"),
    ],
)
def test_facts_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str],
    facts_case: tuple[Path, dict[str, int]],
    args: tuple[str, ...],
    says: str,
) -> None:
    code, out, err = run(capsys, "facts", str(facts_case[0]), *args)
    assert (code, out) == (2, "")
    assert says in err and "Traceback" not in err


def test_fact_dates_an_existing_mark_and_a_bad_date_changes_nothing(
    capsys: pytest.CaptureFixture[str], facts_case: tuple[Path, dict[str, int]]
) -> None:
    path, ids = facts_case
    undated = str(ids["undated"])
    code, _, err = run(capsys, "fact", str(path), undated, "--date", "31 February 2012")
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "fact", str(path), undated, "--date", "2012 to 2011")
    assert code == 2 and "before it starts" in err
    code, _, err = run(capsys, "fact", str(path), "999", "--date", "2011")
    assert code == 2 and "no mark 999" in err
    with Case.open(path, readonly=True) as case:
        assert not case.marking.get(ids["undated"]).is_fact
    code, out, err = run(
        capsys, "fact", str(path), undated, "--date", "c. 2010", "--status", "Disputed", "--json"
    )
    assert code == 0, err
    shape = json.loads(out)
    assert (shape["date"], shape["circa"], shape["status"]) == ("2010", True, "disputed")
    assert _facts(capsys, str(path))[0]["mark"] == ids["undated"]  # 2010 comes first now
    code, out, _ = run(capsys, "marks", str(path))
    assert code == 0 and "“oil field”  [c. 2010]" in out
    code, out, _ = run(capsys, "fact", str(path), undated, "--undate")
    assert code == 0 and "no longer a fact" in out
    code, _, err = run(capsys, "fact", str(path), undated, "--status", "disputed")
    assert code == 2 and "has no date" in err


def test_mark_with_a_date_is_a_fact_and_a_bad_date_makes_no_mark(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = write_documents(tmp_path / "documents")
    with Case.create(tmp_path / "case") as case:
        case.import_paths([folder], workers=1)
    path = str(tmp_path / "case")
    mark = ("mark", path, "Incident report", "--page", "2", "--quote", "oil field")
    code, _, err = run(capsys, *mark, "--date", "31 February 2012")
    assert code == 2 and "February 2012 has 29 days" in err
    code, _, err = run(capsys, *mark, "--status", "disputed")
    assert code == 2 and "--status needs --date" in err
    with Case.open(tmp_path / "case", readonly=True) as case:
        assert case.marking.marks() == []
    code, out, err = run(capsys, *mark, "--date", "2011-12-16", "--status", "disputed", "--json")
    assert code == 0, err
    made = json.loads(out)
    assert (made["date"], made["status"]) == ("2011-12-16", "disputed")
    facts = _facts(capsys, path)
    assert [(f["mark"], f["date"], f["quote"]) for f in facts] == [
        (made["id"], "2011-12-16", "oil field")
    ]


def test_export_chronology_from_the_command_line(
    capsys: pytest.CaptureFixture[str], facts_case: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    path = facts_case[0]
    out = tmp_path / "out" / "chronology.csv"
    code, said, err = run(
        capsys, "export", str(path), "--format", "chronology-csv", "--out", str(out)
    )
    assert code == 0, err
    assert said.strip() == f"wrote 5 facts to {out}"
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Date,Date as written,Circa,Status,Fact")
    assert rows[1].startswith("2011-05,May 2011,,undisputed,The strike began")
