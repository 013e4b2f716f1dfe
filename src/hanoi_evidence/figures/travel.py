"""The grid of Part III, "How the numbers travel": how each finding drifts from its primary source
in each article that repeats it. It is a shaded table, not a drawing: its cells name the kinds
of drift, which stay legible on a phone only as text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from IPython.display import Markdown

from hanoi_evidence.display import shaded_table
from hanoi_evidence.drift import cell_state

# The shade of a cell, by its state (drift.cell_state): what the caption says it means, its
# colour's name and the colour, a light tint of the figures' Okabe-Ito colour for that meaning.
STATES = {
    "changes": ("drift that changes the conclusion", "red", "F6C7A6"),
    "wording": ("drift in wording only", "yellow", "F8F0A4"),
    "unchecked": ("no primary source to check against", "grey", "E2E2E2"),
    "none": ("no drift", "blue", "CDE7F7"),
}


def drift_grid(
    rows: pd.DataFrame,
    findings: Sequence[str],
    sources: pd.DataFrame,
    names: Mapping[str, str],
    name: str,
    caption: str,
) -> Markdown:
    """Findings (rows, in the order given, named by ``names``) × articles (columns, the ``sources``
    that state any of them): each cell lists the kinds of drift found, in bold those that change
    the conclusion, and is shaded by its state. ``rows`` is drift.drift_table(); the caption is
    followed by the key to the shades."""
    stated = sources[sources["source_id"].isin(rows["source_id"])]
    texts = pd.DataFrame("", index=list(findings), columns=list(stated["source_id"]))
    shades = texts.copy()
    for (finding_id, source_id), group in rows.groupby(["finding_id", "source_id"], sort=False):
        if finding_id not in texts.index:
            continue
        changing = set(group.loc[group["changes_conclusion"] == "yes", "kind_label"])
        kinds = dict.fromkeys(group["kind_label"].astype(str))
        texts.loc[finding_id, source_id] = ", ".join(f"**{k}**" if k in changing else k for k in kinds)
        shades.loc[finding_id, source_id] = cell_state(
            list(group["kind"].astype(str)), list(group["changes_conclusion"].astype(str))
        )
    texts.columns = shades.columns = list(stated["label"])
    texts.insert(0, "Finding", [names[f] for f in texts.index])
    shades.insert(0, "Finding", "")
    key = "; ".join(f"{colour_name}: {meaning}" for meaning, colour_name, _ in STATES.values())
    return shaded_table(
        texts,
        shades,
        {state: colour for state, (_, _, colour) in STATES.items()},
        name,
        f"{caption} Shading — {key}. In bold: the kinds of drift that change the conclusion. "
        "A dash: the article does not state the finding.",
    )
