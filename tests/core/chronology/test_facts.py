"""Facts in a case: dates stored with the mark, logged, undone, listed in date order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.chronology.facts import FactFilter
from docket.core.errors import DocketError
from docket.core.marks.auditlog import describe
from docket.core.marks.history import History, changed
from docket.core.model.audit import AuditAction
from docket.core.model.marks import MarkFact
from tests.core.chronology.chronology_factory import DATE_ORDER, chronology_case


@pytest.fixture
def facts_case(tmp_path: Path) -> tuple[Case, dict[str, object]]:
    case, marks = chronology_case(tmp_path)
    yield case, marks  # type: ignore[misc]
    case.close()


def test_a_date_is_stored_with_the_mark_and_survives_reopening(tmp_path: Path) -> None:
    case, marks = chronology_case(tmp_path)
    fired = marks["fired"]
    assert fired.fact == MarkFact("2011-12-16", "2011-12-16", False, "disputed")
    assert marks["released"].fact == MarkFact("2012-03", "about March 2012", True, "unknown")
    assert not marks["undated"].is_fact
    case.close()
    with Case.open(tmp_path / "case", readonly=True) as again:
        assert again.marking.get(fired.id).fact == fired.fact


def test_facts_come_in_date_order_with_their_cites(facts_case) -> None:  # type: ignore[no-untyped-def]
    case, marks = facts_case
    facts = case.chronology.facts()
    assert [f.mark.id for f in facts] == [marks[name].id for name in DATE_ORDER]
    fired = next(f for f in facts if f.mark.id == marks["fired"].id)
    shape = fired.as_json()
    assert {k: shape[k] for k in ("mark", "date", "date_text", "status", "quote", "tags")} == {
        "mark": marks["fired"].id,
        "date": "2011-12-16",
        "date_text": "2011-12-16",
        "status": "disputed",
        "quote": "the police fired",
        "tags": ["Issue/Shooting", "People/Karimova"],
    }
    assert shape["cite"] == case.citing.cite(marks["fired"]).cite
    assert "Incident report" in str(shape["cite"]) and "at 1" in str(shape["cite"])


def test_filters_by_overlapping_dates_tag_and_status(facts_case) -> None:  # type: ignore[no-untyped-def]
    case, marks = facts_case

    def names(where: FactFilter) -> list[str]:
        ids = [f.mark.id for f in case.chronology.facts(where)]
        return [n for n in DATE_ORDER if marks[n].id in ids]

    # January 2012 lies inside the questioning (Dec 2011 – Apr 2012) only.
    assert names(FactFilter(date(2012, 1, 1), date(2012, 1, 31))) == ["questioned"]
    assert names(FactFilter(first=date(2012, 3, 15))) == ["questioned", "released"]
    assert names(FactFilter(last=date(2011, 5, 1))) == ["strike"]
    assert names(FactFilter(tag="People")) == ["questioned", "fired", "released"]
    assert names(FactFilter(tag="people/karimova")) == ["fired", "released"]
    assert names(FactFilter(status="disputed")) == ["fired"]
    assert names(FactFilter(status="")) == ["cold", "questioned"]
    assert case.chronology.people() == ["People/Batkanbayev", "People/Karimova"]


def test_a_bad_date_or_status_leaves_the_mark_as_it_was(facts_case) -> None:  # type: ignore[no-untyped-def]
    case, marks = facts_case
    fired = marks["fired"]
    entries = len(case.marking.audit_entries())
    for typed, status in [("31 February 2012", None), ("2012 to 2011", None), (None, "maybe")]:
        with pytest.raises(DocketError):
            case.chronology.set_date(fired.id, typed, status)
    with pytest.raises(DocketError, match="no date"):
        case.chronology.set_date(marks["undated"].id, None, "disputed")
    assert case.marking.get(fired.id).fact == fired.fact
    assert len(case.marking.audit_entries()) == entries


def test_dating_is_logged_and_undone(facts_case) -> None:  # type: ignore[no-untyped-def]
    case, marks = facts_case
    undated = marks["undated"]
    before, after = case.chronology.set_date(undated.id, "c. 2011", "unknown")
    assert after.fact == MarkFact("2011", "c. 2011", True, "unknown")
    entry = case.marking.audit_entries(mark=undated.id)[-1]
    assert entry.action == AuditAction.MARK_CHANGED
    assert entry.before is not None and "fact" not in entry.before
    assert entry.after is not None and entry.after["fact"] == {
        "date": "2011",
        "date_text": "c. 2011",
        "circa": True,
        "status": "unknown",
    }
    assert describe(entry) == "date none → c. 2011; status none → unknown"
    history = History()
    history.push(changed(case.marking, before, after, "Date Fact"))
    history.undo()
    assert not case.marking.get(undated.id).is_fact
    assert case.marking.audit_entries(mark=undated.id)[-1].after == entry.before
    history.redo()
    assert case.marking.get(undated.id).fact == after.fact
    # Undated again with '' (the status goes with the date).
    case.chronology.set_date(undated.id, "")
    assert not case.marking.get(undated.id).fact.is_set


def test_a_deleted_fact_comes_back_from_the_log_with_its_date(facts_case) -> None:  # type: ignore[no-untyped-def]
    case, marks = facts_case
    fired = marks["fired"]
    case.marking.delete(fired.id)
    removed = case.marking.audit_entries(mark=fired.id)[-1]
    restored = case.marking.restore_from_log(removed.id)
    assert restored.fact == fired.fact


def test_suggestion_uses_the_documents_year(facts_case) -> None:  # type: ignore[no-untyped-def]
    case, marks = facts_case
    report = case.document(marks["fired"].doc)
    doc, marking = report.id, case.marking
    mark = marking.highlight(doc, marking.anchor_for_quote(doc, 1, "On December 16 the police"))
    found = case.chronology.suggest(mark)
    assert found is not None and found.date.stored == "2011-12-16"


def test_a_case_from_before_facts_is_read_without_them(tmp_path: Path) -> None:
    from tests.core.test_schema import _downgrade_to_version_4

    case, marks = chronology_case(tmp_path)
    case.close()
    _downgrade_to_version_4(tmp_path / "case" / "case.sqlite")
    with Case.open(tmp_path / "case", readonly=True) as old:  # read-only: not migrated
        found = old.marking.marks()
        assert sorted(m.id for m in found) == sorted(m.id for m in marks.values())
        assert not any(m.is_fact for m in found)
        assert old.marking.get(marks["fired"].id).fact == MarkFact()
        assert old.chronology.facts() == []
