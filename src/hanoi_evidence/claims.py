"""Findings and their mentions, shaped for the chapters.

A chapter asks for a finding and gets, in one table, how each article worded it
next to what the primary source says, so that the comparison the report makes
is the same everywhere it is shown.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.tables import load_table

ATTRIBUTION_WORDS = {
    "stated": "named in the article",
    "traced": "traced by us",
    "probable": "probable (not read in full)",
    "unknown": "unknown",
}


def findings(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """All findings, indexed by id."""
    return load_table("findings", data_dir).set_index("finding_id")


def mentions_of(finding_id: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The mentions of one finding, with each source's label, in source order."""
    sources = load_table("sources", data_dir)[["source_id", "label"]]
    mentions = load_table("mentions", data_dir)
    chosen = mentions[mentions["finding_id"] == finding_id].merge(sources, on="source_id")
    order = {source_id: i for i, source_id in enumerate(sources["source_id"])}
    return chosen.sort_values(["source_id", "line"], key=lambda s: s.map(order) if s.name == "source_id" else s)


def wording_table(finding_id: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """How each article worded a finding: source, value, hedge, population and the quote."""
    rows = mentions_of(finding_id, data_dir)
    return pd.DataFrame(
        {
            "Article": rows["label"],
            "Value as worded": rows["value_as_worded"].fillna(""),
            "Hedge": rows["hedge"],
            "Population as worded": rows["population_as_worded"].fillna(""),
            "Quote": "“" + rows["quote"] + "”",
        }
    )


def source_profile(finding_ids: list[str], data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One row per finding: what the primary source measured, and how we traced it."""
    table = findings(data_dir).loc[finding_ids]
    return pd.DataFrame(
        {
            "Finding": table["statement"],
            "Population": table["population"],
            "Period": table["period"],
            "Measure": table["measure"],
            "Attribution": table["attribution"].map(ATTRIBUTION_WORDS),
        }
    ).reset_index(drop=True)


def topic_matrix(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Mentions per topic (rows) and source (columns), sources in their table order."""
    sources = load_table("sources", data_dir)
    mentions = load_table("mentions", data_dir).merge(
        load_table("findings", data_dir)[["finding_id", "topic"]], on="finding_id"
    )
    matrix = pd.crosstab(mentions["topic"], mentions["source_id"])
    topics = [topic for topic in TOPIC_LABELS if topic in matrix.index]
    return matrix.reindex(index=topics, columns=list(sources["source_id"]), fill_value=0)


def sources_naming(finding_id: str, data_dir: Path = DATA_DIR) -> list[str]:
    """Labels of the articles that state a finding."""
    return list(dict.fromkeys(mentions_of(finding_id, data_dir)["label"]))


TOPIC_LABELS = {
    "internet_use": "Children's internet use",
    "safety_education": "Online-safety information",
    "disclosure": "Telling someone",
    "violence_against_women": "Sexual violence against women",
    "data_gap": "No national data",
    "cyberbullying": "Cyberbullying",
    "ocsea_prevalence": "Children subjected to OCSEA",
    "enticement_reports": "Enticement reports",
    "online_violence_women": "Women's experience of online violence",
    "tfgbv_range": "Range for technology-facilitated abuse",
    "organisation": "Organisations and roles",
    "policy": "Policy",
    "convention_status": "Convention status",
    "convention_provision": "Convention articles",
    "event": "Event dates",
    "link": "Links between OCSEA and TF-GBV",
}


def panels(finding_ids: list[str], data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Rows for figures.separate_scales_figure: one statistic per panel, with its population."""
    table = findings(data_dir).loc[finding_ids]
    return pd.DataFrame(
        {
            "label": [TOPIC_LABELS[topic] for topic in table["topic"]],
            "population": table["population"].str.split(";").str[0],
            "low": table["value_low"].astype(float),
            "high": table["value_high"].astype(float),
            "traced": table["attribution"] != "unknown",
        }
    )


def glue_finding(key: str, finding_id: str, data_dir: Path = DATA_DIR) -> pd.Series:
    """Glue a finding's value and descriptions for the prose, under ``key_<field>``; return its row.

    Glued: value (as prose: '89%'), population, age_band, period, measure, primary_says,
    discrepancy, attribution (in words) and n_sources (how many articles state it).
    """
    from myst_nb import glue

    from hanoi_evidence.text import number_word, value_text

    row = findings(data_dir).loc[finding_id]
    texts = {
        "value": value_text(row) if row["unit"] not in ("none",) else "",
        "population": row["population"],
        "age_band": row["age_band"],
        "period": row["period"],
        "measure": row["measure"],
        "primary_says": row["primary_says"],
        "discrepancy": row["discrepancy"],
        "attribution": ATTRIBUTION_WORDS[row["attribution"]],
        "n_sources": number_word(len(sources_naming(finding_id, data_dir))),
    }
    for field, text in texts.items():
        glue(f"{key}_{field}", "" if pd.isna(text) else str(text), display=False)
    return row
