"""The search box's query language: dtSearch-like syntax on top of Whoosh's parser.

Whoosh's parser never fails: it turns ``police AND`` or an unclosed quote into
*some* query. A user deserves to hear what is wrong and where, so
:func:`check_syntax` scans the query first and raises QuerySyntaxError with a
position; only then does Whoosh parse it. :func:`prepare` later expands the
query against the index and reads back which terms it really matches, for
marking hits on the page.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import (
    FieldsPlugin,
    FuzzyTermPlugin,
    GroupPlugin,
    OperatorsPlugin,
    PhrasePlugin,
    QueryParser,
    RangePlugin,
    WildcardPlugin,
    syntax,
)
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.reading import IndexReader

from docket.core.errors import QuerySyntaxError
from docket.core.search.analysis import DocketTokenizer, stemmed_pattern

DEFAULT_FIELD = "text"
USER_FIELDS = ("author", "date", "name", "note", "tag", "text", "title", "type")
MAX_FUZZY_DISTANCE = 2  # Whoosh's advice: beyond 2 is very slow and seldom useful
MIN_FUZZY_PREFIX = 1  # PERFORMANCE.md: a fixed first letter spares most of the word list

# Operators are whole words in capitals, next to spaces, parentheses or the ends.
_OP = r"(?<![^\s()]){}(?![^\s()])"
# A field is `name:` directly followed by its value; "Witness: X" stays text.
_FIELD_EXPR = r"(?<![^\W\d_])(?P<text>[^\W\d_]\w*):(?=[^\s)])"
_FIELD_RE = re.compile(_FIELD_EXPR)
_LEX_RE = re.compile(
    r"""(?P<ws>\s+)
      | (?P<phrase>(?P<quoted>"[^"]*")(?:~(?P<slop>\d*))?)
      | (?P<quote>")
      | (?P<range>[\[{][^\]}]*[\]}])
      | (?P<bracket>[\[\]{}])
      | (?P<open>\()
      | (?P<close>\))
      | (?P<word>[^\s()"\[\]{}]+)""",
    re.VERBOSE,
)
_RANGE_TO = re.compile(r"(?i)(?:^|\s)to(?:\s|$)")


class StemmedWildcard(wq.Wildcard):
    """A wildcard that also matches the stem of its literal head (see `stemmed_pattern`)."""

    def _btexts(self, ixreader: IndexReader) -> list[bytes]:
        patterns = [self.text]
        variant = stemmed_pattern(self.text)
        if variant:
            patterns.append(variant)
        match = re.compile("|".join(fnmatch.translate(p) for p in patterns)).match
        heads = [re.split(r"[*?]", p, maxsplit=1)[0] for p in patterns]
        prefix = heads[0]
        while not all(h.startswith(prefix) for h in heads):  # the literal start both share
            prefix = prefix[:-1]
        found: set[bytes] = set()
        # One scan for both patterns, segment by segment: a multi-segment reader
        # merges its segments' word lists in Python, several times slower.
        for sub, _ in ixreader.leaf_readers():
            for btext in sub.expand_prefix(self.fieldname, prefix):
                if btext not in found and match(btext.decode("utf-8")):
                    found.add(btext)
        return sorted(found)

    def normalize(self) -> wq.Query:
        return self  # Whoosh would turn it back into a plain Prefix or Term


def _numeric_date(text: str) -> str:
    """2012-03-05, 2012/03, 16.12.2011 -> 20120305, 201203, 20111216.

    Whoosh's English date parser reads "5 March 2012" and 20120305 but not the
    numeric forms people type. Dots are day.month.year, as in the case files.
    """
    t = text.strip()
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?", t):
        return m[1] + m[2].zfill(2) + (m[3].zfill(2) if m[3] else "")
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", t):
        return m[3] + m[2].zfill(2) + m[1].zfill(2)
    return text


class _DatePlugin(DateParserPlugin):
    def text_to_dt(self, node: Any) -> Any:
        node.text = _numeric_date(node.text)
        return super().text_to_dt(node)

    def range_to_dt(self, node: Any) -> Any:
        node.start = node.start and _numeric_date(node.start)
        node.end = node.end and _numeric_date(node.end)
        return super().range_to_dt(node)


class _WildcardPlugin(WildcardPlugin):
    """Whoosh's wildcard merging, minus two habits: it turns ``police*`` into a
    prefix node whose text the analyzer would stem ("polic", widening it to
    "policy"), and it leaves the merged node's range on the ``*`` alone."""

    def do_wildcards(self, parser: QueryParser, group: Any) -> Any:
        i = 0
        while i < len(group):
            node = group[i]
            if isinstance(node, self.WildcardNode):
                if i < len(group) - 1 and group[i + 1].is_text():
                    after = group.pop(i + 1)
                    node.text, node.endchar = node.text + after.text, after.endchar
                if i > 0 and group[i - 1].is_text():
                    before = group.pop(i - 1)
                    node.text, node.startchar = before.text + node.text, before.startchar
                    continue  # the merged node is now at i - 1; look at group[i] next
            elif isinstance(node, syntax.GroupNode):
                self.do_wildcards(parser, node)
            i += 1
        return group


def make_parser(schema: Schema) -> QueryParser:
    plugins = [
        FieldsPlugin(expr=_FIELD_EXPR, remove_unknown=False),
        _WildcardPlugin(),
        PhrasePlugin(),
        RangePlugin(),
        GroupPlugin(),
        OperatorsPlugin(
            And=_OP.format("AND"),
            Or=_OP.format("OR"),
            Not=_OP.format("NOT"),
            AndNot=None,
            AndMaybe=None,
            Require=None,
        ),
        FuzzyTermPlugin(),
        _DatePlugin(),
    ]  # no single quotes (O'Brien), boosts, `*:*` or `+`/`-`: a lawyer types none of them
    return QueryParser(DEFAULT_FIELD, schema, plugins=plugins)


def syntax_error(message: str, text: str, position: int) -> QuerySyntaxError:
    return QuerySyntaxError(message, text, position)


def _check_value(value: str, pos: int, text: str) -> None:
    """Wildcard rules for the value of one word (``tortur*``, ``t?rture``)."""
    tilde = value.find("~")
    value = value if tilde < 0 else value[:tilde]
    first = min((i for i, c in enumerate(value) if c in "*?"), default=None)
    if first is None:
        return
    if tilde >= 0:
        raise syntax_error("a word cannot have both a wildcard and ~", text, pos + tilde)
    if first == 0:  # would scan the whole vocabulary
        raise syntax_error("a word cannot start with a wildcard", text, pos)
    star = value.find("*")
    if star >= 0 and sum(c.isalnum() for c in value[:star]) < 2:
        raise syntax_error("wildcard needs at least two letters before *", text, pos + star)


def check_syntax(text: str) -> str:
    """Raise QuerySyntaxError for what Whoosh would silently misread.

    Returns the query with field names lowercased (same length, so positions
    in Whoosh's query objects still point into what the user typed).
    """
    if not text.strip():
        raise syntax_error("the query is empty", text, 0)
    # Where Whoosh's tagger will see a field name (it tries every position).
    fields = {m.start(): m for m in _FIELD_RE.finditer(text)}
    out = list(text)
    opens: list[int] = []
    prev, prev_pos, prev_token = "start", 0, ""  # the last token: start/term/op/open
    for m in _LEX_RE.finditer(text):
        kind, pos, token = m.lastgroup or "", m.start(), m.group()
        if kind == "ws":
            continue
        if kind == "quote":
            raise syntax_error("this quote is never closed", text, pos)
        if kind == "bracket":
            raise syntax_error(f"unbalanced {token}: a range is written [2011 TO 2012]", text, pos)
        if kind == "phrase" and not m.group("quoted")[1:-1].strip():
            raise syntax_error("empty phrase", text, pos)
        if kind == "phrase" and m.group("slop") is not None and not m.group("slop")[:1] > "0":
            raise syntax_error("proximity needs a number from 1 up after ~", text, m.end("quoted"))
        if kind == "range" and not _RANGE_TO.search(token[1:-1]):
            raise syntax_error("a range is written [from TO to]", text, pos)
        if kind == "close":
            if not opens:
                raise syntax_error("this ) has no matching (", text, pos)
            if prev == "open":
                raise syntax_error("empty parentheses", text, opens[-1])
            opens.pop()
        if prev == "op" and (kind == "close" or token in ("AND", "OR")):
            raise syntax_error(f"{prev_token} needs a search term after it", text, prev_pos)
        if token in ("AND", "OR", "NOT"):
            if token != "NOT" and prev not in ("term",):
                raise syntax_error(f"{token} needs a search term before it", text, pos)
            kind = "op"
        elif kind == "open":
            opens.append(pos)
        else:
            if kind == "word":
                value_pos = pos
                for at in range(pos, pos + len(token)):
                    field = fields.get(at)
                    if field is None:
                        continue
                    name = field.group(1)
                    if name.lower() not in USER_FIELDS:
                        known = ", ".join(f"{f}:" for f in USER_FIELDS)
                        raise syntax_error(
                            f'unknown field "{name}:"; the fields are {known}', text, at
                        )
                    out[at : at + len(name)] = name.lower()
                    value_pos = field.end()
                _check_value(text[value_pos : m.end()], value_pos, text)
            kind = "term"
        prev, prev_pos, prev_token = kind, pos, token
    if prev == "op":
        raise syntax_error(f"{prev_token} needs a search term after it", text, prev_pos)
    if opens:
        raise syntax_error("this ( is never closed", text, opens[-1])
    return "".join(out)


def _errors(q: wq.Query) -> wq.Query | None:
    """The first query node Whoosh marked as an error (an unreadable date)."""
    if getattr(q, "error", None):
        return q
    for child in q.children():
        found = _errors(child)
        if found is not None:
            return found
    return None


def parse_query(text: str, parser: QueryParser) -> wq.Query:
    """The Whoosh query for what the user typed; QuerySyntaxError if it is not valid."""
    checked = check_syntax(text)
    try:
        q = parser.parse(checked, normalize=False)
    except Exception as exc:  # Whoosh's parser is meant not to raise; never show a traceback
        raise syntax_error(f"cannot read this query ({exc})", text, 0) from exc
    bad = _errors(q)
    if bad is not None:  # only date: values can be unreadable (no other typed field parses)
        at = bad.startchar or 0
        typed = text[at : bad.endchar] if bad.endchar else str(bad.error)
        raise syntax_error(
            f'cannot read "{typed}" as a date; write date:2012, date:2012-03-05 '
            "or date:[2011 TO 2012]",
            text,
            at,
        )
    schema = parser.schema

    def adjust(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.FuzzyTerm):
            node.maxdist = min(node.maxdist, MAX_FUZZY_DISTANCE)
            node.prefixlength = max(node.prefixlength, MIN_FUZZY_PREFIX)
        elif isinstance(node, wq.Wildcard) and isinstance(
            schema[node.fieldname].analyzer, DocketTokenizer
        ):
            wide = StemmedWildcard(node.fieldname, node.text, boost=node.boost)
            wide.startchar, wide.endchar = node.startchar, node.endchar
            return wide
        return node

    # Before normalize(), which turns `word*` into a Prefix and drops startchar.
    q = q.accept(adjust).normalize()
    if isinstance(q, wq.qcore._NullQuery):
        raise syntax_error("the query has no words to search for", text, 0)
    return q
