"""The claim–verdict model: every label claims only what was read, and the verdict summary comes from the data.

Each corruption changes one cell of a private copy of data/ so that a label claims more than
data/reads.csv records as read; the validator must name the file, row and column.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import page_text
from hanoi_evidence import DATA_DIR, verdicts
from hanoi_evidence.tables import load_table
from hanoi_evidence.validation import validate
from test_validation import read, row_number, set_cell, write


def claims_row(claim_id: str) -> int:
    return row_number("claims", "claim_id", claim_id)


def reads_row(key: str) -> int:
    return row_number("reads", "bib_key", key)


def add_caption_citing(key: str):
    """Corruption: a chapter whose figure caption cites ``key``."""

    def corrupt(data: Path) -> None:
        chapters = data.parent / "chapters"
        chapters.mkdir(exist_ok=True)
        (chapters / "extra.md").write_text(
            "# Extra\n\n```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    name: fig-extra\n"
            f"    caption: A figure that cites {{cite:p}}`{key}`.\n---\n1\n```\n",
            encoding="utf-8",
        )

    return corrupt


def drop_claim_of(mention_id: str):
    """Corruption: a mention that no claim rests on any more."""

    def corrupt(data: Path) -> None:
        rows = read(data, "claims")
        for row in rows:
            row["mentions"] = ";".join(m for m in row["mentions"].split(";") if m != mention_id)
        write(data, "claims", [row for row in rows if row["mentions"]])

    return corrupt


INTERNET = row_number("findings", "finding_id", "vn-internet-use")
ADOPTED = row_number("findings", "finding_id", "convention-adopted")
GLOSSARY_CSAM = row_number("glossary", "term", "child sexual abuse material")
STATUS_UN_NEWS = row_number("convention_status", "fact_id", "signatories-un-news")


def claim_case(name: str, claim_id: str, column: str, value: str, reported_in: str) -> tuple:
    """A case that puts ``value`` in one cell of a claim and expects the problem in that claim's row."""
    row = claims_row(claim_id)
    return (name, set_cell("claims", row, column, value), "data/claims.csv", row, reported_in)


CASES = [
    (
        "traced without the primary document read",
        set_cell("findings", INTERNET, "attribution", "traced"),
        "data/findings.csv",
        INTERNET,
        "attribution",
    ),
    (
        "a source marked unread un-traces its findings",
        set_cell("reads", reads_row("untc2025xviii16"), "read", "not read"),
        "data/findings.csv",
        ADOPTED,
        "attribution",
    ),
    claim_case(
        "a level above what was read", "vn-internet-use", "evidence_level", "primary", reported_in="evidence_level"
    ),
    claim_case(
        "a level with no source at all", "vn-disclosure", "evidence_level", "press", reported_in="evidence_level"
    ),
    claim_case(
        "a weighed verdict on a probable source", "vn-nap-wps-2024", "verdict", "accurate", reported_in="verdict"
    ),
    claim_case(
        "unsupported although a source was read",
        "unodc-research-decade",
        "verdict",
        "unsupported",
        reported_in="verdict",
    ),
    claim_case("mis-scoped without what changed", "vn-cyberbullying", "scope_changed", "", reported_in="scope_changed"),
    claim_case("unknown verdict", "vn-cyberbullying", "verdict", "half-true", reported_in="verdict"),
    claim_case(
        "unknown mention in a claim", "vn-cyberbullying", "mentions", "vn-cyberbullying@nyt", reported_in="mentions"
    ),
    (
        "a mention with no verdict",
        drop_claim_of("vn-cyberbullying@mar28"),
        "data/mentions.csv",
        row_number("mentions", "mention_id", "vn-cyberbullying@mar28"),
        "mention_id",
    ),
    (
        "a cited source with no read record",
        set_cell("reads", reads_row("unicef2019ureportvn"), "bib_key", "unicef2019elsewhere"),
        "data/reads.csv",
        reads_row("unicef2019ureportvn"),
        "bib_key",
    ),
    (
        "a glossary definition citing an unread text",
        set_cell("glossary", GLOSSARY_CSAM, "definition_source", "unga2024res79243"),
        "data/glossary.csv",
        GLOSSARY_CSAM,
        "definition_source",
    ),
    (
        "a status fact rated above what was read",
        set_cell("convention_status", STATUS_UN_NEWS, "evidence_level", "primary"),
        "data/convention_status.csv",
        STATUS_UN_NEWS,
        "evidence_level",
    ),
    ("a caption citing an unread text", add_caption_citing("unga2024res79243"), "chapters/extra.md", 8, "caption"),
]


@pytest.mark.parametrize("corrupt, file, row, column", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_label_that_claims_more_than_was_read_is_refused(data_copy, corrupt, file, row, column):
    assert validate(data_copy) == [], "the copy must start valid"
    corrupt(data_copy)
    places = [(p.file, p.row, p.column) for p in validate(data_copy)]
    assert (file, row, column) in places, places


def test_the_real_data_labels_claim_only_what_was_read():
    """Nothing is traced or rated 'primary' unless reads.csv has its primary document read."""
    with open(DATA_DIR / "reads.csv", encoding="utf-8", newline="") as handle:
        reads = {r["bib_key"]: r for r in csv.DictReader(handle)}
    with open(DATA_DIR / "findings.csv", encoding="utf-8", newline="") as handle:
        traced = [r for r in csv.DictReader(handle) if r["attribution"] == "traced"]
    assert traced
    for finding in traced:
        read = reads[finding["primary_source"]]
        assert (read["document"], read["read"] != "not read") == ("primary document", True), finding["finding_id"]
    for claim in verdicts.claims().itertuples():
        if claim.evidence_level == "primary":
            assert any(reads[key]["document"] == "primary document" for key in claim.evidence.split(";"))


def test_the_false_status_claim_is_a_wrong_verdict_not_a_finding():
    table = verdicts.claims().set_index("claim_id")
    assert table.loc["convention-not-yet-adopted", "verdict"] == "wrong"
    assert table.loc["signing-upcoming", "verdict"] == "accurate"
    errors = verdicts.status_errors()
    assert list(errors["claim_id"]) == ["convention-not-yet-adopted"]
    assert [verdicts.claim_articles()[c] for c in errors["claim_id"]] == [["WVR, 22 Oct"]]


def test_the_landing_page_counts_come_from_the_verdicts(built_book):
    html_dir, result = built_book
    assert result.returncode == 0, result.stderr[-3000:]
    text = page_text(html_dir, "index")
    counts = verdicts.summary_values("ix")
    assert f"Of {counts['ix_n_claims']} claims, {counts['ix_n_accurate']} are accurate" in text
    assert f"{counts['ix_status_wrong_articles']} still spoke of it as not yet adopted" in text
    assert counts["ix_status_wrong_articles"] == "one article"


def test_the_bibliography_prints_no_working_notes_and_the_register_shows_what_was_read(built_book):
    from pybtex.database import parse_file

    html_dir, _ = built_book
    bibliography = page_text(html_dir, "bibliography")
    notes = [
        e.fields["annote"]
        for e in parse_file(str(DATA_DIR.parent / "references.bib")).entries.values()
        if "annote" in e.fields
    ]
    assert notes, "the working notes were not read"
    assert [note for note in notes if " ".join(note.split())[:60] in bibliography] == []
    # Sphinx sets typographic quotes; compare with the data's straight ones.
    register = page_text(html_dir, "evidence-register").translate(str.maketrans("‘’“”", "''\"\""))
    for row in load_table("reads").itertuples():
        assert " ".join(row.what_was_read.split()) in register, row.bib_key
