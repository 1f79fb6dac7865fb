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
  find-in-document uses too (core.text.folding), Porter stem (Snowball's
  "porter", by PyStemmer); no stop words, so phrases such as "the police" keep
  every word.

The same functions serve indexing (the engine's tokenizer, and `page_term_positions`
for the import's workers), query parsing, and the hit finder (:func:`page_terms`),
so all three agree. Nothing here names a search engine.
"""

from __future__ import annotations

import re
import threading
from array import array
from itertools import chain

import Stemmer  # type: ignore[import-not-found]  # a C extension without type information

from docket.core.search.engine import TERM_SEPARATOR, PageTerms
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
# 3: Snowball's Porter stemmer instead of the index library's, which kept a doubled
# consonant ("running" -> runn, "setting" -> sett) and stopped early on "-ated",
# "-ically", "-ation" ("generated" -> generat, "generate" -> gener): 0.7% of the
# words of the real-PDF corpus changed stem.
ANALYZER_VERSION = 3

_CACHE_LIMIT = 200_000
_term_cache: dict[str, str] = {}


_stemmers = threading.local()  # a PyStemmer object must not be used by two threads at once


def porter_stem(word: str) -> str:
    """Porter's stem of a folded word. Words of one or two letters stay whole, as in
    Porter's own C version (Snowball's would make "is" "i", "as" "a" and "s" empty)."""
    if len(word) <= 2:
        return word
    stemmer = getattr(_stemmers, "porter", None)
    if stemmer is None:  # no cache of its own: index_term keeps one
        stemmer = _stemmers.porter = Stemmer.Stemmer("porter", 0)
    stem: str = stemmer.stemWord(word)
    return stem


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


def page_term_positions(text: str) -> PageTerms:
    """A page's terms and their positions, for any engine to index.

    What the import's workers make of each page they read (about 0.3 ms a page).
    """
    last: dict[str, int] = {}  # term -> its position so far
    gaps: dict[str, list[int]] = {}  # term -> its first position, then the gaps
    position = -1
    for position, term in enumerate(map(index_term, TOKEN_RE.findall(text))):
        before = last.get(term)
        if before is None:
            gaps[term] = [position]
        else:
            gaps[term].append(position - before)
        last[term] = position
    typecode = "H" if position < 0xFFFF else "I"  # two bytes a number on any real page
    return PageTerms(
        TERM_SEPARATOR.join(gaps),
        array(typecode, map(len, gaps.values())),
        array(typecode, chain.from_iterable(gaps.values())),
    )
