"""Turning page text into index terms, with exact offsets into the original text.

The stored page text is QtPdf's (lines end in ``\\r\\n``, a line-end hyphen is
U+FFFE), and hits must be offsets into exactly that text, so the tokenizer
matches words in the original string and only cleans the *term* it emits:

- a word broken by U+FFFE (or a soft hyphen) and a line break is one token,
  ``interven\\ufffe\\r\\ntion`` -> ``intervention``, spanning the whole break;
- apostrophes inside a word are dropped (``O'Brien``/``O’Brien`` -> ``obrien``,
  ``court's`` -> ``courts`` -> stem ``court``);
- thousands separators are dropped (``1,500`` -> ``1500``); other digit
  punctuation splits (``16.12.2011`` -> ``16 12 2011``, found as a phrase);
- lowercase, accents folded (``Zhanaözen`` -> ``zhanaozen``) by the rules
  find-in-document uses too (core.text.folding), Porter stem;
  no stop words, so phrases such as "the police" keep every word.

The same functions serve indexing (via :class:`DocketTokenizer`), query
parsing, and the hit finder (:func:`page_terms`), so all three agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem

from docket.core.text.folding import HYPHEN_BREAK
from docket.core.text.folding import fold_word as fold

# Combining marks belong to the word they decorate (decomposed accents, Arabic
# harakat, Indic vowel signs); Python's \w does not match them.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_W = rf"(?:[^\W_]|[{_MARKS}])"  # a word character; "_" is not (form blanks ____)
_JOIN = HYPHEN_BREAK
JOIN_RE = re.compile(_JOIN)
_APOS = "['’ʼ]"
TOKEN_RE = re.compile(
    rf"\d{{1,3}}(?:,\d{{3}})+(?!{_W})"  # 1,500,000: one number
    rf"|[^\W_]{_W}*(?:(?:{_JOIN}|{_APOS}){_W}+)*"
)
WILDCARDS = "*?"
# Bump whenever the terms made from a text change: the tokenizer is saved in the
# index's schema, and an index with another version is rebuilt.
# 2: one folding with find (core.text.folding): casefold (ς -> σ), compatibility
# capitals lowered (ℍ -> h), й ў ї kept.
ANALYZER_VERSION = 2

_CACHE_LIMIT = 200_000
_term_cache: dict[str, str] = {}


def index_term(word: str) -> str:
    """The term a matched word is indexed (and searched) under: folded and stemmed."""
    term = _term_cache.get(word)
    if term is None:
        term = porter_stem(fold(word))
        if len(_term_cache) > _CACHE_LIMIT:
            _term_cache.clear()
        _term_cache[word] = term
    return term


def stemmed_pattern(pattern: str) -> str | None:
    """The pattern for the stem of a wildcard's literal head, if stemming changes it.

    The index holds stems, so ``police*`` alone would miss "police" (stem
    ``polic``) and ``t?rture`` would miss "torture" (``tortur``). The head up to
    the first ``*`` is stemmed as a word: ``polic``, ``t?rtur``. `pattern` is
    already folded.
    """
    star = pattern.find("*")
    head = pattern if star < 0 else pattern[:star]
    # Stem with "a" for each "?": the unknown letter is most often a vowel, and
    # Porter counts vowels, so a consonant stand-in would stop "t?rture" losing its e.
    stemmed = porter_stem(head.replace("?", "a"))
    stemmed = "".join("?" if head[i : i + 1] == "?" else c for i, c in enumerate(stemmed))
    return stemmed if stemmed and stemmed != head else None


def page_terms(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for every token of a page; the list index is its position."""
    return [(index_term(m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


class DocketTokenizer(Tokenizer):
    """The whole analyzer in one step (a chain of whoosh filters costs ~3x per token).

    ``stem=False`` gives folded words only. With ``tokenize=False`` (the query
    parser's wildcard, prefix and fuzzy terms) the value is one term; wildcard
    patterns are folded but never stemmed, as stemming would mangle them.
    """

    def __init__(self, stem: bool = True, version: int = ANALYZER_VERSION) -> None:
        self.stem = stem
        self.version = version

    def __call__(  # whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        if not tokenize:
            is_pattern = any(c in value for c in WILDCARDS)
            t.text = index_term(value) if self.stem and not is_pattern else fold(value)
            if keeporiginal:
                t.original = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        normalize = index_term if self.stem else fold
        for pos, match in enumerate(TOKEN_RE.finditer(value), start_pos):
            word = match.group()
            t.text = normalize(word)
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t
