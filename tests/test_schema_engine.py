"""The column-by-column schema engine reports what Frictionless reports; the fast completeness scan finds what the regex finds.

``validation.schema_problems`` checks the tables with ``hanoi_evidence.schema_check`` (fast on
large corpora); Frictionless stays the reference. Each corruption of tests/test_validation.py,
and a few more that exercise the engine's own paths, must give the same problems (file, row,
column, message, order) from both engines.
"""

from __future__ import annotations

import random

import pytest

from hanoi_evidence import DATA_DIR
from hanoi_evidence.completeness import expressions, line_expressions
from hanoi_evidence.numbers import find_expressions
from hanoi_evidence.validation import schema_problems
from test_validation import CASES, read, replace_in_file, set_cell, write, write_bytes

EXTRA_CASES = [
    ("blank row", replace_in_file("events.csv", "\n", "\n,,,,,,,,,,\n"), "data/events.csv"),
    ("empty line", replace_in_file("glossary.csv", "\n", "\n\n"), "data/glossary.csv"),
    ("short row", replace_in_file("harms.csv", "\n", "\nonly-one-cell\n"), "data/harms.csv"),
    ("misnamed column", replace_in_file("drift_kinds.csv", "label", "lable"), "data/drift_kinds.csv"),
    ("missing file", lambda data: (data / "glossary.csv").unlink(), "data/glossary.csv"),
    ("bad integer", set_cell("mentions", 3, "line", "3.5"), "data/mentions.csv"),
    ("integer above maximum", set_cell("coverage", 2, "article", "99"), "data/coverage.csv"),
    ("unknown article in a compound key", set_cell("coverage", 2, "article", "5"), "data/coverage.csv"),
    (
        "duplicate compound key",
        lambda data: write(data, "coverage", read(data, "coverage") + read(data, "coverage")[:2]),
        "data/coverage.csv",
    ),
    ("pattern and unique", set_cell("drift_kinds", 3, "kind", "Not A Kind"), "data/drift_kinds.csv"),
    ("bad date in a later table", set_cell("events", 3, "date_start", "22 October 2025"), "data/events.csv"),
    (
        "carriage returns",
        lambda data: (data / "provisions.csv").write_bytes(
            (DATA_DIR / "provisions.csv").read_bytes().replace(b"\n", b"\r\n")
        ),
        None,
    ),
    (
        "byte order mark",
        lambda data: (data / "harms.csv").write_bytes(b"\xef\xbb\xbf" + (DATA_DIR / "harms.csv").read_bytes()),
        None,
    ),  # Frictionless reads a UTF-8 byte order mark as no part of the header; so does the engine (it defers)
    (
        "referenced table broken",
        write_bytes("findings.csv", (DATA_DIR / "findings.csv").read_bytes()[:-200] + b"\xff\n"),
        "data/findings.csv",
    ),
]


def _places(problems):
    return [(p.file, p.row, p.column, p.message) for p in problems]


@pytest.mark.parametrize(
    "corrupt",
    [c[1] for c in CASES] + [c[1] for c in EXTRA_CASES],
    ids=[c[0] for c in CASES] + [c[0] for c in EXTRA_CASES],
)
def test_column_engine_reports_what_frictionless_reports(data_copy, corrupt):
    corrupt(data_copy)
    assert _places(schema_problems(data_copy)) == _places(schema_problems(data_copy, engine="frictionless"))


@pytest.mark.parametrize("case", EXTRA_CASES, ids=[c[0] for c in EXTRA_CASES])
def test_extra_cases_are_detected(data_copy, case):
    _, corrupt, file = case
    corrupt(data_copy)
    files = {p.file for p in schema_problems(data_copy)}
    if file is None:
        assert files == set()  # still valid CSV
    else:
        assert file in files


def test_real_data_passes_both_engines():
    assert schema_problems(DATA_DIR) == [] == schema_problems(DATA_DIR, engine="frictionless")


def test_pattern_must_match_the_whole_cell(data_copy):
    """Table Schema's pattern is a full match; Frictionless 5 accepts a cell that only starts with 'primary'."""
    set_cell("drift", 2, "compared_with", "primary-and-more!")(data_copy)
    problems = schema_problems(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("data/drift.csv", 2, "compared_with")]
    assert "pattern" in problems[0].message
    assert schema_problems(data_copy, engine="frictionless") == []  # the reference's known laxity


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError):
        schema_problems(DATA_DIR, engine="guess")


def _lines() -> list[str]:
    lines = [
        line
        for path in sorted((DATA_DIR / "sources").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
    ]
    pieces = (
        "a_12 é12 \u212aid ſix İ ı one-third 12 12–17 16% per cent between 16 and 58 percent October 22, 2025 "
        "22nd October 2025 26/10/2025 no one C3P _12 first-ever firstly tripled twice hundreds 300 million 7m "
        "nine in ten half Ninety ٣ . , ( ) “ ”"
    ).split() + ["", " "]
    rng = random.Random(20251025)
    return lines + [" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(5000)]


def test_fast_expression_scan_equals_the_regex():
    lines = _lines()
    assert sum(bool(find_expressions(line)) for line in lines) > 100  # the sample holds many expressions
    for line in lines:
        assert expressions(line) == find_expressions(line), line


def test_whole_text_scan_equals_the_regex_line_by_line():
    lines = _lines()
    plain = [line for line in lines if not any(c in line for c in "\u212aſİı٣")]  # no character the fast path hides
    texts = ["\n".join(sample[first : first + 97]) for sample in (lines, plain) for first in range(0, len(sample), 97)]
    for text in texts:
        assert list(line_expressions(text)) == _regex_line_by_line(text)
    for text in ["ſix\n\n12 and a half", "a\nhalf", "x\nhalf", "one-\nthird\n", "A-quarter\n\n"]:
        assert list(line_expressions(text)) == _regex_line_by_line(text), text


def _regex_line_by_line(text: str) -> list:
    """(line number, line, expressions) for each line where numbers.find_expressions finds any."""
    return [
        (number, line, find_expressions(line))
        for number, line in enumerate(text.split("\n"), start=1)
        if find_expressions(line)
    ]


def test_quoted_cell_regex_equals_the_plain_one():
    """schema_check._QUOTED, written for speed, removes what the plain form of the regex removes."""
    import re

    from hanoi_evidence.schema_check import _QUOTED

    plain = re.compile(r'(?:^|(?<=,))"(?:[^"]|"")*"(?=,|$)', re.MULTILINE)
    rng = random.Random(20251125)
    for _ in range(20000):
        text = "".join(rng.choice(['"', '""', ",", "\n", "a", " "]) for _ in range(rng.randint(0, 16)))
        assert _QUOTED.sub("", text) == plain.sub("", text), repr(text)
