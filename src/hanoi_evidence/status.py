"""The Convention's status as of a stated date, and what it provides beyond its offences.

Built from ``data/convention_status.csv`` (dated facts: signatory counts by source,
ratifications, the entry-into-force rule) and ``data/convention_topics.csv`` (safeguards,
victims, prevention, the protocol), for the chapter on the Convention.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import long_date
from hanoi_evidence.verdicts import level_labels

# The facts whose values the chapter's prose names.
SIGNATORY_FACTS = {
    "status_un_news": "signatories-un-news",
    "status_mps": "signatories-mps",
    "status_untc": "signatories-untc",
    "status_help_net": "signatories-help-net-security",
}


def citation(key) -> str:
    """A parenthetical citation after a label, or nothing when no source was found."""
    return "" if pd.isna(key) else f" {{cite:p}}`{key}`"


def snapshot_date(data_dir: Path = DATA_DIR) -> pd.Timestamp:
    """The date the status is given as of: the latest date any fact holds on."""
    return load_table("convention_status", data_dir)["as_of"].max()


def as_of_text(fact: pd.Series) -> str:
    """'25 October 2025', or '25 October 2025 or later' for an undated copy."""
    return long_date(fact["as_of"]) + (" or later" if fact["as_of_kind"] == "on or after" else "")


def value_text(fact: pd.Series) -> str:
    """The count, the date, 'none documented' for a count no source gives, or nothing for a rule."""
    if pd.notna(fact["value"]):
        return str(int(fact["value"]))
    if pd.notna(fact["value_date"]):
        return long_date(fact["value_date"])
    return "none documented" if fact["evidence_level"] == "unknown" else ""


def status_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The dated facts for display, with how each date is known and how close to the source we got."""
    facts = load_table("convention_status", data_dir)
    labels = level_labels(data_dir)
    return pd.DataFrame(
        {
            "Fact": facts["fact"],
            "Value": [value_text(fact) for _, fact in facts.iterrows()],
            "As of": [as_of_text(fact) for _, fact in facts.iterrows()],
            "How the date is known": facts["as_of_basis"],
            "Evidence": [
                labels[level] + citation(key)
                for level, key in zip(facts["evidence_level"], facts["source"], strict=True)
            ],
            "Note": facts["note"].fillna(""),
        }
    )


def topics_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Safeguards, victims, prevention and the protocol, with how each was checked."""
    topics = load_table("convention_topics", data_dir)
    labels = level_labels(data_dir)
    return pd.DataFrame(
        {
            "Topic": topics["topic"],
            "Article": [
                str(int(a)) if pd.notna(a) else "none: the General Assembly's resolution" for a in topics["article"]
            ],
            "What it provides, as summarised": topics["summary"],
            "How we checked": topics["how_checked"],
            "Evidence": [
                labels[level] + citation(key)
                for level, key in zip(topics["evidence_level"], topics["source"], strict=True)
            ],
        }
    )


def status_values(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The values the chapter's status section glues into its prose, by glue name."""
    facts = load_table("convention_status", data_dir).set_index("fact_id")
    values = {"status_as_of": long_date(snapshot_date(data_dir))}
    for name, fact_id in SIGNATORY_FACTS.items():
        values[name] = str(int(facts.loc[fact_id, "value"]))
        values[f"{name}_as_of"] = long_date(facts.loc[fact_id, "as_of"])
    values["status_vn_as_of"] = long_date(facts.loc["viet-nam-ratification", "as_of"])
    return values
