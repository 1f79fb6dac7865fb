"""Prose for the benchmark corpus: words drawn by Zipf rank, sentences, paragraphs."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import docket  # noqa: F401 - guards None against PySide6's refcount bug (docket._nonefix)
from tests.benchmarks.corpus_words import (
    ABSTRACT_NOUNS,
    ADJECTIVES,
    ADVERBS,
    CONJUNCTIONS,
    CURRENCIES,
    DETERMINERS,
    DOUBLING,
    FIRST_NAMES,
    IRREGULAR,
    LEGAL_KINDS,
    MODALS,
    MONTHS,
    NOUNS,
    PLACES,
    PREPOSITIONS,
    SURNAMES,
    SYLLABLES,
    TITLES,
    VERBS,
)

TAIL_WORDS = 150_000
TAIL_SHARE = 0.12  # of nouns (and first adjectives) drawn from the made-up tail


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
