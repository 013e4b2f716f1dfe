"""The synthetic corpora of the benchmarks are valid, and their articles really differ;
the content-free twin of the book (the floor) executes as many notebooks as the book.

Only the generator is tested here; nothing is timed (timings are `make bench`'s job).
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from bench import executed_notebooks, growth_exponent, make_floor, toc_pages
from conftest import copy_book
from hanoi_evidence.cleaning import body_text
from hanoi_evidence.numbers import find_expressions
from hanoi_evidence.validation import validate
from synthetic import make_corpus, unique_word

ROOT = Path(__file__).resolve().parents[1]


def rows(data: Path, table: str) -> list[dict[str, str]]:
    with open(data / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(7, tmp_path_factory.mktemp("corpus"))


def test_a_seven_article_corpus_is_valid(corpus):
    assert validate(corpus) == []
    assert len(rows(corpus, "sources")) == 7


def test_the_real_five_are_kept_as_received(corpus):
    real = {row["source_id"]: row for row in rows(ROOT / "data", "sources")}
    for row in rows(corpus, "sources")[:5]:
        assert row == real[row["source_id"]]
        assert (corpus / row["file"]).read_bytes() == (ROOT / "data" / row["file"]).read_bytes()


def test_variants_have_their_own_ids_files_hashes_and_text(corpus):
    sources = rows(corpus, "sources")
    assert len({row["source_id"] for row in sources}) == len({row["file"] for row in sources}) == 7
    texts = [(corpus / row["file"]).read_bytes() for row in sources]
    assert len(set(texts)) == 7
    for row, text in zip(sources, texts, strict=True):
        assert row["sha256"] == hashlib.sha256(text).hexdigest()
    bodies = {body_text(row["source_id"], corpus) for row in sources}
    assert len(bodies) == 7  # every article body differs, so no cache keyed on text can cheat


def test_a_variant_copies_its_models_per_source_rows(corpus):
    sources = rows(corpus, "sources")
    variant, model = sources[5], sources[0]  # article 5 is built from article 0
    assert variant["source_id"] != model["source_id"] and variant["source_id"].startswith(model["source_id"])
    for table in ("cleaning_rules", "mentions", "exclusions"):
        table_rows = rows(corpus, table)
        copied = [r for r in table_rows if r["source_id"] == variant["source_id"]]
        original = [r for r in table_rows if r["source_id"] == model["source_id"]]
        assert len(copied) == len(original), table
        assert copied or table == "exclusions", table  # the model article has no exclusions
    mentions = [r["mention_id"] for r in rows(corpus, "mentions")]
    assert len(mentions) == len(set(mentions))
    assert rows(corpus, "findings") == rows(ROOT / "data", "findings")  # findings stay shared


def test_unique_words_are_unique_and_carry_no_numbers():
    words = [unique_word(k) for k in range(60_000)]
    assert len(set(words)) == len(words)
    assert all(word.isalpha() and not find_expressions(f"Synthetic variant {word}.") for word in words[::97])


def test_the_growth_exponent_of_a_linear_series_is_one():
    assert growth_exponent([10, 100, 1000], [0.2, 2.0, 20.0]) == pytest.approx(1.0)
    assert growth_exponent([10, 100], [1.0, 100.0]) == pytest.approx(2.0)


def test_executed_notebooks_are_read_from_the_build_log():
    log = (
        "\x1b[01m/tmp/b/chapters/a.md: Executing notebook using local CWD [mystnb]\x1b[39;49;00m\n"
        "/tmp/b/chapters/b.md: Executing notebook using local CWD [mystnb]\n"
        "reading sources... [ 50%] chapters/c\n"
    )
    assert executed_notebooks(log) == ["/tmp/b/chapters/a.md", "/tmp/b/chapters/b.md"]


def test_the_floor_keeps_every_page_and_gives_each_notebook_its_own_cell(tmp_path):
    """The content-free twin must execute as many notebooks as the book: the execution
    cache keys on code, so two identical cells would run one kernel for both pages."""
    book = copy_book(tmp_path / "book")
    notebooks = [page for page in toc_pages(book) if "\nkernelspec:" in page.read_text(encoding="utf-8")]
    make_floor(book)
    cells = [
        re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", page.read_text(encoding="utf-8"), re.S) for page in notebooks
    ]
    assert len(notebooks) > 1 and all(len(page_cells) == 1 for page_cells in cells)
    assert len({page_cells[0] for page_cells in cells}) == len(notebooks)
    assert all("kernelspec:" in page.read_text(encoding="utf-8") for page in notebooks)
    assert "{glue" not in "".join(page.read_text(encoding="utf-8") for page in toc_pages(book))
