"""The figures of Part I, "The evidence": the articles, the topics they share, the dates they
report, and the statistics they state.

Each figure is a ``<name>_data`` function (the plotted table: one row per bar, cell or mark),
a ``draw_<name>`` function that draws only that table, and ``<name>``, which composes them
through :func:`.style.plotted`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.ticker import MultipleLocator

from hanoi_evidence.figures.style import (
    BLUE,
    MUTED,
    ORANGE,
    WIDTH,
    article_label,
    cell_grid,
    plotted,
    text_width,
    title,
    use_report_style,
    wrap,
)

CLEANING_FIELDS = {
    "article": "The news article: its outlet and date",
    "body_words": "Words of the article's own text (the bar's blue part)",
    "removed_words": "Words received with the article and removed as noise (the bar's grey part)",
}


def cleaning(summary: pd.DataFrame, labels: Mapping[str, str], *, cite: Sequence[str] = ()) -> plt.Figure:
    """Stacked bars: each article's words, split into the story and what cleaning removed."""
    return plotted(draw_cleaning, cleaning_data(summary, labels), CLEANING_FIELDS, cite=list(cite))


def cleaning_data(summary: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """One row per article, fewest words first (the bars from the bottom up)."""
    words = summary.assign(part=summary["kind"].where(summary["kind"] == "body", "removed"))
    table = words.pivot_table(index="source_id", columns="part", values="words", aggfunc="sum", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values().index]
    return pd.DataFrame(
        {
            "article": [labels[source_id] for source_id in table.index],
            "body_words": table["body"].to_numpy(),
            "removed_words": table["removed"].to_numpy(),
        }
    )


def draw_cleaning(table: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    names = [article_label(label, 1.3) for label in table["article"]]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6))
    ax.barh(names, table["body_words"], color=BLUE, label="article body")
    ax.barh(names, table["removed_words"], left=table["body_words"], color=MUTED, label="removed as noise")
    ax.set_xlabel("words")
    ax.xaxis.set_major_locator(MultipleLocator(500))
    # Anchored at the right, the legend reaches left only over the row labels, not past them.
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, borderaxespad=0.3, handlelength=1.2)
    share = table["removed_words"].sum() / (table["body_words"].sum() + table["removed_words"].sum())
    title(fig, f"About {share:.0%} of the words received are not article text", cite=cite)
    return fig


def topic_matrix(
    matrix: pd.DataFrame,
    source_labels: Mapping[str, str],
    topic_labels: Mapping[str, str],
    *,
    cite: Sequence[str] = (),
) -> plt.Figure:
    """Grid of mentions per topic (rows) and article (columns); counts written in the cells."""
    return plotted(
        draw_topic_matrix, topic_matrix_data(matrix, source_labels, topic_labels), TOPIC_FIELDS, cite=list(cite)
    )


TOPIC_FIELDS = {
    "topic": "The topic (the grid's row)",
    "article": "The news article: its outlet and date (the grid's column)",
    "mentions": "How many times the article mentions the topic (written in the cell; an empty cell is 0)",
}


def topic_matrix_data(
    matrix: pd.DataFrame, source_labels: Mapping[str, str], topic_labels: Mapping[str, str]
) -> pd.DataFrame:
    """One row per cell, row by row from the top."""
    cells = matrix.stack().rename("mentions").rename_axis(["topic", "article"]).reset_index()
    return cells.assign(topic=cells["topic"].map(topic_labels), article=cells["article"].map(source_labels))


def draw_topic_matrix(table: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    matrix = _grid(table, "topic", "article", "mentions")
    rows, columns = matrix.shape
    fig, ax = plt.subplots(figsize=(WIDTH, 0.5 * rows + 2.4))
    # pcolormesh rather than imshow: cells stay vector shapes in the PDF edition.
    ax.pcolormesh(
        np.arange(columns + 1) - 0.5,
        np.arange(rows + 1) - 0.5,
        matrix.values,
        cmap="Blues",
        vmin=0,
        vmax=max(matrix.values.max(), 1) * 1.6,
        edgecolors="white",
        linewidth=1,
    )
    for (row, column), value in np.ndenumerate(matrix.values):
        if value:
            ax.text(column, row, str(value), ha="center", va="center")
    cell_grid(
        ax,
        [article_label(label, 1.2) for label in matrix.columns],
        [wrap(topic, 1.9) for topic in matrix.index],
        labels_on_top=True,
        column_text={"rotation": 90},
    )
    shared = int((matrix.gt(0).sum(axis=1) >= 3).sum())
    title(fig, f"{shared} of {len(matrix)} topics appear in three or more of the articles", cite=cite)
    return fig


def _grid(cells: pd.DataFrame, rows: str, columns: str, values: str) -> pd.DataFrame:
    """A table of cells (one per row) as a grid, rows and columns in the order they first appear."""
    grid = cells.pivot(index=rows, columns=columns, values=values)
    return grid.loc[cells[rows].unique(), cells[columns].unique()]


# The two kinds of event, as the legend names them.
MILESTONE, MEETING = "Convention milestone", "Meeting reported by the articles"
TIMELINE_FIELDS = {
    "event": "The event, as labelled",
    "start": "Its first day",
    "end": "Its last day (the first day again for a one-day event)",
    "kind": f"'{MILESTONE}' (blue) or '{MEETING}' (orange)",
}


def timeline(events: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    """The Convention's milestones and the meetings the articles report, in date order down a
    vertical time axis: each mark sits at its date, and its label, spread evenly beside the axis
    so that events days apart stay legible, points to it."""
    return plotted(draw_timeline, timeline_data(events), TIMELINE_FIELDS, cite=list(cite))


def timeline_data(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event, in date order (top to bottom)."""
    ordered = events.sort_values(["date_start", "date_end"]).reset_index(drop=True)
    return pd.DataFrame(
        {
            "event": ordered["name"],
            "start": ordered["date_start"],
            "end": ordered["date_end"],
            "kind": ordered["kind"].map(lambda kind: MILESTONE if kind == "convention_milestone" else MEETING),
        }
    )


def draw_timeline(table: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    # In one time unit, whichever the table was read in: the labels' evenly spread places depend on it.
    ordered = table.astype({"start": "datetime64[us]", "end": "datetime64[us]"})
    fig, ax = plt.subplots(figsize=(WIDTH, 1.05 * len(ordered) + 1.6))
    first = ordered["start"].min() - pd.Timedelta(days=30)
    last = ordered["end"].max() + pd.Timedelta(days=75)  # room for the last name, below its date
    places = pd.date_range(ordered["start"].min(), ordered["end"].max(), periods=len(ordered))
    for (_, event), place in zip(ordered.iterrows(), places, strict=True):
        colour = BLUE if event["kind"] == MILESTONE else ORANGE
        start, end = event["start"], event["end"]
        if end > start + pd.Timedelta(days=2):
            ax.plot([0, 0], [start, end], color=colour, linewidth=9, solid_capstyle="butt", zorder=3)
        else:
            ax.plot(0, start, "o", color=colour, markersize=10, zorder=3)
        middle = start + (end - start) / 2
        ax.plot([0, 0.08, 0.14], [middle, place, place], color=MUTED, linewidth=0.8)
        # The date above the leader line, bold, and the event's name below it.
        for text, offset, weight in ((_day_span(start, end), 2, "bold"), (wrap(event["event"], WIDTH - 1.3), -2, None)):
            ax.annotate(
                text,
                (0.16, place),
                xytext=(0, offset),
                textcoords="offset points",
                va="bottom" if offset > 0 else "top",
                fontweight=weight,
                linespacing=1.1,
            )
    ax.set_xlim(-0.04, 1)
    ax.set_ylim(last, first)
    ax.yaxis.set_major_locator(mdates.YearLocator())
    ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xticks([])
    ax.grid(False)
    ax.spines[["bottom"]].set_visible(False)
    ax.spines["left"].set_position(("data", 0))
    ax.plot([], [], "o", color=BLUE, label=MILESTONE)
    ax.plot([], [], "o", color=ORANGE, label=MEETING)
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0), borderaxespad=0.3, handletextpad=0.3)
    title(fig, "The meetings the articles report lead up to the signing in Hanoi", cite=cite)
    return fig


def _day_span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if start.month == end.month and start.day == 1 and end.is_month_end:
        return f"{start:%B %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}" if start.month == end.month else f"{start:%d %b %Y} – {end:%d %b %Y}"


# What a value's panel says about where it comes from, by the finding's attribution: a value whose
# source was not read is the articles' own, and is labelled so.
SOURCE_NOTES = {"probable": " (as the articles state it)", "unknown": " (source unknown)"}


def separate_scales(panels: pd.DataFrame, heading: str, *, cite: Sequence[str] = ()) -> plt.Figure:
    """One panel per statistic, each titled with the population it describes; ``heading`` is the title.

    ``panels`` has columns label, population, low, high, value_label (the value as the prose writes
    it, bound included) and attribution. A range is drawn as an interval, a single value as a bar;
    a value whose source is unknown is drawn hollow, and one whose source was not read is labelled
    as the articles' own. The panels share a 0-100% scale for legibility, not comparability: each
    describes a different population.
    """
    return plotted(draw_separate_scales, separate_scales_data(panels), SCALES_FIELDS, heading=heading, cite=list(cite))


SCALES_FIELDS = {
    "statistic": "What the statistic measures (the panel's title, before the dash)",
    "population": "The population it describes (the panel's title, after the dash)",
    "low": "The low end of its range, in percent (the value itself for a single value)",
    "high": "The high end of its range, in percent (the value itself for a single value)",
    "value_label": "The value as written at the end of its bar",
    "attribution": "How far its source was traced: 'unknown' is drawn hollow and labelled '(source unknown)', "
    "'probable' is labelled '(as the articles state it)'",
}


def separate_scales_data(panels: pd.DataFrame) -> pd.DataFrame:
    """One row per panel, top to bottom."""
    table = panels.rename(columns={"label": "statistic"})[list(SCALES_FIELDS)]
    return table.reset_index(drop=True)


def draw_separate_scales(table: pd.DataFrame, *, heading: str, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    panels = table
    fig, axes = plt.subplots(len(panels), 1, figsize=(WIDTH, 1.45 * len(panels) + 1.9), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, (_, panel) in zip(axes, panels.iterrows(), strict=True):
        found = panel["attribution"] != "unknown"
        colour = BLUE if found else MUTED
        if panel["low"] == panel["high"]:
            ax.barh(
                [0],
                [panel["low"]],
                height=0.6,
                color=colour if found else "white",
                edgecolor=colour,
                hatch=None if found else "//",
            )
        else:
            ax.plot([panel["low"], panel["high"]], [0, 0], color=colour, linewidth=4, marker="|", markersize=18)
        # The value at the end of its bar: outside when it fits there, else inside in white.
        room = (100 - panel["high"]) / 100 * (WIDTH - 0.2) * 72
        outside = text_width(panel["value_label"], weight="bold") + 6 < room
        ax.annotate(
            panel["value_label"],
            (panel["high"], 0),
            xytext=(5 if outside else -5, 0),
            textcoords="offset points",
            ha="left" if outside else "right",
            va="center",
            fontweight="bold",
            color="black" if outside else "white",
        )
        ax.set_yticks([])
        ax.set_ylim(-0.6, 0.6)
        ax.set_xlim(0, 100)
        note = SOURCE_NOTES.get(panel["attribution"], "")
        ax.set_title(wrap(f"{panel['statistic']} — {panel['population']}{note}", WIDTH - 0.4), loc="left")
    axes[-1].set_xticks(range(0, 101, 25), [f"{value}%" for value in range(0, 101, 25)])
    axes[-1].get_xticklabels()[-1].set_horizontalalignment("right")  # "100%" ends at the axis, not past it
    axes[-1].set_xlabel("share of each panel's own population")
    title(fig, heading, cite=cite)
    return fig


def reports(reports: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    """Bars of yearly report counts (indexed by year, columns count and bound), titled with the ratio of the
    last to the first. A count that is a lower bound ('more than') is drawn open-ended, a hatched
    extension and an arrow above its bar, and makes the ratio one too: rounded down, and worded 'at least'."""
    return plotted(draw_reports, reports_data(reports), REPORTS_FIELDS, cite=list(cite))


REPORTS_FIELDS = {
    "year": "The year counted",
    "reports": "Reports of online enticement to the CyberTipline that year (the bar's height)",
    "lower_bound": "Whether the count is a lower bound ('more than'), drawn open-ended",
}


def reports_data(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per bar, left to right."""
    return pd.DataFrame(
        {
            "year": list(reports.index),
            "reports": reports["count"].to_numpy(),
            "lower_bound": (reports["bound"] == "lower").to_numpy(),
        }
    )


def draw_reports(table: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    counts, lower = table["reports"], table["lower_bound"]
    if lower.iloc[0]:
        raise ValueError("the first count is a lower bound: the ratio has no lower bound")
    ratio = counts.iloc[-1] / counts.iloc[0]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2))
    years = [str(year) for year in table["year"]]
    bar = 0.55  # width
    ax.bar(years, counts.values, color=[MUTED, BLUE], width=bar)
    top = counts.max() * 1.5
    for x, (value, is_lower) in enumerate(zip(counts.values, lower, strict=True)):
        label = f"{value:,.0f}"
        if is_lower:
            # Beyond the known count: hatched, open at the top, pointing up.
            ax.add_patch(
                Rectangle((x - bar / 2, value), bar, value * 0.22, facecolor="none", edgecolor=BLUE, hatch="//", lw=0)
            )
            ax.annotate("", (x, value * 1.32), (x, value), arrowprops={"arrowstyle": "-|>", "color": BLUE, "lw": 2})
            label, value = f"more than\n{label}", value * 1.32
        ax.text(x, value + counts.max() * 0.02, label, ha="center", va="bottom", fontweight="bold")
    ax.set_ylim(0, top)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(False)
    ax.set_xlabel("reports of online enticement to the CyberTipline")
    # A ratio to a lower bound is one too: floored, so that its rounding never overstates it.
    shown = f"at least {math.floor(ratio * 10) / 10:.1f}" if lower.iloc[-1] else f"{ratio:.1f}"
    title(fig, f"Reports of online enticement rose {shown}-fold in a year", cite=cite)
    return fig
