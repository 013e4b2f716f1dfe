"""Numbers and lists written the same way everywhere in the report's prose.

Chapters glue the strings these functions return, so "89%" or "300 million"
is spelled identically on every page and in the PDF.
"""

from __future__ import annotations

import pandas as pd

from hanoi_evidence.tables import load_table

LARGE_NUMBER_WORDS = [(1e9, "billion"), (1e6, "million")]
SMALL_NUMBER_WORDS = [
    "none",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def is_missing(value) -> bool:
    """Whether a cell holds nothing: None, NaN or pandas' NA (a string, even an empty one, is a value)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def number_word(number: int) -> str:
    """A small count in words ('three'), as prose prefers; larger ones as digits."""
    number = int(number)
    return SMALL_NUMBER_WORDS[number] if 0 <= number < len(SMALL_NUMBER_WORDS) else str(number)


def counted(number: int, noun: str) -> str:
    """'one article', 'two articles': a small count in words with its noun."""
    return f"{number_word(number)} {noun}{'' if number == 1 else 's'}"


def join_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def percent(value: float, decimals: int = 0) -> str:
    """'89%'; decimals only when asked for ('13.3%')."""
    return f"{value:.{decimals}f}%"


def count(value: float) -> str:
    """'186,819', or '300 million' for round large numbers."""
    for size, word in LARGE_NUMBER_WORDS:
        if value >= size and value % (size / 10) == 0:
            return f"{value / size:g} {word}"
    return f"{int(value):,}"


# How a bound is written before a value: "more than 546,000" (a lower bound), "under 50%" (an upper one).
BOUND_WORDS = {"lower": "more than ", "upper": "under "}


def value_text(finding: pd.Series) -> str:
    """A finding's canonical value in words fit for prose: '89%', '16–58%', '2.9 times', 'more than 546,000'."""
    bound = finding.get("value_bound")
    prefix = BOUND_WORDS[bound] if isinstance(bound, str) else ""
    return prefix + _unbounded_value_text(finding)


def _unbounded_value_text(finding: pd.Series) -> str:
    low, high, unit = finding["value_low"], finding["value_high"], finding["unit"]
    if unit == "percent":
        decimals = 0 if float(low).is_integer() and float(high).is_integer() else 1
        return percent(low, decimals) if low == high else f"{low:.{decimals}f}–{percent(high, decimals)}"
    if unit == "count":
        return count(low)
    if unit == "ratio":
        return f"{low:.1f} times"
    if unit == "date":
        return long_date(finding["value_date"])
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


def long_date(date) -> str:
    """'22 October 2025'."""
    stamp = pd.Timestamp(date)
    return f"{stamp.day} {stamp.strftime('%B %Y')}"


def finding(finding_id: str) -> pd.Series:
    """One finding's row."""
    return load_table("findings").set_index("finding_id").loc[finding_id]
