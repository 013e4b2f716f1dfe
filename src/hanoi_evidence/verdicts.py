"""The claim–verdict model: what the articles claim, the verdict on each claim and the evidence for it.

``data/claims.csv`` holds the claims, ``data/verdicts.csv`` the published scale and
``data/evidence_levels.csv`` the levels of evidence; the validator
(:func:`hanoi_evidence.crosschecks.claim_verdicts`) makes sure no verdict or level claims more
than ``data/reads.csv`` records as read. This module shapes them for the book's tables and prose.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.register import CHAPTER_OF_TOPIC, CHAPTERS, anchored, claim_link, discussion_link, inline
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import counted, number_word


def level_labels(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Evidence level id -> its label, as the book shows it."""
    levels = load_table("evidence_levels", data_dir)
    return dict(zip(levels["level"], levels["label"], strict=True))


def claims(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every claim with its verdict's label and rating and its evidence level's label, in the data's order."""
    verdicts = load_table("verdicts", data_dir).set_index("verdict")
    table = load_table("claims", data_dir)
    return table.assign(
        verdict_label=table["verdict"].map(verdicts["label"]),
        rating=table["verdict"].map(verdicts["rating"]),
        level_label=table["evidence_level"].map(level_labels(data_dir)),
    )


def claim_sources(data_dir: Path = DATA_DIR) -> pd.Series:
    """For each claim id, the ids of the articles whose lines it rests on, in the order of sources.csv."""
    mentions = load_table("mentions", data_dir).set_index("mention_id")
    order = {source_id: i for i, source_id in enumerate(load_table("sources", data_dir)["source_id"])}
    table = load_table("claims", data_dir)
    articles = [
        sorted({mentions.loc[m, "source_id"] for m in ids.split(";")}, key=order.get) for ids in table["mentions"]
    ]
    return pd.Series(articles, index=table["claim_id"])


def claim_articles(data_dir: Path = DATA_DIR) -> pd.Series:
    """For each claim id, the labels of the articles whose lines it rests on, in the order of sources.csv."""
    sources = load_table("sources", data_dir)
    labels = dict(zip(sources["source_id"], sources["label"], strict=True))
    return claim_sources(data_dir).map(lambda group: [labels[a] for a in group])


def linked_verdicts(mention_ids, data_dir: Path = DATA_DIR) -> str:
    """The verdicts on the claims that the given mentions belong to, each a link to its claim in the
    evidence register followed by the articles the mentions come from: 'Overstated (WVR, 22 Oct)'."""
    table = claims(data_dir)
    claim_of = {
        m: claim for ids, claim in zip(table["mentions"], table["claim_id"], strict=True) for m in ids.split(";")
    }
    label_of = dict(zip(table["claim_id"], table["verdict_label"], strict=True))
    mentions = load_table("mentions", data_dir).set_index("mention_id")
    sources = load_table("sources", data_dir).set_index("source_id")["label"]
    articles: dict[str, list[str]] = {}
    for mention_id in mention_ids:
        said_in = articles.setdefault(claim_of[mention_id], [])
        label = sources[mentions.loc[mention_id, "source_id"]]
        if label not in said_in:
            said_in.append(label)
    return "; ".join(f"{claim_link(c, label_of[c])} ({'; '.join(a)})" for c, a in articles.items())


def verdict_labels(data_dir: Path = DATA_DIR) -> pd.Series:
    """Verdict id -> its label on the published scale, in the order of the scale."""
    scale = load_table("verdicts", data_dir)
    return pd.Series(scale["label"].to_numpy(), index=scale["verdict"])


def verdict_chapters(data_dir: Path = DATA_DIR) -> dict[str, list[str]]:
    """For each verdict, the chapters (documents, in the register's order) that discuss a claim with it."""
    table = claims(data_dir)
    topics = load_table("findings", data_dir).set_index("finding_id")["topic"]
    chapter = table["finding_id"].map(topics).map(CHAPTER_OF_TOPIC)
    order = [doc for doc, _, _ in CHAPTERS]
    return {verdict: sorted(set(group), key=order.index) for verdict, group in chapter.groupby(table["verdict"])}


def chapter_claims(doc: str, data_dir: Path = DATA_DIR) -> list[str]:
    """The ids of the claims whose findings the chapter ``doc`` uses (by topic, as the register assigns them)."""
    table = claims(data_dir)
    topics = table["finding_id"].map(load_table("findings", data_dir).set_index("finding_id")["topic"])
    return table.loc[topics.map(CHAPTER_OF_TOPIC) == doc, "claim_id"].to_list()


def claim_count_values(claim_ids: list[str], prefix: str, data_dir: Path = DATA_DIR) -> dict[str, str]:
    """How many of the given claims there are, and how many have each verdict, in words, for a chapter's prose."""
    scale = load_table("verdicts", data_dir)["verdict"]
    counts = claims(data_dir).set_index("claim_id").loc[claim_ids, "verdict"].value_counts()
    values = {f"{prefix}_n_claims": number_word(len(claim_ids))}
    return values | {f"{prefix}_n_{v.replace('-', '_')}": number_word(int(counts.get(v, 0))) for v in scale}


def verdict_counts(data_dir: Path = DATA_DIR) -> pd.Series:
    """How many claims have each verdict, in the order of the published scale (zeros included)."""
    scale = load_table("verdicts", data_dir)["verdict"]
    return load_table("claims", data_dir)["verdict"].value_counts().reindex(scale, fill_value=0)


def verdict_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The published verdict scale with how many claims have each verdict, for the methods chapter."""
    scale = load_table("verdicts", data_dir)
    counts = verdict_counts(data_dir)
    return pd.DataFrame(
        {
            "Verdict": scale["label"],
            "Rating": scale["rating"].map(lambda r: "" if pd.isna(r) else f"{int(r)} of 4"),
            "What it means": scale["definition"],
            "Claims": counts.to_numpy(),
        }
    )


def evidence_level_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The evidence levels, best first, with how many claims reach each, for the methods chapter."""
    levels = load_table("evidence_levels", data_dir).sort_values("rank", ascending=False)
    counts = load_table("claims", data_dir)["evidence_level"].value_counts()
    return pd.DataFrame(
        {
            "Evidence level": levels["label"],
            "What it means": levels["definition"],
            "Claims": [int(counts.get(level, 0)) for level in levels["level"]],
        }
    )


def register_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every claim with its articles, verdict, evidence level, reason and the section of a chapter that
    discusses it, for the evidence register; each row carries the claim's anchor."""
    table = claims(data_dir)
    articles = claim_articles(data_dir)
    return pd.DataFrame(
        {
            "Claim": [anchored(inline(c), "claim", i) for c, i in zip(table["claim"], table["claim_id"], strict=True)],
            "Articles": ["; ".join(articles[c]) for c in table["claim_id"]],
            "Verdict": table["verdict_label"],
            "Evidence": table["level_label"],
            "Why": table["reason"],
            "Discussed in": table["claim_id"].map(discussion_link),
        }
    )


def claims_table(claim_ids: list[str], data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The given claims with their articles, verdict (a link to the claim in the evidence register),
    evidence level and reason, for a chapter."""
    table = claims(data_dir).set_index("claim_id").loc[claim_ids]
    articles = claim_articles(data_dir)
    return pd.DataFrame(
        {
            "Claim": table["claim"].map(inline).to_numpy(),
            "Articles": ["; ".join(articles[c]) for c in claim_ids],
            "Verdict": [claim_link(c, label) for c, label in zip(claim_ids, table["verdict_label"], strict=True)],
            "Evidence": table["level_label"].to_numpy(),
            "Why": table["reason"].to_numpy(),
        }
    )


def status_errors(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The claims about the Convention's status (their finding's topic) that are wrong."""
    table = claims(data_dir)
    topic = table["finding_id"].map(load_table("findings", data_dir).set_index("finding_id")["topic"])
    return table[(topic == "convention_status") & (table["verdict"] == "wrong")]


def summary_values(prefix: str, data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The verdict summary glued into prose: the number of claims, and of claims with each verdict."""
    values = claim_count_values(load_table("claims", data_dir)["claim_id"].to_list(), prefix, data_dir)
    errors = status_errors(data_dir)
    articles = claim_articles(data_dir)
    wrong_articles = {label for claim_id in errors["claim_id"] for label in articles[claim_id]}
    values[f"{prefix}_status_wrong_articles"] = counted(len(wrong_articles), "article")
    return values


def verdict_values(keys: dict[str, str], data_dir: Path = DATA_DIR) -> dict[str, str]:
    """For each glue prefix and claim id, the claim's verdict and evidence level in words (``<prefix>_verdict``,
    ``<prefix>_level``), for the sentence that gives a section's verdict."""
    table = claims(data_dir).set_index("claim_id")
    values = {}
    for prefix, claim_id in keys.items():
        values[f"{prefix}_verdict"] = table.loc[claim_id, "verdict_label"]
        values[f"{prefix}_level"] = table.loc[claim_id, "level_label"]
    return values
