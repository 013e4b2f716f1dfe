"""The chapters' prose: no number typed by hand, and respectful, precise terms.

Numbers reach the text through myst-nb glue or tables computed from data/. This
test removes what may legitimately hold digits (code cells, roles such as glue,
cite and numref, directive options, inline code, link targets) and the short
allow-list below, then fails on any digit left in a chapter's prose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.md"))

# The allow-list, kept short. Each entry is a kind of digit that is a name or a date, not a statistic.
ALLOWED = [
    (
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)( \d{4})?\b",
        "a date such as 22 October 2025",
    ),
    (
        r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
        "a month and year",
    ),
    (r"\b(19|20)\d\d\b", "a year"),
    (r"\bArticles? \d+((, | and | to |–)\d+)*\b", "the number of a Convention article is its name"),
    (r"\bresolution \d+/\d+\b", "the symbol of a UN resolution"),
    (
        r"\b(Điều|nghị quyết) \d+(/\d+)?\b",
        "in Vietnamese (chapters/tom-tat.md), a Convention article (Điều 14) or a UN resolution (nghị quyết 79/243) by its name",
    ),
    (r"\b(CC BY|Attribution|CC0) \d\.\d\b", "the version of a licence is part of its name"),
    (r"\bSHA-256\b", "the name of a hash function"),
]

REMOVED_SYNTAX = [
    r"\A---\n.*?\n---\n",  # front matter
    r"```\{code-cell\}.*?```",  # code cells
    r"```.*?```",  # other fenced blocks
    r"\{[a-z:-]+\}`[^`]*`",  # roles: {glue:text}`x`, {cite:p}`key`, {numref}`fig-x`
    r"`[^`]*`",  # inline code
    r"^:[a-z-]+:.*$",  # directive options
    r"\]\([^)]*\)",  # link targets
    r"^\(.*\)=$",  # MyST labels
    r"<!--.*?-->",  # comments
]

# Terms the Luxembourg Terminology Guidelines advise against, with what to write instead.
AVOID = {
    r"child porn\w*": "child sexual abuse material",
    r"child prostitut\w*": "sexual exploitation of children",
    r"revenge porn\w*": "non-consensual sharing of intimate images",
    r"paedophile material|pedophile material": "child sexual abuse material",
}


def prose(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for pattern in REMOVED_SYNTAX:
        text = re.sub(pattern, " ", text, flags=re.S | re.M)
    return text


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_no_number_typed_into_prose(chapter):
    text = prose(chapter)
    for pattern, _reason in ALLOWED:
        text = re.sub(pattern, " ", text)
    leftovers = [line.strip() for line in text.splitlines() if re.search(r"\d", line)]
    assert leftovers == [], f"digits typed into the prose of {chapter.name}: glue them from data"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_terms_follow_the_luxembourg_guidelines(chapter):
    text = chapter.read_text(encoding="utf-8").lower()
    for pattern, instead in AVOID.items():
        assert not re.search(pattern, text), f"{chapter.name}: write '{instead}'"


def test_the_scan_catches_a_typed_number(tmp_path):
    """The control: a hand-typed statistic in prose is found, a glued one is not."""
    page = tmp_path / "page.md"
    page.write_text("Nearly {glue:text}`share` of children, and 38% of women.\n", encoding="utf-8")
    assert re.search(r"\d", prose(page))
    page.write_text("Nearly {glue:text}`share` of children, on 22 October 2025.\n", encoding="utf-8")
    text = prose(page)
    for pattern, _ in ALLOWED:
        text = re.sub(pattern, " ", text)
    assert not re.search(r"\d", text)
