"""Part II, "The response": its data validate, bad rows are caught, and the pages show the data."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import page_text as main_text
from hanoi_evidence import DATA_DIR, response
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import long_date, number_word
from hanoi_evidence.validation import validate

PAGES = {
    "ocsea-tfgbv": ["fig-harms"],
    "convention": ["fig-coverage"],
    "unknowns": ["fig-comparability"],
}


# --- data -----------------------------------------------------------------------------


def read(data: Path, table: str) -> list[dict[str, str]]:
    with open(data / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(data: Path, table: str, rows: list[dict[str, str]]) -> None:
    with open(data / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def corrupt(data: Path, table: str, row: int, **values: str) -> None:
    """Set cells of one row, numbered as in a spreadsheet (the header is row 1)."""
    rows = read(data, table)
    rows[row - 2].update(values)
    write(data, table, rows)


def problems_at(data: Path) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.file, p.row, p.column, p.message) for p in validate(data)]


def test_harms_and_coverage_validate():
    assert validate(DATA_DIR) == []
    harms = load_table("harms")
    coverage = load_table("coverage")
    assert len(harms) >= 12 and set(harms["affects"]) == {"children", "women", "both"}
    # The matrix is complete: every harm against every article in it.
    assert len(coverage) == len(harms) * coverage["article"].nunique()


def test_every_harm_quote_stands_verbatim_on_its_line():
    """Checked here independently of the validator: the quote is on that line of the file,
    and the line is not one the cleaning rules remove."""
    sources = load_table("sources").set_index("source_id")
    removed = {
        (r["source_id"], n)
        for r in read(DATA_DIR, "cleaning_rules")
        if r["action"] == "remove"
        for n in range(int(r["first_line"]), int(r["last_line"]) + 1)
    }
    for _, harm in load_table("harms").iterrows():
        lines = (DATA_DIR / sources.loc[harm["quote_source"], "file"]).read_text(encoding="utf-8").split("\n")
        assert harm["quote"] in lines[int(harm["quote_line"]) - 1], harm["harm_id"]
        assert (harm["quote_source"], int(harm["quote_line"])) not in removed, harm["harm_id"]
        assert harm["quote_source"] in harm["sources"].split(";")


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("quote", "a grown man groomed", "not found verbatim on line"),
        ("quote_line", "4", "not in the article body"),  # a photo caption the cleaning removes
        ("quote_source", "waj", "is not one of the row's sources"),
        ("sources", "hnt;nosuch", "unknown id 'nosuch'"),
    ],
)
def test_a_corrupted_harm_row_is_rejected(data_copy, column, value, expected):
    row = next(i for i, r in enumerate(read(data_copy, "harms"), start=2) if r["harm_id"] == "grooming")
    corrupt(data_copy, "harms", row, **{column: value})
    found = problems_at(data_copy)
    assert any(f == "data/harms.csv" and r == row and c == column and expected in m for f, r, c, m in found), found


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("harm_id", "nosuch-harm", "not a known id in data/harms.csv"),
        ("article", "99", ""),  # beyond the Convention's last article: the schema's maximum
        ("article", "17", "not a known id in data/provisions.csv"),
        ("level", "complete", ""),  # not one of direct, partial, none
        ("basis", "secondary", "must be 'arabic-text'"),
    ],
)
def test_a_corrupted_coverage_row_is_rejected_naming_file_row_and_column(data_copy, column, value, expected):
    corrupt(data_copy, "coverage", 3, **{column: value})
    found = problems_at(data_copy)
    assert any(f == "data/coverage.csv" and r == 3 and c == column and expected in m for f, r, c, m in found), found


def test_an_incomplete_coverage_matrix_is_rejected(data_copy):
    rows = read(data_copy, "coverage")
    write(data_copy, "coverage", [r for r in rows if not (r["harm_id"] == "threats" and r["article"] == "16")])
    found = problems_at(data_copy)
    assert any(
        f == "data/coverage.csv" and c == "article" and "'threats'" in m and "16" in m for f, _, c, m in found
    ), found


def test_coverage_summary_follows_the_data():
    best = response.best_coverage()
    assert best["csam"] == "direct" and best["grooming"] == "direct"
    assert best["harassment"] == best["cyberbullying"] == best["threats"] == "none"
    assert best["scams"] == "partial"


def test_comparability_finds_only_same_series_pairs():
    stats = response.statistics()
    pairs = response.comparable_pairs(stats)
    assert pairs == [("ncmec-enticement-2023", "ncmec-enticement-2024")]
    groups = response.shared_groups(stats).set_index(stats["finding_id"])
    assert (groups.loc["vn-disclosure", ["age_band", "period", "method"]] == -1).all()  # unknown is never 'shared'


def test_ordinal_and_words():
    assert [response.ordinal(n) for n in (1, 2, 3, 11, 22, 40, 90)] == [
        "1st",
        "2nd",
        "3rd",
        "11th",
        "22nd",
        "40th",
        "90th",
    ]
    assert number_word(0) == "none" and number_word(12) == "twelve" and number_word(72) == "72"


# --- the built book -----------------------------------------------------------------------


def page_html(built_book, name: str) -> str:
    html, result = built_book
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    path = html / "chapters" / f"{name}.html"
    assert path.is_file(), f"{name}.html was not built"
    return path.read_text(encoding="utf-8")


def page_text(built_book, name: str) -> str:
    page_html(built_book, name)  # the build succeeded and the page exists
    return main_text(built_book[0], name)


@pytest.mark.parametrize("name, figure_id", [(p, f) for p, figs in PAGES.items() for f in figs])
def test_figure_has_image_alt_text_and_cited_caption(built_book, name, figure_id):
    html, _ = built_book
    page = page_html(built_book, name)
    figure = re.search(rf'<figure[^>]*id="{figure_id}".*?</figure>', page, re.S)
    assert figure, f"{figure_id} is missing from {name}.html"
    image = re.search(r'<img[^>]*src="([^"]+\.svg)"[^>]*>', figure.group(0))
    assert image and (html / "chapters" / image.group(1)).is_file()
    alt = re.search(r'alt="([^"]*)"', image.group(0))
    assert alt and len(alt.group(1)) > 40 and not re.fullmatch(r"[0-9a-f]{20,}", alt.group(1))
    caption = re.search(r"<figcaption.*?</figcaption>", figure.group(0), re.S).group(0)
    assert re.search(r'<a[^>]*href="[^"]*bibliography[^"]*#', caption), "the caption cites no source"
    assert f'href="#{figure_id}"' in page, f"{figure_id} is not referenced from the text"


def test_content_note_opens_the_harms_chapter(built_book):
    assert "Content note" in page_text(built_book, "ocsea-tfgbv")[:1500]


def test_convention_status_values_equal_the_data(built_book):
    text = page_text(built_book, "convention")
    findings = load_table("findings").set_index("finding_id")
    number = lambda key: int(findings.loc[key, "value_low"])  # noqa: E731
    assert f"adopted the Convention on {long_date(findings.loc['convention-adopted', 'value_date'])}" in text
    assert (
        f"opened for signature in Hanoi on {long_date(findings.loc['convention-signature-opened', 'value_date'])}"
        in text
    )
    assert f"until {long_date(findings.loc['convention-signature-closes', 'value_date'])}" in text
    assert (
        f"on the {response.ordinal(number('convention-eif-days'))} day after the "
        f"{response.ordinal(number('convention-eif-instruments'))} instrument"
    ) in text
    assert "90th day after the 40th instrument" in text
    assert f"UN News reported that {number('convention-signatories-first-day')} states signed" in text
    assert f"lists {number('convention-signatories-untc')} signatories" in text


def test_coverage_counts_in_the_prose_equal_the_data(built_book):
    text = page_text(built_book, "convention")
    best = response.best_coverage()
    counts = best.value_counts()
    assert (f"Of the {number_word(len(best))} harms, {number_word(counts['direct'])} meet an offence") in text
    assert f"A further {number_word(counts['partial'])} are reached only in some forms" in text


def test_harm_counts_and_link_claims_in_the_prose_equal_the_data(built_book):
    text = page_text(built_book, "ocsea-tfgbv")
    counts = response.harm_counts()
    assert (
        f"{number_word(counts['children'])} are harms to children, {number_word(counts['women'])} are harms "
        f"to women and {number_word(counts['both'])} are named for both"
    ) in text
    claims = response.link_claims()
    assert f"The articles make {number_word(len(claims))} claims about the link" in text
    for quote in load_table("mentions").query("finding_id.str.startswith('link-')")["quote"]:
        assert quote in text
    for quote in load_table("harms")["quote"]:
        assert quote in text


def test_unknowns_page_shows_the_gap_and_the_comparable_pair(built_book):
    text = page_text(built_book, "unknowns")
    gap = load_table("mentions").query("finding_id == 'vn-no-national-data'").iloc[0]
    assert f"“{gap['quote']}” , said by {gap['attribution_as_worded']}" in text  # page_text spaces out tags
    summary = response.comparability_summary()
    assert f"The report follows {number_word(summary['n_stats'])} statistics" in text
    assert "the 186,819 reports of online enticement in the calendar year 2023" in text
    assert "the more than 546,000 in the calendar year 2024" in text
