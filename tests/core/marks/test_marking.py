"""Marks in the core: highlights, notes, tags, undo, search, and the index catching up."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.case import Case
from docket.core.errors import CaseError, DocketError
from docket.core.marks.history import History, changed, created, deleted
from docket.core.model.marks import Anchor, MarkChange, MarkFilter, MarkKind
from tests.core.case_factory import write_matter


@pytest.fixture()
def case(tmp_path: Path) -> Case:
    matter = write_matter(tmp_path / "matter")
    opened = Case.create(tmp_path / "case")
    opened.import_paths([matter], workers=1)
    yield opened
    opened.close()


def _doc(case: Case, title: str) -> int:
    return next(d.id for d in case.documents() if d.title == title)


def _anchor_words(case: Case, doc: int, page: int, words: str) -> Anchor:
    text = case.page(doc, page).text
    start = text.index(words)
    return Anchor(page, start, page, start + len(words))


def test_a_highlight_keeps_its_words_context_rects_and_author(case: Case) -> None:
    doc = _doc(case, "Complaint")
    anchor = _anchor_words(case, doc, 1, "police fired")
    mark = case.marking.highlight(
        doc,
        anchor,
        colour="pink",
        note="Key admission",
        tags=["Issue/Torture", " issue / torture "],
        author="Ann",
    )
    assert mark.quote == "police fired"
    assert mark.prefix.endswith("2011 the ") and mark.suffix.startswith(" on striking")
    assert mark.tags == ("Issue/Torture",)
    assert mark.colour == "pink" and mark.author == "Ann" and mark.kind is MarkKind.HIGHLIGHT
    assert mark.rects and all(r.page == 1 and r.width > 0 and r.height > 0 for r in mark.rects)
    assert case.marking.get(mark.id) == mark


def test_a_highlight_may_cross_a_page_break(case: Case) -> None:
    doc = _doc(case, "Complaint")
    first = case.page(doc, 1).text
    start = first.index("in Zhan")
    anchor = Anchor(1, start, 2, len("The plaintiffs"))
    mark = case.marking.highlight(doc, anchor)
    assert mark.quote.startswith("in Zhanaözen.") and mark.quote.endswith("The plaintiffs")
    assert {r.page for r in mark.rects} == {1, 2}
    assert mark.as_json()["end_page"] == 2


def test_marks_survive_reopening(case: Case, tmp_path: Path) -> None:
    doc = _doc(case, "Deposition of Batkanbayev")
    made = case.marking.highlight(
        doc, _anchor_words(case, doc, 2, "firing without warning"), tags=["Witness/Batkanbayev"]
    )
    note = case.marking.add_note(doc, "Ask about the square", page=1)
    case.close()
    with Case.open(tmp_path / "case", readonly=True) as again:
        assert [m.id for m in again.marking.marks()] == [note.id, made.id]
        assert again.marking.get(made.id).rects == made.rects


def test_bad_marks_are_refused_with_a_reason(case: Case) -> None:
    doc = _doc(case, "Complaint")
    with pytest.raises(DocketError, match="colour"):
        case.marking.highlight(doc, _anchor_words(case, doc, 1, "police"), colour="mauve")
    with pytest.raises(DocketError, match="at least one character"):
        case.marking.highlight(doc, Anchor(1, 5, 1, 5))
    with pytest.raises(DocketError, match="outside"):
        case.marking.highlight(doc, Anchor(1, 0, 1, 100_000))
    with pytest.raises(DocketError, match="no page"):
        case.marking.highlight(doc, Anchor(9, 0, 9, 3))
    with pytest.raises(DocketError, match="not a tag"):
        case.marking.highlight(doc, _anchor_words(case, doc, 1, "police"), tags=["//"])
    assert case.marking.marks() == []


def test_quotes_anchor_across_line_breaks_and_need_an_occurrence_when_repeated(
    case: Case,
) -> None:
    doc = _doc(case, "Complaint")
    anchor = case.marking.anchor_for_quote(doc, 1, "striking oil workers in Zhanaozen")
    text = case.page(doc, 1).text
    assert text[anchor.start : anchor.end].replace("\r\n", "\n") == (
        "striking oil workers\nin Zhanaözen"
    )
    with pytest.raises(DocketError, match="not on page 1"):
        case.marking.anchor_for_quote(doc, 1, "no such words")
    deposition = _doc(case, "Deposition of Batkanbayev")
    with pytest.raises(DocketError, match="occur 2 times"):
        case.marking.anchor_for_quote(deposition, 1, "wh")
    second = case.marking.anchor_for_quote(deposition, 1, "wh", occurrence=2)
    assert second.start > case.marking.anchor_for_quote(deposition, 1, "wh", 1).start


def test_tags_rename_merge_and_delete_update_every_mark(case: Case) -> None:
    doc = _doc(case, "Complaint")
    a = case.marking.highlight(doc, _anchor_words(case, doc, 1, "police"), tags=["Issue/Torture"])
    b = case.marking.highlight(
        doc, _anchor_words(case, doc, 2, "torture"), tags=["Issue/Abuse", "Witness/Karimova"]
    )
    case.marking.tag_document(doc, ["Issue/Torture"])
    tree = case.marking.tag_tree()
    issue = next(node for node in tree if node.path == "Issue")
    assert issue.marks == 0 and issue.total_marks == 2 and issue.total_documents == 1

    renamed = case.marking.rename_tag("Issue", "Matters")
    assert (renamed.marks, renamed.documents) == (2, 1)
    assert case.marking.get(a.id).tags == ("Matters/Torture",)
    assert case.marking.document_tags(doc) == ["Matters/Torture"]

    case.marking.merge_tag("Matters/Abuse", "Matters/Torture")
    assert case.marking.get(b.id).tags == ("Matters/Torture", "Witness/Karimova")
    assert [c.name for c in case.marking.tag_counts()] == ["Matters/Torture", "Witness/Karimova"]

    assert case.marking.tag_usage("Matters") == (2, 1)
    deleted_tag = case.marking.delete_tag("Matters")
    assert (deleted_tag.marks, deleted_tag.documents) == (2, 1)
    assert case.marking.get(a.id).tags == ()
    assert case.marking.get(b.id).tags == ("Witness/Karimova",)
    with pytest.raises(DocketError, match="no tag"):
        case.marking.rename_tag("Nothing", "Else")


def test_the_mark_filter_takes_tag_children_colour_document_and_words(case: Case) -> None:
    complaint, deposition = _doc(case, "Complaint"), _doc(case, "Deposition of Batkanbayev")
    a = case.marking.highlight(
        complaint,
        _anchor_words(case, complaint, 1, "police fired"),
        tags=["Issue/Torture"],
        colour="green",
    )
    b = case.marking.highlight(
        deposition,
        _anchor_words(case, deposition, 2, "officers"),
        note="Zhanaözen square",
        tags=["Issue"],
    )
    c = case.marking.add_note(deposition, "General remark")
    ids = lambda where: [m.id for m in case.marking.marks(where)]  # noqa: E731
    assert sorted(ids(MarkFilter(tag="issue"))) == sorted([a.id, b.id])
    assert ids(MarkFilter(tag="Issue/Torture")) == [a.id]
    assert ids(MarkFilter(colour="green")) == [a.id]
    assert ids(MarkFilter(doc=deposition)) == [c.id, b.id]
    assert ids(MarkFilter(text="zhanaozen")) == [b.id]
    assert ids(MarkFilter(kinds=(MarkKind.DOCUMENT_NOTE,))) == [c.id]


def test_undo_and_redo_of_create_change_and_delete(case: Case) -> None:
    doc = _doc(case, "Complaint")
    history = History()
    mark = case.marking.highlight(doc, _anchor_words(case, doc, 1, "police fired"))
    history.push(created(case.marking, mark))
    before, after = case.marking.change(mark.id, MarkChange(colour="blue", note="n", tags=("A",)))
    history.push(changed(case.marking, before, after, "Recolour"))
    assert history.undo() == "Recolour"
    assert (case.marking.get(mark.id).colour, case.marking.get(mark.id).tags) == ("yellow", ())
    assert history.redo() == "Recolour"
    assert case.marking.get(mark.id).note == "n"

    gone = case.marking.delete(mark.id)
    history.push(deleted(case.marking, gone))
    other = case.marking.highlight(doc, _anchor_words(case, doc, 2, "torture"))
    assert other.id != mark.id  # an id is never handed out twice
    assert history.undo() == "Delete Highlight"
    back = case.marking.get(mark.id)
    assert (back.quote, back.colour, back.tags, back.rects) == (
        "police fired",
        "blue",
        ("A",),
        mark.rects,
    )
    assert history.redo() == "Delete Highlight"
    assert case.marking.find(mark.id) is None
    history.undo()
    history.undo()  # the change
    history.undo()  # the creation
    assert case.marking.find(mark.id) is None
    assert history.undo() is None
    history.redo()
    assert case.marking.get(mark.id).quote == "police fired"


def test_search_finds_notes_tags_and_parent_tags(case: Case) -> None:
    doc = _doc(case, "Complaint")
    mark = case.marking.highlight(
        doc,
        _anchor_words(case, doc, 1, "police fired"),
        note="Contradicts the governor's statement",
        tags=["Issue/Torture"],
    )
    found = case.search("tag:Issue")
    assert [(h.source, h.mark, h.page) for h in found.results] == [("mark", mark.id, 1)]
    assert found.results[0].hits == ((mark.anchor.start, mark.anchor.end),)
    assert case.search("tag:Issue/Torture").total == 1
    assert case.search("tag:torture").total == 0  # a child's name alone is not its parent
    assert case.search("note:governor").results[0].mark == mark.id
    plain = case.search("governor")
    assert plain.total == 1 and "<b>governor" in plain.results[0].snippet
    case.marking.tag_document(doc, ["Witness/Karimova"])
    documents = case.search("tag:Witness")
    assert [(h.source, h.doc) for h in documents.results] == [("document", doc)]
    case.marking.rename_tag("Issue", "Matters")
    assert case.search("tag:Issue").total == 0 and case.search("tag:Matters").total == 1
    case.marking.delete(mark.id)
    assert case.search("note:governor").total == 0


def test_the_index_catches_up_marks_after_a_kill_and_after_a_rebuild(
    case: Case, tmp_path: Path
) -> None:
    doc = _doc(case, "Complaint")
    case.marking.index_at_once = False  # as if killed before the index heard of it
    mark = case.marking.highlight(doc, _anchor_words(case, doc, 1, "police"), note="lantern")
    assert case.search("note:lantern").total == 0
    case.close()
    with Case.open(tmp_path / "case") as again:
        assert again.search("note:lantern").results[0].mark == mark.id
        again.reindex()
        assert again.search("note:lantern").results[0].mark == mark.id


def test_a_read_only_case_refuses_marks(case: Case, tmp_path: Path) -> None:
    doc = _doc(case, "Complaint")
    case.close()
    with (
        Case.open(tmp_path / "case", readonly=True) as readonly,
        pytest.raises(CaseError, match="read-only"),
    ):
        readonly.marking.add_note(doc, "x")
