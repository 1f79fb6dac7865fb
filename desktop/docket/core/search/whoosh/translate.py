"""Docket's parsed query (`nodes`) -> the Whoosh query the index runs.

Each value goes through its field's own analyzer from the schema, the one
that made the index's terms: stemmed words for the text fields, the whole
value lowercased for ``tag:`` and ``type:``, folded patterns for wildcards.
Wildcards in the text fields also match the stem of their literal head
(`StemmedWildcard`); fuzzy terms and phrases keep the parser's distance, prefix
and slop; a ``NOT`` stays where it was typed (inside its ``And``).

A word of a text field is analysed once for each language the index's pages
have (and for unknown, whose Porter stems also serve titles and marks): a word
whose stems differ becomes an ``Or`` of them, a phrase an ``Or`` of one phrase
per language, a wildcard also matches each language's stem of its head.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from datetime import datetime

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from docket.core.search.analysis import fuzzy_forms, stemmed_pattern
from docket.core.search.nodes import (
    FACT_FIELD,
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
)
from docket.core.search.query import syntax_error
from docket.core.search.whoosh.matching import prefix_words

_FIRST_MOMENT, _LAST_MOMENT = datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59)
_LAST_BATES = 2**62  # an open-ended bates: range, within the 64-bit field


class StemmedWildcard(wq.Wildcard):  # type: ignore[misc]  # whoosh ships no types
    """A wildcard that also matches the stem of its literal head (see `stemmed_pattern`)
    in each of its `languages`."""

    languages: Sequence[str] = ("",)

    def _btexts(self, ixreader: IndexReader) -> list[bytes]:
        patterns = [self.text]
        for language in self.languages:
            variant = stemmed_pattern(self.text, language)
            if variant and variant not in patterns:
                patterns.append(variant)
        match = re.compile("|".join(fnmatch.translate(p) for p in patterns)).match
        heads = [re.split(r"[*?]", p, maxsplit=1)[0] for p in patterns]
        prefix = heads[0]
        while not all(h.startswith(prefix) for h in heads):  # the literal start both share
            prefix = prefix[:-1]
        # One scan for both patterns, segment by segment (a multi-segment reader
        # merges its segments' word lists in Python, several times slower), each
        # word read in one slice with its neighbours (`prefix_words`); the
        # segments share most words, so each is matched once.
        seen: set[bytes] = set()
        head = prefix.encode("utf-8")
        for sub, _ in ixreader.leaf_readers():
            words = prefix_words(sub, self.fieldname, head)
            seen.update(sub.expand_prefix(self.fieldname, prefix) if words is None else words)
        return sorted(btext for btext in seen if match(btext.decode("utf-8")))

    def normalize(self) -> wq.Query:
        return self  # Whoosh would turn it back into a plain Prefix or Term


def to_whoosh(parsed: ParsedQuery, schema: Schema, languages: Sequence[str] = ("",)) -> wq.Query:
    """The Whoosh query for `parsed`, its words analysed for each of `languages` (ISO
    639-1, "" unknown); QuerySyntaxError if no word is left to search for."""
    q = _translate(parsed.root, schema, tuple(dict.fromkeys(languages)) or ("",)).normalize()
    if isinstance(q, wq.qcore._NullQuery):  # e.g. a tag: value the analyzer drops
        raise syntax_error("the query has no words to search for", parsed.text, 0)
    return q


def _translate(node: Node, schema: Schema, languages: tuple[str, ...] = ("",)) -> wq.Query:
    if isinstance(node, And):
        return wq.And([_translate(child, schema, languages) for child in node.children])
    if isinstance(node, Or):
        return wq.Or([_translate(child, schema, languages) for child in node.children])
    if isinstance(node, Not):
        return wq.Not(_translate(node.child, schema, languages))
    if isinstance(node, BatesRange):  # the prefix as split, stored uppercased
        return wq.And(
            [
                wq.Term("bates_prefix", node.prefix),
                wq.NumericRange("bates_number", node.first, min(node.last, _LAST_BATES)),
            ]
        )
    if isinstance(node, DateRange) and node.field == FACT_FIELD:
        return _fact_overlap(node)
    if isinstance(node, DateRange):
        return wq.DateRange(node.field, node.first, node.last)
    if node.field in WHOLE_VALUE_FIELDS or len(languages) == 1:
        return _translate_leaf(node, schema, languages[0])
    if isinstance(node, Wildcard):  # one pattern, matched with each language's stem too
        q = _translate_leaf(node, schema, "")
        if isinstance(q, StemmedWildcard):
            q.languages = languages
        return q
    # One query per language whose analysis differs, so each page is matched by
    # the terms its own language made: "рабочие" is also рабоч in Russian.
    variants: dict[str, wq.Query] = {}
    for language in languages:
        q = _translate_leaf(node, schema, language)
        variants.setdefault(repr(q), q)
    if len(variants) == 1:
        return next(iter(variants.values()))
    either = wq.Or(list(variants.values()))
    either.startchar, either.endchar = node.start, node.end
    return either


def _fact_overlap(node: DateRange) -> wq.Query:
    """Facts whose period [fact_first, fact_last] overlaps the range typed."""
    starts_before_its_end = wq.DateRange("fact_first", None, node.last or _LAST_MOMENT)
    ends_after_its_start = wq.DateRange("fact_last", node.first or _FIRST_MOMENT, None)
    return wq.And([starts_before_its_end, ends_after_its_start])


def _translate_leaf(
    node: Term | Phrase | Wildcard | Fuzzy, schema: Schema, language: str
) -> wq.Query:
    if isinstance(node, Phrase):
        words = [_term(schema, node.field, word, language) for word in node.words]
        return wq.Phrase(node.field, [w for w in words if w is not None], slop=node.slop)
    q: wq.Query
    if isinstance(node, Wildcard):
        pattern = _term(schema, node.field, node.pattern)
        if pattern is None:
            return wq.NullQuery
        stems = node.field not in WHOLE_VALUE_FIELDS  # the index holds stems there
        q = (StemmedWildcard if stems else wq.Wildcard)(node.field, pattern)
        if stems:
            q.languages = (language,)
    else:
        text = _term(schema, node.field, node.text, language)
        if text is None:
            return wq.NullQuery
        q = _fuzzy(node, text) if isinstance(node, Fuzzy) else wq.Term(node.field, text)
    q.startchar, q.endchar = node.start, node.end  # for errors that point at the word
    return q


def _fuzzy(node: Fuzzy, text: str) -> wq.Query:
    """Words within the distance of the typed word, folded but unstemmed, or of its stem
    (`analysis.fuzzy_forms`): ``documant~1`` finds "document", whose stem is itself,
    though "documant" stems to "docum"; ``pakage~1`` finds "package" by its stem."""
    forms = fuzzy_forms(node.text, text) if node.field not in WHOLE_VALUE_FIELDS else [text]
    terms = [
        wq.FuzzyTerm(node.field, f, maxdist=node.distance, prefixlength=node.prefix) for f in forms
    ]
    if len(terms) == 1:
        return terms[0]
    for t in terms:
        t.startchar, t.endchar = node.start, node.end
    return wq.Or(terms)


def _term(schema: Schema, field: str, value: str, language: str = "") -> str | None:
    """`value` as the field's analyzer indexes it for a document in `language`, as one
    term (None if nothing is left)."""
    extra = {"language": language} if language else {}
    for text in schema[field].process_text(value, mode="query", tokenize=False, **extra):
        return str(text) or None
    return None
