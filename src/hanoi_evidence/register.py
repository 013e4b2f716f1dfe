"""The appendices generated from data: the evidence register, the glossary, the methods' tables.

Every table here is built from ``data/`` when the book is built, so an appendix
cannot disagree with the data it describes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.tables import load_table, table_schema
from hanoi_evidence.text import value_text

# Which chapter uses the findings of each topic, as (document, title, topics), in book order.
CHAPTERS = [
    (
        "chapters/viet-nam",
        "Viet Nam",
        ["internet_use", "safety_education", "disclosure", "violence_against_women", "data_gap", "cyberbullying"],
    ),
    (
        "chapters/world-region",
        "The world and the region",
        ["ocsea_prevalence", "enticement_reports", "online_violence_women", "tfgbv_range"],
    ),
    ("chapters/ocsea-tfgbv", "The link between OCSEA and TF-GBV", ["link"]),
    ("chapters/convention", "The Convention", ["convention_status", "convention_provision"]),
    ("chapters/sources", "The sources", ["event", "organisation", "policy"]),
]
CHAPTER_OF_TOPIC = {topic: doc for doc, _, topics in CHAPTERS for topic in topics}


def chapter_link(topic: str) -> str:
    """A cross-reference to the chapter that uses a topic's findings."""
    return f"{{doc}}`/{CHAPTER_OF_TOPIC[topic]}`"


def citation(key) -> str:
    """A parenthetical citation of a references.bib key, or a plain statement that there is none."""
    if key is None or (not isinstance(key, str) and pd.isna(key)):
        return "none found"
    return f"{{cite:p}}`{key}`"


def inline(text) -> str:
    """Text shown as written: Markdown's emphasis, maths and HTML characters escaped."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return re.sub(r"([\\*_$<>\[\]`])", r"\\\1", str(text))


def numbered_findings(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every finding with its register number (F1, F2...), in chapter order."""
    findings = load_table("findings", data_dir)
    order = {topic: i for i, (_, _, topics) in enumerate(CHAPTERS) for topic in topics}
    findings = findings.assign(_order=findings["topic"].map(order)).sort_values("_order", kind="stable")
    findings["number"] = [f"F{i}" for i in range(1, len(findings) + 1)]
    return findings.drop(columns="_order").reset_index(drop=True)


def findings_table(doc: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The findings one chapter uses: number, statement, value, attribution, primary source, chapter."""
    findings = numbered_findings(data_dir)
    findings = findings[findings["topic"].map(CHAPTER_OF_TOPIC) == doc]
    return pd.DataFrame(
        {
            "No.": findings["number"],
            "finding": [f"{inline(s)} (`{i}`)" for s, i in zip(findings["statement"], findings["finding_id"])],
            "value": [_value(row) for _, row in findings.iterrows()],
            "attribution": findings["attribution"],
            "primary source": [citation(k) for k in findings["primary_source"]],
            "used in": [chapter_link(t) for t in findings["topic"]],
        }
    )


def mentions_table(doc: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every mention of the findings one chapter uses, with its verbatim quote."""
    findings = numbered_findings(data_dir)
    findings = findings[findings["topic"].map(CHAPTER_OF_TOPIC) == doc]
    number = dict(zip(findings["finding_id"], findings["number"]))
    mentions = load_table("mentions", data_dir)
    mentions = mentions[mentions["finding_id"].isin(number)]
    mentions = mentions.assign(_order=mentions["finding_id"].map(list(number).index)).sort_values(
        "_order", kind="stable"
    )
    labels = dict(zip(*[load_table("sources", data_dir)[c] for c in ("source_id", "label")]))
    return pd.DataFrame(
        {
            "finding": mentions["finding_id"].map(number),
            "article": [f"{labels[s]}, line {n}" for s, n in zip(mentions["source_id"], mentions["line"])],
            "quote (verbatim)": [f"“{inline(q)}”" for q in mentions["quote"]],
            "value as worded": [inline(v) for v in mentions["value_as_worded"]],
            "credited to": [inline(a) for a in mentions["attribution_as_worded"]],
        }
    )


def attribution_statuses(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Each attribution status, what it means (from the findings schema) and how many findings have it."""
    field = next(f for f in table_schema("findings", data_dir)["fields"] if f["name"] == "attribution")
    meanings = dict(re.findall(r"(\w+): ([^;]+)", field["description"]))
    counts = load_table("findings", data_dir)["attribution"].value_counts()
    statuses = field["constraints"]["enum"]
    return pd.DataFrame(
        {
            "status": statuses,
            "meaning": [meanings.get(s, "").strip().rstrip(".") for s in statuses],
            "findings": [int(counts.get(s, 0)) for s in statuses],
        }
    )


def glossary_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The glossary: term, abbreviation, definition with its sources, Vietnamese term and where it was found."""
    glossary = load_table("glossary", data_dir)
    glossary = glossary.assign(_key=glossary["term"].str.lower()).sort_values("_key")
    return pd.DataFrame(
        {
            "term": glossary["term"],
            "abbreviation": glossary["abbreviation"].fillna(""),
            "definition": [_with_sources(d, s) for d, s in zip(glossary["definition"], glossary["definition_source"])],
            "Vietnamese": glossary["vietnamese"].fillna(""),
            "where the Vietnamese term was found": glossary["vietnamese_source"].fillna(""),
        }
    )


def validator_rules() -> pd.DataFrame:
    """Each cross-file rule of the validator and what it checks (the first line of its docstring)."""
    from hanoi_evidence.crosschecks import RULES

    return pd.DataFrame(
        {
            "rule": [f"`{rule.__name__}`" for rule in RULES],
            "what it checks": [(rule.__doc__ or "").strip().splitlines()[0] for rule in RULES],
        }
    )


def cleaning_summary(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Cleaning rules by kind of noise and action."""
    rules = load_table("cleaning_rules", data_dir)
    table = rules.groupby(["kind", "action"]).size().reset_index(name="rules")
    return table.sort_values(["rules", "kind"], ascending=[False, True]).reset_index(drop=True)


def _value(row: pd.Series) -> str:
    if pd.notna(row["value_low"]) or pd.notna(row["value_date"]):
        if row["unit"] in ("percent", "count", "ratio", "date"):
            return value_text(row)
        return f"{value_text(row)} ({row['unit']})"
    return ""


def _with_sources(definition: str, sources) -> str:
    if sources is None or (not isinstance(sources, str) and pd.isna(sources)):
        return inline(definition)
    return f"{inline(definition)} {{cite:p}}`{','.join(sources.split(';'))}`"
