"""Decoding text files in the encodings case files come in: each decoded exactly.

Every file is written by the test, a few hundred characters of realistic prose
per language, as a case file would hold it.
"""

from __future__ import annotations

import codecs

import pytest

from docket.core.errors import ExtractionError
from docket.core.ingest.encoding import binary_reason, decode_as, decode_bytes

RUSSIAN = (
    "Протокол судебного заседания. Суд в составе председательствующего судьи "
    "Ахметова Е. К., при секретаре Ивановой М. П., рассмотрел в открытом судебном "
    "заседании гражданское дело по иску работников нефтяной компании о взыскании "
    "заработной платы. Свидетель Петров показал, что рабочие собрались на площади "
    "шестнадцатого декабря и требовали выплатить долги. Суд объявил перерыв.\n"
)
KAZAKH = (
    "Сот отырысының хаттамасы. Куә Жаңаөзен қаласындағы мұнайшылардың желтоқсанның "
    "он алтысында алаңға жиналғанын және жалақыны төлеуді талап еткенін айтты. Қорғаушы "
    "құжаттарды ұсынуға қарсылық білдірді, сот тараптардың дәлелдерін тыңдағаннан кейін "
    "отырысты келесі аптаға ауыстыруға шешім қабылдады. Үкім әлі шыққан жоқ.\n"
)
GREEK = (
    "Πρακτικά της συνεδρίασης του δικαστηρίου. Ο μάρτυρας δήλωσε ότι οι εργαζόμενοι "
    "συγκεντρώθηκαν στην πλατεία το πρωί της Πέμπτης και ζήτησαν την καταβολή των "
    "μισθών τους. Ο συνήγορος της υπεράσπισης υπέβαλε ένσταση για τα έγγραφα της "
    "δικογραφίας και το δικαστήριο διέκοψε τη συνεδρίαση για την επόμενη εβδομάδα.\n"
)
HEBREW = (
    "פרוטוקול הדיון בבית המשפט המחוזי. העד מסר כי העובדים התאספו בכיכר בבוקר יום "
    "חמישי ודרשו את תשלום שכרם. בא כוח הנאשם התנגד להגשת המסמכים, ובית המשפט "
    "החליט לדחות את הדיון לשבוע הבא לאחר שמיעת טענות הצדדים בעניין הראיות.\n"
)
ARABIC = (
    "محضر جلسة المحكمة. أفاد الشاهد بأن العمال تجمعوا في الساحة صباح يوم الخميس "
    "وطالبوا بدفع أجورهم المتأخرة. واعترض محامي الدفاع على تقديم المستندات، وقررت "
    "المحكمة تأجيل الجلسة إلى الأسبوع المقبل بعد الاستماع إلى مرافعات الطرفين.\n"
)
JAPANESE = (
    "裁判所の記録によれば、証人は木曜日の朝に労働者が広場に集まり、未払いの賃金の支払いを"
    "求めたと述べました。弁護人は書類の提出に異議を申し立て、裁判所は双方の主張を聞いた後、"
    "審理を来週に延期することを決定しました。自動採点の結果も証拠として提出されました。\n"
)
KOREAN = (
    "법원 기록에 따르면 증인은 목요일 아침에 노동자들이 광장에 모여 밀린 임금의 지급을 "
    "요구했다고 진술했습니다. 변호인은 서류 제출에 이의를 제기했고, 법원은 양측의 주장을 "
    "들은 후 심리를 다음 주로 연기하기로 결정했습니다.\n"
)
CHINESE_SIMPLIFIED = (
    "根据法院记录，证人表示工人们在星期四早上聚集在广场上，要求支付拖欠的工资。辩护律师对"
    "提交的文档提出异议，法院在听取双方意见后决定将审理推迟到下周。这个问题需要进一步调查。\n"
)
CHINESE_TRADITIONAL = (
    "根據法院記錄，證人表示工人們在星期四早上聚集在廣場上，要求支付拖欠的工資。辯護律師對"
    "提交的文件提出異議，法院在聽取雙方意見後決定將審理推遲到下週。這個問題需要進一步調查。\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RUSSIAN * 2, "cp1251"),
        (RUSSIAN * 2, "koi8-r"),
        (RUSSIAN * 2, "mac-cyrillic"),
        (RUSSIAN * 2, "cp866"),
        (KAZAKH * 2, "kz1048"),
        (KAZAKH * 2, "ptcp154"),
        (GREEK * 2, "iso8859-7"),
        (HEBREW * 2, "cp1255"),
        (HEBREW * 2, "iso8859-8"),
        (ARABIC * 2, "cp1256"),
        (JAPANESE * 2, "shift_jis"),
        (KOREAN * 2, "euc_kr"),
        (CHINESE_SIMPLIFIED * 2, "gb18030"),
        (CHINESE_TRADITIONAL * 2, "big5"),
    ],
)
def test_legacy_encodings_decode_exactly(text: str, encoding: str):
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    # the same text, whatever name the detector gives an equivalent code page
    assert text.encode(decoded.encoding.split("+")[0]) == text.encode(encoding)


@pytest.mark.parametrize(
    ("text", "codec", "named"),
    [
        (RUSSIAN, "utf-32-le", "utf-32-le"),
        (JAPANESE, "utf-32-be", "utf-32-be"),
        ("Statement of the witness, 12 March.\n" * 5 + RUSSIAN, "utf-16-le", "utf-16-le"),
        ("Statement of the witness, 12 March.\n" * 5 + GREEK, "utf-16-be", "utf-16-be"),
    ],
)
def test_utf_32_and_16_without_a_byte_order_mark(text: str, codec: str, named: str):
    data = text.encode(codec)
    assert binary_reason(data[:4096]) is None
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.guessed) == (text, named, False)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (CHINESE_SIMPLIFIED * 2, "utf-16-le"),
        (KOREAN * 2, "utf-16-be"),
        (JAPANESE * 2, "utf-16-le"),
    ],
)
def test_utf16_without_a_byte_order_mark_and_little_ascii(text: str, codec: str):
    decoded = decode_bytes(text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, codec)


FRENCH = (
    "Le témoin a déclaré que les ouvriers s'étaient réunis sur la place à dix heures ; "
    "le garçon du café a reconnu l'accusé. Où était-il après la réunion ? Il a répondu "
    "qu'il était chez lui, près de la gare, et qu'il n'avait rien vu de la manifestation.\n"
)


@pytest.mark.parametrize("codec", ["cp850", "cp437", "mac-roman"])
def test_dos_and_mac_western_text_is_decoded_or_flagged(codec: str):
    decoded = decode_bytes((FRENCH * 2).encode(codec))
    assert decoded.text == FRENCH * 2 or decoded.guessed


@pytest.mark.parametrize(
    ("text", "codec"),
    [(JAPANESE * 2, "iso2022_jp"), (KOREAN * 2, "iso2022_kr"), (CHINESE_SIMPLIFIED * 2, "hz")],
)
def test_seven_bit_cjk_is_decoded_not_stored_as_escapes(text: str, codec: str):
    data = text.encode(codec)
    assert binary_reason(data) is None  # ISO-2022-KR's SO and SI are not binary
    decoded = decode_bytes(data)
    assert decoded.text == text
    assert "\x1b" not in decoded.text and "~{" not in decoded.text


def test_mostly_ascii_cp1251_is_not_latin_gibberish():
    text = (
        "Minutes of the hearing of 16 December. Present: the judge, counsel for the "
        "workers, and the witnesses Петров and Сидорова from Жанаозен. The witness said "
        "the crowd gathered near the Форум building at ten in the morning; the police "
        "report was read into the record and the hearing was adjourned to Monday.\n"
    ) * 2
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.text == text
    assert "Ôîðóì" not in decoded.text


def test_an_uncertain_guess_is_flagged_with_what_was_guessed():
    decoded = decode_bytes("Witness: Петров.\n".encode("koi8-r"))
    assert decoded.guessed
    assert decoded.note


def test_a_sure_guess_is_not_flagged():
    decoded = decode_bytes((RUSSIAN * 3).encode("cp1251"))
    assert (decoded.encoding, decoded.guessed) == ("cp1251", False)


def test_a_declared_encoding_that_fits_is_taken():
    body = '<?xml version="1.0" encoding="koi8-r"?>\n<doc>' + RUSSIAN + "</doc>\n"
    decoded = decode_bytes(body.encode("koi8-r"))
    assert (decoded.text, decoded.encoding) == (body, "koi8-r")


def test_a_declared_encoding_that_lies_is_overruled_and_flagged():
    body = '<meta charset="iso-8859-1">\n' + RUSSIAN * 2
    decoded = decode_bytes(body.encode("cp1251"))
    assert decoded.text == body
    assert decoded.guessed and "declared" in decoded.note


def test_a_utf8_byte_order_mark_before_8_bit_text_is_checked():
    decoded = decode_bytes(codecs.BOM_UTF8 + (RUSSIAN * 2).encode("cp1251"))
    assert (decoded.text, decoded.encoding, decoded.guessed) == (RUSSIAN * 2, "cp1251", True)


def test_undecodable_utf16_is_imported_with_replacements_and_flagged():
    decoded = decode_bytes(codecs.BOM_UTF16_LE + "Свидетель".encode("utf-16-le") + b"\x00\xdc")
    assert decoded.replaced and decoded.text == "Свидетель\ufffd"


def test_mixed_utf8_and_cp1252_is_flagged():
    data = ("Zhanaözen — résumé — " * 10).encode("utf-8") + "caf\xe9\n".encode("cp1252")
    decoded = decode_bytes(data)
    assert decoded.text.endswith("café\n") and decoded.guessed


def test_a_cp1251_line_pasted_into_utf8_is_read_as_cp1251():
    utf8 = "Zhanaözen — résumé — naïve — " * 20
    pasted = "Свидетель Петров показал, что рабочие собрались на площади.\n"
    decoded = decode_bytes(utf8.encode("utf-8") + pasted.encode("cp1251"))
    assert decoded.text == utf8 + pasted
    assert (decoded.encoding, decoded.guessed) == ("utf-8+cp1251", True)
    assert "mixed encodings" in decoded.note


def test_binary_is_refused():
    with pytest.raises(ExtractionError, match="binary"):
        decode_bytes(bytes(range(256)) * 10)


def test_decode_as_is_strict_and_says_where():
    data = (RUSSIAN * 2).encode("koi8-r")
    assert decode_as(data, "koi8-r") == RUSSIAN * 2
    with pytest.raises(ExtractionError, match=r"not valid utf-8: bytes .* at offset 0"):
        decode_as(data, "utf-8")
    with pytest.raises(ExtractionError, match="unknown encoding"):
        decode_as(data, "klingon")


def test_ascii_with_a_stray_nul_is_not_read_as_utf16():
    # ASCII read in pairs is CJK: "Bush hid the facts" must not become Chinese.
    data = b"line of a log with a stray NUL\n" * 100 + b"\x00" + b"more\n" * 10
    with pytest.raises(ExtractionError, match="binary"):
        decode_bytes(data)
