"""W3C Web Annotation export and import: the JSON-LD shape, round trips, orphans, bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docket.core.case import Case
from docket.core.errors import CaseError, DocketError
from docket.core.exchange.importing import import_web_annotations
from docket.core.export.reportmodel import ReportOptions
from docket.core.export.webannotation import CONTEXT, RFC3778, write_web_annotations
from docket.core.model.marks import Anchor, Mark
from tests.core.mark_factory import doc_id, marked_case
from tests.core.pdf_factory import qt_app


@pytest.fixture()
def case(tmp_path: Path) -> Iterator[Case]:
    qt_app()
    opened, _ = marked_case(tmp_path)
    yield opened
    opened.close()


def _export(case: Case, path: Path, options: ReportOptions | None = None) -> dict[str, Any]:
    write_web_annotations(case, path, options)
    return json.loads(path.read_text(encoding="utf-8"))


def _by_uuid(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"].removeprefix("urn:uuid:"): item for item in data["first"]["items"]}


def _state(mark: Mark) -> tuple[object, ...]:
    return (
        mark.uuid,
        mark.doc,
        mark.kind,
        mark.page,
        mark.anchor,
        mark.quote,
        mark.prefix,
        mark.suffix,
        mark.note,
        mark.tags,
        mark.colour,
        mark.author,
        mark.created,
    )


def test_the_file_is_an_annotation_collection_of_annotations(case: Case, tmp_path: Path) -> None:
    data = _export(case, tmp_path / "marks.jsonld")
    assert data["@context"] == CONTEXT and data["type"] == "AnnotationCollection"
    assert data["total"] == 8 and data["first"]["type"] == "AnnotationPage"
    police = next(m for m in case.marking.marks() if m.quote == "police fired")
    item = _by_uuid(data)[police.uuid]
    complaint = case.document(police.doc)
    assert item["type"] == "Annotation" and item["motivation"] == "highlighting"
    assert item["creator"] == {"type": "Person", "name": "Ann"}
    assert item["created"].endswith("Z")
    assert item["body"] == [
        {
            "type": "TextualBody",
            "value": "Key admission\nsecond line",
            "format": "text/plain",
            "purpose": "commenting",
        },
        {"type": "TextualBody", "value": "Issue/Torture", "purpose": "tagging"},
        {"type": "TextualBody", "value": "Witness/Karimova", "purpose": "tagging"},
    ]
    target = item["target"]
    assert target["source"] == f"urn:sha256:{complaint.sha256}"
    assert target["styleClass"] == "pink" and ".pink" in item["stylesheet"]["value"]
    quote, where = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "police fired",
        "prefix": police.prefix,
        "suffix": police.suffix,
    }
    assert where == {
        "type": "FragmentSelector",
        "value": "page=1",
        "conformsTo": RFC3778,
        "refinedBy": {
            "type": "TextPositionSelector",
            "start": police.anchor.start,
            "end": police.anchor.end,
        },
    }


def test_notes_and_text_files_have_the_selectors_they_can(case: Case, tmp_path: Path) -> None:
    items = _by_uuid(_export(case, tmp_path / "marks.jsonld"))
    by_note = {m.note: m for m in case.marking.marks() if m.note}
    page_note = items[by_note["Check the amount"].uuid]
    assert page_note["motivation"] == "commenting"
    assert page_note["target"]["selector"] == {
        "type": "FragmentSelector",
        "value": "page=3",
        "conformsTo": RFC3778,
    }
    doc_note = next(items[m.uuid] for m in by_note.values() if m.page is None)
    assert "selector" not in doc_note["target"]
    greek = next(m for m in case.marking.marks() if m.quote.startswith("Ο μάρτυρας"))
    fragment = items[greek.uuid]["target"]["selector"][1]
    assert fragment["value"] == "page=1" and "conformsTo" not in fragment  # not a PDF


def test_a_highlight_across_pages_is_a_range_of_two_positions(case: Case, tmp_path: Path) -> None:
    doc = doc_id(case, "Complaint")
    start = case.page(doc, 1).text.index("in Zhan")
    mark = case.marking.highlight(doc, Anchor(1, start, 2, len("The plaintiffs")))
    item = _by_uuid(_export(case, tmp_path / "a.jsonld"))[mark.uuid]
    where = item["target"]["selector"][1]
    assert where["type"] == "RangeSelector"
    assert where["startSelector"]["value"] == "page=1"
    assert where["startSelector"]["refinedBy"] == {
        "type": "TextPositionSelector",
        "start": start,
        "end": start,
    }
    assert where["endSelector"]["value"] == "page=2"
    assert where["endSelector"]["refinedBy"]["start"] == len("The plaintiffs")


def test_export_delete_import_gives_the_same_marks_and_twice_no_duplicates(
    case: Case, tmp_path: Path
) -> None:
    doc = doc_id(case, "Complaint")
    start = case.page(doc, 1).text.index("in Zhan")
    case.marking.highlight(doc, Anchor(1, start, 2, len("The plaintiffs")), colour="orange")
    before = sorted(_state(m) for m in case.marking.marks())
    path = tmp_path / "marks.jsonld"
    write_web_annotations(case, path)
    for mark in case.marking.marks():
        case.marking.delete(mark.id)
    report = import_web_annotations(case, path)
    assert (len(report.imported), len(report.duplicates), report.orphans, report.moved) == (
        9,
        0,
        [],
        0,
    )
    assert sorted(_state(m) for m in case.marking.marks()) == before
    again = import_web_annotations(case, path)
    assert (len(again.imported), len(again.duplicates)) == (0, 9)
    assert len(case.marking.marks()) == 9
    assert case.search('"police fired"').total >= 1  # the index heard of the imports


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["first"]["items"])
    path.write_text(json.dumps(data), encoding="utf-8")


def _only(case: Case, tmp_path: Path, quote: str) -> tuple[Path, Mark]:
    """An export holding just the mark quoting `quote`, which is then deleted."""
    mark = next(m for m in case.marking.marks() if m.quote == quote)
    path = tmp_path / "one.jsonld"
    write_web_annotations(case, path, ReportOptions(docs=(mark.doc,)))
    _rewrite(
        path,
        lambda items: items.__setitem__(
            slice(None), [i for i in items if i["id"].endswith(mark.uuid)]
        ),
    )
    case.marking.delete(mark.id)
    return path, mark


def test_a_changed_quote_is_orphaned_never_attached_elsewhere(case: Case, tmp_path: Path) -> None:
    path, mark = _only(case, tmp_path, "police fired")
    _rewrite(path, lambda items: items[0]["target"]["selector"][0].update(exact="soldiers marched"))
    report = import_web_annotations(case, path)
    assert report.imported == [] and len(report.orphans) == 1
    orphan = report.orphans[0]
    assert orphan.uuid == mark.uuid and orphan.quote == "soldiers marched"
    assert "no longer anywhere in 'Complaint'" in orphan.reason
    assert case.marking.marks() and all(m.uuid != mark.uuid for m in case.marking.marks())


def test_words_that_moved_are_found_by_quote_on_the_page_then_anywhere(
    case: Case, tmp_path: Path
) -> None:
    path, mark = _only(case, tmp_path, "torture in custody")

    def move(items: list[dict[str, Any]], page: int, start: int) -> None:
        where = items[0]["target"]["selector"][1]
        where["value"] = f"page={page}"
        where["refinedBy"].update(start=start, end=start + 5)

    _rewrite(path, lambda items: move(items, 2, 0))
    report = import_web_annotations(case, path)
    assert report.moved == 1 and report.imported[0].anchor == mark.anchor
    case.marking.delete(report.imported[0].id)
    _rewrite(path, lambda items: move(items, 1, 3))  # the wrong page altogether
    report = import_web_annotations(case, path)
    assert report.imported[0].anchor == mark.anchor and report.imported[0].page == 2


def test_a_document_the_case_lacks_orphans_its_marks(case: Case, tmp_path: Path) -> None:
    path, _ = _only(case, tmp_path, "police fired")
    _rewrite(path, lambda items: items[0]["target"].update(source="urn:sha256:" + "0" * 64))
    report = import_web_annotations(case, path)
    assert [o.reason for o in report.orphans] == [
        f"document not in this case (urn:sha256:{'0' * 64})"
    ]
    assert report.as_json()["orphaned"] == 1


def test_another_tools_annotation_imports_once(case: Case, tmp_path: Path) -> None:
    sha = case.document(doc_id(case, "Complaint")).sha256
    foreign = [
        {
            "id": "https://example.org/anno/1",
            "type": "Annotation",
            "bodyValue": "From another reader",
            "target": {
                "source": {"id": f"urn:sha256:{sha}"},
                "selector": {"type": "TextQuoteSelector", "exact": "Relief sought"},
            },
        }
    ]
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    report = import_web_annotations(case, path)
    mark = report.imported[0]
    assert (mark.quote, mark.page, mark.note, mark.colour) == (
        "Relief sought",
        3,
        "From another reader",
        "yellow",
    )
    assert len(import_web_annotations(case, path).duplicates) == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("this is not json", "not JSON"),
        ('{"type": "Nothing"}', "not a W3C Web Annotation file"),
        ('[{"type": "Annotation"}]', "has no target"),
        ('[{"type": "Annotation", "target": 5}]', "target must be"),
        ('[{"type": "Annotation", "target": "urn:sha256:aa"}, 7]', "item 3 is not an Annotation"),
        ('{"type": "AnnotationCollection", "first": "https://example.org/page1"}', "network"),
        (
            '[{"type": "Annotation", "target": {"source": "urn:x", "selector": '
            '{"type": "TextPositionSelector", "start": "a", "end": 2}}}]',
            "whole numbers",
        ),
    ],
)
def test_bad_input_is_refused_whole_and_changes_nothing(
    case: Case, tmp_path: Path, content: str, message: str
) -> None:
    path, _ = _only(case, tmp_path, "police fired")
    text = path.read_text(encoding="utf-8")
    good = json.loads(text)["first"]["items"]
    bad = tmp_path / "bad.json"
    if content.startswith("["):  # a good annotation first: it must not be imported either
        content = json.dumps(good + json.loads(content))
    bad.write_text(content, encoding="utf-8")
    before = [_state(m) for m in case.marking.marks()]
    with pytest.raises(DocketError, match=message):
        import_web_annotations(case, bad)
    assert [_state(m) for m in case.marking.marks()] == before


def test_a_read_only_case_refuses_an_import(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "all.jsonld"
    write_web_annotations(case, path)
    with Case.open(case.path, readonly=True) as reader, pytest.raises(CaseError, match="read-only"):
        import_web_annotations(reader, path)
