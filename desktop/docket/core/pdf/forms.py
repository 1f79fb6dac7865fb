"""The filled values of a PDF's form fields (AcroForm), read with pypdf.

QtPdf's page text holds what is printed on a page, not what is typed into
its form fields, so "Alice" in a name field was never found. The fields are
read here, at import, and kept apart from the page text (its offsets are the
one coordinate system marks and hits use): each becomes a `FormField` with
its value as a reader shows it, the page of its widget and the widget's
rectangle (points, top-left origin, as QtPdf reports rectangles).

What counts as filled: a text field's text; a choice (list or combo box)'s
selected options, by the name the reader displays; a check box's or radio
group's export value when one is on. Push buttons, signatures, fields that
are off or empty, and fields with no widget on a page are left out. A value
longer than MAX_FIELD_CHARS is cut and marked `truncated`: a field holding
megabytes must not reach the case or the index whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docket.core import heartbeat
from docket.core.model.records import ExtractedDocument, Flag, FormField
from docket.core.pdf.metadata import quiet_pypdf
from docket.core.pdf.namescan import may_name
from docket.core.pdf.space import PageSpace

log = logging.getLogger(__name__)

MAX_FIELD_CHARS = 64 * 1024  # a long letter typed into a field fits; megabytes do not
MAX_FORM_CHARS = 1024 * 1024  # all of a form's values: thousands of full fields do not
MAX_DEPTH = 32  # field trees nest a few levels; deeper is damage or a loop
_PUSH_BUTTON = 1 << 16  # field flags (/Ff), PDF 32000-1 table 226
_RADIO = 1 << 15


def may_have_form(path: Path) -> bool:
    """False when the PDF certainly has no form: no catalog names an /AcroForm.

    pypdf finds the catalog quickly in most files, but where it sits in a big
    compressed object stream pypdf parses every object before it: 13 s for
    one of pdf.js's test files, 2 ms a file for this look at the bytes
    (`namescan`).
    """
    return may_name(path, _FORM_NAME)


_FORM_NAME = re.compile(rb"/AcroForm(?![A-Za-z0-9#])")


def read_form_fields(path: Path, password: str | None = None) -> tuple[FormField, ...]:
    """The filled fields of the PDF at `path`, in the form's order; () without a form.

    Raises whatever pypdf raises on a file it cannot read: the caller decides
    (an import keeps the document and its pages).
    """
    if not may_have_form(path):
        return ()
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        reader.decrypt(password or "")
    root = reader.trailer.get("/Root")
    form = _resolve(root.get("/AcroForm")) if root is not None else None
    top = _resolve(form.get("/Fields")) if form is not None else None
    if not top:
        return ()
    return _within_budget(_Form(reader).fields(top))


def _within_budget(fields: Iterator[FormField]) -> tuple[FormField, ...]:
    """The fields until their values reach MAX_FORM_CHARS; the last one kept is cut."""
    kept: list[FormField] = []
    left = MAX_FORM_CHARS
    for found in fields:
        if len(found.value) > left:
            if left:
                kept.append(replace(found, value=found.value[:left], truncated=True))
            elif kept:
                kept[-1] = replace(kept[-1], truncated=True)  # fields after it are left out
            break
        kept.append(found)
        left -= len(found.value)
    return tuple(kept)


@dataclass
class _Inherited:
    name: str = ""
    kind: str = ""  # /FT
    flags: int = 0  # /Ff
    value: Any = None  # /V
    options: Any = None  # /Opt (not inheritable by the spec, but readers do)


class _Form:
    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._pages: dict[int, int] | None = None  # widget object number → page
        self._page_objects: dict[int, int] = {}  # page object number → page
        self._seen: set[int] = set()

    def fields(self, top: Any) -> Iterator[FormField]:
        for kid in top:
            yield from self._field(kid, _Inherited(), 0)

    def _field(self, reference: Any, parent: _Inherited, depth: int) -> Iterator[FormField]:
        number = getattr(reference, "idnum", None)
        if depth > MAX_DEPTH or (number is not None and number in self._seen):
            return
        if number is not None:
            self._seen.add(number)
        node = _resolve(reference)
        if not hasattr(node, "get"):
            return
        part = node.get("/T")
        inherited = _Inherited(
            name=".".join(p for p in (parent.name, _text(part)) if p) if part else parent.name,
            kind=str(node.get("/FT", parent.kind)),
            flags=_int(node.get("/Ff", parent.flags)),
            value=node.get("/V", parent.value),
            options=node.get("/Opt", parent.options),
        )
        kids = _resolve(node.get("/Kids")) or []
        fields = [kid for kid in kids if hasattr(_resolve(kid), "get") and "/T" in _resolve(kid)]
        if fields:
            for kid in fields:
                yield from self._field(kid, inherited, depth + 1)
            return
        widgets = [kid for kid in kids] or ([reference] if "/Rect" in node else [])
        found = self._filled(inherited, widgets)
        if found is not None:
            yield found

    def _filled(self, field: _Inherited, widgets: list[Any]) -> FormField | None:
        value = _resolve(field.value)
        if field.kind == "/Tx":
            kind, shown, state = "text", _text(value), None
        elif field.kind == "/Ch":
            kind, shown, state = "choice", _choice(value, _resolve(field.options)), None
        elif field.kind == "/Btn" and not field.flags & _PUSH_BUTTON:
            state = _name(value)
            if not state or state == "Off":
                return None
            kind = "radio" if field.flags & _RADIO else "checkbox"
            shown = _export_value(state, _resolve(field.options))
        else:  # signatures, push buttons, fields of no known type
            return None
        shown = shown.replace("\r\n", "\n").replace("\r", "\n")
        if not shown.strip():
            return None
        placed = self._place(widgets, state)
        if placed is None:
            return None
        page, rect = placed
        truncated = len(shown) > MAX_FIELD_CHARS
        return FormField(
            page=page,
            name=field.name,
            kind=kind,
            value=shown[:MAX_FIELD_CHARS],
            rect=rect,
            truncated=truncated,
        )

    def _place(
        self, widgets: list[Any], state: str | None
    ) -> tuple[int, tuple[float, float, float, float]] | None:
        """The page and rectangle of the widget that shows the value (for a radio
        group, the one that is on)."""
        placed = []
        for widget in widgets:
            node = _resolve(widget)
            if not hasattr(node, "get"):
                continue
            page = self._page_of(widget, node)
            if page is None:
                continue
            heartbeat.beat(page)
            placed.append((page, node))
        if not placed:
            return None
        page, node = placed[0]
        if state is not None:
            for candidate_page, candidate in placed:
                if _name(candidate.get("/AS")) == state or state in _appearances(candidate):
                    page, node = candidate_page, candidate
                    break
        return page, self._rect(page, node)

    def _page_of(self, widget: Any, node: Any) -> int | None:
        if self._pages is None:
            self._pages = {}
            for number, page in enumerate(self._reader.pages, start=1):
                reference = getattr(page, "indirect_reference", None)
                if reference is not None:
                    self._page_objects[reference.idnum] = number
                for annotation in _resolve(page.get("/Annots")) or []:
                    idnum = getattr(annotation, "idnum", None)
                    if idnum is not None:
                        self._pages.setdefault(idnum, number)
        idnum = getattr(widget, "idnum", None)
        if idnum is not None and idnum in self._pages:
            return self._pages[idnum]
        owner = getattr(node.get("/P"), "idnum", None)  # the widget's own /P
        return self._page_objects.get(owner) if owner is not None else None

    def _rect(self, page: int, node: Any) -> tuple[float, float, float, float]:
        try:
            x0, y0, x1, y1 = (float(v) for v in _resolve(node.get("/Rect")))
            space = PageSpace.of(self._reader.pages[page - 1])
        except (TypeError, ValueError, IndexError):
            return (0.0, 0.0, 0.0, 0.0)
        corners = [space.to_display(x, y) for x, y in ((x0, y0), (x1, y1))]
        left, right = sorted(c[0] for c in corners)
        top, bottom = sorted(c[1] for c in corners)
        return (left, top, right - left, bottom - top)


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _int(value: Any) -> int:
    try:
        return int(_resolve(value))
    except (TypeError, ValueError):
        return 0


def _name(value: Any) -> str:
    value = _resolve(value)
    return str(value)[1:] if isinstance(value, str) and str(value).startswith("/") else ""


def _text(value: Any) -> str:
    """A string, a name or a stream's text as a person reads it."""
    value = _resolve(value)
    if value is None:
        return ""
    if hasattr(value, "get_data"):  # a long text value may be a stream
        data: bytes = value.get_data()[: MAX_FIELD_CHARS * 4 + 4]
        if data.startswith((b"\xfe\xff", b"\xff\xfe")):
            return data.decode("utf-16", "replace")
        return data.decode("utf-8", "replace")
    if isinstance(value, bytes):
        return value.decode("latin-1")
    name = _name(value)
    return name if name else str(value)


def _choice(value: Any, options: Any) -> str:
    """The selected options, by the text the reader shows for each."""
    shown = {}
    for option in options if isinstance(options, list) else []:
        option = _resolve(option)
        if isinstance(option, list) and len(option) >= 2:
            shown[_text(option[0])] = _text(option[1])
    chosen = value if isinstance(value, list) else [value]
    names = [_text(item) for item in chosen if item is not None]
    return ", ".join(shown.get(name, name) for name in names if name)


def _export_value(state: str, options: Any) -> str:
    """A check box's or radio's on state; with /Opt, the states are indexes into it."""
    if isinstance(options, list) and state.isdigit() and int(state) < len(options):
        return _text(options[int(state)])
    return state


def _appearances(node: Any) -> set[str]:
    appearance = _resolve(node.get("/AP"))
    normal: Any = _resolve(appearance.get("/N")) if hasattr(appearance, "get") else None
    return {str(key)[1:] for key in normal} if hasattr(normal, "keys") else set()


def with_form_fields(
    document: ExtractedDocument, path: Path, password: str | None = None
) -> ExtractedDocument:
    """`document` (extracted from the PDF at `path`) with its filled form fields.

    A form pypdf cannot read leaves the document as QtPdf read it: its pages
    are what matters, and they are whole. A cut value flags the document.
    """
    try:
        with quiet_pypdf():  # a damaged file's complaints, not the user's business
            fields = read_form_fields(path, password)
    except MemoryError:
        raise
    except Exception as error:  # pypdf's errors are many; the pages are read already
        log.warning("form fields of %s could not be read: %s", path, error)
        return document
    if not fields:
        return document
    flags = document.flags
    if any(field.truncated for field in fields) and Flag.FIELD_TRUNCATED not in flags:
        flags = (*flags, Flag.FIELD_TRUNCATED)
    return replace(document, fields=fields, flags=flags)
