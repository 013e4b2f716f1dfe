"""The figures of Part I, "The evidence": the articles, the topics they share, the dates they
report, and the statistics they state."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hanoi_evidence.figures.style import BLUE, MUTED, ORANGE, cell_grid, title, use_report_style


def cleaning(summary: pd.DataFrame, labels: Mapping[str, str]) -> plt.Figure:
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
    title(fig, f"About {share:.0%} of the words received are not article text")
    return fig


def topic_matrix(matrix: pd.DataFrame, source_labels: Mapping[str, str], topic_labels: Mapping[str, str]) -> plt.Figure:
    """Grid of mentions per topic (rows) and article (columns); counts written in the cells."""
    use_report_style()
    fig, ax = plt.subplots(figsize=(7.0, 0.34 * len(matrix) + 1.6))
    rows, columns = matrix.shape
    # pcolormesh rather than imshow: cells stay vector shapes in the PDF edition.
    ax.pcolormesh(
        np.arange(columns + 1) - 0.5,
        np.arange(rows + 1) - 0.5,
        matrix.values,
        cmap="Blues",
        vmin=0,
        vmax=max(matrix.values.max(), 1) * 1.6,
    )
    for (row, column), value in np.ndenumerate(matrix.values):
        if value:
            ax.text(column, row, str(value), ha="center", va="center", fontsize=9)
    cell_grid(
        ax,
        [source_labels[source_id] for source_id in matrix.columns],
        [topic_labels[topic] for topic in matrix.index],
        column_text={"rotation": 20, "ha": "right"},
    )
    shared = int((matrix.gt(0).sum(axis=1) >= 3).sum())
    title(fig, f"{shared} of {len(matrix)} topics appear in three or more of the articles")
    return fig


def timeline(events: pd.DataFrame) -> plt.Figure:
    """The Convention's milestones and the meetings the articles report, one row each, in date order."""
    use_report_style()
    ordered = events.sort_values(["date_start", "date_end"]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * len(ordered) + 1.3))
    for row, event in ordered.iterrows():
        colour = BLUE if event["kind"] == "convention_milestone" else ORANGE
        start, end = event["date_start"], event["date_end"]
        if end > start + pd.Timedelta(days=2):
            ax.plot([start, end], [row, row], color=colour, linewidth=7, solid_capstyle="butt")
        else:
            ax.plot(start, row, "o", color=colour, markersize=7)
        ax.annotate(
            _day_span(start, end), (end, row), xytext=(7, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.set_yticks(range(len(ordered)), [textwrap.fill(name, 38) for name in ordered["name"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(ordered["date_start"].min() - pd.Timedelta(days=45), ordered["date_end"].max() + pd.Timedelta(days=150))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.plot([], [], "o", color=BLUE, label="Convention milestone")
    ax.plot([], [], "o", color=ORANGE, label="Meeting reported by the articles")
    ax.legend(loc="upper right", fontsize=8)
    title(fig, "The meetings the articles report lead up to the signing in Hanoi")
    return fig


def _day_span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if start.month == end.month and start.day == 1 and end.is_month_end:
        return f"{start:%B %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}" if start.month == end.month else f"{start:%d %b %Y} – {end:%d %b %Y}"


# What a value's label says about where it comes from, by the finding's attribution: a value whose
# source was not read is the articles' own, and is labelled so.
SOURCE_NOTES = {"probable": "  (as the articles state it)", "unknown": "  (source unknown)"}


def separate_scales(panels: pd.DataFrame, heading: str) -> plt.Figure:
    """One panel per statistic, each labelled with the population it describes; ``heading`` is the title.

    ``panels`` has columns label, population, low, high, value_label (the value as the prose writes
    it, bound included) and attribution. A range is drawn as an interval, a single value as a bar;
    a value whose source is unknown is drawn hollow, and one whose source was not read is labelled
    as the articles' own. The panels share a 0-100% scale for legibility, not comparability: each
    describes a different population.
    """
    use_report_style()
    fig, axes = plt.subplots(len(panels), 1, figsize=(7.0, 0.95 * len(panels) + 0.7), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, (_, panel) in zip(axes, panels.iterrows(), strict=True):
        found = panel["attribution"] != "unknown"
        colour = BLUE if found else MUTED
        note = SOURCE_NOTES.get(panel["attribution"], "")
        if panel["low"] == panel["high"]:
            ax.barh(
                [0],
                [panel["low"]],
                height=0.5,
                color=colour if found else "white",
                edgecolor=colour,
                hatch=None if found else "//",
            )
            ax.text(panel["low"] + 1.5, 0, f"{panel['value_label']}{note}", va="center", fontsize=9)
        else:
            ax.plot([panel["low"], panel["high"]], [0, 0], color=colour, linewidth=3, marker="|", markersize=14)
            ax.text(panel["high"] + 1.5, 0, f"{panel['value_label']}{note}", va="center", fontsize=9)
        ax.set_yticks([])
        ax.set_ylim(-0.6, 0.6)
        ax.set_xlim(0, 100)
        ax.set_title(f"{panel['label']} — {panel['population']}", fontsize=8.5, fontweight="normal", loc="left")
    axes[-1].set_xlabel("per cent of each panel's own population")
    title(fig, heading)
    return fig


def reports(reports: pd.DataFrame) -> plt.Figure:
    """Bars of yearly report counts (indexed by year, columns count and bound), titled with the ratio of the
    last to the first; a count that is a lower bound ('more than') makes the ratio one too."""
    use_report_style()
    counts, lower = reports["count"], reports["bound"] == "lower"
    ratio = counts.iloc[-1] / counts.iloc[0]
    fig, ax = plt.subplots(figsize=(5.5, 3.0))
    ax.bar([str(year) for year in counts.index], counts.values, color=[MUTED, BLUE], width=0.55)
    for x, (value, is_lower) in enumerate(zip(counts.values, lower, strict=True)):
        label = f"more than {value:,.0f}" if is_lower else f"{value:,.0f}"
        ax.text(x, value * 1.02, label, ha="center", va="bottom", fontsize=9)
    ax.set_ylabel("reports of online enticement")
    ax.set_ylim(0, counts.max() * 1.2)
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    ax.grid(axis="y")
    ax.grid(axis="x", visible=False)
    at_least = "at least " if lower.iloc[-1] and not lower.iloc[0] else ""
    title(fig, f"Reports of online enticement rose {at_least}{ratio:.1f}-fold in a year")
    return fig
