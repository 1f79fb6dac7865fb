"""Text-file import: encodings, pages and offsets, failures with their reasons.

Every text here is written for these tests; nothing outside the repository is read.
"""

from __future__ import annotations

import codecs
import os
import sys
from pathlib import Path

import pytest

from docket.core.errors import ExtractionError
from docket.core.ingest import textfiles
from docket.core.ingest.encoding import decode_bytes, decode_text
from docket.core.ingest.textfiles import (
    LINES_PER_PAGE,
    LONG_PAGE_LINES,
    MAX_PAGE_CHARS,
    TEXT_SUFFIXES,
    normalise_text,
    page_spans,
    read_text_document,
    sniff_text,
    text_title,
)
from docket.core.model.records import DocumentKind

FRENCH = (
    "Le témoin a déclaré à la cour qu’il n’avait « jamais vu » l’accusé avant le "
    "16 décembre. Il a précisé que la société lui devait 1 200 € de salaire impayé, "
    "et que ses collègues étaient déjà en grève depuis des mois. Le procureur a "
    "rétorqué que ces déclarations étaient contradictoires.\n"
)
GERMAN = (
    "Der Zeuge erklärte vor Gericht, dass er den Angeklagten „nie zuvor“ gesehen habe. "
    "Die Gesellschaft schulde ihm 1.200 € Lohn; außerdem seien seine Kollegen schon "
    "seit Monaten im Streik gewesen. Der Staatsanwalt entgegnete, diese Äußerungen "
    "seien widersprüchlich – die Übersetzung von Frau Müller sei fehlerhaft.\n"
)
RUSSIAN = (
    "Суд над рабочими в Жанаозене начался в марте. Обвиняемые заявили, что их пытали "
    "в полиции, а адвокаты потребовали вызвать свидетелей защиты.\n"
)
KAZAKH = "Жаңаөзен қаласындағы сот процесі басталды. Мұнайшылар ереуілі бірнеше айға созылды.\n"
POLISH = "Świadek zeznał, że w Łodzi nie był od dwóch lat, a oskarżony kłamie. Zażółć gęślą jaźń.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def whole_text(path: Path) -> str:
    """What the pages must rebuild: the decoded file in canonical form."""
    return normalise_text(decode_text(path.read_bytes())[0])


def assert_rebuilds(text: str) -> list[tuple[int, int]]:
    """Spans cover the text in order, with only a form feed or nothing between."""
    spans = page_spans(text)
    position = 0
    for start, end in spans:
        assert text[position:start] in ("", "\f")
        assert start <= end
        position = end
    assert position == len(text)
    return spans


# -- encodings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("utf-16"), "utf-16"),  # the platform's BOM and byte order
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + FRENCH.encode("utf-32-le"), "utf-32"),
        (codecs.BOM_UTF32_BE + FRENCH.encode("utf-32-be"), "utf-32"),
        (FRENCH.encode("utf-16-le"), "utf-16-le"),  # no BOM, but NULs in every other byte
        (FRENCH.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_with_and_without_bom(tmp_path: Path, data: bytes, encoding: str):
    document = read_text_document(write(tmp_path, "statement.txt", data))
    assert document.kind is DocumentKind.TEXT
    assert document.encoding == encoding
    assert document.pages[0].text == FRENCH  # no BOM left at the start
    assert data.decode(encoding) == FRENCH  # the name is a codec that reads the file


@pytest.mark.parametrize("text", [RUSSIAN, KAZAKH, "Жаңаөзен"])
def test_cyrillic_in_utf8_and_utf16(text: str):
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "utf-16")
    assert decode_text(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == (text, "utf-16")


@pytest.mark.parametrize(
    "text",
    [
        "Café – €5 ‘quoted’",  # short, few accents: the classic trap for detectors
        "Müller",
        "Der Zeuge erklärte „nie zuvor“ gesehen",
        FRENCH,
        GERMAN,
        FRENCH + GERMAN,
        "José Martínez, Zoë Brontë, François Lefèvre, Ærøskøbing; ¿Dónde estaba usted?\n",
        "Name;Street;City;Amount\nMüller;Hauptstraße 5;München;1.234,50 €\n",
        "Total: 1.234 € – “final” — see §12 ¶3 © 2012 ® ™ … • ‰ † ‡ 8½ × 11\n",
    ],
)
def test_windows_1252(text: str):
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")


def test_latin1_file_is_read_as_windows_1252():
    text = "Señor García dijo que él no había visto al acusado. Ça va très bien.\n"
    assert decode_text(text.encode("latin-1")) == (text, "cp1252")


def test_bytes_undefined_in_windows_1252_keep_the_euro_sign():
    # 0x81 means nothing in cp1252 (cp1256 reads it as an Arabic letter and the
    # rest alike); Latin-1 would turn € (0x80) and ’ (0x92) into controls.
    text, encoding = decode_text(FRENCH.encode("cp1252") + b"\x81\n")
    assert encoding in ("cp1252", "cp1256")
    assert text.startswith(FRENCH)
    assert "1 200 €" in text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(RUSSIAN * 3, "cp1251"), (RUSSIAN * 3, "koi8-r"), (POLISH * 3, "cp1250")],
)
def test_other_8bit_encodings_are_detected(text: str, encoding: str):
    assert decode_text(text.encode(encoding)) == (text, encoding)


def test_czech_with_a_byte_undefined_in_windows_1252():
    text = "Svědek uvedl, že obžalovaného nikdy předtím neviděl. Žluťoučký kůň úpěl ódy.\n"
    assert decode_text((text * 3).encode("cp1250")) == (text * 3, "cp1250")


@pytest.mark.parametrize(("text", "encoding"), [(FRENCH, "cp1252"), (RUSSIAN, "cp1251")])
def test_big_file_whose_accents_come_late(text: str, encoding: str):
    # The detector sees only lines with non-ASCII bytes of a file over 1 MB.
    ascii_part = "Exhibit 12, page 3: no accents here at all.\n" * 40_000
    data = (ascii_part + text * 50).encode(encoding)
    assert len(data) > 1 << 20
    assert decode_text(data) == (ascii_part + text * 50, encoding)


def test_utf8_with_a_stray_windows_1252_byte_stays_utf8():
    data = (FRENCH * 3).encode("utf-8") + "Facture : 5 € payés\n".encode("cp1252")
    text, encoding = decode_text(data)
    assert encoding == "utf-8+cp1252"
    assert text == FRENCH * 3 + "Facture : 5 € payés\n"


def test_encoding_and_file_date_are_recorded_on_the_document(tmp_path: Path):
    path = write(tmp_path, "lettre.txt", FRENCH.encode("cp1252"))
    os.utime(path, (1_334_000_000, 1_334_000_000))
    document = read_text_document(path)
    assert (document.encoding, document.pages[0].text) == ("cp1252", FRENCH)
    assert document.modified is not None
    assert document.modified.timestamp() == 1_334_000_000
    assert document.modified.utcoffset() is not None  # aware, in UTC


# -- newlines, pages and offsets ----------------------------------------------


def test_crlf_and_cr_become_lf(tmp_path: Path):
    path = write(tmp_path, "crlf.txt", b"One\r\nTwo\r\n\r\nThree\rFour\r\n")
    document = read_text_document(path)
    assert document.page_count == 1
    assert document.pages[0].text == "One\nTwo\n\nThree\nFour\n"


def test_utf16_crlf_file(tmp_path: Path):
    path = write(tmp_path, "notes.txt", "Жаңаөзен\r\nсот\r\n".encode("utf-16"))
    assert read_text_document(path).pages[0].text == "Жаңаөзен\nсот\n"


def test_form_feeds_split_pages(tmp_path: Path):
    raw = "Page one\r\n\fPage two\r\nmore\r\n\f\fPage four\r\n"
    document = read_text_document(write(tmp_path, "printed.txt", raw.encode()))
    texts = [page.text for page in document.pages]
    assert texts == ["Page one\n", "Page two\nmore\n", "", "Page four\n"]  # blank page kept
    assert [page.label for page in document.pages] == ["1", "2", "3", "4"]
    assert "\f".join(texts) == whole_text(tmp_path / "printed.txt")
    assert all("\f" not in text and "\r" not in text for text in texts)
    assert (tmp_path / "printed.txt").read_bytes() == raw.encode()  # the file is untouched


def test_blank_pages_at_the_start_and_end_are_dropped():
    assert normalise_text("\n\fFirst\fLast\n\f\n") == "First\fLast\n"
    text = normalise_text("\fFirst\fLast\f")
    assert [text[start:end] for start, end in page_spans(text)] == ["First", "Last"]


def test_a_file_of_exactly_the_limit_is_one_page(tmp_path: Path):
    text = "".join(f"line {n}\n" for n in range(LONG_PAGE_LINES))
    document = read_text_document(write(tmp_path, "limit.log", text.encode()))
    assert document.page_count == 1
    assert document.pages[0].text == text


def test_long_file_is_split_into_pages_of_fixed_lines(tmp_path: Path):
    lines = [f"{n:05d} the witness said “{n}”\n" for n in range(LONG_PAGE_LINES + 1)]
    text = "".join(lines)
    document = read_text_document(write(tmp_path, "long.txt", text.encode()))
    assert document.page_count == -(-len(lines) // LINES_PER_PAGE)
    assert [page.label for page in document.pages] == [
        str(n) for n in range(1, document.page_count + 1)
    ]
    for number, page in enumerate(document.pages):
        assert page.text == "".join(lines[number * LINES_PER_PAGE : (number + 1) * LINES_PER_PAGE])
    assert "".join(page.text for page in document.pages) == text


def test_one_huge_line_is_cut_after_a_space(tmp_path: Path):
    text = "word " * 100_000  # 500,000 characters, no line break (a minified export)
    document = read_text_document(write(tmp_path, "export.json", text.encode()))
    assert document.page_count > 1
    assert all(0 < len(page.text) <= MAX_PAGE_CHARS for page in document.pages)
    assert all(page.text.endswith(" ") for page in document.pages)  # no word is split
    assert "".join(page.text for page in document.pages) == text


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "one line",
        "a\nb\n",
        "\fa\f\fb\f",
        "x" * (MAX_PAGE_CHARS * 3) + "\n" + "short\n" * 10,
        "intro\n\f" + "line\n" * (LONG_PAGE_LINES + 250) + "\fend\n",  # one long printed page
        "é\r\n" * (LONG_PAGE_LINES * 2) + "\f" + ("long line " * 5_000 + "\n") * 3,
    ],
)
def test_page_texts_rebuild_the_text_exactly(raw: str):
    text = normalise_text(raw)
    spans = assert_rebuilds(text)
    # An offset into the whole text maps to the same character in its page.
    for start, end in spans:
        for offset in {start, (start + end) // 2, max(start, end - 1)} - {end}:
            page_text = text[start:end]
            assert page_text[offset - start] == text[offset]


def test_offsets_of_a_quote_are_exact_in_its_page(tmp_path: Path):
    raw = "Cover\r\n\fThe police fired into the crowd.\r\n\fJudgment\r\n"
    document = read_text_document(write(tmp_path, "report.txt", raw.encode("cp1252")))
    page = document.pages[1]
    start = page.text.index("fired")
    assert page.text[start : start + len("fired into")] == "fired into"
    text = whole_text(tmp_path / "report.txt")
    spans = page_spans(text)
    assert text[spans[1][0] + start :].startswith("fired into the crowd.")


# -- titles -------------------------------------------------------------------


def test_title_is_the_first_line_without_markdown_hashes(tmp_path: Path):
    path = write(tmp_path, "report.md", b"\n\n#  Workers put on trial  ##\n\nBody\n")
    assert read_text_document(path).title == "Workers put on trial"


def test_title_markdown_emphasis():
    assert text_title("**CONFIDENTIAL**\n", Path("memo.md")) == "CONFIDENTIAL"
    assert text_title("__init__ notes\n", Path("memo.md")) == "__init__ notes"


def test_title_from_markdown_front_matter():
    text = '---\ntitle: "Trial report"\nauthor: X\n---\n# Heading\n'
    assert text_title(text, Path("report.md")) == "Trial report"
    assert text_title("---\ndate: 2012\n---\n\n# Heading\n", Path("r.md")) == "Heading"
    assert text_title("---\nOpening\n\n---\nEnd\n", Path("rules.md")) == "Opening"


def test_long_title_is_shortened_to_120_characters():
    title = text_title("word " * 100 + "\n", Path("memo.txt"))
    assert len(title) <= 120
    assert title.endswith("…")
    assert title.startswith("word word")


def test_title_falls_back_to_the_stem():
    assert text_title("----\n====\n", Path("Exhibit 12.txt")) == "Exhibit 12"
    assert text_title("Date,Payee,Amount\n", Path("payments.csv")) == "payments"


# -- failures -----------------------------------------------------------------


def reason(path: Path) -> str:
    with pytest.raises(ExtractionError) as raised:
        read_text_document(path)
    return str(raised.value)


def test_zero_byte_file(tmp_path: Path):
    assert reason(write(tmp_path, "empty.txt", b"")) == "empty file (0 bytes)"


def test_nul_bytes_far_into_a_text_file(tmp_path: Path):
    path = write(tmp_path, "app.log", b"line of a log\n" * 100_000 + b"\x00" * 4096)
    assert reason(path) == "not a text file (binary data)"


@pytest.mark.parametrize("content", [b"   \n\t\r\n", b"\f\f\n", codecs.BOM_UTF8 + b"\n "])
def test_whitespace_only_file(tmp_path: Path, content: bytes):
    assert reason(write(tmp_path, "blank.txt", content)) == "empty file (no text)"


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"word/document.xml" + bytes(range(256)),
        bytes(range(1, 32)) * 40 + b"some text",  # control characters, no NUL
        b"hello\x00world\x00\x00\x00 binary \x00\x00",
    ],
)
def test_binary_file_named_txt(tmp_path: Path, content: bytes):
    assert reason(write(tmp_path, "photo.txt", content)) == "not a text file (binary data)"


def test_pdf_named_txt(tmp_path: Path):
    path = write(tmp_path, "scan.txt", b"%PDF-1.4\n1 0 obj << >> endobj\n")
    assert reason(path) == "not a text file (a PDF document)"


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (codecs.BOM_UTF16_LE + b"A\x00\x00\xdc", "A\ufffd"),  # a lone low surrogate
        (codecs.BOM_UTF16_LE + "Жаңаөзен".encode("utf-16-le") + b"\x00", "Жаңаөзен\ufffd"),
    ],
)
def test_damaged_after_a_byte_order_mark_is_read_with_replacements(content: bytes, text: str):
    decoded = decode_bytes(content)
    assert (decoded.text, decoded.encoding, decoded.replaced) == (text, "utf-16", True)
    assert "replaced" in decoded.note


def test_a_utf8_byte_order_mark_that_lies_is_checked_against_the_bytes():
    decoded = decode_bytes(codecs.BOM_UTF8 + RUSSIAN.encode("cp1251"))
    assert (decoded.text, decoded.encoding, decoded.guessed) == (RUSSIAN, "cp1251", True)
    assert "byte-order mark" in decoded.note


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(textfiles, "MAX_TEXT_BYTES", 3 * 1024 * 1024)
    path = write(tmp_path, "dump.log", b"x" * (3 * 1024 * 1024 + 600 * 1024))
    assert reason(path) == "too large for a text document (3.6 MB; the limit is 3 MB)"


def test_missing_file(tmp_path: Path):
    assert reason(tmp_path / "gone.txt") == "cannot read the file: file not found"


def test_folder(tmp_path: Path):
    (tmp_path / "folder.txt").mkdir()
    assert reason(tmp_path / "folder.txt") == "cannot read the file: it is a folder"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_is_not_opened(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block until a writer comes
    assert reason(tmp_path / "pipe.txt") == "cannot read the file: not a regular file"
    assert not sniff_text(tmp_path / "pipe.txt")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path, "secret.txt", b"privileged")
    if sys.platform != "win32" and os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: make the open fail as it would for a user

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(Path, "open", refuse)
    try:
        assert reason(path) == "cannot read the file: permission denied"
    finally:
        path.chmod(0o600)


# -- sniffing files of unknown suffix -----------------------------------------


def test_sniff_text(tmp_path: Path):
    assert sniff_text(write(tmp_path, "README", b"Notes on the trial\n"))
    assert sniff_text(write(tmp_path, "NOTES", FRENCH.encode("cp1252")))
    assert sniff_text(write(tmp_path, "transcript", KAZAKH.encode("utf-16-le")))
    assert sniff_text(write(tmp_path, "cut.dat", "é".encode() * 40_000), sample_size=1001)
    assert not sniff_text(write(tmp_path, "empty", b""))
    assert not sniff_text(write(tmp_path, "blank", b"\n\n  \n"))
    assert not sniff_text(write(tmp_path, "image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert not sniff_text(write(tmp_path, "scan", b"%PDF-1.7\n"))
    assert not sniff_text(tmp_path)
    assert not sniff_text(tmp_path / "missing")


def test_suffixes():
    assert {".txt", ".md", ".text", ".log", ".csv"} <= TEXT_SUFFIXES
    assert not {".pdf", ".rtf", ".html", ".docx"} & TEXT_SUFFIXES
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in TEXT_SUFFIXES)
