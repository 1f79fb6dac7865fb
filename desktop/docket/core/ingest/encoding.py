"""Decoding the bytes of a text file: is it text at all, and in which encoding.

`decode_bytes` tries, first match wins:

1. a byte-order mark (UTF-8, UTF-32 LE/BE, UTF-16 LE/BE), decoded strictly. A
   BOM that lies (the bytes after it are not valid in its encoding) is
   checked against the bytes: a UTF-8 BOM before 8-bit text is dropped and the
   rest detected; a broken UTF-16/32 file is read with U+FFFD for the bad
   units (flagged `replaced`);
2. NUL bytes: UTF-32 without a BOM if the bytes decode strictly as UTF-32 LE
   or BE, UTF-16 without a BOM if the NULs sit unmistakably in every other
   byte, else binary data;
3. 7-bit text with the escapes of ISO-2022-JP, ISO-2022-KR or HZ, decoded
   strictly (never stored as escape codes);
4. strict UTF-8 (so plain ASCII too). UTF-8 with some stray 8-bit bytes (a
   line pasted into a UTF-8 log or CSV) stays UTF-8, the strays read together
   in the code page the detector finds for them, Windows-1252 when they are
   too few to tell ("utf-8+cp1251", flagged as guessed);
5. charset-normalizer's candidates, best first (least chaos, then most
   language coherence, ties to the encodings case files are in), the first
   whose reading of the whole file is plausible. An encoding the file declares
   (an XML prolog, an HTML meta tag) is taken when it decodes the bytes and
   the detector finds it about as good as its best; a declaration that lies is
   overruled by the detector and the document flagged. The guess is
   `guessed` when the detector hesitates (another reading, different text,
   scores about as well) or recognises no language;
6. nothing plausible: Windows-1252 as browsers read it (its five undefined
   bytes become C1 controls), flagged as guessed. Never Latin-1, which would
   silently turn euro signs and curly quotes into invisible controls.

Every byte sequence decodes in step 6, so a file is refused only as binary
(or as a PDF or RTF); text that cannot be read without loss (a damaged UTF-16
file) is imported with U+FFFD replacement characters and `replaced` set.

The encoding is named by its Python codec name (`codecs.lookup(...).name`),
BOM files as "utf-8-sig", "utf-16" or "utf-32", so that `data.decode(encoding)`
gives the same text; the exceptions are "utf-8+..." (step 4) and cp1252
files with undefined bytes (step 6). `decode_as` reads bytes in an encoding the
user chose (re-reading a document), strictly.

Measured with tests/benchmarks/bench_encodings.py on chardet's test files:
see the README ("Text files and their encodings").
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

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
# DOS, Mac and HP pages win only by a clear margin: Latin-1 text read as cp775
# scores 0.05 more coherence than as cp1252.
_UNLIKELY_PENALTY = 0.06
_KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһ"
_KAZAKH_CODE_PAGES = ("kz1048", "ptcp154")
_CYRILLIC_PAGES = ("cp1251", *_KAZAKH_CODE_PAGES)
_RETRY_CHAOS = 0.6  # charset-normalizer's threshold (0.2 by default) when it found nothing
_NOT_HUNGARIAN = frozenset("ãçèàâêîôñÃÇÈÀÂÊÎÔÑ")

# Signs that a cp1252 reading is really Central European, Turkish, Cyrillic or
# Greek text (¹ ³ ¿ are Polish ą ł ż, ð þ Turkish ğ ş, ÷ Russian ч ...).
_MOJIBAKE = frozenset("¤¦¨¬¯´¸¹³ðþÐÞ÷ˆ˜")
_INVERTED_QUESTION_IN_WORD = re.compile(r"(?<=[^\W\d_])¿|¿(?=[a-zß-ÿ])")  # Polish "¿e"
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_MAX_FOREIGN_LETTERS = 0.3  # share of non-ASCII among letters; French has ~4 %
_MAX_MOJIBAKE = 0.1  # share of _MOJIBAKE among non-ASCII characters
# Three non-ASCII letters in a row: Cyrillic, Greek or Hebrew read as cp1252
# ("Ôîðóìû"), which Western words hardly have.
_FOREIGN_RUN = re.compile(r"[^\x00-\x7f\W\d_]{3,}")
_MAX_FOREIGN_RUNS = 0.1  # share of the non-ASCII letters in such runs
# Punctuation and symbols of cp1252 between two letters ("caf‚", "gar‡on",
# "ma¤ana"): the accented letters of a DOS (cp437, cp850) or Mac code page.
_SYMBOL_IN_WORD = re.compile(
    "(?<=[^\\W\\d_])[\x80-\x9f\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u2039"
    "\u2022\u2013\u2014\u02dc\u2122\u203a\u201c\u201d\xa0-\xbf\xd7\xf7](?=[^\\W\\d_])"
)

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
_NOT_TEXT_CATEGORIES = frozenset(("Cc", "Cn", "Co", "Cs"))
_MAX_BAD_SHARE = 0.01
_MAX_ASCII_PAIRS = 0.5  # share of units; real CJK UTF-16 has about a fifth
_STRAY_RUN = re.compile("[\udc80-\udcff]+")
_MIN_STRAYS_TO_DETECT = 8
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")

# 7-bit CJK encodings, by their escapes: ESC $ B / ESC $ @ / ESC $ ( D (JIS X
# 0208/0212), ESC $ ) C (KS C 5601, shifted in with SO), ~{ ... ~} (HZ).
_SHIFT_ESCAPES = re.compile(rb"\x1b\$\)C")
_SEVEN_BIT: tuple[tuple[re.Pattern[bytes], tuple[str, ...]], ...] = (
    (re.compile(rb"\x1b\$[@B]|\x1b\$\(D"), ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext")),
    (_SHIFT_ESCAPES, ("iso2022_kr",)),
    (re.compile(rb"~\{[\x21-\x7e]{2}"), ("hz",)),
)
# "<?xml version="1.0" encoding="koi8-r"?>", "<meta charset=...>", "<meta
# http-equiv="Content-Type" content="text/html; charset=...">".
_DECLARATION = re.compile(
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
    rb"""|<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
_DECLARATION_SCAN = 4096
_DECLARED_TOLERANCE = 0.1  # a declared encoding this much more chaotic than the best still wins
_CLOSE = 0.02  # a rival reading this close in chaos and coherence makes a guess uncertain
_MIN_COHERENCE = 0.05  # below it the detector recognised no language
_NOT_TEXT_CODECS = ("base64", "bz2_codec", "hex_codec", "quopri_codec", "rot_13",
                    "uu_codec", "zlib_codec", "idna", "punycode", "raw_unicode_escape",
                    "unicode_escape", "undefined")  # fmt: skip


def _c1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    """Map cp1252's undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) as WHATWG does."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return chr(error.object[error.start]), error.start + 1


codecs.register_error("docket-c1", _c1_for_undefined)


@dataclass(frozen=True)
class Decoded:
    """A text file's decoded text and how sure the decoding is."""

    text: str
    encoding: str
    guessed: bool = False  # the detector hesitated: the user may want to re-read it
    replaced: bool = False  # some bytes decoded to U+FFFD
    note: str = ""  # why it is guessed or replaced, for the import line


def binary_reason(head: bytes) -> str | None:
    """Why a file starting with these bytes is not plain text, or None."""
    for signature, reason in _SIGNATURES:
        if head.startswith(signature):
            return reason
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\0" in head:
        usable = _utf32_without_bom(head) or _utf16_without_bom(head)
        return None if usable else BINARY
    if _SHIFT_ESCAPES.search(head):  # ISO-2022-KR shifts with SO and SI
        head = head.replace(b"\x0e", b"").replace(b"\x0f", b"")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return BINARY if controls > _MAX_CONTROL_SHARE * len(head) else None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name). See `decode_bytes`."""
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes, saying how sure the decoding is.

    The BOM is removed; newlines are left as they are. Raises ExtractionError
    for binary data.
    """
    if not data:
        return Decoded("", "utf-8")
    decoded = _decode(data)
    _check_controls(decoded.text)
    return decoded


def decode_as(data: bytes, encoding: str) -> str:
    """The bytes read in an encoding the user chose, strictly (a BOM of that
    encoding removed); ExtractionError saying where they do not fit."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ExtractionError(f"unknown encoding: {encoding!r}") from None
    if codec in _NOT_TEXT_CODECS:
        raise ExtractionError(f"not a text encoding: {encoding!r}")
    bom = {"utf-8": codecs.BOM_UTF8}.get(codec)
    if bom and data.startswith(bom):
        data = data[len(bom) :]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        bad = error.object[error.start : error.start + 4].hex(" ")
        raise ExtractionError(
            f"the file is not valid {encoding}: bytes {bad} at offset {error.start:,} "
            f"({error.reason})"
        ) from None
    text = text.removeprefix("\ufeff")
    _check_controls(text)
    return text


def _check_controls(text: str) -> None:
    head = text[:_HEAD]
    if len(_CONTROL_CHARS.findall(head)) > _MAX_CONTROL_SHARE * len(head):
        raise ExtractionError(BINARY)


def _decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, encoding)
    reason = binary_reason(data[:_HEAD])
    if reason:
        raise ExtractionError(reason)
    if b"\0" in data:
        return _decode_wide(data)
    if not _HIGH_BYTE.search(data):
        seven_bit = _decode_seven_bit(data)
        if seven_bit:
            return seven_bit
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = data.decode("utf-8", errors="surrogateescape")
    # Stray bytes became lone surrogates, which encoding to UTF-8 drops.
    strays = len(mixed) - len(mixed.encode("utf-8", errors="ignore").decode("utf-8"))
    # Legacy text holds valid UTF-8 sequences by chance (EUC-KR and GB18030
    # pairs often are), so UTF-8 must be most of the non-ASCII text.
    if _count_non_ascii(mixed) - strays >= 2 * strays:
        return _decode_mixed(mixed, strays)
    return _decode_legacy(data)


def _decode_mixed(mixed: str, strays: int) -> Decoded:
    """UTF-8 with stray 8-bit bytes (lone surrogates in `mixed`): the strays read
    in the code page the detector finds for them together (a pasted line of
    cp1251), Windows-1252 when they are too few to tell or it finds none."""
    runs = _STRAY_RUN.findall(mixed)
    raw = b"\n".join(_as_bytes(run) for run in runs)
    codec = "cp1252"
    if strays >= _MIN_STRAYS_TO_DETECT and not _looks_western(raw, undefined_allowed=False):
        legacy = _decode_legacy(raw)
        if len(legacy.text) == len(raw) and not legacy.guessed:  # one byte, one character
            codec = legacy.encoding
    if codec == "cp1252":
        text = _SURROGATE_ESCAPES.sub(_as_cp1252, mixed)
    else:
        text = _STRAY_RUN.sub(lambda run: _as_bytes(run.group()).decode(codec), mixed)
    name = "Windows-1252" if codec == "cp1252" else codec
    return Decoded(
        text,
        f"utf-8+{codec}",
        guessed=True,
        note=f"mixed encodings: UTF-8 with {strays:,} byte(s) read as {name}",
    )


def _as_bytes(run: str) -> bytes:
    return bytes(ord(char) - 0xDC00 for char in run)


def _decode_with_bom(data: bytes, encoding: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    if encoding == "utf-32":  # a UTF-16 LE file whose first character is U+0000
        return _decode_with_bom(data, "utf-16")
    name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
    lie = f"a {name} byte-order mark, but the text is not {name}"
    if encoding == "utf-8-sig":
        legacy = _decode_legacy(data[len(codecs.BOM_UTF8) :])
        return replace(legacy, guessed=True, note=f"{lie}; read as {legacy.encoding}")
    if b"\0" not in data:  # "яю" or "þÿ" opening 8-bit text
        legacy = _decode_legacy(data)
        return replace(legacy, guessed=True, note=f"{lie}; read as {legacy.encoding}")
    return Decoded(
        data.decode(encoding, errors="replace"),
        encoding,
        replaced=True,
        note=f"{lie} (damaged or truncated): bad bytes replaced with U+FFFD",
    )


def _decode_wide(data: bytes) -> Decoded:
    """UTF-32 or UTF-16 without a BOM (binary_reason said the NULs fit one)."""
    head = data[:_HEAD]
    encoding = _utf32_without_bom(head) or _utf16_without_bom(head)
    if encoding is None:
        raise ExtractionError(BINARY)
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    if encoding.startswith("utf-32"):
        raise ExtractionError(BINARY)
    return Decoded(
        data.decode(encoding, errors="replace"),
        encoding,
        replaced=True,
        note=f"not valid {encoding.upper()} throughout: bad bytes replaced with U+FFFD",
    )


def _decode_seven_bit(data: bytes) -> Decoded | None:
    """ISO-2022-JP, ISO-2022-KR or HZ, when their escapes are there and decode."""
    for pattern, encodings in _SEVEN_BIT:
        if not pattern.search(data):
            continue
        for encoding in encodings:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if text != data.decode("ascii"):
                return Decoded(text, codecs.lookup(encoding).name)
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 LE or BE if NULs fill one byte of many code units and almost none
    of the other, as ASCII-range characters do; or, for text with less ASCII
    (Chinese, Korean, Vietnamese), the reading (the one with more NULs where
    ASCII's high byte would be first) that decodes strictly into assigned,
    non-control characters. Else None."""
    units = len(head) // 2
    if units < 2:
        return None
    even, odd = head[0 : 2 * units : 2].count(0), head[1 : 2 * units : 2].count(0)
    readings = ((odd, even, "utf-16-le"), (even, odd, "utf-16-be"))
    for nuls, others, encoding in readings:
        if nuls >= 0.1 * units and others <= 0.01 * units:
            return encoding
    # ASCII read in pairs is CJK too ("Bush hid the facts"): an ASCII file
    # with a stray NUL is not UTF-16.
    if not even + odd or _ascii_pairs(head[: 2 * units]) > _MAX_ASCII_PAIRS * units:
        return None
    for _, _, encoding in sorted(readings, reverse=True):
        if _reads_as_text(head[: 2 * units], encoding):
            return encoding
    return None


def _ascii_pairs(data: bytes) -> int:
    """How many 2-byte units are two printable ASCII bytes."""
    printable = bytes(range(0x20, 0x7F)) + b"\t\n\r"
    high, low = data[0::2], data[1::2]
    return sum(1 for a, b in zip(high, low, strict=False) if a in printable and b in printable)


def _reads_as_text(data: bytes, encoding: str) -> bool:
    """Whether the bytes decode strictly (a pair cut at the end allowed) into text
    with hardly any unassigned, private-use or control characters."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if error.start < len(data) - 4:
            return False
        text = data[: error.start].decode(encoding)
    bad = sum(1 for char in text if unicodedata.category(char) in _NOT_TEXT_CATEGORIES)
    bad -= sum(text.count(char) for char in "\t\n\r\f")
    return bad <= _MAX_BAD_SHARE * len(text)


def _utf32_without_bom(head: bytes) -> str | None:
    """UTF-32 LE or BE if whole code units decode strictly into few controls
    (a truncated last unit allowed); else None."""
    units = len(head) // 4
    if units < 2 or head[0 : 4 * units].count(0) < units:
        return None
    for encoding in ("utf-32-le", "utf-32-be"):
        try:
            text = head[: 4 * units].decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL_CHARS.findall(text)) <= _MAX_CONTROL_SHARE * len(text):
            return encoding
    return None


def _count_non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _as_cp1252(match: re.Match[str]) -> str:
    return bytes([ord(match.group()) - 0xDC00]).decode("cp1252", errors="docket-c1")


def _declared(data: bytes) -> str | None:
    """The codec an XML prolog or HTML meta tag at the start names, or None."""
    match = _DECLARATION.search(data[:_DECLARATION_SCAN])
    if not match:
        return None
    try:
        return codecs.lookup((match.group(1) or match.group(2)).decode("ascii")).name
    except LookupError:
        return None


def _decode_legacy(data: bytes) -> Decoded:
    """8-bit and East-Asian encodings: the detector, checked by a declaration."""
    sample = _detection_sample(data)
    declared = _declared(data)
    if declared in (None, "cp1252", "latin-1", "iso8859-15") and _looks_western(sample, False):
        # Short Western text is where detectors go wrong (cp775 for "Café –
        # €5"); the sample of a big file may miss an undefined byte further on.
        return Decoded(data.decode("cp1252", errors="docket-c1"), "cp1252")
    candidates = _scored(sample)
    best_chaos = candidates[0][1] if candidates else 1.0
    if declared and declared not in ("utf-8", *_EXCLUDED):
        fits = any(
            declared in _codec_names(encodings) and chaos <= best_chaos + _DECLARED_TOLERANCE
            for encodings, chaos, _ in candidates
        )
        if fits:
            try:
                return Decoded(data.decode(declared), declared)
            except UnicodeDecodeError:
                pass
    # cp1252's undefined bytes point to another code page (Czech ť is 0x9D),
    # but a guess of a DOS or Mac code page is worth less than cp1252 with a
    # stray byte.
    western = _looks_western(sample, undefined_allowed=True)
    tried: set[str] = set()
    for encodings, chaos, coherence in candidates:
        encoding = min(encodings, key=_rank)
        tried.add(encoding)
        if western and _UNLIKELY_ENCODING.match(encoding):
            continue
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _implausible(text):
            continue
        name = codecs.lookup(encoding).name
        rivals = [
            other
            for others, other_chaos, other_coherence in candidates
            if (other := min(others, key=_rank)) not in tried
            and other_chaos <= chaos + _CLOSE
            and other_coherence >= coherence - _CLOSE
            and _reads_differently(data, other, text)
        ]
        kazakh = _kazakh(data, [name, *rivals]) if rivals and name in _CYRILLIC_PAGES else None
        if kazakh and kazakh[0] != name:
            rivals = [name, *(rival for rival in rivals if rival != kazakh[0])]
            name, text = kazakh
        notes = []
        if declared and declared != name:
            notes.append(f"declared {declared}, but the bytes read as {name}")
        if rivals:
            notes.append(f"could also be {', '.join(rivals[:3])}")
        elif coherence < _MIN_COHERENCE:
            notes.append("no language recognised")
        return Decoded(text, name, guessed=bool(notes), note="; ".join(notes))
    return Decoded(
        data.decode("cp1252", errors="docket-c1"),
        "cp1252",
        guessed=not western,
        note="" if western else "no encoding fits the bytes well; read as Windows-1252",
    )


def _kazakh(data: bytes, encodings: list[str]) -> tuple[str, str] | None:
    """Of readings the detector finds equally good, a Kazakh code page's when it
    gives more Kazakh letters (қ ң ө ү ...) than the others; cp1251 reads
    them as ќ ѕ ґ. Russian reads alike in all three and never gets here."""
    best: tuple[int, str, str] | None = None
    for encoding in encodings:
        codec = codecs.lookup(encoding).name
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = sum(text.count(char) for char in _KAZAKH_LETTERS)
        if letters >= 2 and (best is None or letters > best[0]):
            best = (letters, codec, text)
    if best is None or best[1] not in _KAZAKH_CODE_PAGES:
        return None
    return best[1], best[2]


def _hungarian(sample: bytes) -> bool:
    """Whether a Latin text has Hungarian ő and ű (cp1252 reads them as õ and
    û), and none of the letters that make õ Portuguese or û French."""
    text = sample.decode("cp1252", errors="docket-c1")
    hungarian = sum(text.count(char) for char in "õûÕÛ")
    return hungarian >= 2 and not any(char in text for char in _NOT_HUNGARIAN)


def _codec_names(encodings: tuple[str, ...]) -> set[str]:
    return {codecs.lookup(name).name for name in encodings}


def _reads_differently(data: bytes, encoding: str, text: str) -> bool:
    try:
        return data.decode(encoding) != text
    except (UnicodeDecodeError, LookupError):
        return False


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
    mojibake += len(_SYMBOL_IN_WORD.findall(text))
    in_runs = sum(len(run) for run in _FOREIGN_RUN.findall(text))
    if in_runs > _MAX_FOREIGN_RUNS * max(1, foreign) or _hungarian(sample):
        return False
    return mojibake <= max(1, _MAX_MOJIBAKE * len(non_ascii))


def _implausible(text: str) -> bool:
    head = text[:_HEAD]
    unlikely = len(_UNLIKELY_CHARS.findall(head)) + len(_MIXED_SCRIPTS.findall(head))
    return unlikely > _MAX_UNLIKELY * max(1, _count_non_ascii(head))


def _scored(sample: bytes) -> list[tuple[tuple[str, ...], float, float]]:
    """charset-normalizer's candidates, best first: (the encodings that read the
    sample alike, chaos, coherence); ties go to common encodings."""
    matches = from_bytes(sample, cp_exclusion=list(_EXCLUDED))
    if not matches:  # one chaotic chunk (a table, a list of symbols) can reject them all
        matches = from_bytes(sample, cp_exclusion=list(_EXCLUDED), threshold=_RETRY_CHAOS)
    scored = [
        (tuple(match.could_be_from_charset), match.chaos, match.coherence) for match in matches
    ]
    # A stable sort: what is still tied stays in the detector's order.
    scored.sort(key=lambda item: (round(item[1], 2), -round(item[2] + _prior(item[0], sample), 2)))
    return scored


def _prior(encodings: tuple[str, ...], sample: bytes) -> float:
    """Coherence added to a reading for the encodings case files are in."""
    if "cp1252" in encodings and not _hungarian(sample):
        return _CP1252_COHERENCE_BONUS
    if all(_UNLIKELY_ENCODING.match(name) for name in encodings):
        return -_UNLIKELY_PENALTY
    return 0.0


def _rank(encoding: str) -> int:
    if encoding in _PREFERRED:
        return _PREFERRED.index(encoding)
    return 90 if _UNLIKELY_ENCODING.match(encoding) else 50
