"""The Convention's status as of a stated date: its data are consistent, bad rows are caught,
and the built chapter shows the date and the counts the data hold."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pandas as pd
import pytest
from pybtex.database import parse_file

from conftest import ROOT, page_text
from hanoi_evidence import DATA_DIR, status
from hanoi_evidence.crosschecks import LEVEL_OF_DOCUMENT
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import long_date
from hanoi_evidence.validation import validate

TABLES = ["convention_status", "convention_topics"]


def read(data: Path, table: str) -> list[dict[str, str]]:
    with open(data / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def set_cell(data: Path, table: str, key: str, column: str, value: str) -> int:
    """Set one cell of the row whose first column is ``key``; return its spreadsheet row (header = 1)."""
    rows = read(data, table)
    index = next(i for i, row in enumerate(rows) if next(iter(row.values())) == key)
    rows[index][column] = value
    with open(data / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return index + 2


# --- data -----------------------------------------------------------------------------


def test_status_data_validate_and_hold_the_facts_the_chapter_needs():
    assert validate(DATA_DIR) == []
    facts = load_table("convention_status").set_index("fact_id")
    assert {"signatories-un-news", "signatories-mps", "signatories-untc", "ratifications", "eif-instruments"} <= set(
        facts.index
    )
    # No ratification is documented: that is recorded as unknown with no value, never as zero.
    assert pd.isna(facts.loc["ratifications", "value"]) and facts.loc["ratifications", "evidence_level"] == "unknown"
    # The depositary's copy is undated: its date is only the earliest it can be.
    assert facts.loc["signatories-untc", "as_of_kind"] == "on or after"


@pytest.mark.parametrize("table", TABLES)
def test_each_level_claims_no_more_than_was_read(table):
    """A source is cited exactly when one was found, exists in the bibliography, and supports the level."""
    bib_keys = set(parse_file(str(ROOT / "references.bib")).entries)
    reads = load_table("reads").set_index("bib_key")
    rank = load_table("evidence_levels").set_index("level")["rank"]
    for _, row in load_table(table).iterrows():
        key, level = row["source"], row["evidence_level"]
        assert pd.isna(key) == (level == "unknown"), row.iloc[0]
        if pd.isna(key):
            continue
        assert key in bib_keys, key
        read = reads.loc[key]
        supported = "probable" if read["read"] == "not read" else LEVEL_OF_DOCUMENT[read["document"]]
        assert rank[level] <= rank[supported], f"{row.iloc[0]}: {level} claims more than {key} supports"


def test_status_agrees_with_the_findings_it_overlaps():
    """The same fact kept in two tables must hold the same value."""
    facts = load_table("convention_status").set_index("fact_id")
    findings = load_table("findings").set_index("finding_id")
    for fact_id, finding_id in [
        ("signatories-un-news", "convention-signatories-first-day"),
        ("signatories-untc", "convention-signatories-untc"),
        ("eif-instruments", "convention-eif-instruments"),
        ("eif-days", "convention-eif-days"),
    ]:
        assert facts.loc[fact_id, "value"] == findings.loc[finding_id, "value_low"], fact_id
    assert facts.loc["signature-closes", "value_date"] == findings.loc["convention-signature-closes", "value_date"]


def test_each_fact_states_at_most_one_value():
    facts = load_table("convention_status")
    assert not (facts["value"].notna() & facts["value_date"].notna()).any()


@pytest.mark.parametrize(
    "table, key, column, value, expected",
    [
        (
            "convention_status",
            "signatories-mps",
            "evidence_level",
            "official",
            "is not a known id in data/evidence_levels.csv",
        ),
        ("convention_status", "signatories-untc", "as_of", "2025-10-32", "is not a date (YYYY-MM-DD)"),
        ("convention_status", "signatories-untc", "as_of", "", "the value is required but the cell is empty"),
        ("convention_status", "signatories-untc", "as_of_kind", "about", "is not one of the allowed values"),
        ("convention_status", "signatories-untc", "value", "seventy-two", "is not an integer"),
        ("convention_status", "ratifications", "source", "untc2025", "is not a known id in data/reads.csv"),
        (
            "convention_topics",
            "protocol",
            "evidence_level",
            "secondary",
            "is not a known id in data/evidence_levels.csv",
        ),
        ("convention_topics", "victims", "how_checked", "", "the value is required but the cell is empty"),
    ],
)
def test_a_bad_cell_is_rejected_naming_file_row_and_column(data_copy, table, key, column, value, expected):
    row = set_cell(data_copy, table, key, column, value)
    problems = [(p.file, p.row, p.column, p.message) for p in validate(data_copy)]
    assert any(
        (file, number, col) == (f"data/{table}.csv", row, column) and expected in message
        for file, number, col, message in problems
    ), problems


def test_the_snapshot_date_follows_the_data(data_copy):
    """Not typed anywhere: a later fact moves the date the status is given as of."""
    assert status.snapshot_date(data_copy) == status.snapshot_date()
    set_cell(data_copy, "convention_status", "ratifications", "as_of", "2026-03-01")
    assert validate(data_copy) == []
    assert status.snapshot_date(data_copy) == pd.Timestamp("2026-03-01")
    assert status.status_values(data_copy)["status_as_of"] == "1 March 2026"


def test_display_words_dates_and_missing_values():
    table = status.status_table().set_index("Fact")
    facts = load_table("convention_status").set_index("fact")
    untc = facts[facts["fact_id"] == "signatories-untc"].index[0]
    ratifications = facts[facts["fact_id"] == "ratifications"].index[0]
    assert table.loc[untc, "As of"] == long_date(facts.loc[untc, "as_of"]) + " or later"
    assert table.loc[ratifications, "Value"] == "none documented"
    assert table.loc[ratifications, "Evidence"] == "unknown"  # the label, with no citation
    assert "official" not in " ".join(table.columns) and "fact_id" not in " ".join(table.columns)


# --- the built chapter ------------------------------------------------------------------


def built_page(built_book, name: str) -> str:
    html_dir, result = built_book
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return page_text(html_dir, name)


def plain(text: str) -> str:
    """Text with the typographic quotes the build puts in (smartquotes) made straight again."""
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))


def table_rows(built_book, name: str, table_id: str) -> list[list[str]]:
    """The body rows of a numbered table of a built page, as cell texts (quotes straightened)."""
    page = (built_book[0] / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    body = re.search(r"<tbody>.*?</tbody>", table, re.S).group(0)
    return [
        [
            plain(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()))
            for cell in re.findall(r"<td.*?</td>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def test_the_page_gives_the_status_as_of_the_latest_date_in_the_data(built_book):
    text = built_page(built_book, "convention")
    latest = long_date(load_table("convention_status")["as_of"].max())
    assert f"Status as of {latest}" in text
    assert f"this section gives it as of a stated date: {latest} , the latest date" in text
    heading = re.search(r"<h2>.*?Status as of.*?</h2>", (built_book[0] / "chapters/convention.html").read_text("utf-8"))
    assert heading and latest in html.unescape(re.sub(r"<[^>]+>", "", heading.group(0)))


def test_the_signatory_counts_shown_equal_the_data(built_book):
    text = built_page(built_book, "convention")
    facts = load_table("convention_status").set_index("fact_id")
    count = lambda fact_id: int(facts.loc[fact_id, "value"])  # noqa: E731
    assert f"UN News reported that {count('signatories-un-news')} states signed on the first day" in text
    assert f"signed at the ceremony at {count('signatories-mps')} ," in text
    assert f"lists {count('signatories-untc')} signatories, the European Union among them" in text
    assert f"that {count('signatories-help-net-security')} states had signed" in text
    # The table: one row per fact, in order, with its value and the label of its evidence level.
    rows = table_rows(built_book, "convention", "tbl-status")
    labels = status.level_labels()
    assert [row[0] for row in rows] == list(facts["fact"])
    for row, (_, fact) in zip(rows, facts.iterrows(), strict=True):
        assert row[1] == status.value_text(fact)
        assert row[2] == status.as_of_text(fact)
        assert row[4].startswith(labels[fact["evidence_level"]])


def test_the_topics_table_says_how_each_was_checked(built_book):
    rows = table_rows(built_book, "convention", "tbl-convention-topics")
    topics = load_table("convention_topics")
    labels = status.level_labels()
    assert [row[0] for row in rows] == list(topics["topic"])
    for row, (_, topic) in zip(rows, topics.iterrows(), strict=True):
        assert row[3] == topic["how_checked"]
        assert row[4].startswith(labels[topic["evidence_level"]])


def test_the_chapter_says_what_it_could_not_read(built_book):
    text = built_page(built_book, "convention")
    closing = text[text.index("What this chapter does not know #") :]
    assert "We did not read the official English text of the Convention" in closing
    for unread in ["human-rights safeguard", "victims", "prevention", "supplementary protocol"]:
        assert unread in closing
    assert "whether any instrument of ratification had been deposited" in closing
