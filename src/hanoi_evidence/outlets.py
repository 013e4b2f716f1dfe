"""Who publishes the articles, and which articles share their wording.

A figure repeated by two articles confirms nothing if both took it from one text, or if both
answer to one publisher. ``data/outlets.csv`` records each article's publisher and the articles
it shares wording with; this module finds that shared wording afresh in the article bodies, so
that the table can be checked against the texts, and gives the chapters their values.

Shared wording is measured in *runs*: stretches of at least :data:`MIN_RUN_WORDS` identical words
(lower-cased, punctuation ignored) in two article bodies. Runs are found by greedy string
tiling: the longest common stretch first, then the longest among the words not yet used, so
that no word of either text counts twice and a passage moved elsewhere in the text is still
found. Names of organisations and terms defined in the glossary are set aside first, since any
two reports on the subject spell out "technology-facilitated gender-based violence" alike. A
pair of articles *shares text* when it has at least :data:`MIN_RUNS_PER_PAIR` runs: a single
six-word run is a stock phrase ("women and children in the digital age"), several are copying.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hanoi_evidence import cleaning
from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import join_words, number_word

MIN_RUN_WORDS = 6
MIN_RUNS_PER_PAIR = 2

# A word: letters and digits (Vietnamese diacritics included); "Vietnam's" is "vietnam", "s".
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Run:
    """One stretch of identical words: where it starts in each text, and how long it is."""

    start_a: int
    start_b: int
    length: int


def words(text: str) -> list[str]:
    """The text's words, lower-cased, without punctuation."""
    return WORD.findall(text.lower())


def set_aside(tokens: list[str], names: list[list[str]]) -> list[str | None]:
    """``tokens`` with every occurrence of a name replaced by None, which matches nothing."""
    kept: list[str | None] = list(tokens)
    for name in names:
        size = len(name)
        for start in range(len(tokens) - size + 1):
            if tokens[start : start + size] == name:
                kept[start : start + size] = [None] * size
    return kept


def shared_runs(a: list[str | None], b: list[str | None], minimum: int = MIN_RUN_WORDS) -> list[Run]:
    """The runs of at least ``minimum`` identical words in ``a`` and ``b``, longest first.

    Greedy string tiling: each round takes the longest stretch of words that match and are
    not yet part of a run in either text; it stops when no stretch of ``minimum`` words is left.
    A None (a name set aside) matches nothing. Written here because the standard library's
    ``difflib.SequenceMatcher`` keeps its matching blocks in order, so a passage moved elsewhere in
    the other text is missed.
    """
    used_a, used_b = [word is None for word in a], [word is None for word in b]
    runs = []
    while True:
        # Every free stretch of ``minimum`` words in b, by its words: where a longer match may start.
        starts: dict[tuple, list[int]] = {}
        for j in range(len(b) - minimum + 1):
            if not any(used_b[j : j + minimum]):
                starts.setdefault(tuple(b[j : j + minimum]), []).append(j)
        best = Run(0, 0, 0)
        for i in range(len(a) - minimum + 1):
            if any(used_a[i : i + minimum]):
                continue
            for j in starts.get(tuple(a[i : i + minimum]), []):
                length = minimum
                while (
                    i + length < len(a)
                    and j + length < len(b)
                    and not used_a[i + length]
                    and not used_b[j + length]
                    and a[i + length] == b[j + length]
                ):
                    length += 1
                if length > best.length:
                    best = Run(i, j, length)
        if best.length < minimum:
            return runs
        runs.append(best)
        used_a[best.start_a : best.start_a + best.length] = [True] * best.length
        used_b[best.start_b : best.start_b + best.length] = [True] * best.length


def names_and_terms(data_dir: Path = DATA_DIR) -> list[list[str]]:
    """The names and defined terms of more than one word, longest first, as word lists.

    From ``organisations.csv`` (names) and ``glossary.csv`` (terms): sharing them shows nothing.
    Single words stay, since they are ordinary vocabulary inside copied sentences.
    """
    names = list(load_table("organisations", data_dir)["name"]) + list(load_table("glossary", data_dir)["term"])
    as_words = {tuple(words(name)) for name in names}
    return [list(name) for name in sorted(as_words, key=len, reverse=True) if len(name) > 1]


def pair_overlap(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every pair of articles, with the runs they share and the words in those runs.

    Columns: source_a, source_b (in the order of sources.csv), runs, words, longest,
    shares_text (at least :data:`MIN_RUNS_PER_PAIR` runs).
    """
    ids = list(load_table("sources", data_dir)["source_id"])
    bodies = cleaning.bodies(data_dir)
    names = names_and_terms(data_dir)
    tokens = {source_id: set_aside(words(bodies[source_id]), names) for source_id in ids}
    rows = []
    for a, b in itertools.combinations(ids, 2):
        runs = shared_runs(tokens[a], tokens[b])
        rows.append(
            {
                "source_a": a,
                "source_b": b,
                "runs": len(runs),
                "words": sum(run.length for run in runs),
                "longest": max((run.length for run in runs), default=0),
                "shares_text": len(runs) >= MIN_RUNS_PER_PAIR,
            }
        )
    return pd.DataFrame(rows)


def shared_text(overlap: pd.DataFrame) -> dict[str, dict[str, int]]:
    """For each article, the articles it shares text with and the words shared with each."""
    partners: dict[str, dict[str, int]] = {}
    for pair in overlap[overlap["shares_text"]].itertuples():
        partners.setdefault(pair.source_a, {})[pair.source_b] = pair.words
        partners.setdefault(pair.source_b, {})[pair.source_a] = pair.words
    return partners


def shared_text_columns(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """What outlets.csv must say about shared text, computed afresh from the article bodies.

    One row per article (index source_id): ``shared_text_with`` (the articles it shares text
    with, in the order of sources.csv, ';'-separated, NA for none), ``most_shared_with`` (the
    one it shares most words with) and ``shared_words`` (the words in the runs shared with
    that one; 0 for none).
    """
    ids = list(load_table("sources", data_dir)["source_id"])
    partners = shared_text(pair_overlap(data_dir))
    rows = []
    for source_id in ids:
        shared = partners.get(source_id, {})
        most = max(shared, key=lambda partner: (shared[partner], -ids.index(partner)), default=None)
        rows.append(
            {
                "source_id": source_id,
                "shared_text_with": ";".join(p for p in ids if p in shared) or pd.NA,
                "most_shared_with": most if most is not None else pd.NA,
                "shared_words": shared.get(most, 0),
            }
        )
    return pd.DataFrame(rows).set_index("source_id")


# --- the readers' table and the values the chapters glue ----------------------------------------

# How the table names a publisher's tie to the body above it, by publisher_type.
TIES = {
    "ministry press agency": "the press agency of the {parent}",
    "city government newspaper": "under the {parent}",
}
ORGANISER_WORDS = {"yes": "yes", "no": "no", "unknown": "not known"}


def prose_name(label: str) -> str:
    """An article's label as prose names it: 'WVR, 22 Oct' -> 'WVR (22 Oct)'."""
    name, _, date = label.partition(", ")
    return f"{name} ({date})" if date else name


def mid_sentence(name: str) -> str:
    """A name in sentence case, as it reads mid-sentence: 'Policy discussion "X"' -> 'policy discussion "X"'.

    Only a name whose second word is lower-case is changed: 'Hanoi Convention ...' keeps its capital.
    """
    first, _, rest = name.partition(" ")
    if first.istitle() and rest[:1].islower():
        return first.lower() + " " + rest
    return name


def _names(ids, labels: pd.Series) -> str:
    """'A', 'A and B', 'A, B and C', each article by its prose name."""
    return join_words([prose_name(labels[source_id]) for source_id in ids])


def outlets_frame(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """outlets.csv indexed by source_id in the order of sources.csv, with each article's label and event."""
    sources = load_table("sources", data_dir).set_index("source_id")
    outlets = load_table("outlets", data_dir).set_index("source_id")
    events = load_table("events", data_dir).set_index("event_id")["name"]
    frame = outlets.reindex([source_id for source_id in sources.index if source_id in outlets.index])
    frame["label"] = sources["label"]
    frame["event"] = frame["event_id"].map(events)
    return frame


def publisher_description(row: pd.Series) -> str:
    """'Báo Thế giới và Việt Nam, the press agency of the Ministry of Foreign Affairs'; 'not found'."""
    if pd.isna(row["publisher"]):
        return "not found"
    tie = TIES.get(row["publisher_type"])
    if tie is None or pd.isna(row["parent_body"]):
        return row["publisher"]
    return f"{row['publisher']}, {tie.format(parent=row['parent_body'])}"


def publisher_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The readers' table: each article, its publisher, how we know, and the text it shares."""
    frame = outlets_frame(data_dir)
    levels = load_table("evidence_levels", data_dir).set_index("level")["label"]
    shared = [
        _names(partners.split(";"), frame["label"]) if isinstance(partners, str) else "none"
        for partners in frame["shared_text_with"]
    ]
    return pd.DataFrame(
        {
            "Article": frame["label"].to_numpy(),
            "Publisher": [publisher_description(row) for _, row in frame.iterrows()],
            "How we know": frame["publisher_basis"].to_numpy(),
            "Evidence": [levels[level] for level in frame["publisher_level"]],
            "Publisher or its parent body organised the event": [
                ORGANISER_WORDS[value] for value in frame["organiser_of_event"]
            ],
            "Shares text with": shared,
            "Most words shared with one article": frame["shared_words"].astype(int).astype(str).to_numpy(),
        }
    )


def publisher_groups(frame: pd.DataFrame) -> list[list[str]]:
    """Articles by publisher, for every known publisher of more than one of them, largest first."""
    known = frame[frame["publisher"].notna()]
    groups = [list(group.index) for _, group in known.groupby("publisher", sort=False) if len(group) > 1]
    return sorted(groups, key=len, reverse=True)


def text_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The pairs of articles that share text, each once, in the order of the table."""
    order = list(frame.index)
    pairs = {
        tuple(sorted((source_id, partner), key=order.index))
        for source_id, partners in frame["shared_text_with"].dropna().items()
        for partner in partners.split(";")
        if partner in order
    }
    return sorted(pairs, key=lambda pair: (order.index(pair[0]), order.index(pair[1])))


def publisher_values(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The values the section on publishers glues into the chapter on the sources."""
    frame = outlets_frame(data_dir)
    labels = frame["label"]
    group = publisher_groups(frame)[0]
    organisers = frame[frame["organiser_of_event"] == "yes"]
    # The pair sharing the most words, and the articles that share text beyond it.
    top = frame["shared_words"].astype(int).idxmax()
    top_pair = [top, frame.loc[top, "most_shared_with"]]
    others = [source_id for source_id in frame.index if source_id not in top_pair]
    others = [source_id for source_id in others if isinstance(frame.loc[source_id, "shared_text_with"], str)]
    return {
        "src_pub_n_shared": number_word(len(group)),
        "src_pub_shared_articles": _names(group, labels),
        "src_pub_shared_publisher": frame.loc[group[0], "publisher"],
        "src_pub_shared_parent": frame.loc[group[0], "parent_body"],
        "src_pub_organiser_articles": _names(organisers.index, labels),
        "src_pub_organiser_events": "; ".join(mid_sentence(name) for name in dict.fromkeys(organisers["event"])),
        "src_pub_top_pair": _names(top_pair, labels),
        "src_pub_top_words": str(int(frame.loc[top, "shared_words"])),
        "src_pub_others": _names(others, labels) if others else "no other article",
        "src_pub_others_words": ", ".join(str(int(frame.loc[s, "shared_words"])) for s in others) or "0",
        "src_pub_unknown": _names(frame.index[frame["publisher"].isna()], labels),
        "src_pub_min_run": number_word(MIN_RUN_WORDS),
        "src_pub_min_runs": number_word(MIN_RUNS_PER_PAIR),
    }


def travel_values(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The values Part III glues into its paragraph on repetition that is not corroboration."""
    frame = outlets_frame(data_dir)
    labels = frame["label"]
    pairs = text_pairs(frame)
    group = publisher_groups(frame)[0]
    return {
        "travel_indep_n_text_pairs": number_word(len(pairs)),
        "travel_indep_text_pairs": "; ".join(_names(pair, labels) for pair in pairs),
        "travel_indep_n_publisher": number_word(len(group)),
        "travel_indep_publisher_articles": _names(group, labels),
    }
