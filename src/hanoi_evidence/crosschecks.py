"""Rules across files that a table schema cannot express.

Each rule is a function ``(context) -> list[Problem]``. The rules run only once
every table has passed its schema, so they may trust types and keys. Quotes are
matched character for character, with no normalisation of spaces, dashes or
quotation marks: a quote is evidence only if it is exactly what the article says.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pybtex.database import parse_file

from hanoi_evidence.completeness import uncurated_expressions
from hanoi_evidence.numbers import Expression, find_expressions, parse_value
from hanoi_evidence.problems import Problem

# A worded value may round the canonical one ("nearly 90%" for 89%, "a third" for 36%);
# beyond this relative distance it is a different number, most likely a typing error.
VALUE_TOLERANCE = 0.10
NUMERIC_UNITS = {"percent", "count", "ratio", "years", "year", "days", "article"}
MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


@dataclass
class Context:
    """The data as the rules see it: rows as strings, and the article texts."""

    data_dir: Path
    tables: dict[str, list[dict[str, str]]]  # as validation.read_rows gives them
    bib_path: Path

    def rows(self, table: str):
        """(spreadsheet row number, row) pairs: the header is row 1."""
        return enumerate(self.tables[table], start=2)

    @cached_property
    def texts(self) -> dict[str, str]:
        """Each source's text as received (a file that is missing is left out)."""
        texts = {}
        for row in self.tables["sources"]:
            path = self.data_dir / row["file"]
            if path.is_file():
                texts[row["source_id"]] = path.read_bytes().decode("utf-8")  # not read_text: it would rewrite "\r\n"
        return texts

    def digest(self, source_id: str) -> str:
        """The SHA-256 of the source file (UTF-8 text encodes back to exactly the bytes it was read from)."""
        return hashlib.sha256(self.texts[source_id].encode("utf-8")).hexdigest()

    @cached_property
    def _lines(self) -> dict[str, list[str]]:
        return {source_id: text.split("\n") for source_id, text in self.texts.items()}

    def lines(self, source_id: str) -> list[str]:
        """The source's lines as received ([] for a missing file)."""
        return self._lines.get(source_id, [])

    @cached_property
    def removed(self) -> dict[str, set[int]]:
        """Line numbers each source's cleaning rules remove."""
        removed: dict[str, set[int]] = {}
        for rule in self.tables["cleaning_rules"]:
            if rule["action"] == "remove":
                span = range(int(rule["first_line"]), int(rule["last_line"]) + 1)
                removed.setdefault(rule["source_id"], set()).update(span)
        return removed

    @cached_property
    def reads(self) -> dict[str, dict[str, str]]:
        """bib key -> its row of data/reads.csv: what the source is and how much of it was read."""
        return {row["bib_key"]: row for row in self.tables.get("reads", [])}

    @cached_property
    def level_ranks(self) -> dict[str, int]:
        """Evidence level -> its rank (data/evidence_levels.csv): 4 the primary document read, 0 no source."""
        return {row["level"]: int(row["rank"]) for row in self.tables.get("evidence_levels", [])}

    @cached_property
    def bib_keys(self) -> set[str]:
        return set(parse_file(str(self.bib_path)).entries.keys()) if self.bib_path.is_file() else set()

    @cached_property
    def _source_files(self) -> dict[str, str]:
        files: dict[str, str] = {}
        for r in self.tables["sources"]:
            files.setdefault(r["source_id"], f"data/{r['file']}")  # the first row, as a scan would find
        return files

    def source_file(self, source_id: str) -> str:
        return self._source_files[source_id]

    @cached_property
    def body_expressions(self) -> dict[tuple[str, int], list[Expression]]:
        """(source_id, line number) -> the numeric expressions on that line of the article body, where there are any.

        Found once, for the two rules that need them: ``exclusions_match`` and ``completeness``.
        """
        found = {}
        for source_id, lines in self._lines.items():
            removed = self.removed.get(source_id, set())
            for number, line in enumerate(lines, start=1):
                expressions = find_expressions(line) if number not in removed else []
                if expressions:
                    found[(source_id, number)] = expressions
        return found

    def body_line(self, source_id: str, number: int) -> str | None:
        """The text of a line of the article body, or None if it is not in the body."""
        lines = self.lines(source_id)
        if not 1 <= number <= len(lines) or number in self.removed.get(source_id, set()):
            return None
        return lines[number - 1]


def source_hashes(ctx: Context) -> list[Problem]:
    """Each article file exists and is byte for byte the file received."""
    problems = []
    for row_number, row in ctx.rows("sources"):
        if row["source_id"] not in ctx.texts:
            problems.append(Problem("data/sources.csv", row_number, "file", f"no such file: data/{row['file']}"))
            continue
        actual = ctx.digest(row["source_id"])
        if actual != row["sha256"]:
            problems.append(
                Problem(
                    "data/sources.csv",
                    row_number,
                    "sha256",
                    f"data/{row['file']} has SHA-256 {actual}, not the recorded {row['sha256']}: "
                    "the source text was edited (sources are kept exactly as received)",
                )
            )
    return problems


def cleaning_rules(ctx: Context) -> list[Problem]:
    """Each rule points at lines that exist and still start as recorded; flags name their span."""
    file, problems, claimed = "data/cleaning_rules.csv", [], {}
    for row_number, rule in ctx.rows("cleaning_rules"):
        lines = ctx.lines(rule["source_id"])
        first, last = int(rule["first_line"]), int(rule["last_line"])
        if last < first:
            problems.append(Problem(file, row_number, "last_line", f"last_line {last} is before first_line {first}"))
            continue
        if last > len(lines):
            problems.append(
                Problem(file, row_number, "last_line", f"line {last} is past the end of the file ({len(lines)} lines)")
            )
            continue
        if not lines[first - 1].startswith(rule["starts_with"]):
            problems.append(
                Problem(
                    file,
                    row_number,
                    "starts_with",
                    f"line {first} does not start with {rule['starts_with']!r}; it reads {lines[first - 1][:60]!r}",
                )
            )
        if rule["action"] == "flag":
            if not rule["span"] or rule["span"] not in "\n".join(lines[first - 1 : last]):
                problems.append(Problem(file, row_number, "span", f"a flag needs a span found in lines {first}-{last}"))
            if not rule["reading"]:
                problems.append(
                    Problem(file, row_number, "reading", "a flag must say what the artefact most likely means")
                )
            continue
        for number in range(first, last + 1):
            other = claimed.setdefault((rule["source_id"], number), rule["rule_id"])
            if other != rule["rule_id"]:
                problems.append(
                    Problem(file, row_number, "first_line", f"line {number} is already removed by rule {other}")
                )
    return problems


def findings(ctx: Context) -> list[Problem]:
    """Values are complete and ordered; attributions name a source exactly when they should."""
    file, problems = "data/findings.csv", []
    for row_number, row in ctx.rows("findings"):
        low, high = row["value_low"], row["value_high"]
        if row["unit"] in NUMERIC_UNITS and not (low and high):
            problems.append(
                Problem(file, row_number, "value_low", f"unit {row['unit']!r} needs value_low and value_high")
            )
        if low and high and float(low) > float(high):
            problems.append(Problem(file, row_number, "value_high", f"value_high {high} is below value_low {low}"))
        if row["unit"] == "date" and not row["value_date"]:
            problems.append(Problem(file, row_number, "value_date", "unit 'date' needs value_date"))
        if row["attribution"] in ("traced", "probable") and not row["primary_source"]:
            problems.append(
                Problem(
                    file, row_number, "primary_source", f"attribution {row['attribution']!r} needs a primary_source"
                )
            )
        if row["attribution"] == "unknown" and row["primary_source"]:
            problems.append(
                Problem(file, row_number, "primary_source", "attribution 'unknown' cannot name a primary_source")
            )
    return problems


def provision_findings(ctx: Context) -> list[Problem]:
    """A finding about a Convention article names articles listed in provisions.csv."""
    articles = {int(row["article"]) for row in ctx.tables["provisions"]}
    problems = []
    for row_number, row in ctx.rows("findings"):
        if row["unit"] == "article":
            for number in {int(float(row["value_low"])), int(float(row["value_high"]))} - articles:
                problems.append(
                    Problem(
                        "data/findings.csv", row_number, "value_low", f"article {number} is not in data/provisions.csv"
                    )
                )
    return problems


# Every column that holds references.bib keys (';'-separated where several).
CITING_COLUMNS = [
    ("sources", "bib_key"),
    ("findings", "primary_source"),
    ("findings", "consulted"),
    ("events", "reference"),
    ("claims", "evidence"),
    ("glossary", "definition_source"),
    ("convention_status", "source"),
    ("convention_topics", "source"),
]


def bibliography_keys(ctx: Context) -> list[Problem]:
    """Every cited key exists in references.bib."""
    if not ctx.bib_path.is_file():
        return [Problem(str(ctx.bib_path.name), None, None, "the bibliography file is missing")]
    problems = []
    for table, column in CITING_COLUMNS:
        for row_number, row in ctx.rows(table):
            for key in filter(None, row[column].split(";")):
                if key not in ctx.bib_keys:
                    problems.append(
                        Problem(f"data/{table}.csv", row_number, column, f"no entry {key!r} in references.bib")
                    )
    return problems


def id_lists(ctx: Context) -> list[Problem]:
    """Every id in a ';'-separated list column exists in the table it refers to."""
    known = {
        "sources": {r["source_id"] for r in ctx.tables["sources"]},
        "organisations": {r["org_id"] for r in ctx.tables["organisations"]},
    }
    columns = [
        ("organisations", "sources", "sources"),
        ("events", "sources", "sources"),
        ("events", "organisers", "organisations"),
        ("provisions", "sources", "sources"),
    ]
    problems = []
    for table, column, target in columns:
        for row_number, row in ctx.rows(table):
            for item in filter(None, row[column].split(";")):
                if item not in known[target]:
                    problems.append(
                        Problem(
                            f"data/{table}.csv", row_number, column, f"unknown id {item!r} (not in data/{target}.csv)"
                        )
                    )
    return problems


def dates_in_order(ctx: Context) -> list[Problem]:
    """An event ends on or after the day it starts."""
    return [
        Problem(
            "data/events.csv",
            row_number,
            "date_end",
            f"date_end {row['date_end']} is before date_start {row['date_start']}",
        )
        for row_number, row in ctx.rows("events")
        if row["date_end"] < row["date_start"]  # ISO dates compare as strings
    ]


def mentions_per_finding(ctx: Context) -> list[Problem]:
    """Findings from the articles have mentions; reference facts have none."""
    mentioned = {m["finding_id"] for m in ctx.tables["mentions"]}
    problems = []
    for row_number, row in ctx.rows("findings"):
        if row["kind"] == "reference" and row["finding_id"] in mentioned:
            problems.append(
                Problem(
                    "data/findings.csv",
                    row_number,
                    "kind",
                    "a 'reference' finding is stated by no article, but mentions.csv has mentions of it",
                )
            )
        elif row["kind"] != "reference" and row["finding_id"] not in mentioned:
            problems.append(
                Problem(
                    "data/findings.csv", row_number, "finding_id", "no mention in data/mentions.csv states this finding"
                )
            )
    return problems


def mention_quotes(ctx: Context) -> list[Problem]:
    """Each quote stands verbatim on its line of the article body, with its worded value and hedge."""
    file, problems = "data/mentions.csv", []
    for row_number, row in ctx.rows("mentions"):
        line = ctx.body_line(row["source_id"], int(row["line"]))
        if line is None:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "line",
                    f"line {row['line']} of {ctx.source_file(row['source_id'])} is not in the article body",
                )
            )
            continue
        if row["quote"] not in line:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "quote",
                    f"not found verbatim on line {row['line']} of {ctx.source_file(row['source_id'])}",
                )
            )
            continue
        if row["value_as_worded"] not in row["quote"]:
            problems.append(
                Problem(file, row_number, "value_as_worded", f"{row['value_as_worded']!r} does not occur in the quote")
            )
        if row["hedge"] != "none" and row["hedge"] not in row["quote"].lower():
            problems.append(
                Problem(file, row_number, "hedge", f"the hedge {row['hedge']!r} does not occur in the quote")
            )
    return problems


def mention_values(ctx: Context) -> list[Problem]:
    """The value read from each worded value agrees with its finding's canonical value."""
    findings_by_id = {row["finding_id"]: row for row in ctx.tables["findings"]}
    problems = []
    for row_number, row in ctx.rows("mentions"):
        finding = findings_by_id[row["finding_id"]]
        worded = row["value_as_worded"]
        if not worded or (finding["unit"] in NUMERIC_UNITS and not (finding["value_low"] and finding["value_high"])):
            continue  # no value to compare; a finding without one is reported by `findings`
        if finding["unit"] == "date":
            problem = _date_disagreement(worded, finding["value_date"])
        elif finding["unit"] in NUMERIC_UNITS:
            problem = _value_disagreement(worded, finding)
        else:
            continue  # an ordinal such as "first-ever" qualifies a claim that has no value
        if problem:
            problems.append(Problem("data/mentions.csv", row_number, "value_as_worded", problem))
    return problems


def _value_disagreement(worded: str, finding: dict[str, str]) -> str | None:
    parsed = parse_value(worded)
    if parsed is None:
        return f"{worded!r} states no number, but finding {finding['finding_id']} has one"
    low, high = float(finding["value_low"]), float(finding["value_high"])
    slack = VALUE_TOLERANCE * max(abs(low), abs(high))
    if parsed[0] < low - slack or parsed[1] > high + slack:
        return (
            f"{worded!r} reads as {_range(parsed)}, which does not agree with finding "
            f"{finding['finding_id']} ({_range((low, high))}, within {VALUE_TOLERANCE:.0%})"
        )
    return None


def _date_disagreement(worded: str, iso_date: str) -> str | None:
    match = re.search(r"([A-Za-z]+)\s+(\d{1,2})", worded)
    if not match or match.group(1).lower() not in MONTH_NUMBERS:
        return f"{worded!r} is not a date such as 'October 22'"
    _, month, day = (int(part) for part in iso_date.split("-"))
    if (MONTH_NUMBERS[match.group(1).lower()], int(match.group(2))) != (month, day):
        return f"{worded!r} does not agree with the finding's date {iso_date}"
    return None


def _range(values: tuple[float, float]) -> str:
    low, high = values
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def exclusions_match(ctx: Context) -> list[Problem]:
    """Each exclusion names an expression that the completeness check really finds there."""
    problems = []
    for row_number, row in ctx.rows("exclusions"):
        found = [e.text for e in ctx.body_expressions.get((row["source_id"], int(row["line"])), [])]
        if row["expression"] not in found:
            problems.append(
                Problem(
                    "data/exclusions.csv",
                    row_number,
                    "expression",
                    f"{row['expression']!r} is not a numeric expression on line {row['line']} of the article body",
                )
            )
    return problems


def completeness(ctx: Context) -> list[Problem]:
    """Every numeric expression in every article body is in a mention's quote or excluded."""
    return [
        Problem(
            ctx.source_file(item.source_id),
            item.line,
            None,
            f"numeric expression {item.text!r} is in no quote of data/mentions.csv and not in data/exclusions.csv "
            f"(context: …{item.context}…)",
            unit="line",
        )
        for item in uncurated_expressions(ctx)
    ]


def harm_quotes(ctx: Context) -> list[Problem]:
    """Each harm names known sources, and its quote stands verbatim on its line of one of them."""
    file, problems = "data/harms.csv", []
    known = {r["source_id"] for r in ctx.tables["sources"]}
    for row_number, row in ctx.rows("harms"):
        listed = row["sources"].split(";")
        for item in listed:
            if item not in known:
                problems.append(Problem(file, row_number, "sources", f"unknown id {item!r} (not in data/sources.csv)"))
        if row["quote_source"] not in listed:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "quote_source",
                    f"{row['quote_source']!r} is not one of the row's sources ({row['sources']})",
                )
            )
        if row["quote_source"] not in known:
            continue  # reported by the schema's foreign key
        line = ctx.body_line(row["quote_source"], int(row["quote_line"]))
        if line is None:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "quote_line",
                    f"line {row['quote_line']} of {ctx.source_file(row['quote_source'])} is not in the article body",
                )
            )
        elif row["quote"] not in line:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "quote",
                    f"not found verbatim on line {row['quote_line']} of {ctx.source_file(row['quote_source'])}",
                )
            )
    return problems


# What a coverage judgement can rest on, given how the article's text was read (provisions.title_status).
COVERAGE_BASIS = {"verified": "official-text", "back-translated": "arabic-text", "secondary": "secondary"}


def coverage_matrix(ctx: Context) -> list[Problem]:
    """The harm x article matrix is complete, and each basis agrees with how the article was read."""
    file, problems = "data/coverage.csv", []
    status = {r["article"]: r["title_status"] for r in ctx.tables["provisions"]}
    present = {(r["harm_id"], r["article"]) for r in ctx.tables["coverage"]}
    articles = sorted({article for _, article in present}, key=int)
    for row_number, row in ctx.rows("coverage"):
        expected = COVERAGE_BASIS.get(status.get(row["article"], ""))
        if expected and row["basis"] != expected:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "basis",
                    f"article {row['article']} was read as {status[row['article']]!r} "
                    f"(data/provisions.csv), so the basis must be {expected!r}, not {row['basis']!r}",
                )
            )
    for harm in ctx.tables["harms"]:
        missing = [a for a in articles if (harm["harm_id"], a) not in present]
        if missing:
            problems.append(
                Problem(
                    file,
                    None,
                    "article",
                    f"harm {harm['harm_id']!r} has no row for article(s) "
                    f"{', '.join(missing)}: every harm needs a row for every article in the matrix",
                )
            )
    return problems


# --- Part III: drift between the articles and their sources, and the glossary ----------------


def drift_rows(ctx: Context) -> list[Problem]:
    """Each drift compares a mention with 'primary' or another mention of the same finding; 'none' stands alone."""
    file, problems = "data/drift.csv", []
    mentions = {row["mention_id"]: row for row in ctx.tables["mentions"]}
    attribution = {row["finding_id"]: row["attribution"] for row in ctx.tables["findings"]}
    kinds_per_mention: dict[str, list[str]] = {}
    for row in ctx.tables.get("drift", []):
        kinds_per_mention.setdefault(row["mention_id"], []).append(row["kind"])
    for row_number, row in ctx.rows("drift") if "drift" in ctx.tables else []:
        mention = mentions.get(row["mention_id"])
        if mention is None:
            problems.append(
                Problem(
                    file, row_number, "mention_id", f"unknown mention {row['mention_id']!r} (not in data/mentions.csv)"
                )
            )
            continue
        other = row["compared_with"]
        if other != "primary":
            if other == row["mention_id"]:
                problems.append(Problem(file, row_number, "compared_with", "a mention cannot be compared with itself"))
            elif other not in mentions:
                problems.append(
                    Problem(file, row_number, "compared_with", f"unknown mention {other!r} (not in data/mentions.csv)")
                )
            elif mentions[other]["finding_id"] != mention["finding_id"]:
                problems.append(
                    Problem(
                        file,
                        row_number,
                        "compared_with",
                        f"{other!r} states finding {mentions[other]['finding_id']}, not {mention['finding_id']}",
                    )
                )
        if row["kind"] == "none" and len(kinds_per_mention[row["mention_id"]]) > 1:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "kind",
                    f"'none' says {row['mention_id']} has no drift, but other rows record drift for it",
                )
            )
        unknown_source = attribution.get(mention["finding_id"]) == "unknown"
        if row["kind"] == "no_primary" and not unknown_source:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "kind",
                    f"'no_primary' is only for findings whose attribution is 'unknown'; {mention['finding_id']} has a source",
                )
            )
        if unknown_source and other == "primary" and row["kind"] != "no_primary":
            problems.append(
                Problem(
                    file,
                    row_number,
                    "kind",
                    f"finding {mention['finding_id']} has no known source to compare with; use 'no_primary' or compare with another mention",
                )
            )
    return problems


def drift_coverage(ctx: Context) -> list[Problem]:
    """Every mention of a finding stated by more than one article is classified in drift.csv."""
    if "drift" not in ctx.tables:
        return []
    sources_per_finding: dict[str, set[str]] = {}
    for mention in ctx.tables["mentions"]:
        sources_per_finding.setdefault(mention["finding_id"], set()).add(mention["source_id"])
    classified = {row["mention_id"] for row in ctx.tables["drift"]}
    return [
        Problem(
            "data/mentions.csv",
            row_number,
            "mention_id",
            f"finding {row['finding_id']} is stated by several articles, but data/drift.csv has no row for this mention "
            "(add its drift, or kind 'none')",
        )
        for row_number, row in ctx.rows("mentions")
        if len(sources_per_finding[row["finding_id"]]) > 1 and row["mention_id"] not in classified
    ]


def glossary_entries(ctx: Context) -> list[Problem]:
    """A Vietnamese term says where it was found and keeps composed diacritics."""
    # The definitions' bibliography keys are checked with every other citing column, in bibliography_keys.
    if "glossary" not in ctx.tables:
        return []
    file, problems = "data/glossary.csv", []
    for row_number, row in ctx.rows("glossary"):
        if row["vietnamese"] and not row["vietnamese_source"]:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "vietnamese_source",
                    "a Vietnamese term needs the place where it was found; leave the term empty rather than guess",
                )
            )
        if not unicodedata.is_normalized("NFC", row["vietnamese"]):
            problems.append(
                Problem(
                    file, row_number, "vietnamese", "not in Unicode NFC: write the diacritics as composed characters"
                )
            )
    return problems


# --- Evidence levels and verdicts: a label claims no more than data/reads.csv records as read ---------

# The highest evidence level a source supports, by what it is, once read; a source not read supports
# only "probable" (a match we could not confirm), and no source at all only "unknown".
LEVEL_OF_DOCUMENT = {
    "primary document": "primary",
    "authors' release or summary": "release",
    "secondary copy or coverage": "press",
}
# Verdicts that weigh a claim against evidence need at least press coverage read; "unsupported" means
# that nothing read confirms or refutes the claim, so it cannot rest on a source read.
WEIGHED_VERDICTS = {"accurate", "mis-scoped", "overstated", "wrong"}
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def _supported_level(read: dict[str, str] | None) -> str:
    if read is None:
        return "unknown"
    return "probable" if read["read"] == "not read" else LEVEL_OF_DOCUMENT[read["document"]]


def _what_was_read(key: str, read: dict[str, str] | None) -> str:
    if read is None:
        return f"data/reads.csv has no row for {key!r}"
    return f"data/reads.csv records {key!r} as {read['document']}, {read['read']}"


def reads_cover_citations(ctx: Context) -> list[Problem]:
    """Every source the data cites says in data/reads.csv what of it was read, and exists in references.bib."""
    reads, problems = ctx.reads, []
    for row_number, row in ctx.rows("reads"):
        if row["bib_key"] not in ctx.bib_keys:
            problems.append(
                Problem("data/reads.csv", row_number, "bib_key", f"no entry {row['bib_key']!r} in references.bib")
            )
    for table, column in CITING_COLUMNS:
        for row_number, row in ctx.rows(table):
            for key in filter(None, row[column].split(";")):
                if key in ctx.bib_keys and key not in reads:
                    problems.append(
                        Problem(
                            f"data/{table}.csv",
                            row_number,
                            column,
                            f"{key!r} is cited, but data/reads.csv does not say what of it was read",
                        )
                    )
    return problems


def traced_means_read(ctx: Context) -> list[Problem]:
    """A finding is 'traced' only if the primary source's own statement was read (the primary document, in full or in part)."""
    reads, problems = ctx.reads, []
    for row_number, row in ctx.rows("findings"):
        key = row["primary_source"]
        if row["attribution"] == "traced" and _supported_level(reads.get(key)) != "primary":
            problems.append(
                Problem(
                    "data/findings.csv",
                    row_number,
                    "attribution",
                    f"'traced' needs the primary source's own statement read, but {_what_was_read(key, reads.get(key))}: "
                    "use 'probable'",
                )
            )
    return problems


# The tables that give an evidence level, with the column of sources it rests on: (table, sources, level).
LEVEL_COLUMNS = [
    ("claims", "evidence", "evidence_level"),
    ("convention_status", "source", "evidence_level"),
    ("convention_topics", "source", "evidence_level"),
]


def levels_supported_by_reads(ctx: Context) -> list[Problem]:
    """An evidence level is no higher than what data/reads.csv records as read of the sources it rests on."""
    reads, ranks, problems = ctx.reads, ctx.level_ranks, []
    for table, sources, column in LEVEL_COLUMNS:
        for row_number, row in ctx.rows(table) if table in ctx.tables else []:
            keys = [key for key in row[sources].split(";") if key]
            supported = max((_supported_level(reads.get(key)) for key in keys), key=ranks.get, default="unknown")
            if ranks[row[column]] > ranks[supported]:
                what = "; ".join(_what_was_read(key, reads.get(key)) for key in keys) or "no source is given"
                problems.append(
                    Problem(
                        f"data/{table}.csv", row_number, column, f"{row[column]!r} claims more than was read: {what}"
                    )
                )
    return problems


def claim_verdicts(ctx: Context) -> list[Problem]:
    """A claim's verdict fits its evidence level, and 'mis-scoped' says what changed."""
    ranks, file, problems = ctx.level_ranks, "data/claims.csv", []
    for row_number, row in ctx.rows("claims"):
        level, verdict = row["evidence_level"], row["verdict"]
        if verdict in WEIGHED_VERDICTS and ranks[level] < ranks["press"]:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "verdict",
                    f"{verdict!r} weighs the claim against evidence, which needs at least press coverage read "
                    f"(the evidence level is {level!r}): use 'unsupported'",
                )
            )
        if verdict == "unsupported" and ranks[level] > ranks["probable"]:
            problems.append(
                Problem(
                    file,
                    row_number,
                    "verdict",
                    f"'unsupported' means nothing read confirms or refutes the claim, but the evidence level is {level!r}",
                )
            )
        if (verdict == "mis-scoped") != bool(row["scope_changed"]):
            problems.append(
                Problem(
                    file,
                    row_number,
                    "scope_changed",
                    "'mis-scoped' must say what changed (population, place, period or measure), and only 'mis-scoped' may",
                )
            )
    return problems


def claims_cover_mentions(ctx: Context) -> list[Problem]:
    """Every mention belongs to exactly one claim, and every claim names known mentions of its article lines."""
    known = {row["mention_id"] for row in ctx.tables["mentions"]}
    claimed: dict[str, int] = {}
    problems = []
    for row_number, row in ctx.rows("claims"):
        for mention in row["mentions"].split(";"):
            if mention not in known:
                problems.append(
                    Problem(
                        "data/claims.csv",
                        row_number,
                        "mentions",
                        f"unknown mention {mention!r} (not in data/mentions.csv)",
                    )
                )
            elif mention in claimed:
                problems.append(
                    Problem(
                        "data/claims.csv",
                        row_number,
                        "mentions",
                        f"{mention!r} already belongs to the claim in row {claimed[mention]}",
                    )
                )
            else:
                claimed[mention] = row_number
    for row_number, row in ctx.rows("mentions"):
        if row["mention_id"] not in claimed:
            problems.append(
                Problem(
                    "data/mentions.csv",
                    row_number,
                    "mention_id",
                    "no claim in data/claims.csv rests on this mention: give it a verdict",
                )
            )
    return problems


def _caption_citations(path: Path) -> list[tuple[int, str]]:
    """(line, key) for every source cited in a figure caption of a chapter (the cell's ``mystnb: figure: caption``)."""
    lines, found, in_caption = path.read_text(encoding="utf-8").split("\n"), [], False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("caption:"):
            in_caption = True
        elif in_caption and (not line.startswith("      ") or stripped == "---"):
            in_caption = False
        if in_caption:
            found += [(number, key.strip()) for group in CITE.findall(line) for key in group.split(",")]
    return found


def citations_were_read(ctx: Context) -> list[Problem]:
    """A glossary definition or a figure caption cites only sources that were read."""
    reads, problems = ctx.reads, []
    for row_number, row in ctx.rows("glossary"):
        for key in filter(None, row["definition_source"].split(";")):
            if reads.get(key, {}).get("read") == "not read":
                problems.append(
                    Problem(
                        "data/glossary.csv",
                        row_number,
                        "definition_source",
                        f"{key!r} was not read ({_what_was_read(key, reads[key])})",
                    )
                )
    chapters = ctx.data_dir.parent / "chapters"
    for path in sorted(chapters.glob("*.md")) if chapters.is_dir() else []:
        for number, key in _caption_citations(path):
            if reads.get(key, {}).get("read") == "not read":
                problems.append(
                    Problem(
                        f"chapters/{path.name}",
                        number,
                        "caption",
                        f"the caption cites {key!r}, which was not read",
                        unit="line",
                    )
                )
    return problems


# Every rule, in the order the validator runs them and the methods appendix lists them.
RULES = [
    source_hashes,
    cleaning_rules,
    findings,
    provision_findings,
    bibliography_keys,
    id_lists,
    dates_in_order,
    mentions_per_finding,
    mention_quotes,
    mention_values,
    exclusions_match,
    completeness,
    harm_quotes,
    coverage_matrix,
    drift_rows,
    drift_coverage,
    glossary_entries,
    reads_cover_citations,
    traced_means_read,
    levels_supported_by_reads,
    claim_verdicts,
    claims_cover_mentions,
    citations_were_read,
]
