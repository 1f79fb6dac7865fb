"""Generates a benchmark corpus: PDFs of English legal and news prose, plus text files.

    stats = build_corpus(Path("/tmp/corpus"), pages=20_000)
    python tests/benchmarks/corpus.py /tmp/corpus --pages 2000

Why generated rather than collected: a fresh clone must be able to benchmark
import and search at 20,000 pages without anything beside the repository.
Why this prose: index size, posting lists and query times depend on the term
distribution, so words are drawn by rank with Zipf-like weights from a
vocabulary with a long tail (~150,000 made-up words), in sentences built from
parts of speech; each document has a cast of recurring people and places
(with diacritics: Zhanaözen, Kovačević), dates, amounts and case numbers.
Pages carry 1,800-2,500 characters, a running header and a page number, and
some words are hyphenated at a line end (QtPdf reads those as U+FFFE).

Content depends only on the seed and the file's number, so any number of
processes gives the same corpus. A manifest (corpus.json) records the
parameters; calling again with the same ones reuses the folder.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docket  # noqa: F401 - guards None against PySide6's refcount bug (docket._nonefix)

MANIFEST = "corpus.json"
# Bump when the generated files change, so stale cached corpora are rebuilt.
GENERATOR_VERSION = 3  # 2: glyphs merged into text runs; 3: compressed again
TAIL_WORDS = 150_000
TAIL_SHARE = 0.12  # of nouns (and first adjectives) drawn from the made-up tail
CHARS_PER_PAGE = (1800, 2500)
HYPHENATE = 0.12  # chance that a long word at a line end is split: ~1 page in 3, as measured

# --- vocabulary, roughly by frequency within each class ------------------------------


def words(text: str) -> list[str]:
    """The words of a block of text: vocabularies read better as prose than as lists."""
    return text.split()


NOUNS = words(
    """
court police case officer defendant plaintiff evidence witness government state year day
time report statement trial judge law right order claim section party counsel attorney
question fact record decision motion charge crime investigation prosecutor force people man
woman family member group city region town street square building office department ministry
agency company worker strike protest crowd demonstration shot weapon rifle firearm bullet
casing cartridge video camera footage photograph document letter note file page paragraph
article rule provision statute regulation code constitution convention treaty principle
standard test burden proof doubt cause harm injury damage compensation payment amount sum fee
cost wage salary contract agreement employer employee union leader director manager official
minister president governor mayor council committee board commission inquiry hearing
proceeding appeal judgment verdict sentence conviction acquittal detention custody arrest
warrant search seizure interrogation confession torture abuse treatment condition cell
facility prison hospital doctor nurse examination wound bruise death victim relative son
daughter mother father wife husband child friend colleague neighbour resident citizen
journalist reporter newspaper source interview account version testimony deposition
transcript exhibit objection ruling opinion dissent majority view argument reason ground
basis purpose intent knowledge consent authority power duty obligation liability
responsibility negligence breach violation offence conduct action omission event incident
night morning evening week month period date deadline process procedure method practice
policy programme plan budget fund bank transfer loan debt property land house apartment
vehicle truck bus road avenue border area district village country nation history memory
language translation name word term meaning issue matter problem risk threat danger safety
peace unrest riot violence resistance response measure step change increase rate level
number figure percentage total share market price oil gas field well pipeline production
industry sector economy trade tax revenue profit loss client firm partner associate clerk
registry schedule conference session meeting minute hour shift dispatcher operator guard
soldier commander captain sergeant lieutenant unit patrol checkpoint barrier shield baton
truncheon bag seal envelope label register log journal entry copy original draft summary
analysis finding conclusion recommendation remedy relief injunction costs interest penalty
fine sanction discipline complaint petition application submission reply brief memorandum
affidavit declaration oath interpreter expert specialist engineer accountant auditor
inspector investigator detective guard-post radio message call signal warning announcement
speech interview broadcast headline editor article column archive library researcher study
survey sample data table chart map plan photograph image scan signature stamp
"""
)

VERBS = words(
    """
say find hold give take make know see tell show come go leave bring keep begin write run
stand hear lose pay meet send fall lead seek shoot hit put set beat drive break speak choose
throw fire file argue allege deny claim state testify report order grant dismiss reverse
affirm remand appeal detain arrest release charge accuse convict acquit sentence question
interrogate examine review consider conclude decide determine establish prove require permit
allow prohibit protect violate breach apply rely refer cite note observe explain describe
identify recognise suggest indicate confirm admit reject accept object sustain overrule move
request demand obtain collect preserve destroy seal record document photograph disperse
gather protest strike injure wound kill die torture abuse threaten warn attack defend resist
escape flee enter search seize investigate inform notify publish announce respond reply
answer ask discuss negotiate agree settle compensate award assess calculate increase reduce
continue stop start end remain appear happen occur follow precede receive provide produce
submit present serve attend represent call name list mark sign drag carry treat transport
"""
)

IRREGULAR = {  # base: (past, participle)
    "say": ("said", "said"),
    "find": ("found", "found"),
    "hold": ("held", "held"),
    "give": ("gave", "given"),
    "take": ("took", "taken"),
    "make": ("made", "made"),
    "know": ("knew", "known"),
    "see": ("saw", "seen"),
    "tell": ("told", "told"),
    "show": ("showed", "shown"),
    "come": ("came", "come"),
    "go": ("went", "gone"),
    "leave": ("left", "left"),
    "bring": ("brought", "brought"),
    "keep": ("kept", "kept"),
    "begin": ("began", "begun"),
    "write": ("wrote", "written"),
    "run": ("ran", "run"),
    "stand": ("stood", "stood"),
    "hear": ("heard", "heard"),
    "lose": ("lost", "lost"),
    "pay": ("paid", "paid"),
    "meet": ("met", "met"),
    "send": ("sent", "sent"),
    "fall": ("fell", "fallen"),
    "lead": ("led", "led"),
    "seek": ("sought", "sought"),
    "shoot": ("shot", "shot"),
    "hit": ("hit", "hit"),
    "put": ("put", "put"),
    "set": ("set", "set"),
    "beat": ("beat", "beaten"),
    "drive": ("drove", "driven"),
    "break": ("broke", "broken"),
    "speak": ("spoke", "spoken"),
    "choose": ("chose", "chosen"),
    "throw": ("threw", "thrown"),
    "strike": ("struck", "struck"),
    "flee": ("fled", "fled"),
    "die": ("died", "died"),
    "lie": ("lay", "lain"),
}
# Verbs that double their last consonant: admitted, running.
DOUBLING = set(words("admit submit permit refer occur stop drag run begin hit put set"))

ADJECTIVES = words(
    """
public private civil criminal federal regional local national international human lawful
unlawful reasonable excessive necessary proportionate serious severe minor major former
current new old young senior junior first second third final previous following relevant
material sufficient insufficient credible reliable independent internal external official
armed unarmed peaceful violent political economic social medical forensic physical mental
written oral formal informal direct indirect immediate temporary permanent special general
specific particular certain clear obvious apparent alleged disputed undisputed late early
full partial total whole entire large small long short high low heavy open closed central
northern southern eastern western available responsible liable guilty innocent possible
likely unlikely similar different important significant substantial adequate appropriate
proper improper fair unfair effective ineffective legal illegal constitutional procedural
substantive judicial administrative municipal strict detailed brief lengthy recent annual
daily wounded injured detained striking unidentified anonymous confidential privileged
"""
)

ADVERBS = words(
    """
also however later then still only never often repeatedly allegedly reportedly apparently
clearly properly immediately subsequently previously directly deliberately intentionally
unlawfully promptly briefly fully largely nearly approximately again already jointly
separately publicly privately formally expressly
"""
)

PREPOSITIONS = words(
    """
of of of of in in in to to for for on on by with at from under after before during against
about between within without through into near along toward upon across since until despite
following regarding concerning
"""
)

FIRST_NAMES = words(
    """
Aigerim Yerlan Dinara Timur Saule Ruslan Viktor Oleg Nurlan Aliya Marat Gulnara Askar Zarina
Sergei Olga Tomasz Agnieszka Jiří Zuzana Miloš Ana Søren Ingrid Björn Åsa José Lucía Joaquín
François Hélène Jürgen Müge Çağrı Ayşe Mehmet Łukasz Małgorzata Dragan Snežana Ionuț Ștefan
Maria John Sarah Michael Emma David Laura Peter Hannah Daniel Claire Omar Fatima Ngozi Kwame
"""
)

SURNAMES = words(
    """
Batkanbayev Karimova Seitkali Tlegenov Zhuravlev Omarova Abenov Pak Dzhaksybekova Nurpeisov
Kovačević Novák Dvořák Łukasik Wiśniewski Müller Schäfer Sørensen Ødegaard Nuñez Peña
Muñoz García Çelik Yılmaz Öztürk Lefèvre Dubois Håkansson Jónsdóttir Popescu Ionescu
Petrović Đorđević Horváth Szabó Kowalski Novotná O'Brien MacLeod Okafor Mensah Haddad
Rahman Chen Nakamura Smith Jones Taylor Brown Wilson Thompson Walker Robinson Clarke Hughes
"""
)

# São-Paulo is one word of the list and two on the page.
PLACES = [
    place.replace("-", " ")
    for place in words(
        """
Zhanaözen Aktau Almaty Astana Atyrau Shetpe Kraków Łódź Gdańsk Poznań Plzeň Brno Košice
Zürich Genève Köln München Malmö Jönköping Tromsø Reykjavík Besançon Orléans São-Paulo
Bogotá Medellín Cádiz Málaga Timișoara Iași Niš Ljubljana Kaunas Tartu Pécs İzmir Springfield
Riverside Fairview Georgetown Kingston Lagos Accra Nairobi Mombasa
"""
    )
]

MODALS = ("may", "must", "would", "should", "could", "shall")
CONJUNCTIONS = ("and", "but", "because", "although", "while", "when", "after", "so that", "which")
LEGAL_KINDS = (
    "Order on Motion to Dismiss",
    "Memorandum Opinion",
    "Deposition of {name}",
    "Complaint",
    "Expert Report",
    "Witness Statement",
    "Judgment",
)
DETERMINERS = ("a",) * 8 + ("this", "its", "their") * 2 + ("that", "any", "no", "every", "each")
TITLES = ("Mr.", "Ms.", "Dr.", "Judge", "Officer", "Captain", "Sergeant", "Professor")
CURRENCIES = ("$", "€", "£", "₸")
MONTHS = words(
    "January February March April May June July August September October November December"
)
ABSTRACT_NOUNS = (
    "chain of custody",
    "excessive force",
    "probable cause",
    "burden of proof",
    "summary judgment",
    "due process",
    "reasonable doubt",
    "state of emergency",
    "use of force",
    "right to counsel",
    "freedom of assembly",
    "rule of law",
)

VOWELS = set("aeiouyAEIOUYöüéáíóúåøæ")
SYLLABLES = words(
    "ka ta ra na ma sa la va be de ke le me ne re se te ve bi di ki li mi ni ri si ti "
    "vi bo do ko lo mo no ro so to vo bu du ku lu mu nu ru su tu zu an en in on un "
    "ar er ir or ur al el il ol ul ash esh ish ost ast ev ov ek ok ez oz iv str "
    "gra pre tro bla ple cli dro"
)


# --- drawing words by rank --------------------------------------------------------------


def zipf_cumulative(count: int, exponent: float = 1.0, offset: float = 2.7) -> list[float]:
    """Cumulative weights 1/(rank + offset)^s: the Zipf-Mandelbrot law of word frequencies."""
    return list(itertools.accumulate(1.0 / (rank + offset) ** exponent for rank in range(count)))


@dataclass(frozen=True)
class RankedWords:
    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, items: Sequence[str], exponent: float = 1.0) -> RankedWords:
        return cls(tuple(items), tuple(zipf_cumulative(len(items), exponent)))


class Sampler:
    """Draws from RankedWords with a document's own random generator, in batches:
    random.choices with cumulative weights is far cheaper per word in bulk."""

    def __init__(self, rng: random.Random, ranked: RankedWords) -> None:
        self.rng, self.ranked = rng, ranked
        self.batch: list[str] = []

    def __call__(self) -> str:
        if not self.batch:
            self.batch = self.rng.choices(
                self.ranked.words, cum_weights=self.ranked.cumulative, k=1024
            )
        return self.batch.pop()


def made_up_words(count: int) -> list[str]:
    """The long tail: pronounceable words that no dictionary has (names, jargon, typos
    stand for them), so the index grows new terms the way real collections do."""
    rng = random.Random("tail")
    seen: set[str] = set()
    tail: list[str] = []
    while len(tail) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        if len(word) > 3 and word not in seen:
            seen.add(word)
            tail.append(word)
    return tail


def verb_forms(base: str) -> dict[str, str]:
    past, participle = IRREGULAR.get(base, ("", ""))
    stem = base + base[-1] if base in DOUBLING else base
    if base.endswith("e"):
        regular, ing = base + "d", base + "ing" if base.endswith("ee") else base[:-1] + "ing"
    elif base.endswith("y") and base[-2] not in "aeiou":
        regular, ing = base[:-1] + "ied", base + "ing"
    else:
        regular, ing = stem + "ed", stem + "ing"
    if base == "die":
        ing = "dying"
    third = base + ("es" if base.endswith(("s", "sh", "ch", "x", "o")) else "s")
    if base.endswith("y") and base[-2] not in "aeiou":
        third = base[:-1] + "ies"
    return {
        "base": base,
        "past": past or regular,
        "participle": participle or regular,
        "ing": ing,
        "third": third,
    }


def plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun in ("custody", "evidence", "police", "people", "torture", "harm", "damage", "oil"):
        return noun
    return noun + "s"


@dataclass(frozen=True)
class Vocabulary:
    nouns: RankedWords
    tail: RankedWords
    verbs: RankedWords
    adjectives: RankedWords
    adverbs: RankedWords
    prepositions: RankedWords
    forms: dict[str, dict[str, str]]


_VOCABULARY: Vocabulary | None = None


def vocabulary() -> Vocabulary:
    """Built once per process (about 0.3 s, mostly the tail)."""
    global _VOCABULARY
    if _VOCABULARY is None:
        _VOCABULARY = Vocabulary(
            nouns=RankedWords.of(NOUNS, 0.9),
            tail=RankedWords.of(made_up_words(TAIL_WORDS), 1.0),
            verbs=RankedWords.of(VERBS, 0.9),
            adjectives=RankedWords.of(ADJECTIVES, 0.7),
            adverbs=RankedWords.of(ADVERBS),
            prepositions=RankedWords.of(PREPOSITIONS, 0.6),
            forms={verb: verb_forms(verb) for verb in VERBS},
        )
    return _VOCABULARY


# --- prose --------------------------------------------------------------------------------


class Prose:
    """Sentences for one document, from parts of speech, with the document's own cast."""

    def __init__(self, rng: random.Random, year: int) -> None:
        words = vocabulary()
        self.rng, self.words, self.year = rng, words, year
        self.noun, self.tail = Sampler(rng, words.nouns), Sampler(rng, words.tail)
        self.verb, self.adjective = Sampler(rng, words.verbs), Sampler(rng, words.adjectives)
        self.adverb, self.preposition = (
            Sampler(rng, words.adverbs),
            Sampler(rng, words.prepositions),
        )
        # Documents talk about a few people and places again and again.
        cast = rng.randint(3, 7)
        firsts, lasts = rng.sample(FIRST_NAMES, cast), rng.sample(SURNAMES, cast)
        self.people = list(zip(firsts, lasts, strict=True))
        self.places = rng.sample(PLACES, 3)
        self.case_number = f"{rng.randint(1, 9)}:{year % 100:02d}-cv-{rng.randint(100, 9999):05d}"

    def person(self) -> str:
        first, last = self.rng.choice(self.people)
        roll = self.rng.random()
        if roll < 0.3:
            return f"{first} {last}"
        if roll < 0.8:
            return f"{self.rng.choice(TITLES)} {last}"
        return last

    def date(self) -> str:
        day, month = self.rng.randint(1, 28), self.rng.randint(1, 12)
        year = self.year + self.rng.randint(-2, 1)
        style = self.rng.random()
        if style < 0.6:
            return f"{day} {MONTHS[month - 1]} {year}"
        if style < 0.9:
            return f"{MONTHS[month - 1]} {day}, {year}"
        return f"{day:02d}.{month:02d}.{year}"

    def amount(self) -> str:
        value = self.rng.choice((1, 1, 5, 10, 25, 50, 100, 250)) * self.rng.randint(1, 999) * 1000
        return f"{self.rng.choice(CURRENCIES)}{value:,}"

    def noun_phrase(self, subject: bool = False) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.10:
            return self.person()
        if roll < 0.14:
            return rng.choice(self.places)
        if roll < 0.18:
            return rng.choice(
                ("he", "she", "it", "they") if subject else ("him", "her", "it", "them")
            )
        if roll < 0.20:
            return "the " + rng.choice(ABSTRACT_NOUNS)
        noun = self.tail() if rng.random() < TAIL_SHARE else self.noun()
        if rng.random() < 0.2:
            noun = plural(noun)
        adjectives = [self.adjective() for _ in range(rng.choice((0, 0, 0, 0, 0, 1, 1, 2)))]
        if adjectives and rng.random() < TAIL_SHARE:
            adjectives[0] = self.tail() + rng.choice(("ic", "al", "ian", "ous"))
        if rng.random() < 0.03:
            owner = self.person() if rng.random() < 0.5 else "the " + self.noun()
            return f"{owner}’s {' '.join([*adjectives, noun])}"
        roll = rng.random()
        determiner = "the" if roll < 0.5 else "" if roll < 0.7 else rng.choice(DETERMINERS)
        if determiner == "a" and (adjectives or [noun])[0][0] in "aeiou":
            determiner = "an"
        return " ".join(filter(None, (determiner, *adjectives, noun)))

    def verb_phrase(self) -> str:
        rng = self.rng
        forms = self.words.forms[self.verb()]
        roll = rng.random()
        if roll < 0.45:
            verb = forms["past"]
        elif roll < 0.60:
            verb = forms["third"]
        elif roll < 0.72:
            verb = rng.choice(("has", "had")) + " " + forms["participle"]
        elif roll < 0.84:
            verb = rng.choice(MODALS) + " " + forms["base"]
        elif roll < 0.93:
            verb = rng.choice(("was", "were", "is")) + " " + forms["participle"]
        else:
            verb = rng.choice(("was", "were")) + " " + forms["ing"]
        if rng.random() < 0.12:
            verb = self.adverb() + " " + verb
        return verb + (" " + self.noun_phrase() if rng.random() < 0.6 else "")

    def modifier(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.07:
            return "on " + self.date()
        if roll < 0.10:
            return rng.choice(("for ", "of ", "totalling ")) + self.amount()
        if roll < 0.13:
            return rng.choice(
                (
                    f"under Article {rng.randint(1, 400)}",
                    f"in paragraph {rng.randint(1, 120)}",
                    f"under Rule {rng.randint(1, 60)}({rng.choice('abcde')})",
                    f"in Case No. {self.case_number}",
                    f"at {rng.randint(1, 12)}:{rng.randint(0, 59):02d}",
                )
            )
        return self.preposition() + " " + self.noun_phrase()

    def sentence(self) -> str:
        rng = self.rng
        parts = [self.noun_phrase(subject=True), self.verb_phrase()]
        parts += [self.modifier() for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))]
        text = " ".join(parts)
        if rng.random() < 0.25:
            clause = self.noun_phrase(subject=True) + " " + self.verb_phrase()
            text += f", {rng.choice(CONJUNCTIONS)} {clause}"
        roll = rng.random()
        if roll < 0.03:
            text = rng.choice(("However, ", "In addition, ", "Later, ")) + text
        elif roll < 0.05:
            text = f"On {self.date()}, {text}"
        elif roll < 0.07:
            text = f"According to {self.person()}, {text}"
        return text[0].upper() + text[1:] + ("?" if rng.random() < 0.02 else ".")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 9)))

    def heading(self, number: int) -> str:
        roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")[number % 10]
        return f"{roman}. {self.adjective().upper()} {plural(self.noun()).upper()}"

    def title(self, legal: bool) -> str:
        first, second = (last for _, last in self.rng.sample(self.people, 2))
        if legal:
            kind = self.rng.choice(LEGAL_KINDS).format(name=first)
            return f"{kind} — {first} v. {second}"
        place = self.rng.choice(self.places)
        return f"{place}: {self.adjective()} {self.noun()} {self.verb_phrase()}"

    def blocks(self) -> Iterator[tuple[str, str]]:
        """An endless stream of ("heading" | "paragraph", text)."""
        number = 0
        while True:
            if self.rng.random() < 0.08:
                yield "heading", self.heading(number)
                number += 1
            yield "paragraph", self.paragraph()


# --- PDF layout -------------------------------------------------------------------------

_APP: Any = None


def qt_app() -> Any:
    """A QGuiApplication for QPainter's fonts, made once per process, offscreen."""
    global _APP
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _APP = QGuiApplication.instance() or QGuiApplication([])
    return _APP


class Measure:
    """Word widths in points, cached: there are few distinct words per process."""

    def __init__(self, font: Any, device: Any) -> None:
        from PySide6.QtGui import QFontMetricsF

        self.metrics = QFontMetricsF(font, device)
        self.cache: dict[str, float] = {}
        self.space = self.metrics.horizontalAdvance(" ")

    def __call__(self, word: str) -> float:
        width = self.cache.get(word)
        if width is None:
            width = self.cache[word] = self.metrics.horizontalAdvance(word)
        return width


def wrap(text: str, width: float, measure: Measure, rng: random.Random) -> list[str]:
    """Greedy line breaking; a long word that does not fit is sometimes hyphenated."""
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    words = text.split(" ")
    index = 0
    while index < len(words):
        word = words[index]
        needed = measure(word) + (measure.space if line else 0.0)
        if used + needed <= width or not line:
            line.append(word)
            used += needed
            index += 1
            continue
        room = width - used - measure.space
        if len(word) >= 7 and word.isalpha() and rng.random() < HYPHENATE:
            for cut in range(len(word) - 3, 2, -1):
                # Before a consonant that starts a syllable (defen-dant), as people hyphenate.
                syllable = word[cut] not in VOWELS and word[cut + 1] in VOWELS
                if syllable and measure(word[:cut] + "-") <= room:
                    line.append(word[:cut] + "-")
                    words[index] = word[cut:]
                    break
        lines.append(" ".join(line))
        line, used = [], 0.0
    if line:
        lines.append(" ".join(line))
    return lines


@dataclass(frozen=True)
class PdfJob:
    path: str
    number: int
    pages: int
    seed: int


def write_pdf(job: PdfJob) -> tuple[str, int, int]:
    """Writes one generated PDF; returns (file name, pages, bytes)."""
    qt_app()
    from PySide6.QtCore import QMarginsF, QPointF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    rng = random.Random(f"{job.seed}:pdf:{job.number}")
    legal = rng.random() < 0.7
    prose = Prose(rng, year=rng.randint(2004, 2023))
    letter = rng.random() < 0.4  # US Letter or A4: page geometry varies in real collections
    page_width, page_height = (612.0, 792.0) if letter else (595.0, 842.0)
    margin, top, bottom = 72.0, 84.0, page_height - 72.0

    writer = QPdfWriter(job.path)
    writer.setPageSize(
        QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
    )
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setResolution(72)  # one device unit is one point
    title = prose.title(legal)
    writer.setTitle(title)
    writer.setAuthor(prose.person())
    writer.setCreator("Docket benchmark corpus")
    body = QFont(rng.choice(("DejaVu Serif", "DejaVu Sans")))
    body.setPointSizeF(rng.choice((10.0, 10.5, 11.0)))
    small = QFont(body)
    small.setPointSizeF(8.0)
    bold = QFont(body)
    bold.setBold(True)
    measure = Measure(body, writer)
    line_height = body.pointSizeF() * 1.45
    width = page_width - 2 * margin

    painter = QPainter(writer)
    lines: list[tuple[str, str]] = [("heading", title)]
    blocks = prose.blocks()
    filed = prose.date()
    for page in range(1, job.pages + 1):
        if page > 1:
            writer.newPage()
        painter.setFont(small)
        header = (
            f"Case {prose.case_number}   Document {job.number % 300 + 1}   Filed {filed}   "
            f"Page {page} of {job.pages}"
            if legal
            else f"THE {prose.places[0].upper()} LEDGER — {filed} — Page {page}"
        )
        painter.drawText(QPointF(margin, 48.0), header)
        budget = rng.randint(*CHARS_PER_PAGE)
        y, written = top, 0
        while written < budget and y <= bottom:
            while not lines:
                kind, text = next(blocks)
                if kind == "heading":
                    lines.append(("heading", text))
                else:
                    lines += [("line", line) for line in wrap(text, width, measure, rng)]
                    lines.append(("gap", ""))
            kind, text = lines.pop(0)
            if kind == "gap":
                y += line_height * 0.4
                continue
            if kind == "heading" or painter.font() != body:  # setFont only when it changes
                painter.setFont(bold if kind == "heading" else body)
            painter.drawText(QPointF(margin, y), text)
            written += len(text) + 1
            y += line_height
        painter.setFont(small)
        painter.drawText(QPointF(page_width / 2 - 4, page_height - 40.0), str(page))
    painter.end()
    # QPdfWriter writes each glyph as its own text object, which PDFium reads at
    # half the speed of real PDFs' text runs: merge them so the benchmark is fair.
    from tests.core.pdf_factory import merge_text_runs

    merge_text_runs(job.path)
    return Path(job.path).name, job.pages, os.path.getsize(job.path)


# --- text files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextJob:
    path: str
    number: int
    pages: int
    seed: int


def write_text(job: TextJob) -> tuple[str, int, int]:
    """Writes a UTF-8 text or Markdown file whose pages are separated by form feeds."""
    rng = random.Random(f"{job.seed}:text:{job.number}")
    prose = Prose(rng, year=rng.randint(2004, 2023))
    markdown = job.path.endswith(".md")
    title = prose.title(legal=rng.random() < 0.5)
    pages: list[str] = []
    for _ in range(job.pages):
        budget, parts, size = rng.randint(*CHARS_PER_PAGE), [], 0
        if not pages:
            parts.append(f"# {title}" if markdown else title.upper())
        while size < budget:
            paragraph = hard_wrap(prose.paragraph(), 76)
            if markdown and rng.random() < 0.15:
                paragraph = f"## {prose.heading(len(parts))}\n\n{paragraph}"
            parts.append(paragraph)
            size += len(paragraph)
        pages.append("\n\n".join(parts) + "\n")
    Path(job.path).write_text("\f".join(pages), encoding="utf-8")
    return Path(job.path).name, job.pages, os.path.getsize(job.path)


def hard_wrap(text: str, columns: int) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > columns:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


# --- the corpus ---------------------------------------------------------------------------


def plan(
    folder: Path, pages: int, pages_per_pdf: tuple[int, int], text_files: int, seed: int
) -> tuple[list[PdfJob], list[TextJob]]:
    """Which files to write. PDF lengths are log-uniform in the range, as in real
    collections (many short documents, a few long ones), and add up to `pages`."""
    rng = random.Random(f"{seed}:plan")
    low, high = pages_per_pdf
    pdfs: list[PdfJob] = []
    total = 0
    while total < pages:
        count = round(math.exp(rng.uniform(math.log(low), math.log(high))))
        count = min(count, pages - total)
        pdfs.append(
            PdfJob(str(folder / f"doc-{len(pdfs) + 1:05d}.pdf"), len(pdfs) + 1, count, seed)
        )
        total += count
    texts = [
        TextJob(
            str(folder / f"note-{n:03d}.{'md' if n % 4 == 0 else 'txt'}"),
            n,
            rng.randint(1, 6),
            seed,
        )
        for n in range(1, text_files + 1)
    ]
    return pdfs, texts


def run_job(job: PdfJob | TextJob) -> tuple[str, int, int]:
    return write_pdf(job) if isinstance(job, PdfJob) else write_text(job)


def build_corpus(
    folder: Path,
    pages: int = 20000,
    pages_per_pdf: tuple[int, int] = (5, 120),
    text_files: int = 50,
    seed: int = 1,
    processes: int = 2,
) -> dict[str, Any]:
    """Writes the corpus into `folder` (or reuses it) and returns
    {pdfs, text_files, pages, bytes, seconds, cached}. `pages` counts PDF pages;
    the text files' pages come on top and are included in the returned count."""
    folder = Path(folder)
    params = {
        "version": GENERATOR_VERSION,
        "pages": pages,
        "pages_per_pdf": list(pages_per_pdf),
        "text_files": text_files,
        "seed": seed,
    }
    cached = _cached_stats(folder, params)
    if cached is not None:
        return cached | {"cached": True}
    _clear(folder)
    started = time.perf_counter()
    pdf_jobs, text_jobs = plan(folder, pages, pages_per_pdf, text_files, seed)
    jobs: list[PdfJob | TextJob] = [*pdf_jobs, *text_jobs]
    # Written first so that an interrupted run is recognised and cleared next time.
    _write_manifest(
        folder,
        {
            "params": params,
            "complete": False,
            "files": [Path(job.path).name for job in jobs],
        },
    )
    # Longest first, so that neither process is left with a long PDF at the end.
    jobs.sort(key=lambda job: -job.pages)
    results = list(_run(jobs, processes))
    files = sorted(results)
    stats = {
        "pdfs": len(pdf_jobs),
        "text_files": len(text_jobs),
        "pages": sum(pages for _, pages, _ in files),
        "bytes": sum(size for _, _, size in files),
        "seconds": round(time.perf_counter() - started, 2),
    }
    _write_manifest(
        folder,
        {
            "params": params,
            "complete": True,
            "stats": stats,
            "files": [{"name": n, "pages": p, "bytes": b} for n, p, b in files],
        },
    )
    return stats | {"cached": False}


def _run(jobs: list[PdfJob | TextJob], processes: int) -> Iterator[tuple[str, int, int]]:
    if processes <= 1:
        yield from map(run_job, jobs)
        return
    # "spawn": each worker starts clean and makes its own QGuiApplication; forking a
    # process that already has Qt running (pytest-qt, the app) is not safe.
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        yield from pool.imap_unordered(run_job, jobs, chunksize=1)


def _cached_stats(folder: Path, params: dict[str, Any]) -> dict[str, Any] | None:
    manifest = _read_manifest(folder)
    if not manifest or manifest.get("params") != params or not manifest.get("complete"):
        return None
    for entry in manifest["files"]:
        path = folder / entry["name"]
        if not path.is_file() or path.stat().st_size != entry["bytes"]:
            return None
    stats: dict[str, Any] = manifest["stats"]
    return stats


def _clear(folder: Path) -> None:
    """Removes a previous corpus; refuses a folder that holds anything else."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(folder)
    ours = {MANIFEST, MANIFEST + ".tmp"}
    if manifest:
        ours |= {entry if isinstance(entry, str) else entry["name"] for entry in manifest["files"]}
    strangers = [p.name for p in folder.iterdir() if p.name not in ours]
    if strangers:
        raise FileExistsError(
            f"{folder} holds files that are not a generated corpus "
            f"(e.g. {strangers[0]}); give an empty or new folder"
        )
    for name in ours:
        (folder / name).unlink(missing_ok=True)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def _write_manifest(folder: Path, data: dict[str, Any]) -> None:
    temporary = folder / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    temporary.replace(folder / MANIFEST)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--min-pages", type=int, default=5, help="pages of the shortest PDF")
    parser.add_argument("--max-pages", type=int, default=120, help="pages of the longest PDF")
    parser.add_argument("--text-files", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    stats = build_corpus(
        args.folder,
        args.pages,
        (args.min_pages, args.max_pages),
        args.text_files,
        args.seed,
        args.processes,
    )
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
