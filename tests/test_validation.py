"""Bad input gets a clear error naming file, row and column; good input passes.

Each case corrupts a private copy of data/ in one way and names the place the
validator must report. Rows are spreadsheet rows (the header is row 1); for an
article text, the row is the line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hanoi_evidence import DATA_DIR
from hanoi_evidence.__main__ import main
from hanoi_evidence.schemas import schema_problems
from hanoi_evidence.validation import validate


def test_the_real_data_is_valid():
    assert validate(DATA_DIR) == []


# --- helpers that corrupt one thing -------------------------------------------------


def read(data: Path, table: str) -> list[dict[str, str]]:
    with open(data / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(data: Path, table: str, rows: list[dict[str, str]], fields=None) -> None:
    fields = fields or list(rows[0])
    with open(data / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(table: str, row: int, column: str, value: str):
    """Corruption: put ``value`` in one cell (row numbered as in a spreadsheet)."""

    def corrupt(data: Path) -> None:
        rows = read(data, table)
        rows[row - 2][column] = value
        write(data, table, rows)

    return corrupt


def set_cells(table: str, row: int, values: dict[str, str]):
    """Corruption: put several values in one row."""

    def corrupt(data: Path) -> None:
        rows = read(data, table)
        rows[row - 2].update(values)
        write(data, table, rows)

    return corrupt


def row_number(table: str, column: str, value: str) -> int:
    """The spreadsheet row of the real data where ``column`` equals ``value``."""
    return next(i for i, r in enumerate(read(DATA_DIR, table), start=2) if r[column] == value)


def drop_column(table: str, column: str):
    def corrupt(data: Path) -> None:
        rows = read(data, table)
        write(data, table, rows, [f for f in rows[0] if f != column])

    return corrupt


def duplicate_row(table: str, row: int):
    def corrupt(data: Path) -> None:
        rows = read(data, table)
        write(data, table, rows + [rows[row - 2]])

    return corrupt


def delete_rows(table: str, column: str, value: str):
    def corrupt(data: Path) -> None:
        write(data, table, [r for r in read(data, table) if r[column] != value])

    return corrupt


def replace_in_file(relative: str, old: str, new: str):
    def corrupt(data: Path) -> None:
        path = data / relative
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return corrupt


def write_bytes(relative: str, content: bytes):
    def corrupt(data: Path) -> None:
        (data / relative).write_bytes(content)

    return corrupt


def reencode(relative: str, encoding: str):
    def corrupt(data: Path) -> None:
        path = data / relative
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return corrupt


WVR_INTERNET = row_number("mentions", "mention_id", "vn-internet-use@wvr")
HNT_OCT22 = row_number("mentions", "mention_id", "event-seminar-oct22@hnt")
INTERNET = row_number("findings", "finding_id", "vn-internet-use")
ART16 = row_number("findings", "finding_id", "convention-art16-ncii")
SEMINAR = row_number("events", "event_id", "seminar-oct22")
ARTEFACT = row_number("cleaning_rules", "rule_id", "bqt-artefact")
CAPTION = row_number("cleaning_rules", "rule_id", "waj-caption-1")

# (id, corruption, file, row, column): the validator must name this place.
CASES = [
    ("missing column", drop_column("sources", "sha256"), "data/sources.csv", 1, "sha256"),
    (
        "wrong type: date",
        set_cell("sources", 4, "published_date", "2025-13-26"),
        "data/sources.csv",
        4,
        "published_date",
    ),
    ("value not allowed: language", set_cell("sources", 2, "language", "xx"), "data/sources.csv", 2, "language"),
    ("duplicate id: source", duplicate_row("sources", 3), "data/sources.csv", 7, None),
    (
        "source text edited",
        replace_in_file("sources/003_fce785405174b8f6.txt", "THE HANOI TIMES", "THE HANOI TIMES."),
        "data/sources.csv",
        5,
        "sha256",
    ),
    ("source file missing", set_cell("sources", 2, "file", "sources/missing.txt"), "data/sources.csv", 2, "file"),
    ("bad hash format", set_cell("sources", 2, "sha256", "abc"), "data/sources.csv", 2, "sha256"),
    ("empty file", write_bytes("mentions.csv", b""), "data/mentions.csv", 1, None),
    ("wrong encoding: UTF-16", reencode("events.csv", "utf-16"), "data/events.csv", 1, "event_id"),
    (
        "wrong encoding: Latin-1 in a cell",
        write_bytes(
            "organisations.csv",
            (DATA_DIR / "organisations.csv")
            .read_bytes()
            .replace(b"Viet Nam", "Việt Nam".encode()[:2] + b"\xe9t Nam", 1),
        ),
        "data/organisations.csv",
        2,
        "country",
    ),
    (
        "extra cell",
        replace_in_file(
            "provisions.csv",
            "Criminalization,",
            "Criminalization,extra,",
        ),
        "data/provisions.csv",
        2,
        None,
    ),
    (
        "rule no longer matches its line",
        set_cell("cleaning_rules", CAPTION, "starts_with", "Colonel Duong"),
        "data/cleaning_rules.csv",
        CAPTION,
        "starts_with",
    ),
    (
        "rule: last before first",
        set_cell("cleaning_rules", CAPTION, "last_line", "11"),
        "data/cleaning_rules.csv",
        CAPTION,
        "last_line",
    ),
    (
        "rule: past end of file",
        set_cell("cleaning_rules", CAPTION, "last_line", "400"),
        "data/cleaning_rules.csv",
        CAPTION,
        "last_line",
    ),
    (
        "rule: unknown source",
        set_cell("cleaning_rules", CAPTION, "source_id", "nowhere"),
        "data/cleaning_rules.csv",
        CAPTION,
        "source_id",
    ),
    (
        "rule: unknown kind",
        set_cell("cleaning_rules", CAPTION, "kind", "advert"),
        "data/cleaning_rules.csv",
        CAPTION,
        "kind",
    ),
    (
        "rule: overlap",
        set_cell("cleaning_rules", CAPTION + 1, "first_line", "12"),
        "data/cleaning_rules.csv",
        CAPTION + 1,
        "first_line",
    ),
    (
        "flag: span not in line",
        set_cell("cleaning_rules", ARTEFACT, "span", "完美"),
        "data/cleaning_rules.csv",
        ARTEFACT,
        "span",
    ),
    (
        "flag: no reading",
        set_cell("cleaning_rules", ARTEFACT, "reading", ""),
        "data/cleaning_rules.csv",
        ARTEFACT,
        "reading",
    ),
    ("low above high", set_cell("findings", INTERNET, "value_low", "95"), "data/findings.csv", INTERNET, "value_high"),
    (
        "wrong type: number",
        set_cell("findings", INTERNET, "value_low", "ninety"),
        "data/findings.csv",
        INTERNET,
        "value_low",
    ),
    (
        "statistic without value",
        set_cell("findings", INTERNET, "value_high", ""),
        "data/findings.csv",
        INTERNET,
        "value_low",
    ),
    (
        "value not allowed: attribution",
        set_cell("findings", INTERNET, "attribution", "maybe"),
        "data/findings.csv",
        INTERNET,
        "attribution",
    ),
    (
        "bib key missing",
        set_cell("findings", INTERNET, "primary_source", "nobody2099"),
        "data/findings.csv",
        INTERNET,
        "primary_source",
    ),
    (
        "consulted key missing",
        set_cell("findings", INTERNET, "consulted", "ecpat2022dhvnlaunch;nobody2099"),
        "data/findings.csv",
        INTERNET,
        "consulted",
    ),
    (
        "probable without source",
        set_cell("findings", INTERNET, "primary_source", ""),
        "data/findings.csv",
        INTERNET,
        "primary_source",
    ),
    (
        "duplicate id: finding",
        duplicate_row("findings", INTERNET),
        "data/findings.csv",
        len(read(DATA_DIR, "findings")) + 2,
        None,
    ),
    (
        "article not in provisions",
        set_cell("findings", ART16, "value_high", "17"),
        "data/findings.csv",
        ART16,
        "value_low",
    ),
    (
        "quote not in source",
        set_cell("mentions", WVR_INTERNET, "quote", "nearly nine in ten children aged 12-17 are engaged online"),
        "data/mentions.csv",
        WVR_INTERNET,
        "quote",
    ),
    (
        "unknown finding id",
        set_cell("mentions", WVR_INTERNET, "finding_id", "vn-internet-uses"),
        "data/mentions.csv",
        WVR_INTERNET,
        "finding_id",
    ),
    (
        "unknown source id",
        set_cell("mentions", WVR_INTERNET, "source_id", "nyt"),
        "data/mentions.csv",
        WVR_INTERNET,
        "source_id",
    ),
    (
        "quote from a removed caption",
        set_cell("mentions", WVR_INTERNET, "line", "24"),
        "data/mentions.csv",
        WVR_INTERNET,
        "line",
    ),
    ("line below one", set_cell("mentions", WVR_INTERNET, "line", "0"), "data/mentions.csv", WVR_INTERNET, "line"),
    (
        "worded value not in quote",
        set_cell("mentions", WVR_INTERNET, "value_as_worded", "nearly 90%"),
        "data/mentions.csv",
        WVR_INTERNET,
        "value_as_worded",
    ),
    (
        "worded value disagrees",
        set_cells("findings", INTERNET, {"value_low": "60", "value_high": "60"}),
        "data/mentions.csv",
        WVR_INTERNET,
        "value_as_worded",
    ),
    (
        "hedge not in quote",
        set_cell("mentions", WVR_INTERNET, "hedge", "around"),
        "data/mentions.csv",
        WVR_INTERNET,
        "hedge",
    ),
    (
        "empty required quote",
        set_cell("mentions", WVR_INTERNET, "quote", ""),
        "data/mentions.csv",
        WVR_INTERNET,
        "quote",
    ),
    (
        "date disagrees",
        set_cell("mentions", HNT_OCT22, "value_as_worded", "October 2"),
        "data/mentions.csv",
        HNT_OCT22,
        "value_as_worded",
    ),
    ("exclusion not found", set_cell("exclusions", 2, "expression", "Thirdly"), "data/exclusions.csv", 2, "expression"),
    (
        "event ends before it starts",
        set_cell("events", SEMINAR, "date_end", "2025-10-21"),
        "data/events.csv",
        SEMINAR,
        "date_end",
    ),
    (
        "unknown organiser",
        set_cell("events", SEMINAR, "organisers", "mps;who"),
        "data/events.csv",
        SEMINAR,
        "organisers",
    ),
    (
        "unknown source in a list",
        set_cell("organisations", 2, "sources", "waj;xyz"),
        "data/organisations.csv",
        2,
        "sources",
    ),
    ("value not allowed: chapter", set_cell("provisions", 2, "chapter", "X"), "data/provisions.csv", 2, "chapter"),
    (
        "finding without mention",
        delete_rows("mentions", "finding_id", "vn-cyberbullying"),
        "data/findings.csv",
        row_number("findings", "finding_id", "vn-cyberbullying"),
        "finding_id",
    ),
]


@pytest.mark.parametrize("corrupt, file, row, column", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_corrupted_data_is_rejected_at_the_right_place(data_copy, corrupt, file, row, column):
    corrupt(data_copy)
    problems = validate(data_copy)
    places = [(p.file, p.row, p.column) for p in problems]
    assert places, "the corruption was not detected"
    if column is None:
        assert (file, row) in [(f, r) for f, r, _ in places], places
    else:
        assert (file, row, column) in places, places


def test_at_least_thirty_kinds_of_bad_input():
    assert len(CASES) >= 30


def test_removing_a_statistic_leaves_its_numbers_uncurated(data_copy):
    """The completeness check fails when a statistic's mention is removed from the data."""
    delete_rows("mentions", "mention_id", "global-women-online-violence@mar28")(data_copy)
    problems = [p for p in validate(data_copy) if p.unit == "line"]
    assert [(p.file, p.row) for p in problems] == [("data/sources/004_994f2c2b6f35153f.txt", 16)]
    assert "'38%'" in problems[0].message


def test_a_new_number_in_a_source_is_reported(data_copy):
    """An uncurated number is caught even when the rest of the line is quoted."""
    exclusions = read(data_copy, "exclusions")
    write(data_copy, "exclusions", [r for r in exclusions if r["expression"] != "four"])
    problems = validate(data_copy)
    assert any(p.row == 20 and "'four'" in p.message for p in problems)


def test_command_line_reports_problems_and_exit_status(data_copy, capsys):
    assert main(["validate", str(DATA_DIR)]) == 0
    set_cell("findings", INTERNET, "value_low", "95")(data_copy)
    assert main(["validate", str(data_copy)]) == 1
    assert f"data/findings.csv, row {INTERNET}, column 'value_high'" in capsys.readouterr().err


# More ways a table can be malformed, each found by the schema checks alone (file None: still valid).
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
    ),  # a UTF-8 byte order mark is no part of the header
    (
        "referenced table broken",
        write_bytes("findings.csv", (DATA_DIR / "findings.csv").read_bytes()[:-200] + b"\xff\n"),
        "data/findings.csv",
    ),
]


@pytest.mark.parametrize("case", EXTRA_CASES, ids=[c[0] for c in EXTRA_CASES])
def test_extra_cases_are_detected(data_copy, case):
    _, corrupt, file = case
    corrupt(data_copy)
    files = {p.file for p in schema_problems(data_copy)}
    if file is None:
        assert files == set()  # still valid CSV
    else:
        assert file in files


def test_pattern_must_match_the_whole_cell(data_copy):
    """Table Schema's pattern is a full match: a cell that only starts with 'primary' is wrong."""
    set_cell("drift", 2, "compared_with", "primary-and-more!")(data_copy)
    problems = schema_problems(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("data/drift.csv", 2, "compared_with")]
    assert "pattern" in problems[0].message
