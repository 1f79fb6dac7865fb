"""Decoding the bytes of a text file: is it text at all, and in which encoding.

`decode_text` tries, first match wins:

1. a byte-order mark (UTF-8, UTF-32 LE/BE, UTF-16 LE/BE), decoded strictly;
2. NUL bytes: UTF-16 without a BOM if the NULs sit unmistakably in every other
   byte, else binary data;
3. strict UTF-8 (so plain ASCII too). UTF-8 with a few stray Windows-1252 bytes
   (a line pasted into a UTF-8 log or CSV) stays UTF-8 with those bytes read as
   Windows-1252, instead of turning every é of the file into "Ã©";
4. Windows-1252 when its reading looks like Western text, else the best
   candidate of charset-normalizer. The detector alone is not trusted on
   Western text: on short or accent-poor cp1252 text it answers cp775, cp1257
   or mac_greek and gets é or „ wrong;
5. Windows-1252 as browsers read it (its five undefined bytes become C1
   controls), never Latin-1, which would silently turn € and curly quotes into
   invisible controls.

The encoding is named by its Python codec name (`codecs.lookup(...).name`),
BOM files as "utf-8-sig", "utf-16" or "utf-32", so that `data.decode(encoding)`
gives the same text; the exceptions are "utf-8+cp1252" (step 3) and cp1252
files with undefined bytes (step 5).

Known misses: 8-bit Latin text whose cp1252 reading is also plausible
(Hungarian ő ű read as õ û, Mac Roman) is read as cp1252, and very short
Hebrew or Arabic 8-bit text may be taken for Cyrillic.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from charset_normalizer import from_bytes

from docket.core.errors import ExtractionError

BINARY = "not a text file (binary data)"

# BOMs, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Formats that carry no NUL in their first bytes yet are not plain text.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "not a text file (a PDF document)"),
    (b"{\\rtf", "not a plain text file (an RTF document)"),
)

# Control bytes that text does not contain; tab, LF, VT, FF, CR and ESC (ANSI
# colours in logs) are allowed. Above this share of the start it is binary.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 127])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05
_HEAD = 1 << 20  # checks of the start look at this many bytes or characters

# charset-normalizer looks at the whole of a small file; of a bigger one, at
# its lines with non-ASCII bytes (where the evidence is), up to _HEAD bytes.
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
# Never taken from the detector: UTF-16/32 without NULs is not real text,
# UTF-8 already failed, UTF-7 and ASCII cannot hold the non-ASCII bytes,
# Latin-1 is what cp1252 does better, and EBCDIC (IBM mainframes) only ever
# "fits" noise.
# fmt: off
_EXCLUDED = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be",
             "utf_7", "utf_8", "ascii", "latin_1",
             "cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140")
# Ties between the detector's candidates go to the encodings case files are
# in: Windows code pages, KOI8, Kazakh, CJK; DOS, Mac and HP pages last.
_PREFERRED = ("cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257", "cp1255",
              "cp1256", "koi8_r", "koi8_u", "kz1048", "gb18030", "big5", "cp932",
              "shift_jis", "euc_jp", "cp949", "euc_kr", "cp866")
# fmt: on
_UNLIKELY_ENCODING = re.compile(r"^(cp[4-9]\d\d|cp1006|cp1125|mac_|hp_|ptcp)")
# The Western prior among the candidates too: Icelandic read as cp1252 scores
# 0.625 in language coherence and as mac_latin2 0.640; Turkish cp1254 beats
# cp1252 by 0.05.
_CP1252_COHERENCE_BONUS = 0.02

# Signs that a cp1252 reading is really Central European, Turkish, Cyrillic or
# Greek text (¹ ³ ¿ are Polish ą ł ż, ð þ Turkish ğ ş, ÷ Russian ч ...).
_MOJIBAKE = frozenset("¤¦¨¬¯´¸¹³ðþÐÞ÷ˆ˜")
_INVERTED_QUESTION_IN_WORD = re.compile(r"(?<=[^\W\d_])¿|¿(?=[a-zß-ÿ])")  # Polish "¿e"
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_MAX_FOREIGN_LETTERS = 0.3  # share of non-ASCII among letters; French has ~4 %
_MAX_MOJIBAKE = 0.1  # share of _MOJIBAKE among non-ASCII characters

# What a wrong guess decodes to: C1 controls, private-use code points, half-
# width katakana (a Shift-JIS reading of 8-bit Cyrillic), box drawing (DOS
# code pages) and rare CJK from the supplementary planes.
_UNLIKELY_CHARS = re.compile(
    "[\x80-\x9f\ue000-\uf8ff\uff61-\uff9f\u2500-\u259f\U00020000-\U0010ffff]"
)
# A Latin letter next to a Cyrillic, Greek, Hebrew or Arabic one ("cafй"): a
# French text read as cp1251.
_MIXED_SCRIPTS = re.compile(
    "[A-Za-z\xc0-\u024f](?=[\u0370-\u06ff])|[\u0370-\u06ff](?=[A-Za-z\xc0-\u024f])"
)
_MAX_UNLIKELY = 0.1  # share of non-ASCII characters

_SURROGATE_ESCAPES = re.compile("[\udc80-\udcff]")


def _c1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    """Map cp1252's undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) as WHATWG does."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return chr(error.object[error.start]), error.start + 1


codecs.register_error("docket-c1", _c1_for_undefined)


def binary_reason(head: bytes) -> str | None:
    """Why a file starting with these bytes is not plain text, or None."""
    for signature, reason in _SIGNATURES:
        if head.startswith(signature):
            return reason
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\0" in head:
        return None if _utf16_without_bom(head) else BINARY
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return BINARY if controls > _MAX_CONTROL_SHARE * len(head) else None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name).

    The BOM is removed; newlines are left as they are. Raises ExtractionError
    for binary data and for bytes that are not valid in the encoding their
    BOM declares.
    """
    if not data:
        return "", "utf-8"
    text, encoding = _decode(data)
    head = text[:_HEAD]
    if len(_CONTROL_CHARS.findall(head)) > _MAX_CONTROL_SHARE * len(head):
        raise ExtractionError(BINARY)
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, encoding)
    reason = binary_reason(data[:_HEAD])
    if reason:
        raise ExtractionError(reason)
    if b"\0" in data:
        utf16 = _utf16_without_bom(data[:_HEAD])
        if utf16 is None:
            raise ExtractionError(BINARY)
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            raise ExtractionError(BINARY) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = data.decode("utf-8", errors="surrogateescape")
    # Stray bytes became lone surrogates, which encoding to UTF-8 drops.
    strays = len(mixed) - len(mixed.encode("utf-8", errors="ignore").decode("utf-8"))
    if _count_non_ascii(mixed) - strays >= 2 * strays:
        return _SURROGATE_ESCAPES.sub(_as_cp1252, mixed), "utf-8+cp1252"
    return _decode_legacy(data)


def _decode_with_bom(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        if encoding == "utf-32":  # a UTF-16 LE file whose first character is U+0000
            return _decode_with_bom(data, "utf-16")
        name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise ExtractionError(
            f"cannot decode the text: it starts with a {name} byte-order mark "
            f"but is not valid {name} (damaged or truncated)"
        ) from None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 LE or BE if NULs fill one byte of many code units and almost none
    of the other, as ASCII-range characters do; else None."""
    units = len(head) // 2
    even, odd = head[0 : 2 * units : 2].count(0), head[1 : 2 * units : 2].count(0)
    for nuls, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if units >= 2 and nuls >= 0.1 * units and others <= 0.01 * units:
            return encoding
    return None


def _count_non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _as_cp1252(match: re.Match[str]) -> str:
    return bytes([ord(match.group()) - 0xDC00]).decode("cp1252", errors="docket-c1")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """8-bit and East-Asian encodings: Windows-1252 first, then the detector."""
    sample = _detection_sample(data)
    if _looks_western(sample, undefined_allowed=False):
        # The sample of a big file may miss an undefined byte further on.
        return data.decode("cp1252", errors="docket-c1"), "cp1252"
    # cp1252's undefined bytes point to another code page (Czech ť is 0x9D),
    # but a guess of a DOS or Mac code page is worth less than cp1252 with a
    # stray byte.
    unlikely: tuple[str, str] | None = None
    for text, encoding in _plausible_candidates(data, sample):
        if not _UNLIKELY_ENCODING.match(encoding):
            return text, codecs.lookup(encoding).name
        unlikely = unlikely or (text, codecs.lookup(encoding).name)
    if unlikely and not _looks_western(sample, undefined_allowed=True):
        return unlikely
    return data.decode("cp1252", errors="docket-c1"), "cp1252"


def _plausible_candidates(data: bytes, sample: bytes) -> Iterator[tuple[str, str]]:
    """The detector's candidates, best first, that decode all data plausibly."""
    tried: list[str] = []
    for _ in range(3):  # a rejected multibyte guess can hide every 8-bit candidate
        candidates = _detected(sample, tried)
        if not candidates:
            return
        for encoding in candidates:
            tried.append(encoding)
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            if not _implausible(text):
                yield text, encoding


def _detection_sample(data: bytes) -> bytes:
    if len(data) <= _HEAD:
        return data
    lines = (match.group() for match in _NON_ASCII_LINE.finditer(data))
    return b"\n".join(_take_bytes(lines, _HEAD))


def _take_bytes(chunks: Iterator[bytes], budget: int) -> Iterator[bytes]:
    for chunk in chunks:
        if budget <= 0:
            return
        budget -= len(chunk) + 1
        yield chunk


def _looks_western(sample: bytes, undefined_allowed: bool) -> bool:
    """Whether a cp1252 reading looks like Western European text, not mojibake."""
    text = sample.decode("cp1252", errors="docket-c1")
    non_ascii = _NON_ASCII_CHAR.findall(text)
    foreign = sum(1 for char in non_ascii if char.isalpha())
    letters = foreign + len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    if foreign > _MAX_FOREIGN_LETTERS * letters:
        return False
    undefined = sum(1 for char in non_ascii if char < "\xa0")
    if undefined and not undefined_allowed:
        return False
    mojibake = undefined + sum(1 for char in non_ascii if char in _MOJIBAKE)
    mojibake += len(_INVERTED_QUESTION_IN_WORD.findall(text))
    return mojibake <= max(1, _MAX_MOJIBAKE * len(non_ascii))


def _implausible(text: str) -> bool:
    head = text[:_HEAD]
    unlikely = len(_UNLIKELY_CHARS.findall(head)) + len(_MIXED_SCRIPTS.findall(head))
    return unlikely > _MAX_UNLIKELY * max(1, _count_non_ascii(head))


def _detected(sample: bytes, rejected: list[str]) -> list[str]:
    """charset-normalizer's candidates, best first, ties going to common encodings."""
    matches = from_bytes(sample, cp_exclusion=[*_EXCLUDED, *rejected])
    # It merges encodings that decode the sample alike; name such a group by
    # its most common member.
    named = [(min(match.could_be_from_charset, key=_rank), match) for match in matches]
    named.sort(
        key=lambda pair: (
            round(pair[1].chaos, 2),
            -round(pair[1].coherence + _bonus(pair[0]), 2),
            _rank(pair[0]),
        )
    )
    return [encoding for encoding, _ in named if encoding not in rejected]


def _bonus(encoding: str) -> float:
    return _CP1252_COHERENCE_BONUS if encoding == "cp1252" else 0.0


def _rank(encoding: str) -> int:
    if encoding in _PREFERRED:
        return _PREFERRED.index(encoding)
    return 90 if _UNLIKELY_ENCODING.match(encoding) else 50
