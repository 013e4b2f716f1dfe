"""Adding a sixth article: the validator lists exactly its uncurated numbers, then accepts the curated data.

This is the path methods.md describes: drop the text in data/sources/, add its row to
sources.csv with its SHA-256, add cleaning rules, validate, then curate every numeric
expression the validator lists (file and line) with a mention or an exclusion.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from hanoi_evidence.__main__ import main
from hanoi_evidence.validation import validate

FILE = "sources/005_synthetic.txt"
TEXT = "\n".join(
    [
        "Parents and schools meet on online safety",  # 1 headline
        "",  # 2
        "At the meeting, officials said 42% of parents had set up parental controls.",  # 3
        "",  # 4
        "Organisers counted 120 participants from 7 provinces.",  # 5
        "Photo: 15 delegates at the meeting.",  # 6 a caption, removed by a cleaning rule
        "",
    ]
)
# What the validator must report for this text: (file, line, expression), and nothing else.
EXPECTED = [(f"data/{FILE}", 3, "42%"), (f"data/{FILE}", 5, "120"), (f"data/{FILE}", 5, "7")]


def append_row(data: Path, table: str, values: dict[str, str]) -> None:
    """Add one row to a table, filling the columns not given with empty cells."""
    path = data / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    unknown = set(values) - set(fields)
    assert not unknown, f"{table}.csv has no columns {unknown}"
    rows.append({field: values.get(field, "") for field in fields})
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def add_article(data: Path) -> None:
    (data / FILE).write_text(TEXT, encoding="utf-8")
    append_row(
        data,
        "sources",
        {
            "source_id": "synthetic",
            "label": "Synthetic, 1 Nov",
            "file": FILE,
            "outlet": "unstated",
            "outlet_basis": "A synthetic text written for this test.",
            "headline": "Parents and schools meet on online safety",
            "event_dates": "2025-11-01",
            "event_year_basis": "Set by the test.",
            "language": "en",
            "sha256": hashlib.sha256((data / FILE).read_bytes()).hexdigest(),
        },
    )
    append_row(
        data,
        "cleaning_rules",
        {
            "rule_id": "synthetic-caption-1",
            "source_id": "synthetic",
            "first_line": "6",
            "last_line": "6",
            "kind": "photo_caption",
            "action": "remove",
            "starts_with": "Photo:",
            "reason": "A photo caption, not the story.",
        },
    )


def test_the_validator_lists_exactly_the_new_articles_uncurated_numbers(data_copy):
    add_article(data_copy)
    problems = validate(data_copy)
    assert [(p.file, p.row, p.message.split("'")[1]) for p in problems] == EXPECTED, problems
    assert all(p.unit == "line" for p in problems)


def test_the_command_line_names_file_line_and_expression(data_copy, capsys):
    add_article(data_copy)
    assert main(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    for file, line, expression in EXPECTED:
        assert f"{file}, line {line}: numeric expression {expression!r}" in err
    assert "3 problem(s)" in err


def test_a_wrong_hash_for_the_new_article_is_caught(data_copy):
    add_article(data_copy)
    (data_copy / FILE).write_text(TEXT.replace("42%", "24%"), encoding="utf-8")
    places = [(p.file, p.column) for p in validate(data_copy)]
    assert ("data/sources.csv", "sha256") in places


def test_curating_the_listed_numbers_makes_the_data_valid(data_copy):
    add_article(data_copy)
    append_row(
        data_copy,
        "findings",
        {
            "finding_id": "synthetic-parental-controls",
            "kind": "statistic",
            "topic": "safety_education",
            "statement": "Officials at a synthetic meeting said that 42% of parents had set up parental controls.",
            "value_low": "42",
            "value_high": "42",
            "unit": "percent",
            "population": "parents (as worded)",
            "age_band": "not applicable",
            "geography": "unstated",
            "period": "unstated",
            "measure": "share of parents",
            "method": "unknown",
            "source_type": "unknown",
            "attribution": "stated",
            "trace_note": "A synthetic statement written for this test.",
        },
    )
    append_row(
        data_copy,
        "mentions",
        {
            "mention_id": "synthetic-parental-controls@synthetic",
            "finding_id": "synthetic-parental-controls",
            "source_id": "synthetic",
            "line": "3",
            "quote": "42% of parents had set up parental controls",
            "value_as_worded": "42%",
            "hedge": "none",
            "population_as_worded": "parents",
            "attribution_as_worded": "officials",
        },
    )
    append_row(
        data_copy,
        "claims",
        {
            "claim_id": "synthetic-parental-controls",
            "kind": "statistic",
            "claim": "42% of parents have set up parental controls.",
            "mentions": "synthetic-parental-controls@synthetic",
            "finding_id": "synthetic-parental-controls",
            "verdict": "unsupported",
            "evidence_level": "unknown",
            "reason": "No source is named or known.",
        },
    )
    for expression in ["120", "7"]:
        append_row(
            data_copy,
            "exclusions",
            {
                "source_id": "synthetic",
                "line": "5",
                "expression": expression,
                "reason": "Attendance at the meeting, not evidence on abuse.",
            },
        )
    assert validate(data_copy) == []


def test_a_new_mention_of_a_repeated_finding_needs_its_drift(data_copy):
    """Repeating a finding other articles state obliges the curator to classify its drift."""
    test_curating_the_listed_numbers_makes_the_data_valid(data_copy)
    with open(data_copy / "mentions.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[-1]["finding_id"] = "vn-safety-information"
    rows[-1]["value_as_worded"] = ""
    with open(data_copy / "mentions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    places = [(p.file, p.row, p.column) for p in validate(data_copy)]
    assert ("data/mentions.csv", len(rows) + 1, "mention_id") in places
