"""The landing page's figure: the verdict summary, drawn so that it reads in ten seconds on a phone."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from hanoi_evidence.figures.style import (
    BLUE,
    FONT,
    GREEN,
    MUTED,
    ORANGE,
    VERMILION,
    WIDTH,
    plotted,
    title,
    use_report_style,
)

# One colour per verdict, from holding (green) to contradicted (vermilion); grey where nothing was decided.
VERDICT_COLOURS = {
    "accurate": GREEN,
    "mis-scoped": BLUE,
    "overstated": ORANGE,
    "wrong": VERMILION,
    "unsupported": MUTED,
    "not-checkable": "#C8C8C8",
}


VERDICT_FIELDS = {
    "verdict": "The verdict's code in the evidence register (it sets the bar's colour)",
    "label": "The verdict, as the bar is labelled",
    "claims": "How many claims checked received the verdict (the bar's length)",
}


def verdicts(counts: pd.Series, labels: pd.Series) -> plt.Figure:
    """One bar per verdict (counts indexed by verdict, in the order of the scale), largest label first."""
    return plotted(draw_verdicts, verdicts_data(counts, labels), VERDICT_FIELDS)


def verdicts_data(counts: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """One row per bar, top to bottom, in the order of the scale."""
    return pd.DataFrame(
        {"verdict": list(counts.index), "label": [labels[v] for v in counts.index], "claims": counts.to_numpy("int64")}
    )


def draw_verdicts(table: pd.DataFrame) -> plt.Figure:
    use_report_style()
    counts = table.set_index("verdict")["claims"]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2))
    rows = range(len(counts))[::-1]
    ax.barh(list(rows), counts.to_numpy(), color=[VERDICT_COLOURS[v] for v in counts.index], height=0.7)
    ax.set_yticks(list(rows), list(table["label"]), fontsize=FONT)
    for row, value in zip(rows, counts.to_numpy(), strict=True):
        ax.text(value + 0.3, row, str(value), va="center", fontsize=FONT)
    ax.set_xlim(0, counts.max() * 1.15)
    ax.set_xticks([])
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    total = int(counts.sum())
    title(
        fig,
        f"Of {total} claims checked, {int(counts['accurate'])} hold as the articles state them",
        source="this report's evidence register",
    )
    return fig
