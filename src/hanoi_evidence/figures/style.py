"""The report's one look: its palette, its matplotlib style, and the two helpers every figure shares.

:func:`title` is the only way a figure gets its title (which states the figure's finding), and
:func:`cell_grid` lays out the axes of every figure drawn as a grid of cells.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources

import matplotlib.pyplot as plt

from hanoi_evidence.paths import record_read

# Okabe-Ito colours by role, so the same meaning has the same colour in every figure.
BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, BLACK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
MUTED = "#8C8C8C"


def use_report_style() -> None:
    """Apply the report's matplotlib style and make image files reproducible.

    matplotlib writes a creation date into PDF and SVG files unless
    SOURCE_DATE_EPOCH is set; fixing it makes two builds byte-identical.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    with resources.as_file(resources.files(__package__) / "report.mplstyle") as style:
        record_read(style)
        plt.style.use(style)
    # In a kernel, also emit each figure as PDF: the LaTeX builder prefers it (vector figures in
    # the PDF edition) and the HTML builder ignores it. SOURCE_DATE_EPOCH keeps its bytes stable.
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png", "pdf")


def title(
    fig: plt.Figure, text: str, ax: plt.Axes | None = None, *, pad: float = 6, from_figure_edge: bool = True
) -> None:
    """Title the figure with its finding, left-aligned, then lay the figure out (call it last).

    Without ``ax`` the title spans the whole figure. With ``ax`` it is that axes' title, ``pad``
    points above it (room for labels along the top), and it is moved to start at the figure's
    left edge, so that a long title is not cut off beside the row labels; ``from_figure_edge=False``
    leaves it where the axes start.
    """
    if ax is None:
        fig.suptitle(text, x=0.01, ha="left", fontweight="bold", fontsize=11.5)
        fig.tight_layout()
        return
    axes_title = ax.set_title(text, loc="left", pad=pad)
    fig.tight_layout()
    if from_figure_edge:
        axes_title.set_x(ax.transAxes.inverted().transform(fig.transFigure.transform((0.015, 0)))[0])


def cell_grid(
    ax: plt.Axes,
    column_labels: Sequence[str],
    row_labels: Sequence[str],
    *,
    centre: float = 0,
    labels_on_top: bool = False,
    column_text: dict | None = None,
    row_text: dict | None = None,
) -> None:
    """Axes for a grid of cells, drawn before this is called: the cell of column c and row r is
    centred on (c + centre, r + centre), the first row at the top, each column and row labelled
    (``column_text``/``row_text``: text properties of the labels), and no gridlines, ticks or frame."""
    columns, rows = len(column_labels), len(row_labels)
    ax.set_xlim(centre - 0.5, columns + centre - 0.5)
    ax.set_ylim(rows + centre - 0.5, centre - 0.5)
    ax.set_xticks([c + centre for c in range(columns)], column_labels, **(column_text or {}))
    if labels_on_top:
        ax.xaxis.tick_top()
    ax.set_yticks([r + centre for r in range(rows)], row_labels, **(row_text or {}))
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
