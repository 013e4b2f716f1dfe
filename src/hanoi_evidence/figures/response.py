"""The figures of Part II, "The response": the harms the articles name, what the Convention's
offences cover, and how far the statistics can be compared.

Every coloured cell also carries a text label, so no meaning rests on colour alone. The data
these figures draw is shaped in :mod:`hanoi_evidence.response`; as in :mod:`.evidence`, each
figure's ``<name>_data`` gives its plotted table (one row per cell) and ``draw_<name>`` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Rectangle

from hanoi_evidence.figures.evidence import _grid
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
    plotted,
    title,
    use_report_style,
    wrap,
)
from hanoi_evidence.response import (
    ATTRIBUTE_NAMES,
    ATTRIBUTES,
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
    return plotted(draw_harms, harms_data(harm_rows, sources), HARMS_FIELDS, cite=list(cite))


HARMS_FIELDS = {
    "harm": "The harm (the grid's row)",
    "affects": "Whom the articles frame it as affecting: children (C), women (W) or both (B)",
    "article": "The news article: its outlet and date (the grid's column)",
    "mention": "How the article names the harm: 'named', 'implied' (invoked, not named: hatched, '?') "
    "or 'none' (an empty cell)",
}


def harms_data(harm_rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per cell, row by row from the top: children's harms first, then both, then women's."""
    order = {key: i for i, key in enumerate(AFFECTS_ORDER)}
    ordered = harm_rows.assign(_order=harm_rows["affects"].map(order)).sort_values(["_order", "harm_id"], kind="stable")
    return pd.DataFrame(
        [
            {
                "harm": harm["name"],
                "affects": harm["affects"],
                "article": article,
                "mention": harm["named"] if source_id in harm["sources"].split(";") else "none",
            }
            for _, harm in ordered.iterrows()
            for source_id, article in zip(sources["source_id"], sources["label"], strict=True)
        ]
    )


def draw_harms(table: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    mentions = _grid(table, "harm", "article", "mention")
    affects = table.drop_duplicates("harm").set_index("harm")["affects"]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.6 * len(mentions) + 2.8))
    for row, harm in enumerate(mentions.index):
        colour, letter = AFFECTS[affects[harm]]
        for column, mention in enumerate(mentions.loc[harm]):
            if mention != "none":
                implied = mention == "implied"
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
                    color=BLACK if implied or affects[harm] == "women" else "white",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1} if implied else None,
                )
            else:
                ax.add_patch(Rectangle((column - 0.45, row - 0.42), 0.9, 0.84, facecolor="#F4F4F4", edgecolor="none"))
    cell_grid(
        ax,
        [article_label(label, 1.2) for label in mentions.columns],
        [wrap(name, 1.95) for name in mentions.index],
        labels_on_top=True,
        column_text={"rotation": 90},
    )
    counts = count_by_affected(affects.to_frame())
    single = int((mentions.ne("none").sum(axis=1) == 1).sum())
    title(
        fig,
        f"The articles frame {words(counts['children'])} harms as children's, {words(counts['women'])} as "
        f"women's and {words(counts['both'])} as both; {words(single)} of the {words(len(mentions))} "
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
    return plotted(draw_coverage, coverage_data(judgements, harm_rows, provisions), COVERAGE_FIELDS, cite=list(cite))


COVERAGE_FIELDS = {
    "harm": "The harm (the grid's row)",
    "article": "The Convention's article (the grid's column, 'Art.' and its number)",
    "provision": "The article's title",
    "level": "How far the article's offence covers the harm: direct, partial or none (written in the cell)",
    "text_read": "Whether the judgement rests on the Convention's text as read (false: on its titles "
    "and UN summaries only; hatched, '?')",
}


def coverage_data(judgements: pd.DataFrame, harm_rows: pd.DataFrame, provisions: pd.DataFrame) -> pd.DataFrame:
    """One row per cell, row by row from the top: the harms an article covers directly first."""
    names = harm_rows.set_index("harm_id")["name"]
    provision_titles = provisions.set_index("article")["title"]
    grid = pivot_coverage(judgements, harm_rows)
    read = pivot_coverage(judgements, harm_rows, "basis") != "secondary"
    best = strongest(grid)
    order = {"direct": 0, "partial": 1, "none": 2}
    rows = sorted(grid.index, key=lambda h: (order[best[h]], list(grid.index).index(h)))
    return pd.DataFrame(
        [
            {
                "harm": names.loc[harm],
                "article": article,
                "provision": provision_titles.loc[article],
                "level": grid.loc[harm, article],
                "text_read": bool(read.loc[harm, article]),
            }
            for harm in rows
            for article in grid.columns
        ]
    ).astype({"article": "int64"})


def draw_coverage(table: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    grid = _grid(table, "harm", "article", "level")
    read = _grid(table, "harm", "article", "text_read").astype(bool)
    provision_titles = table.drop_duplicates("article").set_index("article")["provision"]
    rows, articles = list(grid.index), list(grid.columns)
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
        [wrap(h, 1.6) for h in rows],
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
    return plotted(draw_comparability, comparability_data(stats), COMPARABILITY_FIELDS, cite=list(cite))


COMPARABILITY_FIELDS = {
    "statistic": "The statistic: its value and topic (the grid's row)",
    "attribute": "The attribute that decides comparability (the grid's column)",
    "value": "The statistic's value of the attribute",
    "mark": "The cell's mark: a letter shared with the statistics whose value is the same, "
    "'?' where the value is unknown or unverified (hatched), empty where no other statistic shares it",
}
# The attributes two statistics must share to be set side by side (response.comparable_pairs).
PAIR_ATTRIBUTES = [ATTRIBUTE_NAMES[a] for a in ("population", "geography", "measure")]


def comparability_data(stats: pd.DataFrame) -> pd.DataFrame:
    """One row per cell, row by row from the top."""
    groups = shared_groups(stats)
    return pd.DataFrame(
        [
            {
                "statistic": statistic_label(row),
                "attribute": ATTRIBUTE_NAMES[attribute],
                "value": row[attribute],
                "mark": _mark(groups.loc[index, attribute]),
            }
            for index, row in stats.iterrows()
            for attribute in ATTRIBUTES
        ]
    )


def _mark(group: int) -> str:
    return _letter(group) if group > 0 else ("?" if group < 0 else "")


def draw_comparability(table: pd.DataFrame, *, cite: Sequence[str] = ()) -> plt.Figure:
    use_report_style()
    marks = _grid(table, "statistic", "attribute", "mark")
    values = _grid(table, "statistic", "attribute", "value")
    fig, ax = plt.subplots(figsize=(WIDTH, 0.68 * len(marks) + 5.6))
    for r, statistic in enumerate(marks.index):
        for c, attribute in enumerate(marks.columns):
            mark = marks.loc[statistic, attribute]
            ax.add_patch(
                Rectangle(
                    (c - 0.46, r - 0.44),
                    0.92,
                    0.88,
                    facecolor=SKY if mark.isalpha() else ("#EEEEEE" if mark == "?" else "white"),
                    edgecolor="#BBBBBB",
                    linewidth=0.6,
                    hatch="///" if mark == "?" else None,
                )
            )
            if mark:
                ax.text(
                    c,
                    r,
                    mark,
                    ha="center",
                    va="center",
                    fontweight="bold",
                    bbox={"facecolor": "#EEEEEE", "edgecolor": "none", "pad": 1} if mark == "?" else None,
                )
    cell_grid(
        ax,
        list(marks.columns),
        [_two_lines(statistic) for statistic in marks.index],
        labels_on_top=True,
        column_text={"rotation": 90},
    )
    shared = []
    for attribute in marks.columns:
        # Each letter's value, as the first statistic with the letter has it (all share its core).
        first = {
            letter: values.loc[marks[attribute] == letter, attribute].iloc[0]
            for letter in sorted(set(marks[attribute]) - {"", "?"})
        }
        if first:
            shared.append(
                f"{attribute}: " + " · ".join(f"{k}\N{NO-BREAK SPACE}{shown_core(v)}" for k, v in first.items())
            )
    # Pairs of statistics lettered alike in each attribute that makes two statistics comparable.
    keys = marks[PAIR_ATTRIBUTES].apply(tuple, axis=1)
    lettered = keys[keys.map(lambda key: all(mark.isalpha() for mark in key))]
    pairs = [(a, b) for a, b in combinations(lettered.index, 2) if lettered[a] == lettered[b]]
    title(
        fig,
        f"Of {words(len(marks))} statistics, {words(len(pairs))} "
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
