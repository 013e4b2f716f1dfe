"""Part II of the report, "The response": the harms the articles name, what the
Convention provides against them, and how far the statistics can be compared.

Tables, counts and the values each chapter glues into its prose are built from ``data/``
(harms, coverage, provisions, findings, mentions); the figures that draw them are in
:mod:`hanoi_evidence.figures.response`.
"""

from __future__ import annotations

import re
from itertools import combinations

import pandas as pd

from hanoi_evidence import verdicts
from hanoi_evidence.claims import TOPIC_LABELS
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import long_date, number_word, percent, value_text

# Whom a harm affects, as the articles frame it.
AFFECTED = ["children", "women", "both"]
# The attributes that decide whether two statistics measure the same thing.
ATTRIBUTES = ["population", "age_band", "geography", "period", "measure", "method", "source_type"]
# Each attribute as a reader's table or figure names it.
ATTRIBUTE_NAMES = dict(
    zip(ATTRIBUTES, ["Population", "Ages", "Geography", "Period", "Measure", "Method", "Source type"], strict=True)
)


def ordinal(number: int) -> str:
    """'40th', '90th', '1st', '22nd'."""
    number = int(number)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def source_labels() -> dict[str, str]:
    sources = load_table("sources")
    return dict(zip(sources["source_id"], sources["label"], strict=True))


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
                "Verdict": verdicts.linked_verdicts(said["mention_id"]),
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
                for q, s, n, how in zip(
                    harms["quote"], harms["quote_source"], harms["quote_line"], harms["named"], strict=True
                )
            ],
            "Note": harms["note"],
        }
    )


def harm_counts() -> dict[str, int]:
    """How many harms the articles frame as children's, women's or both."""
    return count_by_affected(load_table("harms"))


def count_by_affected(harms: pd.DataFrame) -> dict[str, int]:
    """How many of ``harms`` (rows of harms.csv) are framed as children's, women's or both."""
    counts = harms["affects"].value_counts()
    return {key: int(counts.get(key, 0)) for key in AFFECTED}


def ocsea_values() -> dict[str, str]:
    """The values the chapter on OCSEA and TF-GBV glues into its prose, by glue name."""
    claims = link_claims()
    harms = load_table("harms")
    counts = harm_counts()
    single = int((harms["sources"].str.count(";") == 0).sum())
    widest = harms.loc[harms["sources"].str.count(";").idxmax()]
    return {
        "ocsea_n_claims": number_word(len(claims)),
        "ocsea_n_claims_cited": number_word(int(claims["cites_evidence"].sum())),
        "ocsea_n_claim_mentions": number_word(int(claims["n_mentions"].sum())),
        "ocsea_n_harms": number_word(len(harms)),
        "ocsea_n_children": number_word(counts["children"]),
        "ocsea_n_women": number_word(counts["women"]),
        "ocsea_n_both": number_word(counts["both"]),
        "ocsea_n_single": number_word(single),
        "ocsea_widest_harm": str(widest["name"]),
        "ocsea_widest_n": number_word(len(widest["sources"].split(";"))),
        "ocsea_n_implied": number_word(int((harms["named"] == "implied").sum())),
    }


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


def pivot_coverage(coverage: pd.DataFrame, harms: pd.DataFrame, values: str = "level") -> pd.DataFrame:
    """Harms (rows, in harms.csv order) by article (columns): one field (``values``) of each coverage judgement."""
    grid = coverage.pivot(index="harm_id", columns="article", values=values)
    return grid.loc[list(harms["harm_id"])]


def strongest(levels: pd.DataFrame) -> pd.Series:
    """The strongest coverage level in each row of a grid of levels."""
    rank = {"direct": 2, "partial": 1, "none": 0}
    return levels.apply(lambda row: max(row, key=rank.get), axis=1)


def best_coverage() -> pd.Series:
    """The strongest level any article gives each harm."""
    return strongest(pivot_coverage(load_table("coverage"), load_table("harms")))


def convention_values() -> dict[str, str]:
    """The values the chapter on the Convention glues into its prose, by glue name (its status section's too)."""
    from hanoi_evidence.status import status_values

    findings = load_table("findings").set_index("finding_id")
    provisions = load_table("provisions")
    coverage = load_table("coverage")
    best = best_coverage()

    def date_of(finding_id: str) -> str:
        return long_date(findings.loc[finding_id, "value_date"])

    def number_of(finding_id: str) -> int:
        return int(findings.loc[finding_id, "value_low"])

    secondary_cells = (coverage["basis"] == "secondary") & (coverage["level"] != "none")
    return {
        "conv_adopted": date_of("convention-adopted"),
        "conv_sign_open": date_of("convention-signature-opened"),
        "conv_sign_close": date_of("convention-signature-closes"),
        "conv_eif_instruments": ordinal(number_of("convention-eif-instruments")),
        "conv_eif_days": ordinal(number_of("convention-eif-days")),
        "conv_signatories_first_day": str(number_of("convention-signatories-first-day")),
        "conv_signatories_untc": str(number_of("convention-signatories-untc")),
        "conv_n_provisions": number_word(len(provisions)),
        "conv_n_back_translated": number_word(int((provisions["title_status"] == "back-translated").sum())),
        "conv_n_harms": number_word(len(best)),
        "conv_n_direct": number_word(int((best == "direct").sum())),
        "conv_n_partial": number_word(int((best == "partial").sum())),
        "conv_n_none": number_word(int((best == "none").sum())),
        "conv_n_secondary_cells": number_word(int(secondary_cells.sum())),
        **status_values(),
    }


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
    """For each finding: what the articles said, what the primary source says, the gap, and the verdict on each
    article's claim (from data/claims.csv)."""
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
                "Verdict": verdicts.linked_verdicts(said["mention_id"]),
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
    """'89% · Children's internet use': the value and its topic in words."""
    return f"{value_text(row)} · {TOPIC_LABELS[row['topic']]}"


def comparability_table() -> pd.DataFrame:
    stats = statistics()
    return pd.DataFrame(
        {
            "Statistic": [statistic_label(row) for _, row in stats.iterrows()],
            **{ATTRIBUTE_NAMES[attribute]: stats[attribute] for attribute in ATTRIBUTES},
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


def unknowns_values() -> dict[str, str]:
    """The values the chapter on what is not known glues into its prose, by glue name."""
    stats = statistics()
    summary = comparability_summary()
    pairs = comparable_pairs(stats)
    by_id = stats.set_index("finding_id")
    mentions = load_table("mentions")
    gap_mentions = mentions[mentions["finding_id"] == "vn-no-national-data"]
    # The first comparable pair, each count with its period ('calendar year 2023'), for the prose.
    pair = {}
    for place, finding_id in zip(("first", "second"), pairs[0] if pairs else (), strict=False):
        pair[f"unk_pair_{place}"] = value_text(by_id.loc[finding_id])
        pair[f"unk_pair_{place}_period"] = str(by_id.loc[finding_id, "period"])
    return {
        "unk_n_stats": number_word(summary["n_stats"]),
        "unk_n_article_stats": number_word(int((stats["kind"] == "statistic").sum())),
        "unk_n_populations": number_word(summary["n_populations"]),
        "unk_n_pairs": number_word(summary["n_pairs"]),
        **pair,
        "unk_share_unique": percent(100 * summary["n_unique"] / summary["n_cells"]),
        "unk_n_unknown_cells": number_word(summary["n_unknown"]),
        "unk_n_unknown_method": number_word(summary["n_unknown_method"]),
        "unk_gap_n_sources": number_word(gap_mentions["source_id"].nunique()),
        "unk_gap_quote": f"“{gap_mentions.iloc[0]['quote']}”",
        "unk_gap_speaker": str(gap_mentions.iloc[0]["attribution_as_worded"]),
        "unk_n_untraced": number_word(int((stats["attribution"] == "unknown").sum())).capitalize(),
        "unk_n_reference_stats": number_word(int((stats["kind"] == "reference").sum())),
    }
