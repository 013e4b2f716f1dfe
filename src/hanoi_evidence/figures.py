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


def article_length_figure(words: pd.DataFrame) -> plt.Figure:
    """Horizontal bars: words per article as received."""
    use_report_style()
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    ordered = words.sort_values("words_received")
    ax.barh(ordered["label"], ordered["words_received"], color=BLUE)
    ax.set_xlabel("words as received")
    longest = ordered.iloc[-1]
    ax.set_title(f"{longest['label']} is the longest text, at {longest['words_received']:,} words")
    fig.tight_layout()
    return fig
