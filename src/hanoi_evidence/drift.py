"""How a finding changes between its primary source and the articles that repeat it.

``data/drift.csv`` records, for every mention of a finding stated by more than one
article, each way the mention departs from the primary source (or from another
mention), in the vocabulary of ``data/drift_kinds.csv``. This module lays the
mentions side by side with the source, shapes the cells of the findings × articles
grid (drawn by :func:`hanoi_evidence.figures.drift_grid`) and gathers the values
the chapter glues into its prose.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.register import numbered_findings
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import is_missing, long_date, value_text

# Rows of drift.csv that record no departure: the mention matches, or there is no source to match.
NOT_DRIFTS = ("none", "no_primary")


def multi_source_findings(data_dir: Path = DATA_DIR) -> list[str]:
    """Ids of the findings that more than one article states, in the order of findings.csv."""
    mentions = load_table("mentions", data_dir)
    sources = mentions.groupby("finding_id")["source_id"].nunique()
    order = load_table("findings", data_dir)["finding_id"]
    return [f for f in order if sources.get(f, 0) > 1]


def drift_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every drift row with its mention, finding, article label and kind label."""
    drift = load_table("drift", data_dir)
    mentions = load_table("mentions", data_dir)
    sources = load_table("sources", data_dir)[["source_id", "label"]]
    kinds = load_table("drift_kinds", data_dir)[["kind", "label"]].rename(columns={"label": "kind_label"})
    return (
        drift.merge(mentions, on="mention_id", how="left")
        .merge(sources, on="source_id", how="left")
        .merge(kinds, on="kind", how="left")
    )


def cell_state(kinds: list[str], changes: list[str]) -> str:
    """The state of one finding × article cell, from its drift rows: changes, wording, unchecked or none."""
    if "yes" in changes:
        return "changes"
    drifts = [k for k in kinds if k not in NOT_DRIFTS]
    if drifts:
        return "wording"
    if "no_primary" in kinds:
        return "unchecked"
    return "none"


def grid(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One row per finding × article that states it: the kind labels found and the cell's state."""
    table = drift_table(data_dir)
    rows = []
    for (finding_id, source_id), group in table.groupby(["finding_id", "source_id"], sort=False):
        labels = list(dict.fromkeys(group["kind_label"].astype(str)))
        rows.append(
            {
                "finding_id": finding_id,
                "source_id": source_id,
                "labels": labels,
                "state": cell_state(list(group["kind"].astype(str)), list(group["changes_conclusion"].astype(str))),
            }
        )
    return pd.DataFrame(rows)


def summary(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Counts the chapter states in its text."""
    table = drift_table(data_dir)
    cells = grid(data_dir)
    findings = multi_source_findings(data_dir)
    changed = table[table["changes_conclusion"] == "yes"]
    return {
        "findings": len(findings),
        "mentions": int(table["mention_id"].nunique()),
        "rows": len(table),
        "kinds": len(load_table("drift_kinds", data_dir)),
        "drifts": int((~table["kind"].isin(NOT_DRIFTS)).sum()),
        "kinds_found": int(table.loc[~table["kind"].isin(NOT_DRIFTS), "kind"].nunique()),
        "no_primary": int((table["kind"] == "no_primary").sum()),
        "material_drifts": len(changed),
        "material_findings": int(changed["finding_id"].nunique()),
        "material_mentions": int(changed["mention_id"].nunique()),
        "mentions_without_drift": int((table.groupby("mention_id")["kind"].apply(lambda k: set(k) <= {"none"})).sum()),
        "cells": len(cells),
    }


def side_by_side(finding_id: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The primary source's version of a finding, then each mention as worded, with its drift."""
    finding = load_table("findings", data_dir).set_index("finding_id").loc[finding_id]
    table = drift_table(data_dir)
    table = table[table["finding_id"] == finding_id]
    has_value = pd.notna(finding["value_low"]) or pd.notna(finding["value_date"])
    rows = [
        {
            "as stated by": "primary source"
            if pd.notna(finding["primary_source"])
            else "the finding (no primary source)",
            "value": value_text(finding) if has_value else "",
            "hedge": "",
            "population": _text(finding["population"]),
            "geography": _text(finding["geography"]),
            "measure": _text(finding["measure"]),
            "drift": "",
        }
    ]
    mentions = load_table("mentions", data_dir)
    labels = dict(zip(*[load_table("sources", data_dir)[c] for c in ("source_id", "label")], strict=True))
    for mention in mentions[mentions["finding_id"] == finding_id].itertuples():
        own = table[table["mention_id"] == mention.mention_id]
        rows.append(
            {
                "as stated by": f"{labels[mention.source_id]} (line {mention.line})",
                "value": _text(mention.value_as_worded),
                "hedge": _text(mention.hedge),
                "population": _text(mention.population_as_worded),
                "geography": _text(mention.geography_as_worded),
                "measure": _text(mention.measure_as_worded),
                "drift": "; ".join(_drift_words(row, labels) for row in own.itertuples()),
            }
        )
    return pd.DataFrame(rows)


def finding_names(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Each finding as a reader finds it in the evidence register: 'F7: About 13% of women…'."""
    findings = numbered_findings(data_dir)
    return {
        finding_id: f"{number}: {statement}"
        for finding_id, number, statement in zip(
            findings["finding_id"], findings["number"], findings["statement"], strict=True
        )
    }


def material_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The drifts that change what a reader would conclude, one row each."""
    table = drift_table(data_dir)
    changed = table[table["changes_conclusion"] == "yes"]
    numbers = numbered_findings(data_dir).set_index("finding_id")["number"]
    return pd.DataFrame(
        {
            "Finding": changed["finding_id"].map(numbers),
            "Article": changed["label"],
            "Kind of drift": changed["kind_label"],
            "What changed": changed["note"],
        }
    ).reset_index(drop=True)


def kinds_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Each kind of drift that was found: what it means, how often, how often it changes the
    conclusion, and one example (a drift that changes the conclusion where there is one)."""
    kinds = load_table("drift_kinds", data_dir)
    table = drift_table(data_dir)
    rows = []
    for kind in kinds.itertuples():
        found = table[table["kind"] == kind.kind]
        if found.empty or kind.kind in NOT_DRIFTS:
            continue
        example = found.sort_values("changes_conclusion", ascending=False, kind="stable").iloc[0]
        rows.append(
            {
                "Kind of drift": kind.label,
                "What it means": kind.definition,
                "Found": len(found),
                "Changes the conclusion": int((found["changes_conclusion"] == "yes").sum()),
                "Example": f"{example['label']}: {example['note']}",
            }
        )
    return pd.DataFrame(rows)


def travel_values(data_dir: Path = DATA_DIR) -> dict[str, object]:
    """The values the chapter on how the numbers travel glues into its prose, by glue name:
    the drift counts, and the words of the mentions it quotes."""
    findings = load_table("findings", data_dir).set_index("finding_id")
    mentions = load_table("mentions", data_dir).set_index("mention_id")

    def said(mention_id: str, column: str = "quote") -> str:
        """A mention's words, exactly as the article has them, in quotation marks."""
        return f"“{mentions.loc[mention_id, column]}”"

    return {
        # Every count but the grid's cells, which the prose does not state.
        **{f"travel_n_{key}": int(count) for key, count in summary(data_dir).items() if key != "cells"},
        "travel_apac_value": value_text(findings.loc["apac-tfgbv-range"]),
        "travel_apac_geo": said("apac-tfgbv-range@wvr", "geography_as_worded"),
        "travel_women_wvr": said("global-women-online-violence@wvr", "value_as_worded"),
        "travel_women_mar28": said("global-women-online-violence@mar28", "value_as_worded"),
        "travel_enticement_wvr": said("global-enticement-reports@wvr"),
        "travel_enticement_hnt": said("global-enticement-reports@hnt"),
        "travel_safety_waj": said("vn-safety-information@waj", "measure_as_worded"),
        "travel_safety_wvr": said("vn-safety-information@wvr", "measure_as_worded"),
        "travel_vaw_value": value_text(findings.loc["vn-women-sexual-violence"]),
        "travel_vaw_wvr": said("vn-women-sexual-violence@wvr"),
        "travel_disclosure_wvr": said("vn-disclosure@wvr", "measure_as_worded"),
        "travel_disclosure_hnt": said("vn-disclosure@hnt", "measure_as_worded"),
        "travel_ocsea_wvr": said("global-ocsea-children@wvr", "measure_as_worded"),
        "travel_adopted_wvr": said("convention-status-adopted@wvr"),
        "travel_adopted_date": long_date(findings.loc["convention-adopted", "value_date"]),
    }


def _drift_words(row, labels: dict[str, str]) -> str:
    if row.compared_with == "primary":
        return str(row.kind_label)
    return f"{row.kind_label} (against {labels[row.compared_with.split('@')[1]]})"


def _text(value) -> str:
    return "" if is_missing(value) else str(value)
