"""Who publishes the articles: outlets.csv against the article texts, the other tables and the built book."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from pybtex.database import parse_file

from conftest import ROOT, page_text
from hanoi_evidence import DATA_DIR, outlets
from hanoi_evidence.tables import load_table
from hanoi_evidence.validation import validate

# --- the run finder on small texts ------------------------------------------------------------


def tokens(text: str) -> list[str | None]:
    return outlets.words(text)


def test_a_run_of_six_words_is_found_and_five_are_not():
    a = tokens("one two three four five six seven")
    assert [run.length for run in outlets.shared_runs(a, tokens("x one two three four five six y"))] == [6]
    assert outlets.shared_runs(a, tokens("x one two three four five y")) == []


def test_a_moved_passage_is_found_and_no_word_counts_twice():
    a = tokens("alpha beta gamma delta epsilon zeta then eta theta iota kappa lambda mu")
    b = tokens("eta theta iota kappa lambda mu and alpha beta gamma delta epsilon zeta")
    runs = outlets.shared_runs(a, b)
    assert sorted(run.length for run in runs) == [6, 6]
    # The same passage twice in one text still matches only once in the other.
    twice = tokens("alpha beta gamma delta epsilon zeta alpha beta gamma delta epsilon zeta")
    assert sum(run.length for run in outlets.shared_runs(twice, a)) == 6


def test_punctuation_and_case_are_ignored():
    runs = outlets.shared_runs(
        tokens("“Digital transformation opens up incredible opportunities”"),
        tokens("digital transformation, opens up - incredible opportunities."),
    )
    assert [run.length for run in runs] == [6]


def test_a_name_set_aside_matches_nothing():
    names = [outlets.words("Ministry of Public Security")]
    a = outlets.set_aside(tokens("the Ministry of Public Security said on Monday"), names)
    b = outlets.set_aside(tokens("Viet Nam's Ministry of Public Security said on Monday"), names)
    assert outlets.shared_runs(a, b) == []


# --- outlets.csv against the texts and the other tables ----------------------------------------


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return load_table("outlets").set_index("source_id")


def test_every_article_has_one_outlets_row(table):
    assert sorted(table.index) == sorted(load_table("sources")["source_id"])


def cells(frame: pd.DataFrame) -> dict[str, tuple]:
    """Each row's shared-text cells as plain values, a missing cell as None."""
    columns = ["shared_text_with", "most_shared_with", "shared_words"]
    return {
        source_id: tuple(None if pd.isna(value) else value for value in row)
        for source_id, row in frame[columns].astype(object).iterrows()
    }


def test_shared_text_agrees_with_a_fresh_reading_of_the_texts(table):
    assert cells(table) == cells(outlets.shared_text_columns())


def test_the_pair_overlap_counts():
    """WVR and the Hanoi Times share 17 runs (158 words); BQT and the March report share no text."""
    overlap = outlets.pair_overlap().set_index(["source_a", "source_b"])
    assert (overlap.loc[("wvr", "hnt"), "runs"], overlap.loc[("wvr", "hnt"), "words"]) == (17, 158)
    sharing = {pair for pair, shares in overlap["shares_text"].items() if shares}
    assert sharing == {("waj", "wvr"), ("waj", "hnt"), ("wvr", "hnt")}
    # Every pair left out shares at most one run: a stock phrase, not a passage.
    assert overlap.loc[~overlap["shares_text"], "runs"].max() < outlets.MIN_RUNS_PER_PAIR


def test_shared_text_is_mutual(table):
    for source_id, partners in table["shared_text_with"].dropna().items():
        for partner in partners.split(";"):
            assert source_id in str(table.loc[partner, "shared_text_with"]).split(";"), (source_id, partner)


def test_organiser_of_event_agrees_with_the_events_table(table):
    organisers = load_table("events").set_index("event_id")["organisers"].fillna("")
    for source_id, row in table.iterrows():
        if row["publisher_type"] == "unknown":
            expected = "unknown"
        else:
            parent = row["parent_org_id"] if isinstance(row["parent_org_id"], str) else None
            expected = "yes" if parent in organisers[row["event_id"]].split(";") else "no"
        assert row["organiser_of_event"] == expected, source_id


def test_each_publisher_page_is_in_the_bibliography_and_was_read(table):
    keys = set(parse_file(ROOT / "references.bib").entries)
    reads = load_table("reads").set_index("bib_key")
    for source_id, row in table.iterrows():
        references = row["publisher_reference"].split(";") if isinstance(row["publisher_reference"], str) else []
        assert (row["publisher_level"] == "unknown") == (not references), source_id
        for key in references:
            assert key in keys, key
            assert reads.loc[key, "read"] != "not read", key
            if row["publisher_level"] == "primary":
                assert reads.loc[key, "document"] == "primary document", key


def test_the_hand_written_prose_names_what_the_data_says(table):
    """The chapters name WVR and the Hanoi Times, and the Ministry of Foreign Affairs, in words."""
    frame = outlets.outlets_frame()
    assert outlets.publisher_groups(frame)[0] == ["wvr", "bqt", "mar28"]
    assert table.loc["wvr", "parent_body"] == "Ministry of Foreign Affairs"
    top = frame["shared_words"].idxmax()
    assert {top, frame.loc[top, "most_shared_with"]} == {"wvr", "hnt"}
    assert table.loc["hnt", "publisher"] == "Economic & Urban Newspaper"
    assert list(table.index[table["organiser_of_event"] == "yes"]) == ["bqt"]


# --- bad input is rejected at its place ----------------------------------------------------------


def corrupt_cell(data: Path, source_id: str, column: str, value: str) -> int:
    """Put ``value`` in one cell of outlets.csv; return its spreadsheet row (the header is row 1)."""
    path = data / "outlets.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    index = next(i for i, row in enumerate(rows) if row["source_id"] == source_id)
    rows[index][column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return index + 2


@pytest.mark.parametrize(
    "column, value",
    [
        ("organiser_of_event", "maybe"),
        ("source_id", "nyt"),
        ("event_id", "press-conference"),
        ("publisher_level", "certain"),
        ("parent_org_id", "mofa-press"),
        ("most_shared_with", "nyt"),
        ("shared_words", "many"),
        ("publisher_type", "blog"),
    ],
)
def test_a_corrupted_cell_is_rejected_naming_file_row_and_column(data_copy, column, value):
    row = corrupt_cell(data_copy, "wvr", column, value)
    places = [(problem.file, problem.row, problem.column) for problem in validate(data_copy)]
    assert ("data/outlets.csv", row, column) in places, places


def test_the_real_outlets_table_is_valid():
    assert [p for p in validate(DATA_DIR) if p.file == "data/outlets.csv"] == []


# --- the built book --------------------------------------------------------------------------------


def test_the_sources_chapter_shows_the_publishers_table(built_book):
    html_dir, result = built_book
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    text = page_text(html_dir, "sources")
    assert "Who publishes the articles" in text
    assert "Who publishes each article, and the articles that share its wording" in text
    for header in outlets.publisher_table().columns:
        assert header in text, header
    for cell in ["Báo Thế giới và Việt Nam, the press agency of the Ministry of Foreign Affairs", "not found"]:
        assert cell in text, cell
    values = outlets.publisher_values()
    assert f"{values['src_pub_top_pair']} share {values['src_pub_top_words']} words" in text
    assert "source_id" not in text and "shared_text_with" not in text  # no internal names for readers


def test_part_three_names_the_pairs_that_are_not_independent(built_book):
    html_dir, _ = built_book
    text = page_text(html_dir, "numbers-travel")
    values = outlets.travel_values()
    assert f"articles that share wording are {values['travel_indep_text_pairs']} ." in text
    assert values["travel_indep_publisher_articles"] in text
