"""Turning a parsed query into what the index runs and what the reader marks.

Wildcard and fuzzy terms are expanded once against the reader (capped), phrases
use a faster matcher, and `HitTerms` says which words of a page are hits.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import accumulate
from pickle import loads
from struct import Struct
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


Words = dict[tuple[str, bytes], set[bytes]]  # (field, prefix) -> the index's words with it


def _expand(
    leaf: wq.MultiTerm, reader: IndexReader, text: str, notes: list[str], seen: Words
) -> list[bytes]:
    """The index terms a pattern or fuzzy leaf stands for: at most MAX_EXPANSION, the
    most frequent; when some were left out, `notes` says so ("tortur* matched …").
    `seen` keeps the words read for a prefix for the query's other leaves."""
    field = reader.schema[leaf.fieldname]
    if isinstance(leaf, wq.FuzzyTerm):
        words = _within(reader, leaf, seen)
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
        terms: Any = getattr(sub, "_terms", None)
        if getattr(terms, "_tindex", None) is None:  # not a W3 segment: ask it word by word
            for btext in found:
                if (fieldname, btext) in sub:
                    counts[btext] += sub.doc_frequency(fieldname, btext)
            continue
        if not found or fieldname not in terms.indexed_field_names():
            continue
        start = terms._keycoder(fieldname, found[0])
        data, _ = _stretch(terms._tindex, start, terms._keycoder(fieldname, found[-1]) + b"\x00")
        for btext, info, _ in _records(data, len(start) - len(found[0])):
            if btext in counts:
                counts[btext] += _PAGES(data, info + 5)[0]  # after flags (1 byte), weight (4)
    return counts


TermPlace = tuple[bytes, Any, int, int]  # term, the term file, where its info lies, its length
_RECORD_HEAD = Struct("!ii")  # a term table record: key length, term info length, then both
_PAGES = Struct("!I").unpack_from  # in a W3 term info: how many pages hold the term


def walk_terms(sub: Any, fieldname: str, found: list[bytes]) -> Iterator[TermPlace] | None:
    """Where each of `found` (sorted terms of one field) is in one segment's term
    file, read in one go over the stretch of its sorted list they span: (term,
    file, position and length of its term info). None for a segment not in
    Whoosh's W3 layout (ask it term by term)."""
    terms: Any = getattr(sub, "_terms", None)
    if getattr(terms, "_tindex", None) is None:
        return None
    if not found or fieldname not in terms.indexed_field_names():
        return iter(())
    wanted = set(found)
    start = terms._keycoder(fieldname, found[0])
    stop = terms._keycoder(fieldname, found[-1]) + b"\x00"  # the first key after the last
    return (place for place in _places(terms, fieldname, start, stop) if place[0] in wanted)


def prefix_words(sub: Any, fieldname: str, prefix: bytes) -> list[bytes] | None:
    """Every term of a field starting with `prefix` (b"": all of them) in one
    segment, in order; None for a segment not in Whoosh's W3 layout (ask it
    with `expand_prefix`)."""
    terms: Any = getattr(sub, "_terms", None)
    if getattr(terms, "_tindex", None) is None:
        return None
    if fieldname not in terms.indexed_field_names():
        return []
    start = terms._keycoder(fieldname, prefix)
    data, first = _stretch(terms._tindex, start, _after_prefix(start))
    head = len(start) - len(prefix)
    if "numpy" in sys.modules and len(data) >= ARRAY_FROM_BYTES:
        words = _keys_with_numpy(terms._tindex, data, first, head)
        if words is not None:
            return words
    return [btext for btext, _, _ in _records(data, head)]


# From this size a stretch's words are cut out with numpy when a search has imported
# it (importing it for this would cost more than it saves): the 35,000 "p" words
# of a 200,000-page index in ~2 ms instead of ~11.
ARRAY_FROM_BYTES = 64 * 1024
_POSITION_TYPES = {"B": "u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}
_SEPARATOR = b"\xff"  # never in UTF-8 text


def _keys_with_numpy(table: Any, data: bytes, first: int, head: int) -> list[bytes] | None:
    """The terms of a stretch's records (`_stretch`), cut out with numpy: the term
    table's index lists every record's position, so the records need not be
    walked one by one. None if a term holds the separator (not text)."""
    import numpy as np

    positions = _record_positions(table)
    lo, hi = np.searchsorted(positions, [first, first + len(data)])
    offsets = positions[lo:hi] - first
    if not len(offsets):
        return []
    raw = np.frombuffer(data, dtype=np.uint8)
    keylens = raw[offsets[:, None] + np.arange(4)].view(">u4").ravel().astype(np.int64)
    lengths = keylens - head + 1  # each term and a separator after it
    ends = np.cumsum(lengths)
    # each output byte's source: its term's first byte, plus how far into the term
    sources = np.repeat(offsets + 8 + head - (ends - lengths), lengths)
    sources += np.arange(int(ends[-1]))
    joined = raw[sources]
    joined[ends - 1] = _SEPARATOR[0]
    words = joined.tobytes().split(_SEPARATOR)[:-1]
    return words if len(words) == len(offsets) else None


def _record_positions(table: Any) -> Any:
    """Where each record of a W3 term table starts (ascending numpy int64): the
    table's own index, read once per table (segments never change)."""
    import numpy as np

    positions = table.__dict__.get("_docket_positions")
    if positions is None:
        kind = np.dtype(_POSITION_TYPES[table.extras["indextype"]])
        raw = table.dbfile.get(table.indexbase, table.indexlen * kind.itemsize)
        positions = table.__dict__["_docket_positions"] = np.frombuffer(raw, kind).astype(np.int64)
    return positions


def _after_prefix(key: bytes) -> bytes | None:
    """The least key greater than every key starting with `key` (None: none is)."""
    head = key.rstrip(b"\xff")
    return head[:-1] + bytes([head[-1] + 1]) if head else None


def _stretch(table: Any, start: bytes, stop: bytes | None) -> tuple[bytes, int]:
    """The records of a W3 term table whose keys lie in [start, stop) (None: to its
    end), and where they start in its file. The records lie one after another in
    key order (key length, info length, key, info), so a stretch is read in one
    slice and cut in Python: ~0.3 µs a term against ~1 µs for Whoosh's read per
    key (`ranges_from`), which each wildcard and fuzzy term did two or three
    times a segment."""
    first = table.closest_key_pos(start)
    if first is None:
        return b"", 0
    end = table.closest_key_pos(stop) if stop is not None else None
    if end is None:
        end = table.endofdata
    return table.dbfile.get(first, end - first), first


def _places(terms: Any, fieldname: str, start: bytes, stop: bytes | None) -> Iterator[TermPlace]:
    """(term, file, position and length of its term info) for the keys in [start, stop)."""
    data, first = _stretch(terms._tindex, start, stop)
    dbfile = terms._tindex.dbfile
    head = len(terms._keycoder(fieldname, b""))  # the field's number before each term
    for btext, info, infolen in _records(data, head):
        yield btext, dbfile, first + info, infolen


def _records(data: bytes, head: int) -> Iterator[tuple[bytes, int, int]]:
    """(term, where its info starts in `data`, its length) for each record of a stretch
    (`_stretch`); `head`: the bytes of the field's number before each term."""
    unpack = _RECORD_HEAD.unpack_from
    offset, size = 0, len(data)
    while offset < size:
        keylen, infolen = unpack(data, offset)
        info = offset + 8 + keylen
        yield data[offset + 8 + head : info], info, infolen
        offset = info + infolen


def _within(reader: IndexReader, leaf: wq.FuzzyTerm, seen: Words) -> set[str]:
    """The words within the leaf's `maxdist` edits (Levenshtein: insert, delete,
    replace) of its text and sharing its first `prefixlength` letters: the words
    Whoosh's FuzzyTerm takes (its automaton, `terms_within`), found by reading
    the words with that prefix (once for all segments, which share most words)
    and measuring each. Whoosh's automaton seeks the term list once a step, in
    each segment (`hyphenatoin~2`: ~1,850 seeks a segment, most of the query)."""
    fieldname, text, maxdist = leaf.fieldname, leaf.text, leaf.maxdist
    field = reader.schema[fieldname]
    prefix = field.to_bytes(text[: leaf.prefixlength])
    candidates = seen.get((fieldname, prefix))
    if candidates is None:
        candidates = seen[fieldname, prefix] = set()
        for sub, _ in reader.leaf_readers():
            found = prefix_words(sub, fieldname, prefix)
            candidates.update(sub.expand_prefix(fieldname, prefix) if found is None else found)
    return set(near(text, [btext.decode("utf-8") for btext in candidates], maxdist))


def near(text: str, words: Iterable[str], maxdist: int) -> list[str]:
    """The `words` at most `maxdist` edits (Levenshtein) from `text`.

    rapidfuzz measures them in C++: the 7,000 words starting with "p" in ~0.5 ms,
    where Python's loop (`levenshtein`, kept for an install without it) took
    ~40 ms. Imported here: only fuzzy terms need it.
    """
    try:
        from rapidfuzz.distance import Levenshtein
        from rapidfuzz.process import extract
    except ImportError:
        size = len(text)
        return [
            word
            for word in words
            if abs(len(word) - size) <= maxdist and levenshtein(word, text, maxdist) <= maxdist
        ]
    found = extract(
        text, list(words), scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
    )
    return [word for word, _, _ in found]


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace a character) turning `a` into `b`, or `limit` + 1
    once every way needs more than `limit`."""
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


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
    seen: Words = {}

    def expand(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Phrase) and node.fieldname in reader.schema:
            fast = FastPhrase(node.fieldname, node.words, node.slop, node.boost)
            fast.startchar, fast.endchar = node.startchar, node.endchar
            return fast
        if isinstance(node, wq.MultiTerm) and node.field() in reader.schema:
            btexts = _expand(node, reader, text, cut_notes, seen)
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
