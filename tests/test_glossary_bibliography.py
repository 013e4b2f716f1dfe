"""The glossary and the bibliography as a reader meets them in the built book.

The glossary is a Sphinx glossary (a definition list, each term a link target for ``{term}``) with
its Vietnamese terms marked as Vietnamese; the bibliography is sorted by author (family name), year
and title, and each entry's label is the author–year text of every citation that points to it.
The book is the session's build (conftest.built_book), shared with the other tests.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from pybtex.database import parse_file, parse_string

from conftest import ROOT
from hanoi_evidence import bibliography
from hanoi_evidence.tables import load_table

# Pages other than the glossary that must link at least one term to it ({term}`...`).
MIN_PAGES_LINKING_TERMS = 6
LABEL = re.compile(r"(?P<author>.+), (?P<year>\d{4}|n\.d\.)(-?[a-z])?")  # "..., 2024a", "..., n.d.-a"


def read(html_dir: Path, name: str) -> str:
    return (html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """Visible text of an HTML fragment: permalinks dropped, NFC, Sphinx's typography undone, spaces collapsed."""
    fragment = re.sub(r'<a class="headerlink".*?</a>', "", fragment, flags=re.S)
    plain = html.unescape(re.sub(r"<[^>]+>", "", fragment)).translate(str.maketrans("‘’“”", "''\"\""))
    plain = plain.replace("…", "...")  # Sphinx's smart quotes also join three dots
    return unicodedata.normalize("NFC", " ".join(plain.split()))


def spaced(value: str) -> str:
    return unicodedata.normalize("NFC", " ".join(value.split()))


# --- the glossary ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def glossary(html_dir) -> dict[str, tuple[list[str], str]]:
    """Each entry of the glossary page's definition list: first term -> (all its terms, its <dd>)."""
    page = read(html_dir, "glossary")
    lists = re.findall(r'<dl class="glossary[^"]*">(.*?)</dl>', page, re.S)
    assert len(lists) == 1, "the glossary page holds no (or more than one) glossary definition list"
    entries = {}
    for terms, definition in re.findall(r"((?:<dt[^>]*>.*?</dt>\s*)+)<dd>(.*?)</dd>", lists[0], re.S):
        names = [text(term) for term in re.findall(r"<dt[^>]*>(.*?)</dt>", terms, re.S)]
        entries[names[0]] = (names, definition)
    return entries


def test_the_glossary_is_a_definition_list_with_a_dt_per_term(glossary, html_dir):
    rows = load_table("glossary")
    expected = {
        row.term: [row.term] + ([row.abbreviation] if isinstance(row.abbreviation, str) else [])
        for row in rows.itertuples()
    }
    assert {first: names for first, (names, _) in glossary.items()} == expected
    assert list(glossary) == sorted(glossary, key=str.lower)  # Sphinx's :sorted:
    assert "<table" not in re.search(r"<main.*?</main>", read(html_dir, "glossary"), re.S).group(0)


def test_each_definition_carries_its_citations(glossary):
    for row in load_table("glossary").itertuples():
        definition = glossary[row.term][1]
        cited = len(re.findall(r'href="bibliography\.html#', definition))
        expected = len(row.definition_source.split(";")) if isinstance(row.definition_source, str) else 0
        assert cited == expected, row.term
        assert spaced(row.definition) in text(definition)


def test_every_vietnamese_term_is_marked_as_vietnamese(glossary):
    rows = load_table("glossary")
    assert rows["vietnamese"].notna().sum() >= 1
    for row in rows.itertuples():
        definition = glossary[row.term][1]
        marked = [text(span) for span in re.findall(r'<span[^>]*\blang="vi"[^>]*>(.*?)</span>', definition, re.S)]
        if isinstance(row.vietnamese, str):
            assert marked == [spaced(row.vietnamese)], row.term
            assert spaced(row.vietnamese_source) in text(definition), row.term
        else:
            assert marked == [] and "Vietnamese: none found." in text(definition), row.term


def test_chapters_link_terms_to_the_glossary(html_dir):
    glossary_ids = set(re.findall(r'<dt id="(term-[^"]+)"', read(html_dir, "glossary")))
    linking = {}
    for page in sorted((html_dir / "chapters").glob("*.html")):
        if page.stem == "glossary":
            continue
        anchors = re.findall(r'href="glossary\.html#(term-[^"]+)"', page.read_text(encoding="utf-8"))
        assert set(anchors) <= glossary_ids, page.name
        if anchors:
            linking[page.stem] = sorted(set(anchors))
    assert len(linking) >= MIN_PAGES_LINKING_TERMS, linking


# --- the bibliography ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def entries(html_dir) -> list[tuple[str, str, str]]:
    """The bibliography's entries in page order: (id, label, text)."""
    page = read(html_dir, "bibliography")
    found = re.findall(
        r'<div class="citation" id="([^"]+)"[^>]*>\s*<span class="label">(.*?)</span>\s*</span>(.*?)</div>', page, re.S
    )
    assert found, "the bibliography is empty"
    return [(identifier, text(label).strip("[] "), text(body)) for identifier, label, body in found]


def fold(value: str) -> str:
    """A name or title as compared in sorting: accents, case and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", "".join(c for c in decomposed if not unicodedata.combining(c))).split())


def out_of_order(entries: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Neighbouring entries not sorted by author, year (undated first), then title (the entry's text)."""
    keys = []
    for _, label, body in entries:
        match = LABEL.fullmatch(label)
        assert match, f"not an author-year label: {label!r}"
        year = "" if match["year"] == "n.d." else match["year"]
        keys.append((fold(match["author"]), year, fold(body)))
    return [(entries[i][1], entries[i + 1][1]) for i in range(len(keys) - 1) if keys[i] > keys[i + 1]]


def test_the_order_check_catches_a_wrong_order():
    """The control: a list sorted by given name, or with braces in the key, is caught."""
    by_given_name = [
        ("a", "Boehme, 2025", "Catharina Boehme. X."),
        ("b", "AhmedZakiMohamed, n.d.", "AhmedZakiMohamed. Y."),
    ]
    assert out_of_order(by_given_name) == [("Boehme, 2025", "AhmedZakiMohamed, n.d.")]
    by_year = [("a", "UN Women, 2022", "UN Women. A."), ("b", "UN Women, n.d.", "UN Women. B.")]
    assert out_of_order(by_year) != []


def test_the_bibliography_is_sorted_by_family_name_year_and_title(entries):
    assert out_of_order(entries) == []
    labels = [label for _, label, _ in entries]
    assert len(set(labels)) == len(labels), "two entries share a label"
    # A person's family name leads the label, not the given name; a corporate author in braces
    # is its name, without braces.
    database = parse_file(str(ROOT / "references.bib"))
    for entry in database.entries.values():
        authors = entry.persons.get("author", [])
        if authors and authors[0].first_names:
            family, given = " ".join(authors[0].last_names), authors[0].first_names[0]
            assert any(label.startswith(family) for label in labels), family
            assert not any(label.startswith(given) for label in labels), given
    assert not any("{" in label or "}" in label for label in labels)


def test_each_label_is_the_text_of_the_citations_pointing_to_it(entries, html_dir):
    labels = {identifier: label for identifier, label, _ in entries}
    cited = set()
    for page in sorted((html_dir / "chapters").glob("*.html")):
        for span in re.findall(
            r'<span class="bibtex-citation"[^>]*>(.*?)</span>', page.read_text(encoding="utf-8"), re.S
        ):
            for identifier, link in re.findall(
                r'<a class="reference internal" href="bibliography\.html#([^"]+)"[^>]*>(.*?)</a>', span, re.S
            ):
                assert text(link) == labels[identifier], (page.name, identifier)
                cited.add(identifier)
    assert cited == set(labels), "an entry no citation points to, or a citation to no entry"


def test_no_entry_prints_a_working_note(entries, html_dir):
    notes = [
        " ".join(entry.fields["annote"].split())
        for entry in parse_file(str(ROOT / "references.bib")).entries.values()
        if "annote" in entry.fields
    ]
    assert notes, "the working notes were not read"
    printed = [body for _, _, body in entries]
    # The citations' tooltips (title="...") carry the formatted entries too.
    for page in (html_dir / "chapters").glob("*.html"):
        printed += [
            html.unescape(t)
            for t in re.findall(r'href="bibliography\.html#[^"]+" title="([^"]*)"', page.read_text(encoding="utf-8"))
        ]
    assert [body for body in printed if "Verified" in body] == []
    assert [note for note in notes if any(note[:60] in " ".join(body.split()) for body in printed)] == []


# --- the pybtex styles, on a bibliography made for the purpose -------------------------------

SAMPLE = r"""
@misc{z, author = {{Zeta Organisation}}, title = {Zeta}, year = {2001}}
@misc{b2, author = {Alpha, Bob}, title = {Second title}, year = {2020}}
@misc{b1, author = {Alpha, Bob}, title = {First title}, year = {2020}}
@misc{c, author = {Beta, Ann}, title = {Early}, year = {2019}}
@misc{nd, author = {{Alpha Network}}, title = {Undated}}
@misc{t, title = {An untitled author}, year = {2018}}
@misc{bao, author = {{Báo Quốc}}, title = {Q}, year = {2024}}
"""


def test_the_styles_sort_by_family_name_then_year_then_title_and_label_by_author_and_year():
    bibliography.setup(None)
    import pybtex.plugin

    style = pybtex.plugin.find_plugin("pybtex.style.formatting", bibliography.FORMATTING_STYLE)()
    ordered = style.sort(parse_string(SAMPLE, "bibtex").entries.values())
    assert [(entry.key, label) for entry, label in zip(ordered, style.format_labels(ordered), strict=True)] == [
        ("b1", "Alpha, 2020a"),
        ("b2", "Alpha, 2020b"),
        ("nd", "Alpha Network, n.d."),
        ("t", "An untitled author, 2018"),
        ("bao", "Báo Quốc, 2024"),
        ("c", "Beta, 2019"),
        ("z", "Zeta Organisation, 2001"),
    ]
