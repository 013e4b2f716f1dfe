"""The evidence data as the package reads it: sources, cleaning, numbers, the dictionary."""

from __future__ import annotations

import hashlib

import pytest

from hanoi_evidence import DATA_DIR, cleaning, corpus
from hanoi_evidence.dictionary import render_readme
from hanoi_evidence.numbers import find_expressions, parse_value
from hanoi_evidence.tables import load_table
from hanoi_evidence.validation import EvidenceError

SHAS = {
    "000_b27cd05cef0c5c57.txt": "6bd0c5f37cf6c0f62890154b7f1f1251f6e44f1cb2dfd903100b877682f5802b",
    "001_011680823914052a.txt": "3f1f7961cb8619a13f64d330b1f304e307457d48631f07675bb9168b6763bb7d",
    "002_52115329869e9e59.txt": "bf0e3e4f7c5f43cf5df598b615ab25cb27f615a5a245137086a74b771f1ba0c5",
    "003_fce785405174b8f6.txt": "d225ed3f1e5eb7107b727b2b313b01ce559eadd7d23632e98a7fa306dfc18516",
    "004_994f2c2b6f35153f.txt": "b82097f878c8c8f0534fb85af6e2cdb2c92f4d2f652b608e9c1e5727f547677e",
}


@pytest.mark.parametrize("name, sha", SHAS.items())
def test_source_files_are_the_files_received(name, sha):
    """Pinned here as well as in sources.csv, so that editing both cannot pass unnoticed."""
    assert hashlib.sha256((DATA_DIR / "sources" / name).read_bytes()).hexdigest() == sha


def test_five_sources_with_their_outlets_and_dates():
    sources = load_table("sources").set_index("source_id")
    assert list(sources.index) == ["waj", "wvr", "bqt", "hnt", "mar28"]
    assert sources.loc["hnt", "outlet"] == "The Hanoi Times"
    assert str(sources.loc["bqt", "published_date"].date()) == "2025-10-26"
    assert sources.loc["mar28", "event_dates"] == "2025-03-28"


def test_load_refuses_invalid_data(data_copy):
    sources = data_copy / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("2025-10-26,2025-10-26", "2025-13-26,2025-10-26"), encoding="utf-8"
    )
    with pytest.raises(EvidenceError, match=r"data/sources.csv, row 4, column 'published_date'"):
        load_table("sources", data_copy)


def test_cleaning_removes_the_appended_stories_and_keeps_the_story():
    body = cleaning.body_text("waj")
    assert "Writer To Hoai" not in body and "Auction" not in body and "BCA.jpg" not in body
    assert "nearly 90% of Vietnamese adolescents aged 12–17" in body


def test_cleaning_drops_the_repeated_paragraph_once():
    body = cleaning.body_text("bqt")
    assert body.count("particularly highlighting Article 16 of the Hanoi Convention") == 1
    assert "7m pine tree" not in body and "Please leave a comment" not in body


def test_the_translation_artefact_is_flagged_not_corrected():
    artefacts = cleaning.flagged_artefacts()
    assert list(artefacts["span"]) == ["完善"]
    assert "increasingly完善 legal system" in cleaning.body_text("bqt")


def test_removal_summary_accounts_for_every_word():
    summary = cleaning.removal_summary()
    for source_id, words in corpus.word_counts().set_index("source_id")["words_received"].items():
        assert summary[summary["source_id"] == source_id]["words"].sum() == words
    waj = summary[summary["source_id"] == "waj"].set_index("kind")
    assert waj.loc["appended_story", "lines"] == 2
    assert waj.loc["image_file_name", "lines"] == 2


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nearly 90% of adolescents aged 12–17", ["90%", "12–17"]),
        ("nearly nine in ten children aged 12 to 17", ["nine in ten", "12 to 17"]),
        ("between 16 and 58 percent of women", ["between 16 and 58 percent"]),
        ("16%–58% of women", ["16%–58%"]),
        ("only one-third have", ["one-third"]),
        ("nearly half never tell", ["half"]),
        ("nearly tripled in 2024", ["tripled", "2024"]),
        ("the first-ever global Convention", ["first-ever"]),
        ("held on October 22.", ["October 22"]),
        ("Báo Quốc Tế26/10/2025", ["26/10/2025"]),
        ("the 80th anniversary", ["80th"]),
        ("a 7m pine tree", ["7m"]),
        ("300 million children", ["300 million"]),
        ("leave no one behind", []),
        ("(C3P Canada)", []),
    ],
)
def test_numeric_expressions_are_found(text, expected):
    assert [e.text for e in find_expressions(text)] == expected


@pytest.mark.parametrize(
    "worded, value",
    [
        ("nearly nine in ten", (90, 90)),
        ("only one-third", (100 / 3, 100 / 3)),
        ("a third", (100 / 3, 100 / 3)),
        ("nearly half", (50, 50)),
        ("13 percent", (13, 13)),
        ("up to 38%", (38, 38)),
        ("between 16 and 58 percent", (16, 58)),
        ("16%–58%", (16, 58)),
        ("around 300 million", (3e8, 3e8)),
        ("nearly tripling", (3, 3)),
        ("Articles 14 and 15", (14, 15)),
        ("first-ever", None),
    ],
)
def test_worded_values_are_read_as_numbers(worded, value):
    assert parse_value(worded) == pytest.approx(value) if value else parse_value(worded) is None


def test_data_readme_is_generated_from_the_schemas():
    assert (DATA_DIR / "README.md").read_text(encoding="utf-8") == render_readme(), "run `make data-readme`"


def test_data_readme_lists_every_field():
    readme = render_readme()
    for name in ["quote", "value_as_worded", "hedge", "attribution", "sha256", "starts_with"]:
        assert f"| {name} |" in readme


def test_bodies_in_one_pass_equal_each_body():
    all_bodies = cleaning.bodies()
    assert list(all_bodies) == list(load_table("sources")["source_id"])
    for source_id, body in all_bodies.items():
        assert body == cleaning.body_text(source_id)
