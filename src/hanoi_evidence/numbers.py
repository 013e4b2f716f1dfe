"""Find the numeric expressions in a text, and read a worded value as a number.

"Numeric expression" is meant broadly, because the articles word their
statistics in many ways: digits ("13%", "12–17", "300 million", "26/10/2025",
"80th"), ranges ("between 16 and 58 percent"), dates ("October 22"), and number
words ("nine in ten", "a third", "nearly half", "tripled", "first-ever").
Every expression found in an article body must be covered by a mention or listed
in ``data/exclusions.csv`` with a reason (see :mod:`hanoi_evidence.completeness`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Written in lower case: the pattern is matched against the text in lower case (see ``fold``).
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
SMALL = "one|two|three|four|five|six|seven|eight|nine|ten"
CARDINAL_WORDS = (
    SMALL + "|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?"
)
PERCENT = r"(?:\s?%|\s(?:percent|per\s+cent))"
NUM = r"\d+(?:[.,]\d+)*"
DASH = r"\s?(?:–|—|-|to)\s?"

# The forms of an expression, longest first, so that "12–17" is one expression, not two.
# A number may follow a word directly where a copy lost a space ("Báo Quốc Tế26/10/2025"),
# so a form that starts with a digit starts "not after an ASCII letter or digit" rather than
# at a word boundary; an acronym such as "C3P" stays whole.
DIGIT_FORMS = [
    r"\d{1,2}/\d{1,2}/\d{4}\b",  # 26/10/2025
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:{MONTHS})\b(?:\s\d{{4}})?",  # 22 October 2025
    rf"{NUM}{PERCENT}?{DASH}{NUM}{PERCENT}?(?!\w)",  # 12–17, 16%–58%
    rf"{NUM}(?:st|nd|rd|th)\b",  # 80th
    rf"{NUM}(?:{PERCENT}|\s(?:million|billion|thousand)\b|m\b)?",  # 13%, 300 million, 7m
]
# Forms that start with a word, at a word boundary.
WORD_FORMS = [
    rf"(?:{MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?\b(?:,\s\d{{4}})?",  # October 22, 2025
    rf"between\s{NUM}{PERCENT}?\sand\s{NUM}{PERCENT}?",  # between 16 and 58 percent
    rf"(?:{SMALL})\sin\s(?:{SMALL})\b",  # nine in ten
    r"(?:a|one)[\s-](?:half|third|quarter|fifth)\b",  # a third, one-third
    r"(?:half|third|quarter)\b",
    r"(?:tripl|doubl|quadrupl)(?:ed|ing|e)\b|twice\b|thrice\b",  # tripled
    r"first-ever\b|(?:first|second|third)(?:ly)?\b",  # first-ever, firstly
    rf"(?<!\bno\s)(?:{CARDINAL_WORDS})\b",  # three (not "no one")
]
# Every form starts where no ASCII letter or digit precedes, so that is tested once, first: in
# the middle of a word the engine then moves on at once instead of trying each form. A digit
# there can start only a digit form, a word only a word form; each group keeps its forms in order.
PATTERN = re.compile(rf"(?<![0-9a-z])(?:(?=\d)(?:{'|'.join(DIGIT_FORMS)})|\b(?:{'|'.join(WORD_FORMS)}))")


def fold(text: str) -> str:
    """``text`` in lower case for PATTERN: what matches it matches the text case-insensitively, at the same places.

    Each character that ``re.IGNORECASE`` matches with an ASCII letter becomes that letter in lower
    case, and every character stays one character, a letter, digit or space as before. ``str.lower``
    does so for all but three: İ (which it lowers to two characters), ſ (long s) and ı (dotless i).
    Matching a case-sensitive pattern is several times faster: Python's regex engine skips the
    forms that cannot match only when they are case-sensitive.
    """
    return text.replace("\u0130", "i").lower().replace("\u017f", "s").replace("\u0131", "i")


@dataclass(frozen=True)
class Expression:
    """A numeric expression: its text and where it stands in its line."""

    text: str
    start: int
    end: int


def find_expressions(text: str) -> list[Expression]:
    """Every numeric expression in ``text``, in order, without overlaps."""
    return [Expression(text[m.start() : m.end()], m.start(), m.end()) for m in PATTERN.finditer(fold(text))]


WORD_VALUES = {word: float(i) for i, word in enumerate(SMALL.split("|"), start=1)}
FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0}
MULTIPLES = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0, "twice": 2.0, "thrice": 3.0}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
# Compiled once: parse_value runs for every mention of a corpus.
IN_TEN = re.compile(rf"\b({SMALL})\sin\s({SMALL})\b")
FRACTION_WORDS = {word: re.compile(rf"\b{word}\b") for word in FRACTIONS}
DECIMALS = re.compile(r"\d+(?:\.\d+)?")


def parse_value(worded: str) -> tuple[float, float] | None:
    """The number(s) a worded value states, as (low, high); None if it states none.

    Shares come out in percent ("nine in ten" -> 90, "a third" -> 33.3), counts in
    units ("300 million" -> 3e8), multiples as a ratio ("tripled" -> 3).
    """
    text = worded.lower().replace(",", "")
    in_ten = IN_TEN.search(text)
    if in_ten:
        share = 100 * WORD_VALUES[in_ten.group(1)] / WORD_VALUES[in_ten.group(2)]
        return share, share
    for stem, ratio in MULTIPLES.items():
        if stem in text:
            return ratio, ratio
    for word, share in FRACTIONS.items():
        if FRACTION_WORDS[word].search(text):
            return share, share
    numbers = [float(n) for n in DECIMALS.findall(text)]
    if not numbers:
        return None
    scale = next((factor for word, factor in SCALES.items() if word in text), 1.0)
    return min(numbers) * scale, max(numbers) * scale
