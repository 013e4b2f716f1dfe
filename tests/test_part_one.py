"""Part I in the built book: pages, glued numbers equal to the data, figures with alt text and cited captions."""

from __future__ import annotations

import re

import pytest

from conftest import page_text
from hanoi_evidence import claims
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import number_word, value_text

PART_ONE = ["index", "sources", "viet-nam", "world-region"]


def figures_of(html_dir, name: str) -> list[str]:
    page = (html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    return re.findall(r'<figure[^>]*id="fig-[^"]+".*?</figure>', page, re.S)


@pytest.mark.parametrize("name", PART_ONE)
def test_page_is_built(built_book, name):
    html_dir, _ = built_book
    assert (html_dir / "chapters" / f"{name}.html").is_file()


@pytest.mark.parametrize(
    "name, finding_id",
    [
        ("viet-nam", "vn-internet-use"),
        ("viet-nam", "vn-safety-information"),
        ("viet-nam", "vn-women-sexual-violence"),
        ("world-region", "global-ocsea-children"),
        ("world-region", "ncmec-enticement-2023"),
        ("world-region", "ncmec-enticement-2024"),
        ("world-region", "apac-tfgbv-range"),
        ("index", "apac-tfgbv-range"),
    ],
)
def test_glued_values_equal_the_data(built_book, name, finding_id):
    html_dir, _ = built_book
    expected = value_text(claims.findings().loc[finding_id])
    assert expected in page_text(html_dir, name)


def test_enticement_ratio_is_computed_from_the_counts(built_book):
    html_dir, _ = built_book
    found = claims.findings()
    ratio = found.loc["ncmec-enticement-2024", "value_low"] / found.loc["ncmec-enticement-2023", "value_low"]
    assert f"a ratio of at least {ratio:.2f}" in page_text(html_dir, "world-region")  # 2024 is a lower bound


def test_landing_page_counts_attributions_from_the_data(built_book):
    html_dir, _ = built_book
    statistics = claims.findings().query("kind == 'statistic'")
    text = page_text(html_dir, "index")
    assert f"The articles state {number_word(len(statistics))} statistics" in text
    assert f"Only {number_word((statistics['attribution'] == 'stated').sum())} of them names its source" in text


def test_landing_page_lists_every_source(built_book):
    html_dir, _ = built_book
    text = page_text(html_dir, "index")
    for headline in load_table("sources")["headline"].dropna():
        assert headline.replace("'", "‘", 1).replace("'", "’", 1) in text or headline in text


def test_quotes_in_wording_tables_are_verbatim(built_book):
    html_dir, _ = built_book
    text = page_text(html_dir, "viet-nam")
    for quote in claims.mentions_of("vn-internet-use")["quote"]:
        assert f"“{quote}”" in text


@pytest.mark.parametrize("name", ["sources", "viet-nam", "world-region"])
def test_every_figure_has_alt_text_and_a_cited_caption(built_book, name):
    html_dir, _ = built_book
    found = figures_of(html_dir, name)
    assert found, f"no numbered figure on {name}"
    for figure in found:
        alt = re.search(r'<img[^>]*alt="([^"]*)"', figure).group(1)
        assert len(alt.split()) >= 8, alt
        caption = re.search(r"<figcaption>.*?</figcaption>", figure, re.S).group(0)
        assert 'href="bibliography.html#' in caption, "the caption cites no source"


@pytest.mark.parametrize("name", ["sources", "viet-nam", "world-region"])
def test_every_figure_and_table_is_referenced_in_the_text(built_book, name):
    html_dir, _ = built_book
    page = (html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    for label in re.findall(r'<(?:figure|table)[^>]*id="((?:fig|tbl)-[^"]+)"', page):
        assert f'href="#{label}"' in page, f"{label} is never referenced"


def test_content_notes_where_abuse_is_discussed(built_book):
    html_dir, _ = built_book
    for name in ["index", "viet-nam", "world-region"]:
        assert "Content note." in page_text(html_dir, name)


def test_chapters_close_with_what_they_do_not_know(built_book):
    html_dir, _ = built_book
    for name in ["sources", "viet-nam", "world-region"]:
        assert "What this chapter does not know" in page_text(html_dir, name)
