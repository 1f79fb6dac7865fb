"""Reading W3C Web Annotation JSON into plain records, before anything touches a case.

Docket's own files (see webannotation) and other tools' are read: a
collection, a page, an array or one annotation; a body as one value or a
list; a target as an IRI, an object or a list. Anything that is not that
shape raises DocketError naming the annotation, so an import is refused
whole before it has changed the case. Values that are only hints (a date,
an unknown colour) fall back quietly instead.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docket.core.errors import DocketError
from docket.core.export.webannotation import SHA_PREFIX, UUID_PREFIX
from docket.core.model.colours import COLOUR_KEYS, DEFAULT_COLOUR
from docket.core.model.marks import Anchor
from docket.core.text.anchoring import Quote

_PAGE = re.compile(r"(?:^|[&#])page=(\d+)")
_MAX_ITEMS = 1_000_000


@dataclass(frozen=True, slots=True)
class ParsedAnnotation:
    uuid: str
    source: str  # "urn:sha256:…" for Docket's own; any IRI from elsewhere
    quote: Quote | None
    position: Anchor | None  # where the words were; a hint to check, never trusted
    page: int | None
    colour: str
    note: str
    tags: tuple[str, ...]
    author: str
    created: datetime | None

    @property
    def sha256(self) -> str | None:
        return (
            self.source[len(SHA_PREFIX) :].lower() if self.source.startswith(SHA_PREFIX) else None
        )


def read_annotations(path: Path) -> list[ParsedAnnotation]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DocketError(f"{Path(path).name} is not UTF-8 text, so not W3C JSON") from None
    except OSError as problem:
        raise DocketError(f"cannot read {path}: {problem.strerror or problem}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        raise DocketError(
            f"{Path(path).name} is not JSON ({problem.msg}, line {problem.lineno})"
        ) from None
    except RecursionError:
        raise DocketError(f"{Path(path).name} is nested too deeply to be annotations") from None
    return [parse_annotation(item, number) for number, item in enumerate(_items(data), start=1)]


def _types(value: Any) -> set[str]:
    found = value.get("type", value.get("@type")) if isinstance(value, dict) else None
    return {kind for kind in _list(found) if isinstance(kind, str)}


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    kinds = _types(data)
    if "AnnotationCollection" in kinds:
        items: list[Any] = []
        page = data.get("first")
        while page is not None and len(items) < _MAX_ITEMS:
            if not isinstance(page, dict):
                raise DocketError(
                    "the collection's pages are not inside the file "
                    "(Docket never fetches them from the network)"
                )
            items += _page_items(page)
            page = page.get("next")
        return items
    if "AnnotationPage" in kinds:
        return _page_items(data)
    if "Annotation" in kinds:
        return [data]
    raise DocketError(
        "not a W3C Web Annotation file: expected an AnnotationCollection, "
        "an AnnotationPage, an Annotation or a list of them"
    )


def _page_items(page: dict[str, Any]) -> list[Any]:
    items = page.get("items", [])
    if not isinstance(items, list):
        raise DocketError("an AnnotationPage's items must be a list")
    return items


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any, what: str, number: int) -> str:
    if not isinstance(value, str):
        raise DocketError(f"annotation {number}: {what} must be text")
    return value


def _offset(value: Any, number: int) -> int:
    if type(value) is not int or value < 0:
        raise DocketError(f"annotation {number}: a TextPositionSelector needs whole numbers ≥ 0")
    return value


def _mark_uuid(item: dict[str, Any]) -> str:
    """Docket's own id back; another tool's id always gives the same uuid, so importing
    its file twice does not duplicate either."""
    name = item.get("id", item.get("@id"))
    if isinstance(name, str) and name.lower().startswith(UUID_PREFIX):
        try:
            return str(uuid.UUID(name[len(UUID_PREFIX) :]))
        except ValueError:
            pass
    seed = name if isinstance(name, str) else json.dumps(item, sort_keys=True)
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def _created(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else None


def _author(creator: Any) -> str:
    for person in _list(creator):
        if isinstance(person, dict) and isinstance(person.get("name"), str):
            return str(person["name"])
        if isinstance(person, str) and not person.startswith(("http:", "https:", "urn:")):
            return person
    return ""


@dataclass(slots=True)
class _Where:
    quote: Quote | None = None
    position: Anchor | None = None
    page: int | None = None


def _fragment_page(selector: dict[str, Any], number: int) -> int | None:
    found = _PAGE.search(_text(selector.get("value", ""), "a FragmentSelector's value", number))
    return int(found.group(1)) if found else None


def _read_selector(selector: Any, where: _Where, number: int, page: int | None = None) -> None:
    if not isinstance(selector, dict):
        raise DocketError(f"annotation {number}: a selector must be an object")
    kinds = _types(selector)
    if "TextQuoteSelector" in kinds:
        where.quote = Quote(
            _text(selector.get("exact"), "exact", number),
            _text(selector.get("prefix", ""), "prefix", number),
            _text(selector.get("suffix", ""), "suffix", number),
        )
    elif "TextPositionSelector" in kinds:
        start, end = (_offset(selector.get(key), number) for key in ("start", "end"))
        where.position = Anchor(page or 1, start, page or 1, end)
    elif "FragmentSelector" in kinds:
        page = _fragment_page(selector, number) or page
        where.page = where.page or page
    elif "RangeSelector" in kinds:
        first, last = _Where(), _Where()
        _read_selector(selector.get("startSelector"), first, number)
        _read_selector(selector.get("endSelector"), last, number)
        if first.position and last.position:
            where.position = Anchor(
                first.position.page, first.position.start, last.position.page, last.position.start
            )
            where.page = where.page or first.position.page
    for refined in _list(selector.get("refinedBy")):
        _read_selector(refined, where, number, page)


def parse_annotation(item: Any, number: int) -> ParsedAnnotation:
    if not isinstance(item, dict) or "Annotation" not in _types(item):
        raise DocketError(f"item {number} is not an Annotation")
    targets = _list(item.get("target"))
    if not targets:
        raise DocketError(f"annotation {number} has no target")
    target = targets[0]
    target = {"source": target} if isinstance(target, str) else target
    if not isinstance(target, dict):
        raise DocketError(f"annotation {number}: its target must be an IRI or an object")
    source = target.get("source", target.get("id"))
    source = source.get("id") if isinstance(source, dict) else source
    where = _Where()
    for selector in _list(target.get("selector")):
        _read_selector(selector, where, number)
    notes: list[str] = [item["bodyValue"]] if isinstance(item.get("bodyValue"), str) else []
    tags: list[str] = []
    for body in _list(item.get("body")):
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            purpose = {name for name in _list(body.get("purpose")) if isinstance(name, str)}
            if "tagging" in purpose:
                tags.append(body["value"])
            elif not purpose or "commenting" in purpose or "describing" in purpose:
                notes.append(body["value"])
    style = target.get("styleClass")
    return ParsedAnnotation(
        uuid=_mark_uuid(item),
        source=_text(source, "the target's source", number),
        quote=where.quote,
        position=where.position,
        page=where.page,
        colour=style if style in COLOUR_KEYS else DEFAULT_COLOUR,
        note="\n\n".join(notes),
        tags=tuple(tags),
        author=_author(item.get("creator")),
        created=_created(item.get("created")),
    )
