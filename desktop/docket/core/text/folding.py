"""The text rules search, find-in-document and quotes share: folding and hyphen breaks.

Written once so that search and find agree on what matches. Folding, what makes
``zhanaozen`` match ``Zhanaözen``:

- compatibility forms are their plain letters: ligatures (``ﬁ`` -> ``fi``),
  full-width, mathematical and letterlike letters (``ℍ`` -> ``h``);
- case is folded the Unicode way (``str.casefold``): ``ß`` -> ``ss``, every
  Greek sigma (``ς``, ``ϲ``) -> ``σ``;
- Latin, Greek and Cyrillic diacritics and Arabic harakat are dropped
  (``ö`` -> ``o``, ``ᾳ`` -> ``α``, ``ё`` -> ``е``); marks that make another
  letter stay (a kana's voicing mark, an Indic vowel sign);
- letters NFKD leaves whole but a reader takes for plain ones are plain:
  ``ø`` -> ``o``, ``ł`` -> ``l``, ``æ`` -> ``ae``, ``œ`` -> ``oe``, ``þ`` -> ``th``;
- but Cyrillic ``й``, ``ў`` and ``ї`` stay: they are letters of their own on
  every keyboard that types them, not ``и``, ``у``, ``і`` with an accent
  (typing "мои" must not find "мой"). ``ё`` does fold, as print mostly writes ``е``.

A hyphen break is how QtPdf stores a word broken at a line end: U+FFFE (or a
soft hyphen) where the hyphen was, then the line break and the next line's
indent. Joined, it is the one word a person reads.
"""

from __future__ import annotations

import re
import unicodedata

HYPHENS = "\ufffe\u00ad"  # QtPdf's line-end hyphen, and a soft hyphen
APOSTROPHES = "'’ʼ"
# One line break (QtPdf ends lines with \r\n) and the indent of the line after it.
_AFTER_HYPHEN = r"(?:\r\n|[\r\n\x0b\x0c\u2028\u2029])?[ \t]*"
# A hyphen break as a regex, for tokenizers that match it inside a word.
HYPHEN_BREAK = rf"[{HYPHENS}]{_AFTER_HYPHEN}"
_HYPHEN_BREAK_RE = re.compile(HYPHEN_BREAK)
_AFTER_HYPHEN_RE = re.compile(_AFTER_HYPHEN)

# Marks dropped when folding: the Latin/Greek/Cyrillic diacritics (U+0345, the
# Greek iota subscript, among them) and Arabic harakat.
_DROPPED_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f]")
# Letters whose mark makes another letter, kept whole; found decomposed by NFKD.
_KEPT = "йЙўЎїЇ"
_KEPT_BY_PARTS = {unicodedata.normalize("NFD", letter): letter for letter in _KEPT}
# The kept letters written as base letter + combining mark (some PDFs store them so).
DECOMPOSED_KEPT = re.compile("|".join(_KEPT_BY_PARTS))
KEPT_MARKS = "".join(sorted({parts[-1] for parts in _KEPT_BY_PARTS}))  # breve, diaeresis
# Letters NFKD does not decompose but a reader takes for their plain form.
_PLAIN = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)
# What search matches as part of a word without it being a letter of the word:
# a hyphen break (hyphen, line break, indent), apostrophes (O’Brien -> obrien),
# and a number's thousands separators (1,500 -> 1500).
_NOT_LETTERS = str.maketrans("", "", HYPHENS + "\r\n\x0b\x0c\u2028\u2029 \t" + APOSTROPHES + ",")

_CACHE_LIMIT = 200_000
_word_cache: dict[str, str] = {}


def fold(text: str) -> str:
    """Text as compared for matching: case folded, unaccented (see the module's rules).

    Works on one character (a lone combining accent folds to "") or on many;
    folding a text is folding each of its characters, except that a kept
    letter written decomposed (``и`` + breve) is kept as one.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    if DECOMPOSED_KEPT.search(decomposed):
        decomposed = DECOMPOSED_KEPT.sub(lambda m: _KEPT_BY_PARTS[m.group()], decomposed)
    # Marks go before casefold: it turns the iota subscript U+0345 into a letter ι.
    plain = _DROPPED_MARKS.sub("", decomposed).casefold()
    return unicodedata.normalize("NFC", plain).translate(_PLAIN)


def fold_word(word: str) -> str:
    """A word as search matches it -> the form it is indexed under, before stemming.

    Hyphen breaks, apostrophes and thousands separators are dropped, then the
    word is folded: ``Zhanaözen`` -> ``zhanaozen``, ``O’Brien`` -> ``obrien``.
    """
    folded = _word_cache.get(word)
    if folded is None:
        folded = fold(word.translate(_NOT_LETTERS))
        if len(_word_cache) > _CACHE_LIMIT:  # a bound, not an LRU: folding again is cheap
            _word_cache.clear()
        _word_cache[word] = folded
    return folded


def join_hyphen_breaks(text: str) -> str:
    """Text with every hyphen break joined: ``interven\\ufffe\\r\\ntion`` -> ``intervention``."""
    return _HYPHEN_BREAK_RE.sub("", text)


def hyphen_break_end(text: str, hyphen: int) -> int:
    """Where the hyphen break whose hyphen is ``text[hyphen]`` ends (after the indent)."""
    after = _AFTER_HYPHEN_RE.match(text, hyphen + 1)
    assert after is not None  # every part of the pattern is optional
    return after.end()
