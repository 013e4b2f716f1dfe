"""Findings and their mentions, and the articles that state them, shaped for the chapters.

A chapter asks for a finding and gets, in one table, how each article worded it
next to what the primary source says, so that the comparison the report makes
is the same everywhere it is shown. The ``*_values`` functions gather what the
landing page and the chapters of Part I glue into their prose, by glue name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from hanoi_evidence import cleaning, corpus, outlets, verdicts
from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import long_date, number_word, value_text

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
            "value_label": [value_text(row) for _, row in table.iterrows()],
            "attribution": table["attribution"],
        }
    )


def finding_values(keys: Mapping[str, str], data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Each finding's value and short labels for the prose, by glue name ``<key>_<field>``;
    ``keys`` maps each key to a finding id.

    Fields: value (as prose: '89%'), age_band, attribution (in words) and n_sources (how many
    articles state it). The long descriptions (population, measure, what the source says, where
    the articles part from it) stay in the tables: the chapters' sentences are written by hand.
    """
    table = findings(data_dir)
    values = {}
    for key, finding_id in keys.items():
        row = table.loc[finding_id]
        texts = {
            "value": value_text(row) if row["unit"] != "none" else "",
            "age_band": row["age_band"],
            "attribution": ATTRIBUTION_WORDS[row["attribution"]],
            "n_sources": number_word(len(sources_naming(finding_id, data_dir))),
        }
        values |= {f"{key}_{field}": "" if pd.isna(text) else str(text) for field, text in texts.items()}
    return values


def enticement_reports(data_dir: Path = DATA_DIR) -> pd.Series:
    """Reports of online enticement to the CyberTipline by year: the count and its bound ('lower' for 'more than')."""
    found = findings(data_dir).loc[["ncmec-enticement-2023", "ncmec-enticement-2024"]]
    return pd.DataFrame(
        {"count": found["value_low"].astype(float).to_numpy(), "bound": found["value_bound"].fillna("").to_numpy()},
        index=[2023, 2024],
    )


def landing_values(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The values the landing page glues into its prose, by glue name."""
    sources = load_table("sources", data_dir)
    found = findings(data_dir)
    statistics = found[found["kind"] == "statistic"]
    by_status = statistics["attribution"].value_counts()
    # The articles reporting the signing in Hanoi, and how long before it the others' events were.
    first_event = sources["event_dates"].str.split(";").str[0].astype("datetime64[ns]")
    signing = found.loc["convention-signature-opened", "value_date"]
    near_signing = abs(first_event - signing) < "14D"
    gap = signing - first_event[~near_signing].min()
    return {
        "ix_n_sources": number_word(len(sources)),
        "ix_n_statistics": number_word(len(statistics)),
        "ix_n_stated": number_word(int(by_status.get("stated", 0))),
        "ix_n_traced": number_word(int(by_status.get("traced", 0))),
        "ix_n_probable": number_word(int(by_status.get("probable", 0))),
        "ix_n_unknown": number_word(int(by_status.get("unknown", 0))),
        "ix_n_findings": str(len(found)),
        "ix_n_mentions": str(len(load_table("mentions", data_dir))),
        "ix_adopted": long_date(found.loc["convention-adopted", "value_date"]),
        **finding_values({"ix_range": "apac-tfgbv-range", "ix_women": "vn-women-sexual-violence"}, data_dir),
        **verdicts.summary_values("ix", data_dir),
        "ix_n_october_cap": number_word(int(near_signing.sum())).capitalize(),
        "ix_months_before": number_word(round(gap.days / 30.44)),
    }


def sources_values(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The values the chapter on the sources glues into its prose, by glue name."""
    sources = load_table("sources", data_dir)
    labels = dict(zip(sources["source_id"], sources["label"], strict=True))
    summary = cleaning.removal_summary(data_dir)
    removed = summary[summary["kind"] != "body"]
    artefact = cleaning.flagged_artefacts(data_dir).iloc[0]
    return {
        "src_n_sources": number_word(len(sources)),
        "src_n_words": f"{int(corpus.word_counts(data_dir)['words_received'].sum()):,}",
        "src_n_rules": str(len(load_table("cleaning_rules", data_dir))),
        "src_removed_share": f"{removed['words'].sum() / summary['words'].sum():.0%}",
        "src_removed_lines": str(int(removed["lines"].sum())),
        "src_removed_words": f"{int(removed['words'].sum()):,}",
        "src_artefact_span": artefact["span"],
        "src_artefact_source": labels[artefact["source_id"]],
        "src_n_undated": number_word(int(sources["published_date"].isna().sum())),
        "src_n_no_outlet": number_word(int((sources["outlet"] == "unstated").sum())),
        **outlets.publisher_values(data_dir),
    }


def world_region_values(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The values the chapter on the world and the region glues into its prose, by glue name."""
    counts = enticement_reports(data_dir)["count"]
    ratio = counts[2024] / counts[2023]
    keys = {
        "wr_ocsea": "global-ocsea-children",
        "wr_ratio": "global-enticement-reports",
        "wr_2023": "ncmec-enticement-2023",
        "wr_2024": "ncmec-enticement-2024",
        "wr_women": "global-women-online-violence",
        "wr_range": "apac-tfgbv-range",
    }
    return {**finding_values(keys, data_dir), "wr_ratio_computed": f"{ratio:.2f}", "wr_increase": f"{ratio - 1:.0%}"}
