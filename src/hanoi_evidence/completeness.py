"""Which numeric expressions in the article bodies are not yet curated.

An expression is curated when it lies inside the quote of a mention on the same
line, or when ``data/exclusions.csv`` lists it for that line with a reason. The
list of uncurated expressions is what a maintainer works through after adding an
article (``python -m hanoi_evidence validate`` prints it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from hanoi_evidence.numbers import CARDINAL_WORDS, MONTHS, PATTERN, SMALL, Expression, find_expressions

# Every match of numbers.PATTERN starts at a digit that follows no ASCII letter or digit, or at
# the start of a whole word (compared case-insensitively) that begins one of its alternatives:
# a number word, a month, "between", or the "a" of "a half" / "a-third", which is two places
# before its fraction (found as a number word) and so is not looked for itself: "a" is frequent.
_FIRST_WORDS = frozenset(
    [w.rstrip("?") for w in CARDINAL_WORDS.split("|")]
    + [w[:-2] for w in CARDINAL_WORDS.split("|") if w.endswith("s?")]
    + SMALL.split("|")
    + ["half", "third", "quarter", "fifth", "twice", "thrice", "first", "second", "firstly", "secondly", "thirdly"]
    + [stem + end for stem in ("tripl", "doubl", "quadrupl") for end in ("ed", "ing", "e")]
    + MONTHS.lower().split("|")
    + ["between"]
)
_FIRST_WORDS_BYTES = frozenset(word.encode("ascii") for word in _FIRST_WORDS)
_FRACTIONS = frozenset([b"half", b"third", b"quarter", b"fifth"])

# The "simple form" of a text, one byte per character (so positions agree): ASCII letters in
# lower case, ASCII digits as "0", anything else (line breaks, punctuation, any non-ASCII
# character, which str.encode turns into "?") as a space. Plain bytes operations then find
# the possible starts at C speed, where a regex scan of every character would be slow.
_SIMPLE = bytes(
    byte + 32 if 65 <= byte <= 90 else byte if 97 <= byte <= 122 else 48 if 48 <= byte <= 57 else 32
    for byte in range(256)
)
_ASCII = bytes(range(128))
# The non-ASCII characters that the simple form would hide from the pattern: decimal digits
# (\d) and the four that re.IGNORECASE matches with an ASCII letter (İ ı ſ K, the Kelvin sign).
_HIDDEN = re.compile("[\u0130\u0131\u017f\u212a]|\\d")


def _simple_form(text: str) -> bytes | None:
    """The simple form of ``text``, or None if it holds a character that the form would hide."""
    if not text.isascii() and _HIDDEN.search(text.encode("utf-8").translate(None, _ASCII).decode("utf-8")):
        return None
    return text.encode("ascii", "replace").translate(_SIMPLE)


def _starts(simple: bytes) -> list[int]:
    """Every place, in order, where an expression may start: see ``_FIRST_WORDS``."""
    padded = b" " + simple + b" "  # a match at index i of `padded` starts at position i of the text
    starts = _occurrences(padded, b" 0")
    for word in _FIRST_WORDS_BYTES.intersection(padded.split()):
        found = _occurrences(padded, b" " + word + b" ")
        starts += found
        if word in _FRACTIONS:
            starts += [at - 2 for at in found if at >= 2]  # where "a half" would start
    return sorted(starts)


def _occurrences(padded: bytes, needle: bytes) -> list[int]:
    found, at = [], padded.find(needle)
    while at >= 0:
        found.append(at)
        at = padded.find(needle, at + len(needle) - 1)  # the closing space may open the next one
    return found


def _matches(text: str, starts: list[int]) -> list[Expression]:
    """The pattern tried at ``starts`` only, left to right and past each match: what finditer finds.

    ``match`` at a position still sees the text before it, for the pattern's look-behinds.
    """
    found, end = [], 0
    for start in starts:
        if start >= end:
            match = PATTERN.match(text, start)
            if match:
                found.append(Expression(match.group(0), start, match.end()))
                end = match.end()
    return found


def expressions(text: str) -> list[Expression]:
    """``numbers.find_expressions(text)``, faster: the pattern is tried only where a match can start.

    tests/test_schema_engine.py compares the two.
    """
    simple = _simple_form(text)
    return find_expressions(text) if simple is None else _matches(text, _starts(simple))


def line_expressions(text: str) -> Iterator[tuple[int, str, list[Expression]]]:
    """(line number, line, its expressions) for each line of ``text`` that holds any.

    The same as ``expressions`` line by line, with the possible starts found in the whole text at once.
    """
    simple = _simple_form(text)
    if simple is None:
        for number, line in enumerate(text.split("\n"), start=1):
            found = find_expressions(line)
            if found:
                yield number, line, found
        return
    starts, index, number, line_start = _starts(simple), 0, 1, 0
    while index < len(starts):
        start = starts[index]
        number += text.count("\n", line_start, start)  # lines are counted only up to those with a start
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        on_this_line = []
        while index < len(starts) and starts[index] <= line_end:  # (a start may fall on the line break)
            on_this_line.append(starts[index] - line_start)
            index += 1
        line = text[line_start:line_end]
        found = _matches(line, on_this_line)
        if found:
            yield number, line, found


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
    for source_id, text in ctx.texts.items():
        removed = ctx.removed.get(source_id, ())
        for number, line, line_found in line_expressions(text):
            if number in removed:
                continue  # not in the body (ctx.body_line)
            covered = [_span(line, quote) for quote in quotes.get((source_id, number), [])]
            for expression in line_found:
                inside_a_quote = any(start <= expression.start and expression.end <= end for start, end in covered)
                if not inside_a_quote and (source_id, number, expression.text) not in excluded:
                    context = line[max(0, expression.start - 30) : expression.end + 30]
                    found.append(Uncurated(source_id, number, expression.text, context))
    return found


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 else (-1, -1)
