"""Where a query's words are on a page, and the snippet shown in the results list.

Offsets come from re-tokenizing the stored page text with the index's own
analyzer (:func:`docket.core.search.analysis.word_spans` and `terms_among`), so a
hit is exactly the span of text that produced a matching term - including a word
joined across a U+FFFE line break - and the reader can turn it into a highlight.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docket.core.search.analysis import (
    _PLAIN_TOKEN_RE,
    JOIN_RE,
    has_cjk,
    plain_spans_of,
    terms_among,
    word_spans,
)

Span = tuple[int, int]
SNIPPET_CHARS = 200
_ELLIPSIS = "…"
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class HitTerms:
    """The index terms of `text` a query looks for, as they should be marked on a page."""

    words: frozenset[str]  # every occurrence is a hit
    phrases: tuple[tuple[tuple[str, ...], int], ...] = ()  # (words in order, slop)


def _phrase_positions(positions: dict[str, list[int]], words: Sequence[str], slop: int) -> set[int]:
    """Token positions that form the phrase, as Whoosh's SpanNear2 counts them.

    Each word must follow the previous one by 1..slop positions. A forward pass
    finds where each word can be reached; a backward pass keeps only those on a
    complete chain, so a stray "police" far from "fired" is not marked.
    """
    reach: list[list[int]] = [positions.get(words[0], [])]
    for word in words[1:]:
        prev = reach[-1]
        reach.append(
            [
                q
                for q in positions.get(word, [])
                if bisect_right(prev, q - 1) > bisect_left(prev, q - slop)
            ]
        )
    keep = reach[-1]
    marked = set(keep)
    for level in reversed(reach[:-1]):
        nxt = keep
        keep = [p for p in level if bisect_right(nxt, p + slop) > bisect_left(nxt, p + 1)]
        marked.update(keep)
    return marked if reach[-1] else set()


def find_hits(text: str, terms: HitTerms, language: str = "") -> tuple[Span, ...]:
    """[start, end) of every occurrence of the query's positive terms in `text`, a page
    of a document in `language` (its words are stemmed as the index stemmed them)."""
    if not text or not (terms.words or terms.phrases):
        return ()
    if not terms.phrases:  # words alone: no positions needed, only the matching tokens
        if has_cjk(text):
            spans = list(word_spans(text))
            hits = terms_among({w for w, _, _ in spans}, terms.words, language)
            return _merged((s, e) for w, s, e in spans if w in hits)
        # The page's distinct words (a page repeats most of them) are stemmed once
        # each, and only those that can hit; the tokens are then only compared with
        # the few that do.
        tokens = _PLAIN_TOKEN_RE.findall(text)
        hits = terms_among(set(tokens), terms.words, language)
        if not hits:
            return ()
        return _merged(plain_spans_of(text, tokens, hits))
    spans = list(word_spans(text))
    wanted = terms.words.union(*(words for words, _ in terms.phrases))
    term_of = terms_among({w for w, _, _ in spans}, wanted, language).get
    terms_at = [term_of(word) for word, _, _ in spans]  # None: a word nothing wants
    marked = {i for i, term in enumerate(terms_at) if term in terms.words}
    positions: dict[str, list[int]] = {}
    for i, term in enumerate(terms_at):
        if term is not None:
            positions.setdefault(term, []).append(i)
    for words, slop in terms.phrases:
        marked |= _phrase_positions(positions, words, slop)
    return _merged((spans[i][1], spans[i][2]) for i in sorted(marked))


def _merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans in order with overlapping ones joined: the bigrams 问题 题文 文档 of a
    CJK word are one hit, 问题文档, as the reader marks it."""
    merged: list[Span] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def _display(segment: str) -> str:
    """Page text as a person reads it: U+FFFE breaks joined, line ends as spaces."""
    # A broken word shows joined, as the index reads it; a stray U+FFFE not at all.
    plain = _SPACE_RE.sub(" ", JOIN_RE.sub("", segment).replace("\ufffe", ""))
    return _escape(plain)


def _escape(text: str) -> str:
    """`html.escape(text, quote=False)`, as element text needs it (only &, < and >):
    the `html` module loads a table of 2,000 named entities a search has no use for."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _window(text: str, hits: Sequence[Span], width: int) -> Span:
    """About `width` characters around the densest cluster of hits, cut at spaces."""
    lo = hi = 0
    if hits:
        best, first, last, j = -1, 0, 0, 0
        for i, (s, _) in enumerate(hits):  # two pointers: hits[i..j] fit in `width`
            j = max(j, i)
            while j + 1 < len(hits) and hits[j + 1][1] - s <= width:
                j += 1
            if j - i > best:
                best, first, last = j - i, i, j
        lo, hi = hits[first][0], hits[last][1]
    # Lead with a little context only: result lists show the first two or three
    # lines, and the hits must be in them. A cluster wider than `width` is kept whole.
    start = max(0, lo - min(width // 4, max(0, width - (hi - lo)) // 2))
    end = min(len(text), max(hi, start + width))
    start = max(0, min(lo, end - width))
    # Cut at whitespace, never into a hit.
    if start > 0 and not text[start - 1].isspace():
        space = _SPACE_RE.search(text, start, lo)
        start = space.end() if space else start
    cut = end
    while hi < cut < len(text) and not text[cut].isspace():
        cut -= 1
    return start, cut if cut > hi else end


def make_snippet(text: str, hits: Sequence[Span], width: int = SNIPPET_CHARS) -> str:
    """HTML-escaped text around the densest cluster of hits, hits in <b>…</b>.

    With no hits (a page found by its title), the page's opening words.
    """
    start, end = _window(text, hits, width)
    parts: list[str] = []
    pos = start
    for s, e in hits:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(_display(text[pos:s]))
        parts.append(f"<b>{_display(text[s:e])}</b>")
        pos = e
    parts.append(_display(text[pos:end]))
    body = "".join(parts).strip()
    return (_ELLIPSIS if start > 0 else "") + body + (_ELLIPSIS if end < len(text) else "")
