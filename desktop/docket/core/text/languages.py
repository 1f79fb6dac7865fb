"""A document's language: detected from its text at import, or chosen by the user.

Languages are ISO 639-1 codes ("en", "ru"); "" is unknown. Search stems a
document's words by its language where Snowball has a stemmer for it
(`SNOWBALL`); other languages (Kazakh, Ukrainian, Chinese...) are folded but
not stemmed - the Russian stemmer would cut Kazakh words wrongly.

Detection is py3langid's (langid.py's model, 97 languages, offline), chosen by
measuring (tests/benchmarks/bench_language.py): on 388 real pages of the
real-PDF corpus (English, French, German, Portuguese...) labelled by lingua
when sure and seconded by another detector, py3langid agreed on 99.5 % at
0.6 ms a page, langdetect on 97.9 % at 4.8 ms; lingua (6 ms) is a 96 MB wheel.
As Docket uses it (below: a page too short or unsure is "unknown") 96.4 %, the
rest unknown, never another language but once; every one of the 9 PDFs named
for their language (-de, -fr, -pt) was detected as named. Loading the model
takes ~0.5 s once per process; a document then costs ~2 ms, as detection reads
a sample of its text spread over its pages.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

# ISO 639-1 -> the Snowball algorithm PyStemmer names it by.
SNOWBALL: dict[str, str] = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    # Porter, as before languages: Snowball's "english" (Porter 2) would change
    # the stems of an English case already indexed, for no gain in search.
    "en": "porter",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "st": "sesotho",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# Names a person reads, for the languages offered in lists (any ISO 639-1 code
# is accepted; these are the ones a case file is likely to hold).
NAMES: dict[str, str] = {
    "ar": "Arabic",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "ko": "Korean",
    "ky": "Kyrgyz",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sr": "Serbian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "uz": "Uzbek",
    "zh": "Chinese",
}

# What detection reads of a document, spread over its pages: about a page and a
# half, as measured (a page each, 388 pages); 12,000 cost 20 ms a document.
SAMPLE_CHARS = 3_000
MIN_LETTERS = 40  # less text than this says too little: the language stays unknown
MIN_CONFIDENCE = 0.5  # py3langid's normalised probability below which the guess is dropped

_lock = threading.Lock()
_identifier: Any = None


def language_name(code: str) -> str:
    """ "Russian" for "ru"; the code itself for one without a name here; "unknown" for ""."""
    return NAMES.get(code, code) if code else "unknown"


def stemmed(code: str) -> bool:
    """True if words of this language are stemmed (Snowball has a stemmer for it)."""
    return code in SNOWBALL


def normalize_language(value: str) -> str:
    """An ISO 639-1 code from what a user typed ("RU", "russian", "Russian"); ValueError
    when it names no language. "" (or "unknown", "none") clears the language."""
    text = value.strip().lower()
    if text in ("", "unknown", "none", "-"):
        return ""
    if len(text) == 2 and text.isalpha() and text.isascii():
        return text
    for code, name in NAMES.items():
        if name.lower() == text:
            return code
    for code, algorithm in SNOWBALL.items():
        if algorithm == text:
            return code
    raise ValueError(
        f"{value!r} is not a language: give a two-letter ISO 639-1 code (en, ru, de, kk...) "
        "or an English name (Russian)"
    )


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import (  # type: ignore[import-untyped]  # no type information
                MODEL_FILE,
                LanguageIdentifier,
            )

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language `text` is written in; "" if it cannot tell."""
    if sum(1 for c in text[:SAMPLE_CHARS] if c.isalpha()) < MIN_LETTERS:
        return ""
    # U+FFFE marks a word broken at a line end (QtPdf); the model knows words whole.
    sample = text[:SAMPLE_CHARS].replace("\ufffe\r\n", "").replace("\ufffe", "")
    code, confidence = _model().classify(sample)
    return str(code) if confidence >= MIN_CONFIDENCE else ""


def document_language(page_texts: Iterable[str]) -> str:
    """A document's language, from a sample spread over its pages."""
    texts = [text for text in page_texts if text.strip()]
    if not texts:
        return ""
    share = max(SAMPLE_CHARS // len(texts), 400)
    step = max(1, len(texts) * share // SAMPLE_CHARS)
    sample = "\n".join(text[:share] for text in texts[::step])
    return detect_language(sample[:SAMPLE_CHARS])
