"""Turning page text into index terms, with exact offsets into the original text.

The stored page text is QtPdf's (lines end in ``\\r\\n``, a line-end hyphen is
U+FFFE), and hits must be offsets into exactly that text, so the tokenizer
matches words in the original string and only cleans the *term* it emits:

- a word broken by U+FFFE (or a soft hyphen) and a line break is one token,
  ``interven\\ufffe\\r\\ntion`` -> ``intervention``, spanning the whole break;
- apostrophes inside a word are dropped (``O'Brien``/``O’Brien`` -> ``obrien``,
  ``court's`` -> ``courts`` -> stem ``court``);
- Chinese, Japanese and Korean (runs of Han, Kana, Hangul) are cut into
  overlapping bigrams, as Lucene's CJK analyzer does: ``问题文档`` -> 问题 题文
  文档 at consecutive positions, so a word is found inside unsegmented text
  (the query's 问题文档 is the phrase of the same bigrams); a run ends where
  another script starts (``Docket文档`` -> docket 文档);
- thousands separators are dropped (``1,500`` -> ``1500``); other digit
  punctuation splits (``16.12.2011`` -> ``16 12 2011``, found as a phrase);
- lowercase, accents folded (``Zhanaözen`` -> ``zhanaozen``) by the rules
  find-in-document uses too (core.text.folding), then stemmed by the Snowball
  stemmer (PyStemmer) of the document's language (core.text.languages): Porter
  for English and for an unknown language, as before languages; no stemming for
  a language Snowball lacks (Kazakh, Ukrainian...). No stop words in any
  language, so phrases such as "the police" keep every word. A query word is
  analysed for each language the case's documents have (`query_terms`).

The same functions serve indexing (the engine's tokenizer, and `page_term_positions`
for the import's workers), query parsing, and the hit finder (:func:`page_terms`),
so all three agree. Nothing here names a search engine.
"""

from __future__ import annotations

import re
import sys
import threading
from array import array
from collections.abc import Callable, Collection, Container, Iterable, Iterator
from itertools import chain

import Stemmer  # type: ignore[import-not-found]  # a C extension without type information

from docket.core.search.engine import TERM_SEPARATOR, PageTerms
from docket.core.text.folding import HYPHEN_BREAK
from docket.core.text.folding import fold_word as fold
from docket.core.text.languages import SNOWBALL

# Combining marks belong to the word they decorate (decomposed accents, Arabic
# harakat, Indic vowel signs); Python's \w does not match them.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# Han (with its compatibility and supplementary ideographs, 々 〆 〇), Hiragana,
# Katakana (with ー and the half-width forms) and Hangul: scripts written without
# spaces between words (or, for Korean, with particles joined to them). A run of
# them is indexed as overlapping bigrams, as Lucene's CJK analyzer does.
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"
    "\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\uffa0-\uffdc"
    "\U00020000-\U0003134f"
)


class _Lazy:
    """A regular expression compiled when first used. The CJK classes cost ~30 ms
    to compile, a fifth of a `docket search` process that never meets CJK text."""

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern)
        return self._compiled

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: str) -> list[str]:
        return self.compiled.findall(text)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def sub(self, replacement: str, text: str) -> str:
        return self.compiled.sub(replacement, text)


def _ranges(chars: str) -> list[tuple[int, int]]:
    """The (first, last) code points of a character class's ranges and characters."""
    found, i = [], 0
    while i < len(chars):
        if i + 2 < len(chars) and chars[i + 1] == "-":
            found.append((ord(chars[i]), ord(chars[i + 2])))
            i += 3
        else:
            found.append((ord(chars[i]), ord(chars[i])))
            i += 1
    return found


_CJK_RANGES = _ranges(_CJK)
_CJK_RE = _Lazy(f"[{_CJK}]")
_CJK_MARKS = "\u3099-\u309c\uff9e\uff9f"  # kana voicing marks: part of the kana before
_CJK_CHAR_RE = _Lazy(f"[{_CJK}][{_CJK_MARKS}]*")
_CJK_MARKS_RE = re.compile(f"[{_CJK_MARKS}]")
# Spaces between two CJK characters: a phrase typed "问题 文档" is also looked for
# as 问题文档, since Chinese and Japanese are written without them.
CJK_SPACES_RE = _Lazy(rf"(?<=[{_CJK}{_CJK_MARKS}])\s+(?=[{_CJK}])")
_L = rf"[^\W_{_CJK}]"  # a letter or digit of a script written with spaces
_W = rf"(?:{_L}|[{_MARKS}])"  # a word character; "_" is not (form blanks ____)
_JOIN = HYPHEN_BREAK
JOIN_RE = re.compile(_JOIN)
_APOS = "['’ʼ]"
# A word of the scripts written with spaces, or a run of CJK characters (which
# `word_spans` cuts into bigrams): "Docket文档" is "Docket" then "文档".
TOKEN_RE = _Lazy(
    rf"\d{{1,3}}(?:,\d{{3}})+(?!{_W})"  # 1,500,000: one number
    rf"|{_L}{_W}*(?:(?:{_JOIN}|{_APOS}){_W}+)*"
    rf"|[{_CJK}][{_CJK}{_CJK_MARKS}]*"
)
# The same words in a text without CJK, about 10% faster (a smaller letter class).
# (Not possessive `*+`: Debian 12's Python 3.11.2 matched it wrongly, taking a
# trailing apostrophe into the word - "police'" - where 3.11.7 did not.)
_PLAIN_TOKEN_RE = _Lazy(
    rf"\d{{1,3}}(?:,\d{{3}})+(?![^\W_]|[{_MARKS}])"
    rf"|[^\W_](?:[^\W_]|[{_MARKS}])*(?:(?:{_JOIN}|{_APOS})(?:[^\W_]|[{_MARKS}])+)*"
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
# 4: runs of Han, Kana and Hangul are overlapping bigrams (a lone character stays
# whole) instead of one term per run, and end where another script starts.
# 5: a page's words are stemmed by its document's language (Snowball's stemmer for
# it; none for a language Snowball lacks); English and unknown stay Porter.
ANALYZER_VERSION = 5

_CACHE_LIMIT = 200_000
# word -> term, one cache per stemmer ("" for the languages left unstemmed)
_term_caches: dict[str, dict[str, str]] = {"porter": {}}
_term_cache = _term_caches["porter"]  # the unknown language's and English's


_stemmers = threading.local()  # a PyStemmer object must not be used by two threads at once


def stemmer_for(language: str) -> str:
    """The Snowball algorithm that stems a language's words; "" for none.

    Unknown ("") is Porter, as every document was stemmed before languages (a
    document too short to tell is most often English, and Porter leaves words
    of other scripts whole). A language Snowball lacks is not stemmed: Kazakh
    through the Russian stemmer would lose endings that are not Russian ones.
    """
    return SNOWBALL.get(language, "") if language else "porter"


def stem(word: str, algorithm: str = "porter") -> str:
    """A folded word's stem by a Snowball `algorithm` ("" leaves it whole). Words of
    one or two letters stay whole, as in Porter's own C version (Snowball's would
    make "is" "i", "as" "a" and "s" empty)."""
    if len(word) <= 2 or not algorithm:
        return word
    stemmer = getattr(_stemmers, algorithm, None)
    if stemmer is None:  # no cache of its own: index_term keeps one
        stemmer = Stemmer.Stemmer(algorithm, 0)
        setattr(_stemmers, algorithm, stemmer)
    stemmed: str = stemmer.stemWord(word)
    return stemmed


def porter_stem(word: str) -> str:
    """Porter's stem of a folded word (English's, and an unknown language's)."""
    return stem(word, "porter")


def index_term(word: str, language: str = "") -> str:
    """The term a matched word is indexed (and searched) under: folded and stemmed
    by its document's language."""
    if language:
        return term_function(language)(word)
    term = _term_cache.get(word)
    if term is None:
        term = porter_stem(fold(word))
        if len(_term_cache) > _CACHE_LIMIT:
            _term_cache.clear()
        _term_cache[word] = term
    return term


_term_functions: dict[str, Callable[[str], str]] = {}


def term_function(language: str) -> Callable[[str], str]:
    """`index_term` for one language, as fast as the unknown language's: a page's
    thousands of words look up neither the stemmer nor the cache each time."""
    made = _term_functions.get(language)
    if made is not None:
        return made
    algorithm = stemmer_for(language)
    if algorithm == "porter":  # English: the unknown language's own function
        return _term_functions.setdefault(language, index_term)
    cache = _term_caches.setdefault(algorithm, {})

    def term_of(word: str) -> str:
        term = cache.get(word)
        if term is None:
            term = stem(fold(word), algorithm)
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[word] = term
        return term

    return _term_functions.setdefault(language, term_of)


def query_terms(word: str, languages: Iterable[str] = ("",)) -> list[str]:
    """A query word's terms for each of `languages` (those of the case's documents):
    distinct, in order. "рабочие" in a case of English and Russian documents is
    ["рабочие", "рабоч"]: found on a Russian page as "рабочих" too."""
    terms: list[str] = []
    for algorithm in dict.fromkeys(stemmer_for(language) for language in languages or ("",)):
        term = stem(fold(word), algorithm)
        if term not in terms:
            terms.append(term)
    return terms


def stemmed_pattern(pattern: str, language: str = "") -> str | None:
    """The pattern for the stem of a wildcard's literal head, if stemming changes it.

    The index holds stems, so ``police*`` alone would miss "police" (stem
    ``polic``) and ``t?rture`` would miss "torture" (``tortur``). The head up to
    the first ``*`` is stemmed as a word: ``polic``, ``t?rtur``, by the stemmer
    of `language`. `pattern` is already folded.
    """
    star = pattern.find("*")
    head = pattern if star < 0 else pattern[:star]
    # Stem with "a" for each "?": the unknown letter is most often a vowel, and
    # Porter counts vowels, so a consonant stand-in would stop "t?rture" losing its e.
    stemmed = stem(head.replace("?", "a"), stemmer_for(language))
    stemmed = "".join("?" if head[i : i + 1] == "?" else c for i, c in enumerate(stemmed))
    return stemmed if stemmed and stemmed != head else None


def fuzzy_forms(word: str, term: str) -> list[str]:
    """What a fuzzy word is compared with the index's terms as: `term` (the word as
    the field indexes it, stemmed) and, if stemming changed it, the word folded only.

    Stemming a misspelt word can cut it short ("documant" -> "docum", far from
    "document"), and stemming a right one can make it far from a misspelt stem
    ("pakage" -> "pakag" is one edit from "packag"): both forms are tried.
    """
    folded = fold(word)
    return [term] if not folded or folded == term else [term, folded]


def has_cjk(text: str) -> bool:
    """Whether `text` has a character `word_spans` cuts into bigrams."""
    if text.isascii():
        return False
    return any(
        low <= ord(c) <= high for c in set(text) if c >= "\u1100" for low, high in _CJK_RANGES
    )


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) for every token of `text`, in order: its positions.

    A word of a script written with spaces is one token; a run of CJK characters
    is its overlapping bigrams (``问题文档`` -> 问题 题文 文档, each at its own
    offsets), a lone CJK character one token. A typed CJK word of n characters is
    thus the phrase of its n-1 bigrams, found inside unsegmented text.
    """
    if not has_cjk(text):
        yield from plain_spans(text, _PLAIN_TOKEN_RE.findall(text))
        return
    for m in TOKEN_RE.finditer(text):
        start, end = m.span()
        if end - start == 1 or not _CJK_RE.match(text, start):
            yield m.group(), start, end
        else:
            yield from _bigrams(text, start, end)


def plain_spans(text: str, words: list[str]) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of `words`, the tokens of a text without CJK in order.

    Each word is where it is next found: a token starts with a letter or digit, and
    there is none between two tokens (any would start one), so the next occurrence
    of a word after the previous token is the token. A third of the time of the
    match objects of `finditer`.
    """
    find, end = text.find, 0
    for word in words:
        start = find(word, end)
        end = start + len(word)
        yield word, start, end


def plain_spans_of(text: str, words: list[str], wanted: Container[str]) -> list[tuple[int, int]]:
    """(start, end) of the `words` (the tokens of a text without CJK, in order) that are
    `wanted`: `plain_spans` without a generator step for each of the others."""
    find, end, found = text.find, 0, []
    for word in words:
        start = find(word, end)
        end = start + len(word)
        if word in wanted:
            found.append((start, end))
    return found


# The stemmers that keep a word's first letter: they change only its end (Porter's
# "ies" -> "i" leaves at least one letter, and words of two letters stay whole).
_FIRST_LETTER_KEPT = frozenset({"porter", "english", ""})


def terms_among(
    words: Iterable[str], wanted: Collection[str], language: str = ""
) -> dict[str, str]:
    """The words (tokens of a page in `language`) whose term is one of `wanted`, with
    that term.

    Only the words that can be one are stemmed: an ASCII word folds to itself in
    lower case, and English's stemmer keeps its first letter, so a word whose first
    letter begins no wanted term is passed over. A fresh process (`docket search`)
    has no term cache: stemming every word of the 20 pages shown was ~5 ms.
    """
    to_term = term_function(language) if language else index_term
    candidates: Iterable[str] = words
    if stemmer_for(language) in _FIRST_LETTER_KEPT:
        initials = {term[:1] for term in wanted}
        candidates = [w for w in words if not w.isascii() or w[:1].lower() in initials]
    found = {}
    for word in candidates:
        term = to_term(word)
        if term in wanted:
            found[word] = term
    return found


def _bigrams(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The overlapping bigrams of the CJK run text[start:end]; a voicing mark stays
    with its kana (``か`` + U+3099 is one character, ``が``)."""
    if _CJK_MARKS_RE.search(text, start, end):
        bounds = [c.start() for c in _CJK_CHAR_RE.finditer(text, start, end)] + [end]
    else:
        bounds = list(range(start, end + 1))
    if len(bounds) == 2:
        yield text[start:end], start, end
        return
    for i in range(len(bounds) - 2):
        s, e = bounds[i], bounds[i + 2]
        yield text[s:e], s, e


def words_of(text: str) -> list[str]:
    """The tokens of `text` (`word_spans` without the offsets)."""
    if not has_cjk(text):
        return _PLAIN_TOKEN_RE.findall(text)
    return [word for word, _, _ in word_spans(text)]


def page_terms(text: str, language: str = "") -> list[tuple[str, int, int]]:
    """(term, start, end) for every token of a page in `language`; the list index is
    its position."""
    to_term = term_function(language) if language else index_term
    return [(to_term(word), start, end) for word, start, end in word_spans(text)]


def page_term_positions(text: str, language: str = "") -> PageTerms:
    """A page's terms and their positions, for any engine to index; `language` is its
    document's.

    What the import's workers make of each page they read (about 0.3 ms a page).
    """
    last: dict[str, int] = {}  # term -> its position so far
    gaps: dict[str, list[int]] = {}  # term -> its first position, then the gaps
    position = -1
    words = words_of(text)
    terms = map(term_function(language) if language else index_term, words)
    for position, term in enumerate(terms):
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
