"""Part III and the appendices: pages, glued numbers, figures, the drift data and the glossary."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import page_text
from hanoi_evidence import DATA_DIR, drift, figures, register
from hanoi_evidence.tables import load_table
from hanoi_evidence.validation import validate

PAGES = ["numbers-travel", "evidence-register", "side-by-side", "glossary", "data-dictionary", "methods"]


# --- the built book -----------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_exists(built_book, page):
    html_dir, _ = built_book
    assert (html_dir / "chapters" / f"{page}.html").is_file()


def test_glued_numbers_equal_the_data(built_book):
    html_dir, _ = built_book
    counts = drift.summary()
    travel = page_text(html_dir, "numbers-travel")
    assert f"{counts['findings']} are stated by more than one article, in {counts['mentions']} mentions" in travel
    assert f"found {counts['drifts']} drifts; {counts['material_drifts']} of them" in travel
    assert f"The drifts fall into {counts['kinds_found']} kinds" in travel
    assert f"Another {counts['no_primary']} mentions could not be checked" in travel
    findings, mentions = load_table("findings"), load_table("mentions")
    assert f"The register holds {len(findings)} findings and {len(mentions)} mentions" in page_text(
        html_dir, "evidence-register"
    )
    methods = page_text(html_dir, "methods")
    assert f"holds {len(load_table('cleaning_rules'))} rules" in methods
    assert f"among the {len(load_table('exclusions'))} exclusions" in methods
    assert "Uncurated expressions today: 0" in methods
    assert f"The glossary holds {len(load_table('glossary'))} terms" in page_text(html_dir, "glossary")


def test_the_register_quotes_every_mention_verbatim(built_book):
    html_dir, _ = built_book
    text = page_text(html_dir, "evidence-register")
    for quote in load_table("mentions")["quote"]:
        assert " ".join(quote.split()) in text, quote


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_has_alt_text_and_a_cited_caption(built_book, page):
    html_dir, _ = built_book
    raw = (html_dir / "chapters" / f"{page}.html").read_text(encoding="utf-8")
    for figure in re.findall(r"<figure.*?</figure>", raw, re.S):
        alt = re.search(r'<img[^>]*alt="([^"]*)"', figure)
        assert alt and len(alt.group(1)) > 40 and not re.fullmatch(r"[0-9a-f]{20,}", alt.group(1)), figure[:300]
        caption = re.search(r"<figcaption.*?</figcaption>", figure, re.S)
        assert caption and "bibliography.html#" in caption.group(0), "the caption cites no source"


def test_the_drift_grid_is_numbered_and_shown(built_book):
    html_dir, _ = built_book
    raw = (html_dir / "chapters" / "numbers-travel.html").read_text(encoding="utf-8")
    assert re.search(r'<table[^>]*id="tbl-travel-grid"', raw), "the drift grid is missing"
    assert "Table 7.1" in page_text(html_dir, "numbers-travel")


def test_part_three_keeps_a_few_tables_and_the_appendix_sets_every_finding_side_by_side(built_book):
    html_dir, _ = built_book
    travel = (html_dir / "chapters" / "numbers-travel.html").read_text(encoding="utf-8")
    side = (html_dir / "chapters" / "side-by-side.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<table\b", travel)) <= 3
    for finding_id in drift.multi_source_findings():
        assert f'id="tbl-side-{finding_id}"' in side, finding_id


def test_each_kind_of_drift_found_has_an_example(built_book):
    html_dir, _ = built_book
    travel = page_text(html_dir, "numbers-travel")
    kinds = drift.kinds_table()
    assert len(kinds) == drift.summary()["kinds_found"]
    for example in kinds["Example"]:
        assert " ".join(example.split()) in travel.translate(str.maketrans("‘’", "''")), example


def test_glossary_vietnamese_terms_keep_their_diacritics(built_book):
    html_dir, _ = built_book
    text = unicodedata.normalize("NFC", page_text(html_dir, "glossary"))
    terms = [t for t in load_table("glossary")["vietnamese"].dropna()]
    assert any(re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", t) for t in terms)
    for term in terms:
        assert term in text, term


def test_register_links_each_group_to_its_chapter(built_book):
    html_dir, _ = built_book
    raw = (html_dir / "chapters" / "evidence-register.html").read_text(encoding="utf-8")
    for doc, _, _ in register.CHAPTERS:
        assert f'href="{doc.split("/")[-1]}.html' in raw, doc
    assert re.search(r'href="[^"]*_downloads/[^"]*/drift\.csv"', raw)


# --- the drift data -----------------------------------------------------------------------


def test_the_drift_data_validates():
    assert [p for p in validate(DATA_DIR) if "drift" in p.file or "glossary" in p.file] == []


def test_every_mention_of_a_repeated_finding_is_classified():
    classified = set(load_table("drift")["mention_id"])
    mentions = load_table("mentions")
    for finding_id in drift.multi_source_findings():
        assert set(mentions[mentions["finding_id"] == finding_id]["mention_id"]) <= classified


def test_the_named_drifts_are_recorded():
    table = load_table("drift")
    kinds = set(zip(table["mention_id"], table["kind"], strict=True))
    assert ("apac-tfgbv-range@wvr", "geography_changed") in kinds
    assert ("global-women-online-violence@mar28", "hedge_added") in kinds
    assert ("global-enticement-reports@hnt", "measure_changed") in kinds
    assert ("vn-safety-information@wvr", "measure_changed") in kinds
    assert all(("vn-women-sexual-violence@" + s, "qualifier_dropped") in kinds for s in ["waj", "wvr", "hnt"])


def test_the_grid_shows_the_drift_rows():
    cells = drift.grid()
    table = drift.drift_table()
    for (finding_id, source_id), group in table.groupby(["finding_id", "source_id"]):
        cell = cells[(cells["finding_id"] == finding_id) & (cells["source_id"] == source_id)].iloc[0]
        assert set(cell["labels"]) == set(group["kind_label"])
        assert (cell["state"] == "changes") == ("yes" in set(group["changes_conclusion"]))


def test_the_grid_shades_the_drifts_that_change_the_conclusion():
    table = figures.drift_grid(
        drift.drift_table(), drift.multi_source_findings(), load_table("sources"), drift.finding_names(), "tbl-x", "X."
    ).data
    counts = drift.summary()
    rows = table.split("\n* - ")[2:]  # after the directive's options and the header row
    assert len(rows) == counts["findings"]
    assert sum("shade-changes" in row for row in rows) == counts["material_findings"]


def _edit(data: Path, table: str, row: int, column: str, value: str) -> None:
    path = data / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row - 2][column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _row(table: str, **match) -> int:
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if all(row[k] == v for k, v in match.items()):
                return number
    raise LookupError(match)


APAC = _row("drift", mention_id="apac-tfgbv-range@wvr", kind="geography_changed")
NONE_ROW = _row("drift", mention_id="vn-no-national-data@waj")
HNT_DISCLOSURE = _row("drift", mention_id="vn-disclosure@hnt", kind="measure_changed")

CORRUPTIONS = [
    ("unknown kind", "drift", APAC, "kind", "geography_moved", "data/drift.csv", APAC, "kind"),
    ("unknown mention", "drift", APAC, "mention_id", "apac-tfgbv-range@xyz", "data/drift.csv", APAC, "mention_id"),
    ("not yes or no", "drift", APAC, "changes_conclusion", "maybe", "data/drift.csv", APAC, "changes_conclusion"),
    (
        "compared with a mention of another finding",
        "drift",
        HNT_DISCLOSURE,
        "compared_with",
        "vn-internet-use@wvr",
        "data/drift.csv",
        HNT_DISCLOSURE,
        "compared_with",
    ),
    (
        "compared with itself",
        "drift",
        HNT_DISCLOSURE,
        "compared_with",
        "vn-disclosure@hnt",
        "data/drift.csv",
        HNT_DISCLOSURE,
        "compared_with",
    ),
    ("none beside a drift", "drift", APAC, "kind", "none", "data/drift.csv", APAC, "kind"),
    ("no_primary for a traced finding", "drift", NONE_ROW, "kind", "no_primary", "data/drift.csv", NONE_ROW, "kind"),
    (
        "Vietnamese term without its source",
        "glossary",
        _row("glossary", term="cyberbullying"),
        "vietnamese_source",
        "",
        "data/glossary.csv",
        _row("glossary", term="cyberbullying"),
        "vietnamese_source",
    ),
    (
        "decomposed diacritics",
        "glossary",
        _row("glossary", term="cyberbullying"),
        "vietnamese",
        unicodedata.normalize("NFD", "bắt nạt trên mạng"),
        "data/glossary.csv",
        _row("glossary", term="cyberbullying"),
        "vietnamese",
    ),
    (
        "unknown bibliography key",
        "glossary",
        _row("glossary", term="cyberbullying"),
        "definition_source",
        "nosuchkey2099",
        "data/glossary.csv",
        _row("glossary", term="cyberbullying"),
        "definition_source",
    ),
]


@pytest.mark.parametrize(
    "table, row, column, value, file, at_row, at_column", [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS]
)
def test_corrupted_rows_are_rejected_at_the_right_place(data_copy, table, row, column, value, file, at_row, at_column):
    _edit(data_copy, table, row, column, value)
    places = [(p.file, p.row, p.column) for p in validate(data_copy)]
    assert (file, at_row, at_column) in places, places


def test_an_unclassified_mention_is_reported(data_copy):
    path = data_copy / "drift.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if r["mention_id"] != "apac-tfgbv-range@hnt"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    places = [(p.file, p.row, p.column) for p in validate(data_copy)]
    assert ("data/mentions.csv", _row("mentions", mention_id="apac-tfgbv-range@hnt"), "mention_id") in places
