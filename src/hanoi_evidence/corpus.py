"""The source articles: their texts and what they contain."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR, read_text
from hanoi_evidence.tables import check, load_table


def source_text(source_id: str, data_dir: Path = DATA_DIR) -> str:
    """The article text exactly as received."""
    return read_text(Path(data_dir) / source_files(data_dir)[source_id])


# Built once per state of the data, so that reading thousands of articles does not index the table each time.
_FILES: dict[tuple[str, str], dict[str, str]] = {}


def source_files(data_dir: Path) -> dict[str, str]:
    """source_id -> file, relative to the data folder."""
    sources = load_table("sources", data_dir)  # cached by tables; records the read
    key = (str(Path(data_dir).resolve()), check(data_dir))
    if key not in _FILES:
        _FILES.clear()
        _FILES[key] = dict(zip(sources["source_id"], sources["file"], strict=True))
    return _FILES[key]


def source_lines(source_id: str, data_dir: Path = DATA_DIR) -> list[str]:
    """The article's lines as received, without their line endings."""
    return source_text(source_id, data_dir).split("\n")


def word_counts(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Words per article as received (whitespace-separated tokens)."""
    sources = load_table("sources", data_dir)
    return pd.DataFrame(
        {
            "source_id": sources["source_id"],
            "label": sources["label"],
            "words_received": [len(source_text(s, data_dir).split()) for s in sources["source_id"]],
        }
    )
