"""Which numeric expressions in the article bodies are not yet curated.

An expression is curated when it lies inside the quote of a mention on the same
line, or when ``data/exclusions.csv`` lists it for that line with a reason. The
list of uncurated expressions is what a maintainer works through after adding an
article (``python -m hanoi_evidence validate`` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass

import re

from hanoi_evidence.numbers import CARDINAL_WORDS, MONTHS, PATTERN, SMALL, Expression, find_expressions

# Every numeric expression (numbers.PATTERN) holds a digit or one of these whole words,
# matched case-insensitively: a line with neither needs no regex (most lines of an article).
_NUMBER_WORDS = frozenset(
    [w.rstrip("?") for w in CARDINAL_WORDS.split("|")] + [w[:-2] for w in CARDINAL_WORDS.split("|") if w.endswith("s?")]
    + SMALL.split("|")
    + ["half", "third", "quarter", "fifth", "twice", "thrice", "first", "second", "firstly", "secondly", "thirdly"]
    + [stem + end for stem in ("tripl", "doubl", "quadrupl") for end in ("ed", "ing", "e")]
)
_DIGIT, _WORD = re.compile(r"\d"), re.compile(r"\w+")
# Characters that re.IGNORECASE matches with an ASCII letter but str.lower() does not turn into it
# (after this, lower() keeps the length of the text, so positions stay valid).
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s"}


def may_hold_numbers(text: str) -> bool:
    """False only when ``find_expressions(text)`` is certainly empty (a cheap test, no false negatives)."""
    if _DIGIT.search(text):
        return True
    return not _NUMBER_WORDS.isdisjoint(_WORD.findall(_fold(text)))


# Where an expression can start: a digit that follows no ASCII letter or digit, or a whole word
# that begins one of numbers.PATTERN's alternatives (a number word, a month, "between", "a").
_FIRST_WORDS = _NUMBER_WORDS | {m.lower() for m in MONTHS.split("|")} | {"between", "a"}
_DIGIT_START, _WORD_START = re.compile(r"(?<![0-9A-Za-z])\d"), re.compile(r"\b[^\W\d_]\w*")


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def expressions(text: str) -> list[Expression]:
    """``numbers.find_expressions(text)``, faster: the pattern is tried only where a match can start.

    Every match of numbers.PATTERN starts at a digit that follows no ASCII letter or digit, or
    at the start of a word in ``_FIRST_WORDS`` (compared case-insensitively). Trying the pattern
    at those places only (``match`` at a position still sees the text before it), left to right
    and past each match, finds what ``finditer`` finds; tests/test_schema_engine.py compares them.
    """
    starts = [m.start() for m in _DIGIT_START.finditer(text)]
    folded = _fold(text)  # same length as text
    starts += [m.start() for m in _WORD_START.finditer(folded) if m.group() in _FIRST_WORDS]
    found, end = [], 0
    for start in sorted(starts):
        if start < end:
            continue
        match = PATTERN.match(text, start)
        if match:
            found.append(Expression(match.group(0), match.start(), match.end()))
            end = match.end()
    return found


@dataclass(frozen=True)
class Uncurated:
    source_id: str
    line: int
    text: str
    context: str


def uncurated_expressions(ctx) -> list[Uncurated]:
    """Expressions in the article bodies that no mention quotes and no exclusion lists."""
    quotes: dict[tuple[str, int], list[str]] = {}
    for mention in ctx.tables["mentions"]:
        quotes.setdefault((mention["source_id"], int(mention["line"])), []).append(mention["quote"])
    excluded = {(row["source_id"], int(row["line"]), row["expression"]) for row in ctx.tables["exclusions"]}
    found = []
    for source_id, lines in ctx.lines.items():
        removed = ctx.removed.get(source_id, ())
        for number, text in enumerate(lines, start=1):
            if number in removed or not may_hold_numbers(text):
                continue  # not in the body (ctx.body_line), or no digit and no number word
            covered = [_span(text, quote) for quote in quotes.get((source_id, number), [])]
            for expression in expressions(text):
                inside_a_quote = any(start <= expression.start and expression.end <= end for start, end in covered)
                if not inside_a_quote and (source_id, number, expression.text) not in excluded:
                    context = text[max(0, expression.start - 30): expression.end + 30]
                    found.append(Uncurated(source_id, number, expression.text, context))
    return found


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 else (-1, -1)
