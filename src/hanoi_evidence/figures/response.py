"""The figures of Part II, "The response": the harms the articles name, what the Convention's
offences cover, and how far the statistics can be compared.

Every coloured cell also carries a text label, so no meaning rests on colour alone. The data
these figures draw is shaped in :mod:`hanoi_evidence.response`.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Rectangle

from hanoi_evidence.figures.style import (
    BLACK,
    BLUE,
    GREEN,
    MUTED,
    ORANGE,
    QUIET,
    SKY,
    WIDTH,
    YELLOW,
    article_label,
    cell_grid,
    title,
    use_report_style,
    wrap,
)
from hanoi_evidence.response import (
    ATTRIBUTE_NAMES,
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
LEVEL_TEXT = {"direct": "white", "partial": BLACK, "none": QUIET}


def harms(harm_rows: pd.DataFrame, sources: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    """Grid of harms (rows, from data/harms.csv) by article (columns, from data/sources.csv): a filled
    cell where the article names the harm, coloured and lettered by whom the articles frame it as
    affecting."""
    use_report_style()
    labels = dict(zip(sources["source_id"], sources["label"], strict=True))
    order = {key: i for i, key in enumerate(AFFECTS_ORDER)}
    ordered = harm_rows.assign(_order=harm_rows["affects"].map(order)).sort_values(["_order", "harm_id"], kind="stable")
    columns = list(sources["source_id"])
    fig, ax = plt.subplots(figsize=(WIDTH, 0.6 * len(ordered) + 2.8))
    for row, (_, harm) in enumerate(ordered.iterrows()):
        colour, letter = AFFECTS[harm["affects"]]
        named_by = harm["sources"].split(";")
        for column, source_id in enumerate(columns):
            if source_id in named_by:
                implied = harm["named"] == "implied"
                ax.add_patch(
                    Rectangle(
                        (column - 0.45, row - 0.42),
                        0.9,
                        0.84,
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
                    fontweight="bold",
                    color=BLACK if implied or harm["affects"] == "women" else "white",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1} if implied else None,
                )
            else:
                ax.add_patch(Rectangle((column - 0.45, row - 0.42), 0.9, 0.84, facecolor="#F4F4F4", edgecolor="none"))
    cell_grid(
        ax,
        [article_label(labels[c], 1.2) for c in columns],
        [wrap(name, 1.95) for name in ordered["name"]],
        labels_on_top=True,
        column_text={"rotation": 90},
    )
    counts = count_by_affected(ordered)
    single = int((ordered["sources"].str.count(";") == 0).sum())
    title(
        fig,
        f"The articles frame {words(counts['children'])} harms as children's, {words(counts['women'])} as "
        f"women's and {words(counts['both'])} as both; {words(single)} of the {words(len(ordered))} "
        f"are named by one article only",
        cite=cite,
        key="Whom the articles frame the harm as affecting — C: children, B: both, W: women; "
        "C? (hatched): invoked, not named.",
    )
    return fig


def coverage(
    judgements: pd.DataFrame, harm_rows: pd.DataFrame, provisions: pd.DataFrame, *, cite: Sequence[str] = ()
) -> plt.Figure:
    """A harm x article grid of the judgements in data/coverage.csv: each cell coloured and labelled
    direct / partial / none; cells whose judgement rests only on secondary sources are hatched and
    marked '?', and the title counts only the judgements that rest on a text we read."""
    use_report_style()
    names = harm_rows.set_index("harm_id")["name"]
    provision_titles = provisions.set_index("article")["title"]
    grid = pivot_coverage(judgements, harm_rows)
    read = pivot_coverage(judgements, harm_rows, "basis") != "secondary"
    best = strongest(grid)
    order = {"direct": 0, "partial": 1, "none": 2}
    rows = sorted(grid.index, key=lambda h: (order[best[h]], list(grid.index).index(h)))
    articles = list(grid.columns)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.62 * len(rows) + 3.6))
    for r, harm in enumerate(rows):
        for c, article in enumerate(articles):
            level = grid.loc[harm, article]
            unverified = not read.loc[harm, article]
            ax.add_patch(
                Rectangle(
                    (c - 0.47, r - 0.44),
                    0.94,
                    0.88,
                    facecolor=LEVELS[level],
                    edgecolor=MUTED if unverified else "white",
                    linewidth=1.0,
                    hatch="//" if unverified else None,
                )
            )
            ax.text(
                c,
                r,
                level + ("\n?" if unverified else ""),
                ha="center",
                va="center",
                color=LEVEL_TEXT[level],
                linespacing=1.0,
                bbox={"facecolor": LEVELS[level], "edgecolor": "none", "pad": 1} if unverified else None,
            )
    cell_grid(
        ax,
        [f"Art. {a}" for a in articles],
        [wrap(names.loc[h], 1.6) for h in rows],
        labels_on_top=True,
    )
    articles_key = "; ".join(f"Art. {a} {_short_title(provision_titles.loc[a])}" for a in articles)
    # Only what the chart asserts: judgements marked '?' (text not read) are left out of the counts.
    asserted = strongest(grid.where(read, "none"))
    title(
        fig,
        f"In the Convention text we could read, {words((asserted == 'direct').sum())} of the {words(len(rows))} "
        f"harms meet an offence written for them and {words((asserted == 'none').sum())} meet none",
        cite=cite,
        key=f"{articles_key}. ? (hatched): text not read, title and UN summaries only.",
    )
    return fig


def _short_title(name: str) -> str:
    """A provision's title shortened for a key."""
    replacements = {
        "Information and communications technology system-related": "ICT-related",
        "Offences related to online child sexual abuse or child sexual exploitation material": "child sexual abuse or exploitation material",
        "Solicitation or grooming for the purpose of committing a sexual offence against a child": "solicitation or grooming of a child",
        "Non-consensual dissemination": "non-consensual dissemination",
    }
    for long, short in replacements.items():
        name = name.replace(long, short)
    return name


def comparability(stats: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    """A grid of statistics (rows) by attribute (columns). A cell whose value at least one other
    statistic shares is coloured and lettered (same letter, same value, within a column; the key
    gives each letter's value), a cell no other statistic shares is left white, and one whose
    value is unknown or unverified is hatched grey and marked '?'. The values themselves are in
    the comparability table beside it."""
    use_report_style()
    groups = shared_groups(stats)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.68 * len(stats) + 5.6))
    for r, (index, _) in enumerate(stats.iterrows()):
        for c, attribute in enumerate(ATTRIBUTES):
            group = groups.loc[index, attribute]
            ax.add_patch(
                Rectangle(
                    (c - 0.46, r - 0.44),
                    0.92,
                    0.88,
                    facecolor=SKY if group > 0 else ("#EEEEEE" if group < 0 else "white"),
                    edgecolor="#BBBBBB",
                    linewidth=0.6,
                    hatch="///" if group < 0 else None,
                )
            )
            if group:
                ax.text(
                    c,
                    r,
                    _letter(group) if group > 0 else "?",
                    ha="center",
                    va="center",
                    fontweight="bold",
                    bbox={"facecolor": "#EEEEEE", "edgecolor": "none", "pad": 1} if group < 0 else None,
                )
    cell_grid(
        ax,
        [ATTRIBUTE_NAMES[a] for a in ATTRIBUTES],
        [_two_lines(statistic_label(row)) for _, row in stats.iterrows()],
        labels_on_top=True,
        column_text={"rotation": 90},
    )
    shared = []
    for attribute in ATTRIBUTES:
        values = {
            _letter(group): shown_core(stats.loc[groups[attribute] == group, attribute].iloc[0])
            for group in sorted(set(groups[attribute]) - {0, -1})
        }
        if values:
            shared.append(
                f"{ATTRIBUTE_NAMES[attribute]}: " + " · ".join(f"{k}\N{NO-BREAK SPACE}{v}" for k, v in values.items())
            )
    pairs = comparable_pairs(stats)
    title(
        fig,
        f"Of {words(len(stats))} statistics, {words(len(pairs))} "
        f"pair{'s' if len(pairs) != 1 else ''} share{'s' if len(pairs) == 1 else ''} population, "
        f"geography and measure: the rest cannot be set side by side",
        cite=cite,
        key="\n".join(
            [
                "Same letter, same value within a column:",
                *shared,
                "White: no other statistic shares the value. ? (hatched): unknown, unverified or as the "
                "articles word it.",
            ]
        ),
    )
    return fig


def _two_lines(label: str) -> str:
    """'89% · Children's internet use' as a row label: the value above, the topic below it."""
    value, _, topic = label.partition(" · ")
    return f"{value}\n{wrap(topic, 2.0)}"


def _letter(group: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[group - 1]
