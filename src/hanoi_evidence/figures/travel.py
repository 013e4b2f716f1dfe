"""The figure of Part III, "How the numbers travel": how each finding drifts from its primary
source in each article that repeats it. The grid's cells are shaped in :mod:`hanoi_evidence.drift`."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from hanoi_evidence.figures.style import BLACK, MUTED, SKY, VERMILION, YELLOW, cell_grid, title, use_report_style

# What a cell of the grid shows (a state from drift.cell_state), from strongest to weakest; one colour each.
STATES = [
    ("changes", "drift that changes the conclusion", VERMILION),
    ("wording", "drift in wording only", YELLOW),
    ("unchecked", "no primary source to check against", "#D9D9D9"),
    ("none", "no drift", SKY),
]
STATE_COLOURS = {state: colour for state, _, colour in STATES}


def drift_grid(cells: pd.DataFrame, findings: Sequence[str], sources: pd.DataFrame) -> plt.Figure:
    """Findings (rows, in the order given) × articles (columns, the ``sources`` that have a cell):
    each cell names the kinds of drift found, coloured by what they do. ``cells`` is drift.grid()."""
    use_report_style()
    findings = list(findings)
    sources = sources[sources["source_id"].isin(cells["source_id"])]
    columns = list(sources["source_id"])
    fig, ax = plt.subplots(figsize=(8.6, 0.62 * len(findings) + 2.0))
    for _, cell in cells.iterrows():
        x = columns.index(cell["source_id"])
        y = findings.index(cell["finding_id"])
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=STATE_COLOURS[cell["state"]], edgecolor="white", linewidth=2))
        ax.text(x + 0.5, y + 0.5, "\n".join(cell["labels"]), ha="center", va="center", fontsize=7.5, color=BLACK)
    cell_grid(ax, list(sources["label"]), findings, centre=0.5, labels_on_top=True)
    ax.legend(
        handles=[Patch(facecolor=colour, label=label) for _, label, colour in STATES]
        + [Patch(facecolor="white", edgecolor=MUTED, label="finding not stated")],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=3,
        frameon=False,
        fontsize=8,
    )
    changed = cells.loc[cells["state"] == "changes", "finding_id"].nunique()
    title(
        fig,
        f"{changed} of the {len(findings)} findings that several articles repeat "
        "changed in a way\nthat alters what a reader would conclude",
        ax,
        pad=28,
        from_figure_edge=False,
    )
    return fig
