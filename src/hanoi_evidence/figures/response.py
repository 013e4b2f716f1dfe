"""The figures of Part II, "The response": the harms the articles name, what the Convention's
offences cover, and how far the statistics can be compared.

Every coloured cell also carries a text label, so no meaning rests on colour alone. The data
these figures draw is shaped in :mod:`hanoi_evidence.response`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from hanoi_evidence.figures.style import (
    BLACK,
    BLUE,
    GREEN,
    MUTED,
    ORANGE,
    PINK,
    SKY,
    YELLOW,
    cell_grid,
    title,
    use_report_style,
)
from hanoi_evidence.response import (
    ATTRIBUTES,
    comparable_pairs,
    count_by_affected,
    pivot_coverage,
    shared_groups,
    shown_core,
    statistic_label,
    strongest,
)
from hanoi_evidence.text import number_word as words

# Whom a harm affects, as the articles frame it: one colour and one letter each.
AFFECTS = {"children": (BLUE, "C"), "women": (ORANGE, "W"), "both": (GREEN, "B")}
AFFECTS_ORDER = ["children", "both", "women"]
# Coverage levels: a colour-blind-safe sequence from strong to none, always written in the cell too.
LEVELS = {"direct": BLUE, "partial": YELLOW, "none": "#EEEEEE"}
LEVEL_TEXT = {"direct": "white", "partial": BLACK, "none": "#555555"}
# Within a column of the comparability grid, one colour per value that statistics share.
GROUP_COLOURS = [SKY, ORANGE, GREEN, PINK, YELLOW, "#9BC4E2", "#F5C26B"]


def harms(harm_rows: pd.DataFrame, sources: pd.DataFrame) -> plt.Figure:
    """Grid of harms (rows, from data/harms.csv) by article (columns, from data/sources.csv): a filled
    cell where the article names the harm, coloured and lettered by whom the articles frame it as affecting."""
    use_report_style()
    labels = dict(zip(sources["source_id"], sources["label"], strict=True))
    order = {key: i for i, key in enumerate(AFFECTS_ORDER)}
    ordered = harm_rows.assign(_order=harm_rows["affects"].map(order)).sort_values(["_order", "harm_id"], kind="stable")
    columns = list(sources["source_id"])
    fig, ax = plt.subplots(figsize=(8.0, 0.42 * len(ordered) + 2.6))
    for row, (_, harm) in enumerate(ordered.iterrows()):
        colour, letter = AFFECTS[harm["affects"]]
        named_by = harm["sources"].split(";")
        for column, source_id in enumerate(columns):
            if source_id in named_by:
                implied = harm["named"] == "implied"
                ax.add_patch(
                    Rectangle(
                        (column - 0.45, row - 0.4),
                        0.9,
                        0.8,
                        facecolor="white" if implied else colour,
                        edgecolor=colour,
                        linewidth=1.5,
                        hatch="//" if implied else None,
                    )
                )
                ax.text(
                    column,
                    row,
                    letter + ("?" if implied else ""),
                    ha="center",
                    va="center",
                    fontsize=9,
                    fontweight="bold",
                    color=BLACK if implied or harm["affects"] == "women" else "white",
                )
            else:
                ax.add_patch(Rectangle((column - 0.45, row - 0.4), 0.9, 0.8, facecolor="#F4F4F4", edgecolor="none"))
    cell_grid(ax, [_stacked(labels[c]) for c in columns], list(ordered["name"]), column_text={"fontsize": 8.5})
    handles = [Patch(facecolor=AFFECTS[key][0], label=f"{AFFECTS[key][1]}: {key}") for key in AFFECTS_ORDER]
    handles.append(Patch(facecolor="white", edgecolor=MUTED, hatch="//", label="?: invoked, not named"))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8.5,
        title="the articles frame it as affecting",
        title_fontsize=8.5,
        alignment="left",
    )
    counts = count_by_affected(ordered)
    single = int((ordered["sources"].str.count(";") == 0).sum())
    title(
        fig,
        f"The articles frame {words(counts['children'])} harms as children's, {words(counts['women'])} as "
        f"women's and {words(counts['both'])} as both;\n{words(single)} of the {words(len(ordered))} "
        f"are named by one article only",
        ax,
    )
    return fig


def _stacked(label: str) -> str:
    """'Báo Quốc Tế, 26 Oct' as a narrow column label: the name wrapped, the date on its own line."""
    name, _, date = label.partition(", ")
    return "\n".join(textwrap.wrap(name, 7, break_long_words=False) + [date])


def coverage(judgements: pd.DataFrame, harm_rows: pd.DataFrame, provisions: pd.DataFrame) -> plt.Figure:
    """A harm x article grid of the judgements in data/coverage.csv: each cell coloured and labelled
    direct / partial / none; cells whose judgement rests only on secondary sources are hatched and marked '?'."""
    use_report_style()
    names = harm_rows.set_index("harm_id")["name"]
    provision_titles = provisions.set_index("article")["title"]
    grid = pivot_coverage(judgements, harm_rows)
    basis = pivot_coverage(judgements, harm_rows, "basis")
    best = strongest(grid)
    order = {"direct": 0, "partial": 1, "none": 2}
    rows = sorted(grid.index, key=lambda h: (order[best[h]], list(grid.index).index(h)))
    articles = list(grid.columns)
    fig, ax = plt.subplots(figsize=(9.0, 0.42 * len(rows) + 2.6))
    for r, harm in enumerate(rows):
        for c, article in enumerate(articles):
            level = grid.loc[harm, article]
            unverified = basis.loc[harm, article] == "secondary"
            ax.add_patch(
                Rectangle(
                    (c - 0.47, r - 0.42),
                    0.94,
                    0.84,
                    facecolor=LEVELS[level],
                    edgecolor="white" if not unverified else MUTED,
                    linewidth=1.0,
                    hatch=".." if unverified else None,
                )
            )
            ax.text(
                c,
                r,
                level + (" ?" if unverified else ""),
                ha="center",
                va="center",
                fontsize=9,
                color=LEVEL_TEXT[level],
                fontweight="bold" if level != "none" else "normal",
                bbox=dict(facecolor=LEVELS[level], edgecolor="none", pad=1.0) if unverified else None,
            )
    column_labels = [
        f"Art. {a}\n" + "\n".join(textwrap.wrap(_short_title(provision_titles.loc[a]), 14)) for a in articles
    ]
    cell_grid(ax, column_labels, [names.loc[h] for h in rows], labels_on_top=True, column_text={"fontsize": 8})
    handles = [Patch(facecolor=LEVELS[key], edgecolor=MUTED, label=key) for key in LEVELS]
    handles.append(
        Patch(facecolor="white", edgecolor=MUTED, hatch="..", label="? text not read:\ntitle and UN summaries only")
    )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
    counts = best.value_counts()
    title(
        fig,
        f"{words(counts.get('direct', 0)).capitalize()} of the {words(len(rows))} harms meet an offence "
        f"written for them; {words(counts.get('none', 0))} meet no offence at all",
        ax,
        pad=10,
    )
    return fig


def _short_title(name: str) -> str:
    """A provision's title shortened for an axis label."""
    replacements = {
        "Information and communications technology system-related": "ICT-related",
        "Offences related to online child sexual abuse or child sexual exploitation material": "Child sexual abuse or exploitation material",
        "Solicitation or grooming for the purpose of committing a sexual offence against a child": "Solicitation or grooming of a child",
    }
    for long, short in replacements.items():
        name = name.replace(long, short)
    return name


def comparability(stats: pd.DataFrame) -> plt.Figure:
    """A grid of statistics (rows) by attribute (columns). A cell is coloured when its value is
    shared with at least one other statistic (same colour = same value, within a column), white
    when no other statistic shares it, and hatched grey when it is unknown or unverified; every
    cell shows the value itself (its core, before any qualifier)."""
    use_report_style()
    groups = shared_groups(stats)
    fig, ax = plt.subplots(figsize=(10.5, 0.62 * len(stats) + 2.0))
    for r, (index, row) in enumerate(stats.iterrows()):
        for c, attribute in enumerate(ATTRIBUTES):
            group = groups.loc[index, attribute]
            colour = (
                GROUP_COLOURS[(group - 1) % len(GROUP_COLOURS)] if group > 0 else ("#EEEEEE" if group < 0 else "white")
            )
            ax.add_patch(
                Rectangle(
                    (c - 0.48, r - 0.45),
                    0.96,
                    0.9,
                    facecolor=colour,
                    edgecolor="#BBBBBB",
                    linewidth=0.6,
                    hatch="///" if group < 0 else None,
                )
            )
            ax.text(
                c,
                r,
                _cell_label(row[attribute]),
                ha="center",
                va="center",
                fontsize=6.5,
                color=BLACK if group > 0 else "#333333",
                bbox=dict(facecolor="#EEEEEE", edgecolor="none", pad=0.5) if group < 0 else None,
            )
    cell_grid(
        ax,
        [a.replace("_", " ") for a in ATTRIBUTES],
        [statistic_label(row) for _, row in stats.iterrows()],
        labels_on_top=True,
        row_text={"fontsize": 8.5},
    )
    handles = [
        Patch(facecolor="white", edgecolor="#BBBBBB", label="no other statistic shares the value"),
        Patch(facecolor=SKY, edgecolor="#BBBBBB", label="shared (same colour, same value, within a column)"),
        Patch(
            facecolor="#EEEEEE",
            edgecolor="#BBBBBB",
            hatch="///",
            label="unknown, unverified or as the articles word it",
        ),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncols=2, fontsize=8)
    pairs = comparable_pairs(stats)
    title(
        fig,
        f"Of {words(len(stats))} statistics, {words(len(pairs))} "
        f"pair{'s' if len(pairs) != 1 else ''} share{'s' if len(pairs) == 1 else ''} population, "
        f"geography and measure:\nthe rest cannot be set side by side",
        ax,
        pad=24,
    )
    return fig


def _cell_label(value: str, width: int = 20, lines: int = 3) -> str:
    """A value's core wrapped to fit a cell, cut with '…' after ``lines`` lines."""
    wrapped = textwrap.wrap(shown_core(value), width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return "\n".join(wrapped)
