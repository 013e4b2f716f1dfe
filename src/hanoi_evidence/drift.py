"""How a finding changes between its primary source and the articles that repeat it.

``data/drift.csv`` records, for every mention of a finding stated by more than one
article, each way the mention departs from the primary source (or from another
mention), in the vocabulary of ``data/drift_kinds.csv``. This module lays the
mentions side by side with the source, and draws the findings × articles grid.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from hanoi_evidence import figures
from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import value_text

# What a cell of the grid shows, from strongest to weakest; each state has one colour.
STATES = [
    ("changes", "drift that changes the conclusion", figures.VERMILION),
    ("wording", "drift in wording only", figures.YELLOW),
    ("unchecked", "no primary source to check against", "#D9D9D9"),
    ("none", "no drift", figures.SKY),
]
STATE_COLOURS = {state: colour for state, _, colour in STATES}


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
    """The state of one finding × article cell, from its drift rows."""
    if "yes" in changes:
        return "changes"
    drifts = [k for k in kinds if k not in ("none", "no_primary")]
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
        "drifts": int((~table["kind"].isin(["none", "no_primary"])).sum()),
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
    labels = dict(zip(*[load_table("sources", data_dir)[c] for c in ("source_id", "label")]))
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
                "drift": "; ".join(_drift_words(row) for row in own.itertuples()),
            }
        )
    return pd.DataFrame(rows)


def material_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The drifts that change what a reader would conclude, one row each."""
    table = drift_table(data_dir)
    changed = table[table["changes_conclusion"] == "yes"]
    return pd.DataFrame(
        {
            "finding": changed["finding_id"],
            "article": changed["label"],
            "kind": changed["kind_label"],
            "what changed": changed["note"],
        }
    ).reset_index(drop=True)


def kinds_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The vocabulary, with how often each kind was found."""
    kinds = load_table("drift_kinds", data_dir)
    counts = load_table("drift", data_dir)["kind"].value_counts()
    return pd.DataFrame(
        {
            "kind": kinds["kind"],
            "definition": kinds["definition"],
            "rows": [int(counts.get(k, 0)) for k in kinds["kind"]],
        }
    )


def drift_grid_figure(data_dir: Path = DATA_DIR) -> plt.Figure:
    """Findings × articles: each cell names the kinds of drift found, coloured by what they do."""
    figures.use_report_style()
    cells = grid(data_dir)
    findings = multi_source_findings(data_dir)
    sources = load_table("sources", data_dir)
    sources = sources[sources["source_id"].isin(cells["source_id"])]
    labels = list(sources["label"])
    fig, ax = plt.subplots(figsize=(8.6, 0.62 * len(findings) + 2.0))
    for _, cell in cells.iterrows():
        x = list(sources["source_id"]).index(cell["source_id"])
        y = findings.index(cell["finding_id"])
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=STATE_COLOURS[cell["state"]], edgecolor="white", linewidth=2))
        ax.text(
            x + 0.5, y + 0.5, "\n".join(cell["labels"]), ha="center", va="center", fontsize=7.5, color=figures.BLACK
        )
    ax.set_xlim(0, len(labels))
    ax.set_ylim(len(findings), 0)
    ax.set_xticks([i + 0.5 for i in range(len(labels))], labels)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(len(findings))], findings)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.grid(False)
    ax.legend(
        handles=[Patch(facecolor=c, label=l) for _, l, c in STATES]
        + [Patch(facecolor="white", edgecolor=figures.MUTED, label="finding not stated")],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=3,
        frameon=False,
        fontsize=8,
    )
    count = summary(data_dir)
    ax.set_title(
        f"{count['material_findings']} of the {count['findings']} findings that several articles repeat "
        "changed in a way\nthat alters what a reader would conclude",
        pad=28,
    )
    fig.tight_layout()
    return fig


def _drift_words(row) -> str:
    if row.compared_with == "primary":
        return str(row.kind_label)
    return f"{row.kind_label} (against {row.compared_with.split('@')[1]})"


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
