"""Part II of the report, "The response": the harms the articles name, what the
Convention provides against them, and how far the statistics can be compared.

Tables are built from ``data/`` (harms, coverage, provisions, findings, mentions);
each figure function returns a matplotlib Figure drawn in the report's style and
draws nothing else. Colours come from :mod:`hanoi_evidence.figures` (Okabe-Ito),
and every coloured cell also carries a text label, so no meaning rests on colour alone.
"""

from __future__ import annotations

import re
import textwrap
from itertools import combinations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from hanoi_evidence import figures
from hanoi_evidence.figures import BLACK, BLUE, GREEN, MUTED, ORANGE, PINK, SKY, YELLOW
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import number_word as words
from hanoi_evidence.text import value_text

# Whom a harm affects, as the articles frame it: one colour and one letter each.
AFFECTS = {"children": (BLUE, "C"), "women": (ORANGE, "W"), "both": (GREEN, "B")}
AFFECTS_ORDER = ["children", "both", "women"]
# Coverage levels: a colour-blind-safe sequence from strong to none, always written in the cell too.
LEVELS = {"direct": BLUE, "partial": YELLOW, "none": "#EEEEEE"}
LEVEL_TEXT = {"direct": "white", "partial": BLACK, "none": "#555555"}
# The attributes that decide whether two statistics measure the same thing.
ATTRIBUTES = ["population", "age_band", "geography", "period", "measure", "method", "source_type"]


def ordinal(number: int) -> str:
    """'40th', '90th', '1st', '22nd'."""
    number = int(number)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _title(fig: plt.Figure, ax: plt.Axes, text: str, pad: float = 6) -> None:
    """The axes title (it states the finding), moved to start at the figure's left edge,
    so a long title is not cut off beside the row labels. Call after tight_layout."""
    title = ax.set_title(text, loc="left", pad=pad)
    fig.tight_layout()
    left = ax.transAxes.inverted().transform(fig.transFigure.transform((0.015, 0)))[0]
    title.set_x(left)


def source_labels() -> dict[str, str]:
    sources = load_table("sources")
    return dict(zip(sources["source_id"], sources["label"]))


# --- Chapter: where OCSEA and TF-GBV meet ---------------------------------------------


def link_claims() -> pd.DataFrame:
    """Each link claim with its mentions ('quote' — source label) and the evidence behind it."""
    findings = load_table("findings")
    mentions = load_table("mentions")
    labels = source_labels()
    claims = findings[findings["kind"] == "link_claim"]
    rows = []
    for _, claim in claims.iterrows():
        said = mentions[mentions["finding_id"] == claim["finding_id"]]
        quotes = [
            f"“{m['quote']}” ({labels[m['source_id']]}; {_speaker(m['attribution_as_worded'])})"
            for _, m in said.iterrows()
        ]
        rows.append(
            {
                "finding_id": claim["finding_id"],
                "Claim": claim["statement"],
                "As the articles put it": " · ".join(quotes),
                "n_mentions": len(said),
                "n_sources": said["source_id"].nunique(),
                "cites_evidence": bool(pd.notna(claim["primary_source"])),
                "Evidence behind it": claim["trace_note"],
            }
        )
    return pd.DataFrame(rows)


def _speaker(attribution: str) -> str:
    return "no speaker named" if attribution == "none" else f"said by {attribution}"


def harms_table() -> pd.DataFrame:
    """The harms for display: name, whom, articles naming it, a quote with its place."""
    harms = load_table("harms")
    labels = source_labels()
    return pd.DataFrame(
        {
            "Harm": harms["name"],
            "Affects (as framed)": harms["affects"],
            "Named by": ["; ".join(labels[s] for s in ids.split(";")) for ids in harms["sources"]],
            "Quote": [
                f"“{q}” ({labels[s]}, line {int(n)})" + (" (implied)" if how == "implied" else "")
                for q, s, n, how in zip(harms["quote"], harms["quote_source"], harms["quote_line"], harms["named"])
            ],
            "Note": harms["note"],
        }
    )


def harm_counts() -> dict[str, int]:
    """How many harms the articles frame as children's, women's or both."""
    harms = load_table("harms")
    counts = harms["affects"].value_counts()
    return {key: int(counts.get(key, 0)) for key in AFFECTS}


def harms_figure() -> plt.Figure:
    """Grid of harms (rows) by article (columns): a filled cell where the article names the harm,
    coloured and lettered by whom the articles frame it as affecting."""
    figures.use_report_style()
    harms = load_table("harms")
    sources = load_table("sources")
    labels = dict(zip(sources["source_id"], sources["label"]))
    order = {key: i for i, key in enumerate(AFFECTS_ORDER)}
    harms = harms.assign(_order=harms["affects"].map(order)).sort_values(["_order", "harm_id"], kind="stable")
    columns = list(sources["source_id"])
    fig, ax = plt.subplots(figsize=(8.0, 0.42 * len(harms) + 2.6))
    for row, (_, harm) in enumerate(harms.iterrows()):
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
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(harms) - 0.5, -0.5)
    ax.set_xticks(range(len(columns)), [_stacked(labels[c]) for c in columns], fontsize=8.5)
    ax.set_yticks(range(len(harms)), list(harms["name"]))
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    counts = harm_counts()
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
    single = int((harms["sources"].str.count(";") == 0).sum())
    _title(
        fig,
        ax,
        f"The articles frame {words(counts['children'])} harms as children's, {words(counts['women'])} as "
        f"women's and {words(counts['both'])} as both;\n{words(single)} of the {words(len(harms))} "
        f"are named by one article only",
    )
    return fig


def _stacked(label: str) -> str:
    """'Báo Quốc Tế, 26 Oct' as a narrow column label: the name wrapped, the date on its own line."""
    name, _, date = label.partition(", ")
    return "\n".join(textwrap.wrap(name, 7, break_long_words=False) + [date])


# --- Chapter: what the Hanoi Convention provides --------------------------------------


def provisions_table() -> pd.DataFrame:
    """The provisions the report discusses, with how each was checked."""
    provisions = load_table("provisions")
    labels = source_labels()
    status = {
        "verified": "official English text read",
        "back-translated": "checked against the Arabic text (unofficial copy)",
        "secondary": "UN material and secondary sources only",
    }
    return pd.DataFrame(
        {
            "Article": provisions["article"].astype(int),
            "Title": provisions["title"],
            "Chapter": provisions["chapter"] + " " + provisions["chapter_title"],
            "What it provides (our summary)": provisions["summary"],
            "Invoked by": [
                "; ".join(labels[s] for s in ids.split(";")) if pd.notna(ids) else "no article"
                for ids in provisions["sources"]
            ],
            "How we know": provisions["title_status"].map(status),
        }
    )


def coverage_grid() -> pd.DataFrame:
    """Harms (rows, in harms.csv order) by article (columns): the coverage level of each cell."""
    coverage = load_table("coverage")
    harms = load_table("harms")
    grid = coverage.pivot(index="harm_id", columns="article", values="level")
    return grid.loc[list(harms["harm_id"])]


def best_coverage() -> pd.Series:
    """The strongest level any article gives each harm."""
    rank = {"direct": 2, "partial": 1, "none": 0}
    grid = coverage_grid()
    return grid.apply(lambda row: max(row, key=rank.get), axis=1)


def coverage_figure() -> plt.Figure:
    """A harm x article grid: each cell coloured and labelled direct / partial / none;
    cells whose judgement rests only on secondary sources are hatched and marked '?'."""
    figures.use_report_style()
    coverage = load_table("coverage")
    harms = load_table("harms").set_index("harm_id")
    provisions = load_table("provisions").set_index("article")
    grid = coverage_grid()
    basis = coverage.pivot(index="harm_id", columns="article", values="basis").loc[grid.index]
    best = best_coverage()
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
    ax.set_xlim(-0.5, len(articles) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    titles = [f"Art. {a}\n" + "\n".join(textwrap.wrap(_short_title(provisions.loc[a, "title"]), 14)) for a in articles]
    ax.set_xticks(range(len(articles)), titles, fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [harms.loc[h, "name"] for h in rows])
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Patch(facecolor=LEVELS[key], edgecolor=MUTED, label=key) for key in LEVELS]
    handles.append(
        Patch(facecolor="white", edgecolor=MUTED, hatch="..", label="? text not read:\ntitle and UN summaries only")
    )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
    counts = best.value_counts()
    _title(
        fig,
        ax,
        f"{words(counts.get('direct', 0)).capitalize()} of the {words(len(rows))} harms meet an offence "
        f"written for them; {words(counts.get('none', 0))} meet no offence at all",
        pad=10,
    )
    return fig


def _short_title(title: str) -> str:
    """A provision's title shortened for an axis label."""
    replacements = {
        "Information and communications technology system-related": "ICT-related",
        "Offences related to online child sexual abuse or child sexual exploitation material": "Child sexual abuse or exploitation material",
        "Solicitation or grooming for the purpose of committing a sexual offence against a child": "Solicitation or grooming of a child",
    }
    for long, short in replacements.items():
        title = title.replace(long, short)
    return title


def coverage_table() -> pd.DataFrame:
    """Every non-empty coverage judgement (direct or partial), with its basis and note."""
    coverage = load_table("coverage")
    harms = load_table("harms").set_index("harm_id")
    shown = coverage[coverage["level"] != "none"]
    return pd.DataFrame(
        {
            "Harm": [harms.loc[h, "name"] for h in shown["harm_id"]],
            "Article": shown["article"].astype(int).to_list(),
            "Coverage": shown["level"].to_list(),
            "Basis": shown["basis"]
            .map(
                {
                    "arabic-text": "Arabic text read",
                    "secondary": "title and UN summaries only",
                    "official-text": "official English text read",
                }
            )
            .to_list(),
            "Why": shown["note"].to_list(),
        }
    )


def claim_checks(finding_ids: list[str]) -> pd.DataFrame:
    """For each finding: what an article said (first mention), what the primary source says, the gap."""
    findings = load_table("findings").set_index("finding_id")
    mentions = load_table("mentions")
    labels = source_labels()
    rows = []
    for finding_id in finding_ids:
        finding = findings.loc[finding_id]
        said = mentions[mentions["finding_id"] == finding_id]
        quotes = "; ".join(f"“{m['quote']}” ({labels[m['source_id']]})" for _, m in said.iterrows())
        rows.append(
            {
                "The articles say": quotes,
                "The sources say": finding["primary_says"]
                if pd.notna(finding["primary_says"])
                else finding["trace_note"],
                "Where they part": finding["discrepancy"],
            }
        )
    return pd.DataFrame(rows)


# --- Chapter: what is not known ----------------------------------------------------------


def statistics() -> pd.DataFrame:
    """The statistics the articles state, and the reference counts that trace one of them."""
    findings = load_table("findings")
    chosen = findings[
        (findings["kind"] == "statistic")
        | ((findings["kind"] == "reference") & (findings["topic"] == "enticement_reports"))
    ]
    return chosen.reset_index(drop=True)


def statistic_label(row: pd.Series) -> str:
    """'89% · internet use'."""
    return f"{value_text(row)} · {row['topic'].replace('_', ' ')}"


def comparability_table() -> pd.DataFrame:
    stats = statistics()
    return pd.DataFrame(
        {
            "Statistic": [statistic_label(row) for _, row in stats.iterrows()],
            "Population": stats["population"],
            "Ages": stats["age_band"],
            "Geography": stats["geography"],
            "Period": stats["period"],
            "Measure": stats["measure"],
            "Method": stats["method"],
            "Source type": stats["source_type"],
        }
    )


def core(value: str) -> str:
    """The core of an attribute value for grouping: lower case, before any comma, ';' or parenthesis.

    'Viet Nam (as worded)' and 'Viet Nam' share a core; the qualifier is kept in the table.
    """
    return shown_core(value).lower()


def shown_core(value: str) -> str:
    """The core of an attribute value as written (case kept), for display."""
    return re.split(r"[(;,]", str(value))[0].strip()


UNKNOWN_CORES = {"unknown", "not verified", "varies by study", "not stated"}


def is_unknown(value: str) -> bool:
    """A value that says nothing checkable: unknown, unverified, varying, or known only as the articles word it."""
    text = str(value)
    return core(text) in UNKNOWN_CORES or text.startswith("as worded") or "(as worded)" in text


def shared_groups(stats: pd.DataFrame) -> pd.DataFrame:
    """For each statistic and attribute: a group number (1, 2...) when two or more statistics share
    the attribute's core value, 0 when no other statistic shares it, and -1 when the value is
    unknown or unverified (an unknown value is never counted as shared)."""
    out = pd.DataFrame(0, index=stats.index, columns=ATTRIBUTES)
    for attribute in ATTRIBUTES:
        unknown = stats[attribute].map(is_unknown)
        cores = stats[attribute].map(core).where(~unknown)
        shared = [value for value, n in cores.value_counts().items() if n >= 2]
        for number, value in enumerate(sorted(shared), start=1):
            out.loc[cores == value, attribute] = number
        out.loc[unknown, attribute] = -1
    return out


def comparable_pairs(stats: pd.DataFrame, keys=("population", "geography", "measure")) -> list[tuple[str, str]]:
    """Pairs of statistics whose population, geography and measure share their (known) core values."""
    groups = shared_groups(stats)[list(keys)]
    return [
        (stats.loc[a, "finding_id"], stats.loc[b, "finding_id"])
        for a, b in combinations(stats.index, 2)
        if (groups.loc[a] > 0).all() and (groups.loc[a] == groups.loc[b]).all()
    ]


GROUP_COLOURS = [SKY, ORANGE, GREEN, PINK, YELLOW, "#9BC4E2", "#F5C26B"]


def _cell_label(value: str, width: int = 20, lines: int = 3) -> str:
    wrapped = textwrap.wrap(shown_core(value), width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return "\n".join(wrapped)


def comparability_figure() -> plt.Figure:
    """A grid of statistics (rows) by attribute (columns). A cell is coloured when its value is
    shared with at least one other statistic (same colour = same value, within a column), white
    when no other statistic shares it, and hatched grey when it is unknown or unverified; every
    cell shows the value itself (its core, before any qualifier)."""
    figures.use_report_style()
    stats = statistics()
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
    ax.set_xlim(-0.5, len(ATTRIBUTES) - 0.5)
    ax.set_ylim(len(stats) - 0.5, -0.5)
    ax.set_xticks(range(len(ATTRIBUTES)), [a.replace("_", " ") for a in ATTRIBUTES])
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(stats)), [statistic_label(row) for _, row in stats.iterrows()], fontsize=8.5)
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
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
    summary = comparability_summary()
    _title(
        fig,
        ax,
        f"Of {words(summary['n_stats'])} statistics, {words(len(pairs))} "
        f"pair{'s' if len(pairs) != 1 else ''} share{'s' if len(pairs) == 1 else ''} population, "
        f"geography and measure:\nthe rest cannot be set side by side",
        pad=24,
    )
    return fig


def comparability_summary() -> dict[str, int]:
    """Counts for the prose: statistics, distinct populations, unknown cells, comparable pairs."""
    stats = statistics()
    groups = shared_groups(stats)
    return {
        "n_stats": len(stats),
        "n_populations": int(stats["population"].map(core).nunique()),
        "n_cells": int(groups.size),
        "n_unknown": int((groups < 0).to_numpy().sum()),
        "n_unique": int((groups == 0).to_numpy().sum()),
        "n_pairs": len(comparable_pairs(stats)),
        "n_unknown_method": int((stats["method"] == "unknown").sum()),
    }
