"""Every figure in the report, drawn in one style.

Each function returns a matplotlib Figure and draws nothing else: the notebook
cell that calls it shows the figure, and its caption and alt text live in the
cell's metadata, where myst-nb numbers it for both the HTML and the PDF.
"""

from __future__ import annotations

import os
from importlib import resources

import matplotlib.pyplot as plt
import pandas as pd

# Okabe-Ito colours by role, so the same meaning has the same colour in every figure.
BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)
MUTED = "#8C8C8C"


def use_report_style() -> None:
    """Apply the report's matplotlib style and make image files reproducible.

    matplotlib writes a creation date into PDF and SVG files unless
    SOURCE_DATE_EPOCH is set; fixing it makes two builds byte-identical.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    with resources.as_file(resources.files("hanoi_evidence") / "report.mplstyle") as style:
        plt.style.use(style)


def cleaning_figure(summary: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Stacked bars: each article's words, split into the story and what cleaning removed."""
    use_report_style()
    words = summary.assign(part=summary["kind"].where(summary["kind"] == "body", "removed"))
    table = words.pivot_table(index="source_id", columns="part", values="words", aggfunc="sum", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values().index]
    names = [labels[source_id] for source_id in table.index]
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    ax.barh(names, table["body"], color=BLUE, label="article body")
    ax.barh(names, table["removed"], left=table["body"], color=MUTED, label="removed as noise")
    ax.set_xlabel("words")
    ax.legend(loc="lower right")
    share = table["removed"].sum() / table.values.sum()
    ax.set_title(f"About {share:.0%} of the words received are not part of any article's story")
    fig.tight_layout()
    return fig
