"""Separate each article's story from the noise it carries, by the rules in ``data/cleaning_rules.csv``.

A rule names a source, a range of lines (numbered from 1 as in the file) and what
they are (a photo caption, a related-news list...). ``remove`` takes the lines out
of the article body; ``flag`` keeps the line and records an artefact, with its most
likely reading, so that nothing in a source is corrected silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hanoi_evidence.corpus import source_files, source_lines
from hanoi_evidence.paths import DATA_DIR, read_text
from hanoi_evidence.tables import check, load_table


@dataclass(frozen=True)
class Line:
    """One line of an article as received, and what the cleaning rules made of it."""

    number: int
    text: str
    removed_by: str | None  # the rule id, or None when the line is part of the body

    @property
    def in_body(self) -> bool:
        return self.removed_by is None and bool(self.text.strip())


def classify_lines(source_id: str, data_dir: Path = DATA_DIR) -> list[Line]:
    """Every line of one article, each marked with the rule that removed it, if any."""
    removed_by = _removed_lines(data_dir).get(source_id, {})
    return [
        Line(number, text, removed_by.get(number))
        for number, text in enumerate(source_lines(source_id, data_dir), start=1)
    ]


# Built once per state of the data: cleaning thousands of articles must not re-index the rules each time.
_REMOVED: dict[tuple[str, str], dict[str, dict[int, str]]] = {}


def _removed_lines(data_dir: Path) -> dict[str, dict[int, str]]:
    """For each source, line number -> the id of the rule that removes it."""
    rules = load_table("cleaning_rules", data_dir)  # cached by tables; records the read
    key = (str(Path(data_dir).resolve()), check(data_dir))
    if key not in _REMOVED:
        removed: dict[str, dict[int, str]] = {}
        remove = rules[rules["action"] == "remove"]
        columns = (
            remove[name].tolist() for name in ("source_id", "first_line", "last_line", "rule_id")
        )  # plain values: fast to loop over
        for source_id, first_line, last_line, rule_id in zip(*columns, strict=True):
            removed.setdefault(source_id, {}).update(dict.fromkeys(range(first_line, last_line + 1), rule_id))
        _REMOVED.clear()
        _REMOVED[key] = removed
    return _REMOVED[key]


def body_lines(source_id: str, data_dir: Path = DATA_DIR) -> list[Line]:
    """The non-empty lines of the article's story."""
    return [line for line in classify_lines(source_id, data_dir) if line.in_body]


def body_text(source_id: str, data_dir: Path = DATA_DIR) -> str:
    """The article's story as one text, a line per paragraph."""
    return "\n".join(line.text for line in body_lines(source_id, data_dir))


def bodies(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Every article's story, as :func:`body_text` gives it, in one pass over the corpus.

    For corpora of thousands of articles: the rules and the source table are indexed
    once, not once per article.
    """
    removed = _removed_lines(data_dir)
    return {
        source_id: _body(read_text(Path(data_dir) / file), removed.get(source_id, {}))
        for source_id, file in source_files(data_dir).items()
    }


def _body(text: str, removed: dict[int, str]) -> str:
    """The lines of ``text`` that no rule removes and that are not blank, as :func:`body_text` joins them."""
    lines = text.split("\n")
    return "\n".join([line for number, line in enumerate(lines, start=1) if number not in removed and line.strip()])


def removal_summary(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Lines and words removed from each article, by kind of noise, with the body that remains."""
    rules = load_table("cleaning_rules", data_dir).set_index("rule_id")
    rows = []
    for source_id in load_table("sources", data_dir)["source_id"]:
        for line in classify_lines(source_id, data_dir):
            if not line.text.strip():
                continue
            kind = "body" if line.removed_by is None else rules.loc[line.removed_by, "kind"]
            rows.append({"source_id": source_id, "kind": kind, "lines": 1, "words": len(line.text.split())})
    return pd.DataFrame(rows).groupby(["source_id", "kind"], sort=False, as_index=False)[["lines", "words"]].sum()


def flagged_artefacts(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Artefacts kept in the text and flagged, with their most likely reading."""
    rules = load_table("cleaning_rules", data_dir)
    flagged = rules[rules["action"] == "flag"]
    return flagged[["rule_id", "source_id", "first_line", "kind", "span", "reading", "reason"]].reset_index(drop=True)
