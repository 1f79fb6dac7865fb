"""Marks as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), JSON-LD.

The file is the model's own container for many annotations: an
AnnotationCollection whose `first` is one embedded AnnotationPage holding
every annotation in `items` (model §5). A bare JSON array has no place for
the @context or a label, and other tools read the collection form; the
importer accepts a collection, a page, an array or a single annotation.

One mark is one Annotation:

- `id` "urn:uuid:<mark uuid>", so an import can tell a mark it has already;
  `created`/`modified` in UTC; `creator` a Person named by the mark's author.
- `motivation` "highlighting" for a highlight, "commenting" for a note.
- `body`: the note as a TextualBody with purpose "commenting", each tag a
  TextualBody with purpose "tagging".
- The colour is the model's own styling (§4.4): the annotation's CSS
  `stylesheet` defines a class named after the colour key ("yellow") and the
  target's `styleClass` names it, so another tool can even draw it.
- `target.source` is "urn:sha256:<hex>" of the original file: the same file
  in any case, on any machine, has the same name.
- A highlight has two selectors, alternatives for the same words (§4.2):
  a TextQuoteSelector (exact, prefix, suffix; whitespace squeezed, as the
  quote is kept), and its position: a FragmentSelector "page=N" refinedBy a
  TextPositionSelector {start, end} in that page's stored text (the text
  QtPdf gives for the page). A highlight across pages is a RangeSelector
  from position `start` of its first page to position `end` of its last (each
  a zero-length TextPositionSelector refining its page; the range runs from
  the start selector up to, not including, the end selector).
  For PDFs the FragmentSelector conformsTo RFC 3778 (PDF open parameters);
  a text file's "page" is Docket's own (text split at form feeds), so it
  carries no conformsTo.
- A page note's target has only the FragmentSelector; a document note's has
  only the source.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docket import __version__
from docket.core.export.reportmodel import ReportOptions, selected_marks
from docket.core.model.colours import colour as colour_of
from docket.core.model.marks import Mark, MarkKind
from docket.core.model.records import Document, DocumentKind
from docket.core.progress import CancelToken

if TYPE_CHECKING:
    from docket.core.case import Case

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"
UUID_PREFIX = "urn:uuid:"
SHA_PREFIX = "urn:sha256:"
JSON_LD = "application/ld+json"


def w3c_time(moment: datetime) -> str:
    """xsd:dateTime in UTC with a "Z", as the model asks (§3.3.5); fractions of a second
    are kept, so that a mark comes back exactly as it was."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _page(document: Document, number: int, refined: dict[str, Any] | None = None) -> dict[str, Any]:
    selector: dict[str, Any] = {"type": "FragmentSelector", "value": f"page={number}"}
    if document.kind is DocumentKind.PDF:
        selector["conformsTo"] = RFC3778
    if refined is not None:
        selector["refinedBy"] = refined
    return selector


def _position(start: int, end: int) -> dict[str, Any]:
    return {"type": "TextPositionSelector", "start": start, "end": end}


def _selectors(mark: Mark, document: Document) -> list[dict[str, Any]]:
    anchor = mark.anchor
    if anchor is None:
        return [_page(document, mark.page)] if mark.page is not None else []
    quote = {
        "type": "TextQuoteSelector",
        "exact": mark.quote,
        "prefix": mark.prefix,
        "suffix": mark.suffix,
    }
    if anchor.page == anchor.end_page:
        where = _page(document, anchor.page, _position(anchor.start, anchor.end))
    else:
        where = {
            "type": "RangeSelector",
            "startSelector": _page(document, anchor.page, _position(anchor.start, anchor.start)),
            "endSelector": _page(document, anchor.end_page, _position(anchor.end, anchor.end)),
        }
    return [quote, where]


def annotation(mark: Mark, document: Document) -> dict[str, Any]:
    """One mark as one Annotation (without @context: the collection carries it)."""
    body: list[dict[str, Any]] = []
    if mark.note:
        body.append(
            {
                "type": "TextualBody",
                "value": mark.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in mark.tags]
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": SHA_PREFIX + document.sha256,
        "styleClass": mark.colour,
    }
    selectors = _selectors(mark, document)
    if selectors:
        target["selector"] = selectors if len(selectors) > 1 else selectors[0]
    found: dict[str, Any] = {
        "id": UUID_PREFIX + mark.uuid,
        "type": "Annotation",
        "motivation": "highlighting" if mark.kind is MarkKind.HIGHLIGHT else "commenting",
        "created": w3c_time(mark.created),
        "modified": w3c_time(mark.modified),
    }
    if mark.author:
        found["creator"] = {"type": "Person", "name": mark.author}
    try:
        rgb = colour_of(mark.colour).rgb
        found["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{mark.colour} {{ background-color: {rgb}; }}",
        }
    except KeyError:  # a colour this Docket does not know: keep its name only
        pass
    if body:
        found["body"] = body if len(body) > 1 else body[0]
    found["target"] = target
    return found


def collection(marks: Iterable[Mark], documents: dict[int, Document], label: str) -> dict[str, Any]:
    items = [annotation(mark, documents[mark.doc]) for mark in marks]
    return {
        "@context": CONTEXT,
        "id": UUID_PREFIX + str(uuid.uuid4()),
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "generator": {"type": "Software", "name": f"Docket {__version__}"},
        "generated": w3c_time(datetime.now(UTC)),
        "first": {
            "id": UUID_PREFIX + str(uuid.uuid4()),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def write_web_annotations(
    case: Case, path: Path, options: ReportOptions | None = None, cancel: CancelToken | None = None
) -> int:
    """Write the chosen marks as one AnnotationCollection; returns how many."""
    marks = selected_marks(case, options or ReportOptions())
    # A redaction is no W3C highlight nor comment: read back, it would become a note.
    marks = [mark for mark in marks if mark.kind is not MarkKind.REDACTION]
    if cancel is not None:
        cancel.raise_if_cancelled()
    documents = {document.id: document for document in case.documents()}
    data = collection(marks, documents, f"Marks of {case.path.name}")
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return len(marks)
