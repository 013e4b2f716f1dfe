"""The source table and its schema."""

from __future__ import annotations

import pytest

from hanoi_evidence import DATA_DIR
from hanoi_evidence.tables import load_table
from hanoi_evidence.validation import EvidenceError, validate


def test_the_data_is_valid():
    assert validate(DATA_DIR) == []


def test_five_sources_with_their_outlets():
    sources = load_table("sources").set_index("source_id")
    assert list(sources.index) == ["waj", "wvr", "bqt", "hnt", "mar28"]
    assert sources.loc["hnt", "outlet"] == "The Hanoi Times"
    assert str(sources.loc["bqt", "published_date"].date()) == "2025-10-26"


def test_an_edited_source_text_is_caught(data_copy):
    article = data_copy / "sources" / "003_fce785405174b8f6.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("nine in ten", "ten in ten"), encoding="utf-8")
    problems = validate(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("data/sources.csv", 5, "sha256")]


def test_load_refuses_invalid_data(data_copy):
    sources = data_copy / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace("2025-10-26,2025-10-26", "2025-13-26,2025-10-26"), encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"data/sources.csv, row 4, column 'published_date'"):
        load_table("sources", data_copy)
