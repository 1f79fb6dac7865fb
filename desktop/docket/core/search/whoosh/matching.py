"""Turning a parsed query into what the index runs and what the reader marks.

Wildcard and fuzzy terms are expanded once against the reader (capped), phrases
use a faster matcher, and `HitTerms` says which words of a page are hits.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.query.spans import Span
from whoosh.reading import IndexReader
from whoosh.system import _INT_SIZE

from docket.core.search.nodes import DEFAULT_FIELD
from docket.core.search.snippets import HitTerms

# PERFORMANCE.md: a prefix is the dearest query (1.1 s at 200k pages); cap it.
# Measured (a 5,000-page index, ab* standing for 7,918 words, top 20, a busy
# 2-core machine): 35 ms at 100 words, 86 at 500, 135 at 1,000, 278 at 4,000;
# issue 16 allows a wildcard 150 ms at 200,000 pages, so 500.
MAX_EXPANSION = 500  # words a wildcard or fuzzy term may stand for: the most frequent
MAX_SCANNED = 20 * MAX_EXPANSION  # words of the index's list walked for one pattern


class Expanded(wq.MultiTerm):  # type: ignore[misc]  # whoosh ships no types
    """A wildcard or fuzzy term already expanded against the searcher's reader.

    Expanding is the costly part of these queries; doing it once serves the
    cap, the hit marking and the search itself, where Whoosh would expand again.
    """

    def __init__(self, fieldname: str, text: str, btexts: list[bytes], boost: float = 1.0):
        self.fieldname = fieldname
        self.text = text
        self.btexts = btexts
        self.boost = boost
        self.constantscore = True  # as Whoosh scores its Wildcard and FuzzyTerm

    def _btexts(self, ixreader: IndexReader) -> list[bytes]:
        return self.btexts

    def __repr__(self) -> str:
        return f"Expanded({self.fieldname!r}, {self.text!r}, {len(self.btexts)} terms)"


class _PhraseMatcher(wq.SpanNear2.SpanNear2Matcher):  # type: ignore[misc]
    """Whoosh's phrase matching with the position test done on int lists.

    Whoosh builds a Span object per position and walks them pairwise; a phrase
    of two common words ("the police") checks nearly every page, so that cost
    is most of the query. Same rule: each word 1..slop positions after the last.
    """

    def _get_spans(self) -> list[Span]:
        first = phrase_start([m.value() for m in self.ms], self.slop)
        return [] if first is None else [Span(first)]  # only "does it match" is used


def phrase_start(values: list[bytes], slop: int) -> int | None:
    """Where the phrase ends on a page, given each word's encoded positions there in
    order (None: not there): each word 1..slop positions after the one before."""
    reach = _positions(values[0])
    for value in values[1:]:
        positions = _positions(value)
        if slop == 1:
            before = set(reach)
            reach = [p for p in positions if p - 1 in before]
        else:  # `reach` is sorted: is there one in [p - slop, p - 1]?
            reach = [p for p in positions if bisect_left(reach, p) > bisect_left(reach, p - slop)]
        if not reach:
            return None
    return reach[0]


def _positions(value: bytes) -> list[int]:
    """`Positions.decode_positions`: a count (4 bytes), then the gaps pickled; the
    gaps summed in C (accumulate) rather than in a Python loop, as every candidate
    page of a phrase decodes each of its words' positions."""
    if not value.endswith(b"."):  # the pickle's STOP, dropped when it was stored
        value += b"."
    return list(accumulate(loads(value[_INT_SIZE:])))


class FastPhrase(wq.Phrase):  # type: ignore[misc]
    """A Phrase (same results and scores) using :class:`_PhraseMatcher`."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            btext = field.to_bytes(word)
            if (self.fieldname, btext) not in reader:
                return matching.NullMatcher()
            terms.append(wq.Term(self.fieldname, btext))
        ms = [t.matcher(searcher, context) for t in terms]
        m = _PhraseMatcher(ms, slop=self.slop)
        return m if self.boost == 1.0 else matching.WrappingMatcher(m, boost=self.boost)


def _expand(leaf: wq.MultiTerm, reader: IndexReader, text: str, notes: list[str]) -> list[bytes]:
    """The index terms a pattern or fuzzy leaf stands for: at most MAX_EXPANSION, the
    most frequent; when some were left out, `notes` says so ("tortur* matched …")."""
    field = reader.schema[leaf.fieldname]
    if isinstance(leaf, wq.FuzzyTerm):
        # Per segment: a segment's reader walks its word list with an automaton,
        # but several segments (after a bulk load) fall back to computing the
        # distance to every word with the same first letter, ~10x slower.
        words: set[str] = set()
        for sub, _ in reader.leaf_readers():
            words.update(
                sub.terms_within(leaf.fieldname, leaf.text, leaf.maxdist, prefix=leaf.prefixlength)
            )
        found = sorted(field.to_bytes(w) for w in words)
        scanned_all = True
    else:
        found = []
        scanned_all = True
        for _, term in leaf.expanded_terms(reader):
            found.append(term if isinstance(term, bytes) else field.to_bytes(term))
            if len(found) >= MAX_SCANNED:
                scanned_all = False  # walking the rest of the word list costs more than it adds
                break
    if len(found) <= MAX_EXPANSION:
        return found
    # The words most pages contain stand for the pattern: the rare ones (often
    # OCR's misreadings) are what a reader loses least.
    frequency = _frequencies(reader, leaf.fieldname, found)
    best = sorted(found, key=lambda btext: -frequency[btext])[:MAX_EXPANSION]
    typed = text[leaf.startchar : leaf.endchar] if leaf.startchar is not None else ""
    matched = f"{len(found):,}" if scanned_all else f"{len(found):,}+"
    notes.append(
        f"{typed or leaf.text} matched {matched} words; showing the {MAX_EXPANSION:,} "
        "most frequent (add letters to narrow it)"
    )
    return sorted(best)


def _frequencies(reader: IndexReader, fieldname: str, found: list[bytes]) -> dict[bytes, int]:
    """How many pages hold each of `found` (sorted terms), summed over the segments.

    Asking the reader word by word costs ~20 µs a word and segment (a hash probe
    in Python): 10,000 words of `co*` took half a second at 20,000 pages. The
    words of one pattern lie together in each segment's sorted term list, so one
    walk over that stretch reads every count, a few µs a word.
    """
    counts = dict.fromkeys(found, 0)
    for sub, _ in reader.leaf_readers():
        walked = walk_terms(sub, fieldname, found)
        if walked is None:  # not a W3 segment: ask it word by word
            for btext in found:
                if (fieldname, btext) in sub:
                    counts[btext] += sub.doc_frequency(fieldname, btext)
            continue
        for btext, dbfile, datapos, _ in walked:
            # a W3 term info starts: flags (1 byte), weight (4), pages (4)
            counts[btext] += dbfile.get_uint(datapos + 5)
    return counts


TermPlace = tuple[bytes, Any, int, int]  # term, the term file, where its info lies, its length


def walk_terms(sub: Any, fieldname: str, found: list[bytes]) -> Iterator[TermPlace] | None:
    """Where each of `found` (sorted terms of one field) is in one segment's term
    file, by one walk over the stretch of its sorted list they span: (term, file,
    position and length of its term info). None for a segment not in Whoosh's W3
    layout (ask it term by term)."""
    terms: Any = getattr(sub, "_terms", None)
    table = getattr(terms, "_tindex", None)
    if table is None:
        return None
    if not found or fieldname not in terms.indexed_field_names():
        return iter(())
    first, last = found[0], found[-1]
    shared = 0  # the prefix every word in `found` starts with: where the stretch begins
    while shared < min(len(first), len(last)) and first[shared] == last[shared]:
        shared += 1
    start = terms._keycoder(fieldname, first[:shared])
    return _walk(table, start, len(start) - shared, set(found), last)


def _walk(
    table: Any, start: bytes, head: int, wanted: set[bytes], last: bytes
) -> Iterator[TermPlace]:
    dbfile = table.dbfile
    for keypos, keylen, datapos, datalen in table.ranges_from(start):
        key = dbfile.get(keypos, keylen)
        if not key.startswith(start):
            break
        btext = key[head:]  # after the field's number
        if btext > last:
            break
        if btext in wanted:
            yield btext, dbfile, datapos, datalen


def prepare(
    q: wq.Query, reader: IndexReader, text: str, notes: list[str] | None = None
) -> tuple[wq.Query, HitTerms]:
    """Expand the query's wildcard and fuzzy terms for `reader`, speed up its phrases,
    and find what to mark.

    Returns the query to run and the positive `text` terms: terms under NOT
    are not marked; phrases keep their words' order and slop so that only
    occurrences forming the phrase get marked. A wildcard or fuzzy term cut to
    its most frequent words adds a sentence saying so to `notes`.
    """
    cut_notes: list[str] = [] if notes is None else notes

    def expand(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Phrase) and node.fieldname in reader.schema:
            fast = FastPhrase(node.fieldname, node.words, node.slop, node.boost)
            fast.startchar, fast.endchar = node.startchar, node.endchar
            return fast
        if isinstance(node, wq.MultiTerm) and node.field() in reader.schema:
            btexts = _expand(node, reader, text, cut_notes)
            wide = Expanded(node.field(), getattr(node, "text", ""), btexts, node.boost)
            wide.startchar, wide.endchar = node.startchar, node.endchar
            return wide
        return node

    q = q.accept(expand)
    words: set[str] = set()
    phrases: list[tuple[tuple[str, ...], int]] = []

    def walk(node: wq.Query, positive: bool) -> None:
        if isinstance(node, wq.Not):
            walk(node.query, not positive)
        elif isinstance(node, wq.AndNot):
            walk(node.a, positive)
            walk(node.b, not positive)
        elif not node.is_leaf():
            for child in node.children():
                walk(child, positive)
        elif not positive or node.field() != DEFAULT_FIELD:
            pass  # title:, tag: ... match the page but mark nothing in its text
        elif isinstance(node, wq.Phrase):
            phrases.append((tuple(node.words), node.slop))
        elif isinstance(node, Expanded):
            words.update(b.decode("utf-8") for b in node.btexts)
        elif isinstance(node, wq.Term):
            words.add(node.text)

    walk(q, True)
    return q, HitTerms(frozenset(words), tuple(phrases))
