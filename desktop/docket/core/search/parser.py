"""Docket's query parser: what the user typed -> a `ParsedQuery` of `nodes`.

The query is first checked (`query.check_syntax`, which says what is wrong
and where), then read from the same tokens. The language, as the README
gives it:

- words side by side must all match; ``AND``, ``OR``, ``NOT`` (capitals only)
  and parentheses combine them. ``NOT`` binds tightest, then ``AND``, then
  ``OR``, then the implied AND between neighbours: ``a b OR c`` is
  ``a AND (b OR c)``;
- ``"police fired"`` is a phrase, ``"police fired"~5`` lets its words be up
  to 5 positions apart (in that order);
- dtSearch's spellings, any case: ``police w/5 fired`` is the two words within
  5 positions in either order, ``police pre/5 fired`` with police first;
- ``tortur*`` and ``t?rture`` are wildcards, ``Nazarbaev~`` / ``~2`` fuzzy
  (at most `MAX_FUZZY_DISTANCE` edits, sharing at least `MIN_FUZZY_PREFIX`
  first letters);
- ``field:value`` names a field, for a word, a phrase, a range or a group:
  ``title:(memo OR letter)``; ``date:`` takes dates (`dates.read_period`) and
  ranges ``date:[2011 TO 2012]`` with either end left open.

A typed word that the analyzer splits into several words (``self-defence``,
``16.12.2011``, ``complaint.pdf``) becomes a phrase of those words, split by
`analysis.word_spans` so the parser and the index agree on what a word is; a
CJK word is the phrase of its overlapping bigrams (问题文档 -> 问题 题文 文档).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docket.core.search.analysis import CJK_SPACES_RE, has_cjk, word_spans
from docket.core.search.dates import Period, read_period
from docket.core.search.nodes import (
    BATES_FIELD,
    DATE_FIELDS,
    DEFAULT_FIELD,
    WHOLE_VALUE_FIELDS,
    And,
    BatesRange,
    DateRange,
    Fuzzy,
    Node,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Term,
    Wildcard,
    bates_parts,
)
from docket.core.search.query import (
    FIELD_RE,
    LEX_RE,
    MAX_FUZZY_DISTANCE,
    MIN_FUZZY_PREFIX,
    OPERATORS,
    RANGE_TO,
    check_syntax,
    check_value,
    syntax_error,
)

# `word~`, `word~2`, `word~2/3` (3 first letters fixed): right after a letter of the word.
_FUZZY_RE = re.compile(r"(?<=\S)~(?P<distance>[0-9])?(?:/(?P<prefix>[1-9][0-9]*))?")
_WILDCARDS = "*?"
# dtSearch's proximity connectors between two words: `w/5` either order, `pre/5` ordered.
_PROXIMITY_RE = re.compile(r"(?P<kind>w|pre)/(?P<distance>[1-9][0-9]{0,2})", re.IGNORECASE)


def parse(text: str) -> ParsedQuery:
    """The query `text` means; QuerySyntaxError (with a position) if it is not valid."""
    checked = check_syntax(text)  # field names lowercased, positions unchanged
    root = _Reader(text, _items(checked)).query()
    if root is None:  # only punctuation: "...", "&"
        raise syntax_error("the query has no words to search for", text, 0)
    return ParsedQuery(text, root)


@dataclass(frozen=True)
class _Item:
    """One piece of the query: op, open, close, phrase, range, field, text or fuzzy."""

    kind: str
    value: str
    start: int
    end: int
    slop: int = 1  # a phrase's
    distance: int = 1  # a fuzzy marker's
    prefix: int = 0


def _items(checked: str) -> list[_Item]:
    fields = {m.start(): m for m in FIELD_RE.finditer(checked)}
    items: list[_Item] = []
    for m in LEX_RE.finditer(checked):
        kind, token, start = m.lastgroup or "", m.group(), m.start()
        if kind == "ws":
            continue
        if token in OPERATORS:
            items.append(_Item("op", token, start, m.end()))
        elif kind == "phrase":
            slop = int(m.group("slop") or 1)
            items.append(_Item("phrase", m.group("quoted")[1:-1], start, m.end(), slop=slop))
        elif kind == "word":
            items.extend(_word_items(token, start, fields))
        else:  # open, close, range: check_syntax refused stray quotes and brackets
            items.append(_Item(kind, token, start, m.end()))
    return items


def _word_items(token: str, at: int, fields: dict[int, re.Match[str]]) -> list[_Item]:
    """A word split at its field names and fuzzy markers: ``title:Nazarbaev~2``."""
    items: list[_Item] = []
    text_start = i = 0

    def flush(end: int) -> None:
        if end > text_start:
            items.append(_Item("text", token[text_start:end], at + text_start, at + end))

    while i < len(token):
        field = fields.get(at + i)
        fuzzy = _FUZZY_RE.match(token, i) if field is None else None
        if field is not None:
            flush(i)
            items.append(_Item("field", field.group("text"), at + i, field.end()))
            i = text_start = field.end() - at
        elif fuzzy is not None and i > text_start:  # a marker after no word is text
            flush(i)
            distance, prefix = fuzzy.group("distance"), fuzzy.group("prefix")
            items.append(
                _Item(
                    "fuzzy",
                    fuzzy.group(),
                    at + i,
                    at + fuzzy.end(),
                    distance=int(distance) if distance else 1,
                    prefix=int(prefix) if prefix else 0,
                )
            )
            i = text_start = fuzzy.end()
        else:
            i += 1
    flush(len(token))
    return items


class _Reader:
    """Recursive descent over the items; the syntax was checked, so every
    operator has its operands and every ( its )."""

    def __init__(self, text: str, items: list[_Item]) -> None:
        self.text = text
        self.items = items
        self.pos = 0

    def query(self) -> Node | None:
        return self._sequence(DEFAULT_FIELD)

    # -- the grammar ---------------------------------------------------------

    def _peek(self) -> _Item | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def _take(self) -> _Item:
        item = self.items[self.pos]
        self.pos += 1
        return item

    def _at_op(self, op: str) -> bool:
        item = self._peek()
        return item is not None and item.kind == "op" and item.value == op

    def _sequence(self, field: str) -> Node | None:
        """Neighbours up to a ) or the end, all required (the implied AND)."""
        parts: list[Node | None] = []
        while (item := self._peek()) is not None and item.kind != "close":
            parts.append(self._or(field))
        return _combine(And, parts)

    def _or(self, field: str) -> Node | None:
        parts = [self._and(field)]
        while self._at_op("OR"):
            self.pos += 1
            parts.append(self._and(field))
        return _combine(Or, parts)

    def _and(self, field: str) -> Node | None:
        parts = [self._unary(field)]
        while self._at_op("AND"):
            self.pos += 1
            parts.append(self._unary(field))
        return _combine(And, parts)

    def _unary(self, field: str) -> Node | None:
        if not self._at_op("NOT"):
            return self._proximity(field)
        self.pos += 1
        child = self._unary(field)
        if child is None:
            return None
        return child.child if isinstance(child, Not) else Not(child)

    def _proximity(self, field: str) -> Node | None:
        """``police w/5 fired``, ``police pre/5 fired``: a phrase of the two words with
        that slop (which is ordered in both engines), both orders for ``w/``."""
        left = self._element(field)
        while (item := self._peek()) is not None and item.kind == "text":
            connector = _PROXIMITY_RE.fullmatch(item.value)
            after = self.items[self.pos + 1] if self.pos + 1 < len(self.items) else None
            if connector is None or after is None or after.kind in ("op", "close"):
                break  # a lone `w/5` is searched as the words it is
            self.pos += 1
            right = self._element(field)
            if not (
                isinstance(left, Term)
                and isinstance(right, Term)
                and left.field == right.field
                and left.field not in WHOLE_VALUE_FIELDS
            ):
                raise syntax_error(
                    f"{item.value} joins two plain words of one field, as in police "
                    f"{item.value} fired",
                    self.text,
                    item.start,
                )
            slop = int(connector.group("distance"))
            words = (left.text, right.text)
            ordered = Phrase(left.field, words, slop, left.start, right.end)
            if connector.group("kind").lower() == "pre":
                left = ordered
            else:
                reverse = Phrase(left.field, words[::-1], slop, left.start, right.end)
                left = Or((ordered, reverse))
        return left

    def _element(self, field: str) -> Node | None:
        item = self._take()
        if item.kind == "field":
            target = self._peek()
            if target is not None and target.start == item.end and target.kind != "field":
                return self._element(item.value)
            # `title:note:x`: only the last name is a field; the first is a word
            item = _Item("text", item.value + ":", item.start, item.end)
        if item.kind == "open":
            inner = self._sequence(field)
            self._take()  # its )
            return inner
        if item.kind == "phrase":
            return self._phrase(field, item)
        if item.kind == "range":
            return self._range(field, item)
        fuzzy = self._peek()
        if fuzzy is not None and fuzzy.kind == "fuzzy" and fuzzy.start == item.end:
            self.pos += 1
            return self._word(field, item, fuzzy)
        return self._word(field, item, None)

    # -- the leaves ----------------------------------------------------------

    def _word(self, field: str, item: _Item, fuzzy: _Item | None) -> Node | None:
        value, start, end = item.value, item.start, item.end
        if field == BATES_FIELD:
            return self._bates(value, start, end)
        if field in DATE_FIELDS:
            first, last = self._period(value, start, field=field)  # a ~ after a date means nothing
            return DateRange(first, last, field, start, end)
        if any(c in _WILDCARDS for c in value):
            check_value(value, start, self.text)
            return Wildcard(field, value, start, end)
        if fuzzy is not None:
            distance = min(fuzzy.distance, MAX_FUZZY_DISTANCE)
            prefix = max(fuzzy.prefix, MIN_FUZZY_PREFIX)
            return Fuzzy(field, value, distance, prefix, start, fuzzy.end)
        if field in WHOLE_VALUE_FIELDS:
            return Term(field, value, start, end)
        return _words(field, value, start, 1)

    def _phrase(self, field: str, item: _Item) -> Node | None:
        inner_start = item.start + 1
        if field == BATES_FIELD:
            return self._bates(item.value, item.start, item.end)
        if field in DATE_FIELDS:
            first, last = self._period(
                item.value, item.start, typed=self.text[item.start : item.end], field=field
            )
            return DateRange(first, last, field, item.start, item.end)
        if field in WHOLE_VALUE_FIELDS:
            return Term(field, item.value, inner_start, inner_start + len(item.value))
        return _words(field, item.value, inner_start, item.slop)

    def _range(self, field: str, item: _Item) -> Node:
        if field == BATES_FIELD:
            return self._bates_range(item)
        if field not in DATE_FIELDS:
            raise syntax_error(
                "only date: and fact: take a range, as in date:[2011 TO 2012] "
                "(and bates:, as in bates:[ABC000040 TO ABC000050])",
                self.text,
                item.start,
            )
        inner = item.value[1:-1]
        to = RANGE_TO.search(inner)
        assert to is not None  # check_syntax refused a range without TO
        ends: list[Period | None] = []
        for part, offset in ((inner[: to.start()], 0), (inner[to.end() :], to.end())):
            words = part.strip()
            at = item.start + 1 + offset + len(part) - len(part.lstrip())
            ends.append(self._period(words, at, field=field) if words else None)
        first, last = ends
        if first and last:  # [2012 TO 2011] is meant as [2011 TO 2012]
            first, last = (min(first[0], last[0]), first[1]), (last[0], max(first[1], last[1]))
        return DateRange(
            first[0] if first else None, last[1] if last else None, field, item.start, item.end
        )

    def _bates(self, value: str, start: int, end: int) -> BatesRange:
        """`bates:ABC000042`: the pages carrying that number."""
        parts = bates_parts(value)
        if parts is None:
            raise syntax_error(
                f'"{value}" is not a Bates number; write bates:ABC000042 or '
                "bates:[ABC000040 TO ABC000050]",
                self.text,
                start,
            )
        return BatesRange(parts[0], parts[1], parts[1], start, end)

    def _bates_range(self, item: _Item) -> BatesRange:
        """`bates:[ABC000040 TO ABC000050]`: both ends have the same prefix; an end left
        out is open (`[ABC000040 TO ]`)."""
        inner = item.value[1:-1]
        to = RANGE_TO.search(inner)
        assert to is not None  # check_syntax refused a range without TO
        ends = [inner[: to.start()].strip(), inner[to.end() :].strip()]
        parts = [bates_parts(end) if end else None for end in ends]
        bad = next((e for e, p in zip(ends, parts, strict=True) if e and p is None), None)
        given = [p for p in parts if p is not None]
        if bad is not None or not given or len({prefix for prefix, _ in given}) > 1:
            raise syntax_error(
                "a Bates range is written bates:[ABC000040 TO ABC000050], "
                "both ends with the same prefix",
                self.text,
                item.start,
            )
        first = parts[0][1] if parts[0] else 0
        last = parts[1][1] if parts[1] else 10**18
        first, last = min(first, last), max(first, last)
        return BatesRange(given[0][0], first, last, item.start, item.end)

    def _period(self, value: str, at: int, typed: str | None = None, field: str = "date") -> Period:
        period = read_period(value)
        if period is None:
            raise syntax_error(
                f'cannot read "{typed or value}" as a date; write {field}:2012, '
                f"{field}:2012-03-05 or {field}:[2011 TO 2012]",
                self.text,
                at,
            )
        return period


def _words(field: str, value: str, start: int, slop: int) -> Node | None:
    """A term, or a phrase where the analyzer sees several words; None for none.

    A CJK word is the phrase of its bigrams (`analysis.word_spans`). In a quoted
    phrase, CJK words set apart by spaces only (``"问题 文档"``) are also looked
    for as written without them (问题文档), as Chinese and Japanese text is.
    """
    phrase = _phrase(field, value, start, slop)
    joined = CJK_SPACES_RE.sub("", value) if has_cjk(value) else value
    if joined == value or phrase is None:
        return phrase
    unspaced = _phrase(field, joined, start, slop)
    if unspaced is None or unspaced == phrase:
        return phrase
    # Offsets into the typed query (for error messages): the phrase's own.
    return Or((phrase, replace(unspaced, start=phrase.start, end=phrase.end)))


def _phrase(field: str, value: str, start: int, slop: int) -> Term | Phrase | None:
    found = list(word_spans(value))
    if not found:
        return None
    if len(found) == 1:
        word, s, e = found[0]
        return Term(field, word, start + s, start + e)
    words = tuple(word for word, _, _ in found)
    return Phrase(field, words, slop, start + found[0][1], start + found[-1][2])


def _combine(kind: type[And] | type[Or], parts: list[Node | None]) -> Node | None:
    """`kind` of the parts that mean something, flattened; one part stands alone."""
    children: list[Node] = []
    for part in parts:
        if isinstance(part, kind):
            children.extend(part.children)
        elif part is not None:
            children.append(part)
    if not children:
        return None
    return children[0] if len(children) == 1 else kind(tuple(children))
